// Approve by clicking: set up a signing key in Settings, approve the demo's production change,
// and see the verdict move from "needs 2" to "needs 1" (the signed approval is a git note); a
// second ops lead approves with a key from the SSH agent, the change is ready, Merge lands it with
// Reviewed-by trailers, and `wheelhouse verify` on it exits 0. Merging an incident tells the
// status page's subscribers (a loopback webhook), and the status screen shows it delivered.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createDemo, git, launch, scratchDir, screenshot, textOf, webhookReceiver, commitInvoicesLate } from './app.mjs';

let browser;
let repo;
let keyPath;
let tomasKey;
before(async () => {
	repo = createDemo();
	const keys = scratchDir('keys');
	keyPath = join(keys, 'maya');
	tomasKey = join(keys, 'tomas');
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'maya.chen@acme.example', '-f', keyPath]);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'tomas@laptop', '-f', tomasKey]);
	// Tomás keeps his key in the SSH agent (scripts/e2e.sh starts one; the app inherits it).
	execFileSync('ssh-add', ['-q', tomasKey]);
	const pub = (p) => readFileSync(`${p}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
	writeFileSync(
		join(repo, '.wheelhouse/allowed_signers'),
		`maya.chen@acme.example namespaces="wheelhouse" ${pub(keyPath)}\ntomas.rivera@acme.example namespaces="wheelhouse" ${pub(tomasKey)}\n`
	);
	git(repo, 'config', 'user.name', 'Maya Chen');
	git(repo, 'config', 'user.email', 'maya.chen@acme.example');
	// Maya signs git commits with this key already: until she chooses one in Settings, the app
	// uses it, as the CLI does.
	git(repo, 'config', 'user.signingkey', keyPath);
	git(repo, 'commit', '-qam', 'allowed_signers: Maya and Tomás');
	browser = await launch(['--repo', repo]);
	assert.equal(await textOf(browser, 'repo-name', 20000), 'acme-gitops');
});
after(async () => {
	await browser?.deleteSession();
});

test('signing is set up in Settings and shows the allowed_signers line', async () => {
	await browser.$('[data-testid="nav-settings"]').click();
	// Nothing chosen here yet: git's user.signingkey is used, and the screen says so.
	assert.match(await textOf(browser, 'signing-current', 10000), /as git config user\.signingkey names it/);
	await screenshot(browser, 'settings-git-signing-key');
	await browser.$('[data-testid="signing-key"]').setValue(keyPath);
	await browser.$('[data-testid="signing-save"]').click();
	const line = await textOf(browser, 'allowed-signers-line', 10000);
	assert.match(line, /^maya\.chen@acme\.example namespaces="wheelhouse" ssh-ed25519 /);
	await browser.waitUntil(async () => !/git config/.test(await textOf(browser, 'signing-current')), {
		timeout: 10000,
		timeoutMsg: 'the key chosen in Settings is still shown as git config user.signingkey'
	});
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

test('a second ops lead approves with an SSH agent key; merge lands it with trailers; verify passes', async () => {
	git(repo, 'config', 'user.name', 'Tomás Rivera');
	git(repo, 'config', 'user.email', 'tomas.rivera@acme.example');
	await browser.$('[data-testid="nav-settings"]').click();
	// Settings reads the signing set-up as it opens; the agent's keys are listed on request.
	await browser.$('[data-testid="signing-current"]').waitForDisplayed({ timeout: 10000 });
	await browser.$('[data-testid="agent-keys"]').click();
	const use = await browser.$('[data-testid="use-agent-key"]');
	await use.waitForDisplayed({ timeout: 10000 });
	await use.click();
	const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${tomasKey}.pub`], { encoding: 'utf8' }).split(' ')[1];
	await browser.waitUntil(async () => (await textOf(browser, 'signing-current')).includes(fingerprint), { timeout: 10000 });
	assert.match(await textOf(browser, 'signing-current'), /from your SSH agent/);
	assert.match(await textOf(browser, 'allowed-signers-line'), /^tomas\.rivera@acme\.example namespaces="wheelhouse" ssh-ed25519 /);
	await screenshot(browser, 'settings-agent-key');

	await browser.$('[data-testid="nav-reviews"]').click();
	const verdict = await browser.$('[data-testid="verdict"]');
	await browser.waitUntil(async () => /needs 1 more approval/.test(await verdict.getText()), { timeout: 20000 });
	await browser.$('[data-testid="approve"]').click();
	await browser.waitUntil(async () => /Ready to merge/i.test(await verdict.getText()), {
		timeout: 20000,
		timeoutMsg: 'the second approval did not make the change ready'
	});
	await screenshot(browser, 'review-ready');
	const merge = await browser.$('[data-testid="merge"]');
	assert.equal(await merge.isEnabled(), true);
	await merge.click();
	await browser.waitUntil(() => /^Merge change\/promote-api-1\.4\.2-prod/.test(git(repo, 'log', '-1', '--format=%s', 'main')), {
		timeout: 20000,
		timeoutMsg: 'main has no merge commit'
	});
	const message = git(repo, 'log', '-1', '--format=%B', 'main');
	assert.match(message, /Reviewed-by: Maya Chen <maya\.chen@acme\.example>/);
	assert.match(message, /Reviewed-by: Tomás Rivera <tomas\.rivera@acme\.example>/);
	assert.equal(git(repo, 'rev-list', '--parents', '-n', '1', 'main').trim().split(' ').length, 3, 'a merge commit');
	assert.match(readFileSync(join(repo, 'overlays/prod/kustomization.yaml'), 'utf8'), /newTag: "1\.4\.2"/);
	await screenshot(browser, 'review-merged');

	// CI's check of the same change passes.
	const out = execFileSync(process.env.WHEELHOUSE_CLI, ['--repo', repo, '--json', 'verify', 'main^1..main^2'], { encoding: 'utf8' });
	assert.equal(JSON.parse(out).verdict.state, 'ready_to_merge');
});

