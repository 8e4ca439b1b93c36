// Variants of a stage (staging-eu, staging-us, staging-asia): one header over them in the matrix,
// and "Promote load → staging (3)" goes into all of them in one change, or into the one chosen.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { git, launch, scratchDir, screenshot, selectCell, textOf } from './app.mjs';

const REGIONS = ['eu', 'us', 'asia'];
const ENVS = ['dev', 'integration', 'qa', 'uat', 'load', ...REGIONS.map((r) => `staging-${r}`), ...REGIONS.map((r) => `prod-${r}`)];

function write(repo, path, text) {
	mkdirSync(join(repo, path, '..'), { recursive: true });
	writeFileSync(join(repo, path), text);
}

function makeRepo() {
	const repo = join(scratchDir('variants'), 'fleet');
	const deployment = (name) =>
		`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: ${name}\n          image: registry.example/${name}:1.0.0\n`;
	write(repo, 'base/kustomization.yaml', 'resources:\n  - api.yaml\n  - web.yaml\n');
	write(repo, 'base/api.yaml', deployment('api'));
	write(repo, 'base/web.yaml', deployment('web'));
	for (const env of ENVS) {
		const tag = ['dev', 'integration', 'qa', 'uat', 'load'].includes(env) ? '2.0.0' : '1.0.0';
		write(
			repo,
			`overlays/${env}/kustomization.yaml`,
			`resources:\n  - ../../base\nimages:\n  - name: registry.example/api\n    newTag: "${tag}"\n`
		);
	}
	git(repo, 'init', '-q', '-b', 'main');
	git(repo, 'config', 'user.name', 'Ops Lead');
	git(repo, 'config', 'user.email', 'ops@example.com');
	git(repo, 'add', '-A');
	git(repo, 'commit', '-q', '-m', 'initial');
	return repo;
}

let browser;
let repo;
before(async () => {
	repo = makeRepo();
	browser = await launch(['--repo', repo]);
	assert.equal(await textOf(browser, 'repo-name', 20000), 'fleet');
	await browser.$('[data-testid="nav-environments"]').click();
	await browser.$('[data-testid="matrix"]').waitForDisplayed({ timeout: 15000 });
});
after(async () => {
	await browser?.deleteSession();
});

test('variants share one header under their stage', async () => {
	assert.equal(await textOf(browser, 'stage-header-staging'), 'staging (3)');
	assert.equal(await textOf(browser, 'stage-header-prod'), 'prod (3)protected');
	assert.equal(await textOf(browser, 'env-header-staging-eu'), 'eu');
	assert.equal(await browser.$('[data-testid="stage-header-staging"]').getAttribute('colspan'), '3');
	assert.equal(await browser.$$('[data-testid^="env-header-"]').length, 11);

	// Eleven environments: hiding the details gives the matrix the window's width, every column in
	// view; the choice is remembered when the view is opened again.
	const lastInView = () =>
		browser.execute(() => {
			const wrap = document.querySelector('.table-wrap').getBoundingClientRect();
			const last = document.querySelector('[data-testid="env-header-prod-us"]').getBoundingClientRect();
			return last.right <= wrap.right + 1;
		});
	assert.equal(await lastInView(), false, 'with details, the matrix scrolls sideways');
	await browser.$('[data-testid="details-toggle"]').click();
	assert.equal(await browser.$('[data-testid="workload-detail"]').isDisplayed(), false);
	assert.equal(await browser.$('[data-testid="details-toggle"]').getText(), 'Show details');
	await screenshot(browser, 'variants-matrix');
	assert.equal(await lastInView(), true, 'without details, every column is in view');
	await browser.$('[data-testid="nav-overview"]').click();
	await browser.$('[data-testid="nav-environments"]').click();
	await browser.$('[data-testid="matrix"]').waitForDisplayed({ timeout: 15000 });
	assert.equal(await browser.$('[data-testid="details-toggle"]').getText(), 'Show details');
	assert.equal(await browser.$('[data-testid="workload-detail"]').isDisplayed(), false);
	await browser.$('[data-testid="details-toggle"]').click();
	assert.equal(await browser.$('[data-testid="workload-detail"]').isDisplayed(), true);
});

test('promoting into a stage goes into every variant, or into the one chosen', async () => {
	await selectCell(browser, 'api', 'load');
	await browser.$('//tr[.//th[contains(., "api")]]//input[@type="checkbox"]').click();
	const promote = await browser.$('[data-testid="promote"]');
	assert.equal(await promote.getText(), 'Promote 1 load → staging (3)');
	await promote.click();
	const dialog = await browser.$('[data-testid="promotion-dialog"]');
	await dialog.waitForDisplayed({ timeout: 10000 });
	const title = await browser.$('#promo-title');
	assert.equal(await title.getText(), 'promote load → staging: 3 value(s) into 3 environments');
	assert.ok(await browser.$('[data-testid="promotion-target-all"]').isSelected());

	// One variant only: the plan is made again for it.
	await browser.$('[data-testid="promotion-target-staging-us"]').click();
	await browser.waitUntil(async () => (await title.getText()) === 'promote api 2.0.0 → staging-us', { timeout: 10000 });
	assert.match(await dialog.getText(), /overlays\/staging-us\/kustomization\.yaml/);
	assert.doesNotMatch(await dialog.getText(), /overlays\/staging-eu\/kustomization\.yaml/);

	// All of them again, and the change is made.
	await browser.$('[data-testid="promotion-target-all"]').click();
	await browser.waitUntil(async () => /into 3 environments/.test(await title.getText()), { timeout: 10000 });
	await screenshot(browser, 'variants-promotion');
	await browser.$('[data-testid="promotion-create"]').click();
	const done = await browser.$('[data-testid="promotion-done"]');
	await done.waitForDisplayed({ timeout: 10000 });
	const branch = 'change/promote-3-workloads-staging';
	assert.match(await done.getText(), new RegExp(branch));
	const changed = git(repo, 'diff', '--name-only', `main...${branch}`).trim().split('\n');
	assert.deepEqual(changed, REGIONS.map((r) => `overlays/staging-${r}/kustomization.yaml`).sort());
	assert.match(git(repo, 'log', '-1', '--format=%B', branch), /- api 2\.0\.0 → staging-asia/);
	assert.equal(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim(), 'main');
});
