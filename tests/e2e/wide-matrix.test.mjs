// A matrix of 24 environments: only the columns in view are in the page (fixed widths sized to
// their content), scrolling sideways brings the others, the workload column stays in view, and
// the keyboard reaches a column that was not made.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kustomizeRepo, launch, screenshot, textOf } from './app.mjs';

const ENVS = 24;
const WORKLOADS = 40;
const env = (i) => `region-${String(i).padStart(2, '0')}`;
const id = (i) => `svc-${String(i).padStart(3, '0')}`;

function makeRepo() {
	// Each environment runs its own tag of svc-000: 2.<e>.0.
	return kustomizeRepo('wide', {
		workloads: WORKLOADS,
		envs: Array.from({ length: ENVS }, (_, e) => env(e)),
		overlay: (_, e) => `images:\n  - name: registry.example/${id(0)}\n    newTag: 2.${e}.0\n`
	});
}

let browser;
before(async () => {
	browser = await launch(['--repo', makeRepo()]);
	assert.equal(await textOf(browser, 'repo-name', 20000), 'wide');
	await browser.$('[data-testid="nav-environments"]').click();
	await browser.$(`[data-testid="cell-${id(0)}-${env(0)}"]`).waitForDisplayed({ timeout: 15000 });
});
after(async () => {
	await browser?.deleteSession();
});

const cellsInFirstRow = () =>
	browser.execute(() => document.querySelector('[data-testid="matrix"] tbody tr.row').querySelectorAll('td.cell').length);

test('only the columns in view are in the page, and scrolling sideways brings the rest', async () => {
	const first = await cellsInFirstRow();
	assert.ok(first > 2 && first < ENVS, `${first} cells of ${ENVS} made in the first row`);
	assert.equal(await browser.$(`[data-testid="cell-${id(0)}-${env(ENVS - 1)}"]`).isExisting(), false);
	// Every environment keeps its header.
	for (const e of [0, ENVS - 1]) assert.ok(await browser.$(`[data-testid="env-header-${env(e)}"]`).isExisting());
	await browser.execute(() => {
		const wrap = document.querySelector('.table-wrap');
		wrap.scrollLeft = wrap.scrollWidth;
	});
	const last = await browser.$(`[data-testid="cell-${id(0)}-${env(ENVS - 1)}"]`);
	await last.waitForDisplayed({ timeout: 5000 });
	assert.match(await last.getText(), new RegExp(`2\\.${ENVS - 1}\\.0`));
	assert.ok((await cellsInFirstRow()) < ENVS);
	// The workload column stays in view, and the last column's cell is beside it, not under it.
	const [name, cell] = await browser.execute(
		(w, e) => [
			document.querySelector('[data-testid="matrix"] tbody tr.row th').getBoundingClientRect().toJSON(),
			document.querySelector(`[data-testid="cell-${w}-${e}"]`).getBoundingClientRect().toJSON()
		],
		id(0),
		env(ENVS - 1)
	);
	assert.ok(name.left >= 0 && cell.left >= name.right - 1, `workload column ${JSON.stringify(name)}, cell ${JSON.stringify(cell)}`);
	await screenshot(browser, 'wide-matrix-scrolled');
});

test('the keyboard moves to a column that was out of view', async () => {
	await browser.execute(() => (document.querySelector('.table-wrap').scrollLeft = 0));
	await browser.$(`[data-testid="cell-${id(0)}-${env(0)}"]`).click();
	for (let i = 0; i < ENVS - 1; i++) await browser.keys('ArrowRight');
	const cell = await browser.$(`[data-testid="cell-${id(0)}-${env(ENVS - 1)}"]`);
	await cell.waitForDisplayed({ timeout: 5000 });
	await browser.waitUntil(async () => (await cell.getAttribute('class')).includes('active'), { timeout: 5000 });
	assert.match(await textOf(browser, 'workload-detail'), new RegExp(`${id(0)} in ${env(ENVS - 1)}`));
});
