// The environment matrix: edit an image tag (the diff shows exactly one changed line) and commit
// it; promote a workload into a change branch; an invalid replica count is refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { git, openDemo, screenshot, selectCell, textOf } from './app.mjs';

let browser;
let repo;
before(async () => {
	({ repo, browser } = await openDemo());
	await browser.waitUntil(async () => /Up to date/.test(await textOf(browser, 'header-sync')), { timeout: 20000 });
	await browser.$('[data-testid="nav-environments"]').click();
	await browser.$('[data-testid="matrix"]').waitForDisplayed({ timeout: 15000 });
});
after(async () => {
	await browser?.deleteSession();
});

test('the matrix shows every environment with provenance', async () => {
	const matrix = await textOf(browser, 'matrix');
	for (const word of ['dev', 'staging', 'prod', 'api', 'ledger', 'ingress-nginx']) {
		assert.match(matrix, new RegExp(word));
	}
	assert.match(await textOf(browser, 'cell-api-prod'), /1\.4\.0/);
	const detail = await selectCell(browser, 'api', 'prod');
	assert.match(await detail.getText(), /set in overlays\/prod\/kustomization\.yaml, images\[0\]\.newTag, line 12/);
	await screenshot(browser, 'matrix');

	await browser.$('[data-testid="compare"]').click();
	const compare = await browser.$('[data-testid="compare-view"]');
	await browser.waitUntil(async () => /image api/.test(await compare.getText()), { timeout: 10000 });
	const text = await compare.getText();
	assert.match(text, /staging\s+with\s+prod|staging[\s\S]*prod/);
	assert.match(text, /registry\.acme\.example\/shop\/api:1\.4\.0[\s\S]*set in overlays\/prod\/kustomization\.yaml/);
	await screenshot(browser, 'compare');
	await browser.$('[data-testid="compare"]').click();
});

test('editing an image tag shows a one-line diff, writes it, and it can be committed', async () => {
	await selectCell(browser, 'api', 'prod');
	const value = await browser.$('[data-testid="edit-value"]');
	await value.setValue('1.4.2');
	await browser.$('[data-testid="edit-preview"]').click();
	const diff = await browser.$('[data-testid="edit-diff"]');
	await diff.waitForDisplayed({ timeout: 10000 });
	const changed = (await diff.getText())
		.split('\n')
		.filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---)/.test(l));
	assert.deepEqual(changed, ['-    newTag: "1.4.0"', '+    newTag: "1.4.2"']);
	await screenshot(browser, 'matrix-edit-preview');
	await browser.$('[data-testid="edit-apply"]').click();
	await browser.waitUntil(async () => /1\.4\.2/.test(await textOf(browser, 'cell-api-prod')), { timeout: 10000 });
	assert.match(readFileSync(join(repo, 'overlays/prod/kustomization.yaml'), 'utf8'), /newTag: "1\.4\.2"/);
	assert.equal(git(repo, 'diff', '--numstat').trim(), '1\t1\toverlays/prod/kustomization.yaml');

	await browser.$('[data-testid="nav-changes"]').click();
	await browser.$('[data-testid="commit-message"]').setValue('prod: api 1.4.2');
	await browser.$('[data-testid="commit"]').click();
	const view = await browser.$('[data-testid="changes-view"]');
	await browser.waitUntil(async () => /No uncommitted changes/.test(await view.getText()), { timeout: 10000 });
	assert.match(git(repo, 'log', '-1', '--format=%s'), /prod: api 1\.4\.2/);
	await browser.$('[data-testid="nav-environments"]').click();
});

test('an invalid replica count is refused with the reason and nothing is written', async () => {
	await selectCell(browser, 'web', 'staging');
	await browser.$('select[aria-label="Field to change"]').selectByAttribute('value', 'replicas');
	await browser.$('[data-testid="edit-value"]').setValue('-2');
	await browser.$('[data-testid="edit-preview"]').click();
	const err = await browser.$('[data-testid="edit-error"]');
	await err.waitForDisplayed({ timeout: 10000 });
	assert.match(await err.getText(), /not a replica count/);
	assert.equal(git(repo, 'status', '--porcelain').trim(), '');

	// A resource limit for staging goes to a new patch of staging's own, never to the base.
	await browser.$('select[aria-label="Field to change"]').selectByAttribute('value', 'resource');
	await browser.$('select[aria-label="Resource"]').selectByAttribute('value', 'limits.memory');
	await browser.$('[data-testid="edit-value"]').setValue('512Mi');
	await browser.$('[data-testid="edit-preview"]').click();
	await browser.waitUntil(async () => (await browser.$$('[data-testid="edit-diff"]')).length === 2, { timeout: 10000 });
	const diffs = [];
	for (const d of await browser.$$('[data-testid="edit-diff"]')) diffs.push(await d.getProperty('textContent'));
	assert.match(diffs.join("\n"), /b\/overlays\/staging\/web-staging\.yaml[\s\S]*memory: 512Mi/);
	assert.match(diffs.join('\n'), /\+\s+- path: web-staging\.yaml/);
	await screenshot(browser, 'matrix-resource-preview');
});

test('promoting a workload creates a change branch with the expected diff', async () => {
	await selectCell(browser, 'search', 'dev');
	await browser.$('//tr[.//th[contains(., "search")]]//input[@type="checkbox"]').click();
	const promote = await browser.$('[data-testid="promote"]');
	assert.match(await promote.getText(), /Promote 1 dev → staging/);
	await promote.click();
	const dialog = await browser.$('[data-testid="promotion-dialog"]');
	await dialog.waitForDisplayed({ timeout: 10000 });
	assert.match(await dialog.getText(), /promote search 1\.12\.1 → staging/);
	// What the promotion does to the rendered manifests, before anything is written.
	const staging = await browser.$('[data-testid="promotion-dialog"] [data-testid="effect-env-staging"]');
	await staging.waitForDisplayed({ timeout: 10000 });
	assert.match(await staging.getText(), /search, image tag 1\.11\.4 → 1\.12\.1/);
	assert.match(await textOf(browser, 'effect-unaffected'), /dev, prod/);
	await screenshot(browser, 'promotion-dialog');
	await browser.$('[data-testid="promotion-create"]').click();
	const done = await browser.$('[data-testid="promotion-done"]');
	await done.waitForDisplayed({ timeout: 10000 });
	const branch = 'change/promote-search-1.12.1-staging';
	assert.match(await done.getText(), new RegExp(branch.replace(/\./g, '\\.')));
	const diff = git(repo, 'diff', `main...${branch}`);
	assert.match(diff, /-    newTag: "1\.11\.4"\n\+    newTag: "1\.12\.1"/);
	assert.equal(git(repo, 'diff', '--numstat', `main...${branch}`).trim(), '1\t1\toverlays/staging/kustomization.yaml');
	assert.match(git(repo, 'log', '-1', '--format=%s', branch), /promote search 1\.12\.1 → staging/);
	assert.equal(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim(), 'main');
});
