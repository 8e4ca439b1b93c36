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

test('Try the demo opens the demo repository with its branch and commits', async () => {
	await browser.$('[data-testid="try-demo"]').click();
	assert.equal(await textOf(browser, 'repo-name', 30000), 'acme-gitops');
	assert.equal(await textOf(browser, 'header-branch'), 'main');
	assert.equal(await textOf(browser, 'branch'), 'main');
	assert.match(await textOf(browser, 'header-sync'), /↓1 to pull/);
	assert.equal(await textOf(browser, 'tree-state'), 'Clean');

	const rows = await browser.$$('[data-testid="commits"] tbody tr');
	assert.equal(rows.length, 30);
	const first = await rows[0].getText();
	assert.match(first, /policy: freeze prod over the holidays/);
	assert.match(first, /Tomás Rivera/);
	const last = await rows[29].getText();
	assert.match(last, /Initial layout: base and overlays for dev, staging and prod/);
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
