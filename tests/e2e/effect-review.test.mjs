// Approvals judge what a change does: a change to a base file that flips an env var in staging and
// prod is shown, on the Reviews page, as what it does to each environment (the field, the
// rendered diff of the Deployment) beside its file diff, and the production rule applies to it by
// effect. Before writing, the edit preview and the promotion dialog show the same effect.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createDemo, git, launch, screenshot, selectCell, textOf } from './app.mjs';

let browser;
let repo;
before(async () => {
	repo = createDemo();
	git(repo, 'config', 'user.name', 'Priya Natarajan');
	git(repo, 'config', 'user.email', 'priya.natarajan@acme.example');
	git(repo, 'checkout', '-q', '-b', 'change/new-cart');
	const api = join(repo, 'base/api.yaml');
	writeFileSync(api, readFileSync(api, 'utf8').replace('value: "false"', 'value: "true"'));
	git(repo, 'commit', '-qam', 'Turn on the new cart everywhere');
	git(repo, 'checkout', '-q', 'main');
	browser = await launch(['--repo', repo]);
	assert.equal(await textOf(browser, 'repo-name', 20000), 'acme-gitops');
});
after(async () => {
	await browser?.deleteSession();
});

test('a base change is judged as a prod change, with its effect per environment', async () => {
	await browser.$('[data-testid="nav-reviews"]').click();
	const item = await browser.$('[data-testid="review-change/new-cart"]');
	await item.waitForDisplayed({ timeout: 20000 });
	await item.click();
	const detail = await browser.$('[data-testid="review-detail"]');
	await browser.waitUntil(async () => /Turn on the new cart/.test(await detail.getText()), { timeout: 10000 });
	assert.match(await textOf(browser, 'verdict'), /2 more approvals from @ops-leads \(production\)/);
	const whys = [];
	for (const w of await browser.$$('[data-testid="rule-effect"]')) whys.push(await w.getText());
	assert.ok(
		whys.includes('changes prod: api, env FEATURE_NEW_CART false → true, via base/api.yaml'),
		whys.join('\n')
	);
	const prod = await textOf(browser, 'effect-env-prod');
	assert.match(prod, /changed via base\/api\.yaml/);
	assert.match(prod, /api, env FEATURE_NEW_CART false → true/);
	assert.match(await textOf(browser, 'effect-unaffected'), /Unaffected: dev/);
	// A small change opens its rendered diffs: prod's Deployment, the line that flips.
	assert.match(prod, /Deployment shop-prod\/api/);
	assert.match(prod, /\+\s*value: "true"/);
	await screenshot(browser, 'review-effect');

	await browser.$('[data-testid="tab-files"]').click();
	await browser.waitUntil(async () => /base\/api\.yaml/.test(await detail.getText()), { timeout: 5000 });
	await screenshot(browser, 'review-files');
	await browser.$('[data-testid="tab-effect"]').click();
});

test('the edit preview shows what the edit changes in the rendered manifests', async () => {
	await browser.$('[data-testid="nav-environments"]').click();
	await selectCell(browser, 'api', 'staging');
	await browser.$('select[aria-label="Field to change"]').selectByAttribute('value', 'replicas');
	await browser.$('[data-testid="edit-value"]').setValue('5');
	await browser.$('[data-testid="edit-preview"]').click();
	const staging = await browser.$('[data-testid="effect-env-staging"]');
	await staging.waitForDisplayed({ timeout: 10000 });
	assert.match(await staging.getText(), /api, replicas \d+ → 5/);
	assert.match(await textOf(browser, 'effect-unaffected'), /dev, prod/);
	await screenshot(browser, 'edit-preview-effect');
	assert.equal(git(repo, 'status', '--porcelain').trim(), '', 'nothing written by a preview');
});