test('merging an incident from Reviews tells the subscribers; the status screen shows it delivered', async () => {
	// A loopback endpoint in the Discord channel's place: it records what it is sent.
	const { received, url, server } = await webhookReceiver('/hooks/team');
	try {
		// Main takes in what the remote has first, so the merge can be pushed (subscribers are
		// told only of what reached the remote).
		git(repo, 'pull', '-q', '--no-rebase', '--no-edit', 'origin', 'main');
		writeFileSync(join(repo, 'status/subscribers.yaml'), `channels:\n  - name: team\n    kind: discord\n    url: ${url}\n`);
		git(repo, 'add', 'status/subscribers.yaml');
		git(repo, 'commit', '-qm', 'Status page: tell the team channel');
		// The incident, as a change waiting for review.
		git(repo, 'checkout', '-q', '-b', 'change/incident-invoices-late');
		commitInvoicesLate(repo);
		git(repo, 'checkout', '-q', 'main');

		// Maya reviews it: she is of @sre, who own /status/ (CODEOWNERS), and signs with her key.
		git(repo, 'config', 'user.name', 'Maya Chen');
		git(repo, 'config', 'user.email', 'maya.chen@acme.example');
		await browser.$('[data-testid="nav-settings"]').click();
		await browser.$('[data-testid="signing-current"]').waitForDisplayed({ timeout: 10000 });
		await browser.$('[data-testid="signing-key"]').setValue(keyPath);
		await browser.$('[data-testid="signing-save"]').click();
		await browser.waitUntil(async () => /^maya\.chen@acme\.example /.test(await textOf(browser, 'allowed-signers-line')), { timeout: 10000 });

		await browser.$('[data-testid="nav-reviews"]').click();
		const item = await browser.$('[data-testid="review-change/incident-invoices-late"]');
		await item.waitForDisplayed({ timeout: 20000 });
		await item.click();
		const verdict = await browser.$('[data-testid="verdict"]');
		let seen = '';
		await browser.waitUntil(async () => /needs 1 more approval/.test((seen = await verdict.getText())), {
			timeout: 20000,
			timeoutMsg: `the status page rule asks for one approval; the verdict says: ${seen}`
		});
		await browser.$('[data-testid="approve"]').click();
		await browser.waitUntil(async () => /Ready to merge/i.test((seen = await verdict.getText())), {
			timeout: 20000,
			timeoutMsg: `one approval makes it ready; the verdict says: ${seen}`
		});
		await browser.$('[data-testid="merge"]').click();
		const result = await textOf(browser, 'merge-result', 30000);
		assert.equal(received.length, 1, `the merge tells the channel once: ${result}`);
		assert.equal(received[0].path, '/hooks/team');
		assert.equal(received[0].body.embeds[0].title, 'Investigating: Invoices are late');
		await browser.waitUntil(async () => /Sent 1 message for 1 update/.test(await textOf(browser, 'merge-result')), { timeout: 10000 });

		await browser.$('[data-testid="nav-status"]').click();
		await browser.waitUntil(async () => /Delivered/.test(await textOf(browser, 'channel-last-team', 20000)), {
			timeout: 20000,
			timeoutMsg: 'the status screen does not show the delivery'
		});
		assert.match(await textOf(browser, 'subscribers-pending'), /Every committed update has been told/);
		await screenshot(browser, 'merge-notified');
	} finally {
		server.close();
	}
});
