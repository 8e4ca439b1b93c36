// The welcome screen's "Try the demo" creates the demo workspace and shows its overview.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, screenshot, textOf } from './app.mjs';

let browser;
before(async () => {
	browser = await launch();
});
after(async () => {
	await browser?.deleteSession();
});

test('the welcome screen offers the three ways in', async () => {
	const demo = await browser.$('[data-testid="try-demo"]');
	await demo.waitForDisplayed({ timeout: 15000 });
	assert.equal(await demo.getText(), 'Try the demo');
	assert.ok(await browser.$('[data-testid="open-folder"]').isDisplayed());
	assert.ok(await browser.$('[data-testid="repo-path"]').isDisplayed());
	await screenshot(browser, 'welcome');
});

test('Try the demo opens the demo, and the commit waiting on origin is pulled', async () => {
	await browser.$('[data-testid="try-demo"]').click();
	assert.equal(await textOf(browser, 'repo-name', 30000), 'acme-gitops');
	assert.equal(await textOf(browser, 'header-branch'), 'main');
	assert.equal(await textOf(browser, 'branch'), 'main');
	assert.equal(await textOf(browser, 'tree-state'), 'Clean');

	// The sync loop fetches on open and fast-forwards: the tree is clean, so it is safe.
	await browser.waitUntil(async () => /Up to date/.test(await textOf(browser, 'header-sync')), {
		timeout: 20000,
		timeoutMsg: 'the incoming commit was not pulled'
	});
	await browser.waitUntil(async () => (await browser.$$('[data-testid="commits"] tbody tr')).length === 31, {
		timeout: 10000,
		timeoutMsg: 'the overview did not show the pulled commit'
	});
	const rows = await browser.$$('[data-testid="commits"] tbody tr');
	const first = await rows[0].getText();
	assert.match(first, /search 1\.12\.1 → dev: faster incremental indexing/);
	assert.match(first, /Jonas Berg/);
	assert.match(await rows[1].getText(), /policy: freeze prod over the holidays/);
	assert.match(await rows[30].getText(), /Initial layout: base and overlays for dev, staging and prod/);
	await screenshot(browser, 'demo-overview');
});

test('the command palette switches repositories, and the demo is remembered as recent', async () => {
	await browser.keys(['Control', 'k']);
	const palette = await browser.$('[data-testid="palette"]');
	await palette.waitForDisplayed({ timeout: 5000 });
	await browser.keys('another'.split(''));
	await browser.waitUntil(async () => (await browser.$$('[role="option"]')).length === 1, {
		timeout: 5000,
		timeoutMsg: 'typing did not filter the palette to one command'
	});
	await screenshot(browser, 'command-palette');
	await browser.keys('Enter');

	const demoButton = await browser.$('[data-testid="try-demo"]');
	await demoButton.waitForDisplayed({ timeout: 10000 });
	const recent = await browser.$('section.recent');
	assert.match(await recent.getText(), /acme-gitops/);

	await browser.keys(['Control', 'k']);
	await palette.waitForDisplayed({ timeout: 5000 });
	await browser.keys('recent acme'.split(''));
	await browser.keys('Enter');
	assert.equal(await textOf(browser, 'repo-name', 15000), 'acme-gitops');
});
