// Working with an open repository: edits made outside the app appear on their own, history shows
// a commit's diff, a commit made in the app lands, and a rollback becomes a change branch.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { git, openDemo, screenshot, textOf } from './app.mjs';

let browser;
let repo;
before(async () => {
	({ repo, browser } = await openDemo());
	// Let the first sync (which pulls the demo's incoming commit) finish.
	await browser.waitUntil(async () => /Up to date/.test(await textOf(browser, 'header-sync')), { timeout: 20000 });
});
after(async () => {
	await browser?.deleteSession();
});

test('an edit made in another editor shows up without refreshing', async () => {
	assert.equal(await textOf(browser, 'tree-state'), 'Clean');
	writeFileSync(join(repo, 'overlays/staging/kustomization.yaml'), '# tuned by hand\n', { flag: 'a' });
	const started = Date.now();
	await browser.waitUntil(async () => (await textOf(browser, 'tree-state')) === '1 changed', {
		timeout: 5000,
		interval: 50,
		timeoutMsg: 'the external edit did not appear'
	});
	const elapsed = Date.now() - started;
	assert.match(await textOf(browser, 'changes'), /overlays\/staging\/kustomization\.yaml/);
	console.log(`external edit visible after ${elapsed} ms`);
});

test('the Changes view shows the diff and commits it', async () => {
	await browser.$('[data-testid="nav-changes"]').click();
	const view = await browser.$('[data-testid="changes-view"]');
	await view.waitForDisplayed({ timeout: 5000 });
	await browser.waitUntil(async () => /\+\s*# tuned by hand/.test(await view.getText()), { timeout: 5000 });
	await screenshot(browser, 'changes-diff');
	await browser.$('[data-testid="commit-message"]').setValue('staging: note the manual tuning');
	await browser.$('[data-testid="commit"]').click();
	await browser.waitUntil(async () => /No uncommitted changes/.test(await view.getText()), { timeout: 10000 });
	assert.match(git(repo, 'log', '-1', '--format=%an|%s'), /E2E Person\|staging: note the manual tuning/);
	// The new commit is not on origin yet: the header offers to push it.
	assert.match(await textOf(browser, 'push'), /Push ↑1/);
});

test('history shows a commit with its diff, and a rollback becomes a change branch', async () => {
	await browser.$('[data-testid="nav-history"]').click();
	const list = await browser.$('[data-testid="history-list"]');
	await list.waitForDisplayed({ timeout: 5000 });
	await browser.$('[data-testid="history-path"]').setValue('overlays/prod');
	await browser.keys('Enter');
	const row = await browser.$('//div[@role="option"][contains(., "promote payments 3.8.1 → prod")]');
	await row.waitForDisplayed({ timeout: 10000 });
	await row.click();
	const detail = await browser.$('section.detail');
	await browser.waitUntil(async () => /newTag: "3\.8\.1"/.test(await detail.getText()), { timeout: 5000 });
	const text = await detail.getText();
	assert.match(text, /promote payments 3\.8\.1 → prod/);
	assert.match(text, /overlays\/prod\/kustomization\.yaml/);
	assert.match(text, /-\s*newTag: "3\.8\.0"/);
	assert.match(text, /\+\s*newTag: "3\.8\.1"/);
	await screenshot(browser, 'history-diff');

	await browser.$('[data-testid="rollback"]').click();
	await browser.$('[data-testid="confirm-rollback"]').click();
	const done = await browser.$('[data-testid="rollback-done"]');
	await done.waitForDisplayed({ timeout: 10000 });
	assert.match(await done.getText(), /change\/revert-[0-9a-f]{7}/);
	const branches = git(repo, 'branch', '--list', 'change/revert-*');
	assert.match(branches, /change\/revert-/);
	assert.match(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD'), /^main/);
});
