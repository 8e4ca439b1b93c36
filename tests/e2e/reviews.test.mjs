// Approve by clicking: set up a signing key in Settings, approve the demo's production change,
// and see the verdict move from "needs 2" to "needs 1"; the signed approval is a git note.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createDemo, git, launch, scratchDir, screenshot, textOf } from './app.mjs';

let browser;
let repo;
let keyPath;
before(async () => {
	repo = createDemo();
	keyPath = join(scratchDir('keys'), 'maya');
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'maya.chen@acme.example', '-f', keyPath]);
	const pub = readFileSync(`${keyPath}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
	writeFileSync(join(repo, '.wheelhouse/allowed_signers'), `maya.chen@acme.example namespaces="wheelhouse" ${pub}\n`);
	git(repo, 'config', 'user.name', 'Maya Chen');
	git(repo, 'config', 'user.email', 'maya.chen@acme.example');
	git(repo, 'commit', '-qam', 'allowed_signers: Maya');
	browser = await launch(['--repo', repo]);
	assert.equal(await textOf(browser, 'repo-name', 20000), 'acme-gitops');
});
after(async () => {
	await browser?.deleteSession();
});

test('signing is set up in Settings and shows the allowed_signers line', async () => {
	await browser.$('[data-testid="nav-settings"]').click();
	await browser.$('[data-testid="signing-key"]').setValue(keyPath);
	await browser.$('[data-testid="signing-save"]').click();
	const line = await textOf(browser, 'allowed-signers-line', 10000);
	assert.match(line, /^maya\.chen@acme\.example namespaces="wheelhouse" ssh-ed25519 /);
});

test('approving the production change counts one signed approval of two', async () => {
	await browser.$('[data-testid="nav-reviews"]').click();
	const verdict = await browser.$('[data-testid="verdict"]');
	await verdict.waitForDisplayed({ timeout: 20000 });
	assert.match(await verdict.getText(), /Needs approvals: needs 2 more approvals from @ops-leads/);
	assert.match(await textOf(browser, 'group-uncommitted'), /Uncommitted edits\s*none/);
	assert.match(await textOf(browser, 'group-incoming'), /Incoming from the remote/);
	const detail = await textOf(browser, 'review-detail');
	assert.match(detail, /promote api 1\.4\.2 → prod/);
	assert.match(detail, /touches prod/);
	await screenshot(browser, 'review-before');

	await browser.$('[data-testid="approve"]').click();
	await browser.waitUntil(async () => /needs 1 more approval/.test(await verdict.getText()), {
		timeout: 20000,
		timeoutMsg: 'the approval did not count'
	});
	assert.match(await textOf(browser, 'review-detail'), /Approved by maya\.chen@acme\.example.*signed \(SHA256:/);
	await screenshot(browser, 'review-approved');
	assert.equal(await browser.$('[data-testid="merge"]').isEnabled(), false);

	const first = git(repo, 'rev-list', '--reverse', 'main..origin/change/promote-api-1.4.2-prod').trim().split('\n')[0];
	const notes = git(repo, 'notes', '--ref=devtools/discuss', 'show', first);
	assert.match(notes, /"author":"maya\.chen@acme\.example"/);
	assert.match(notes, /"resolved":true/);
	assert.match(notes, /BEGIN SSH SIGNATURE/);
});
