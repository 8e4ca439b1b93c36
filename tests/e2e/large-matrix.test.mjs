// A matrix of 150 workloads: only the rows in view are in the page, scrolling brings the others,
// and the keyboard reaches a row that was not rendered.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kustomizeRepo, launch, screenshot, textOf } from './app.mjs';

const N = 150;
const id = (i) => `svc-${String(i).padStart(3, '0')}`;

function makeRepo() {
	return kustomizeRepo('many', { workloads: N, envs: ['dev', 'prod'], tag: (i) => `1.0.${i}` });
}

let browser;
before(async () => {
	browser = await launch(['--repo', makeRepo()]);
	assert.equal(await textOf(browser, 'repo-name', 20000), 'many');
	await browser.$('[data-testid="nav-environments"]').click();
	await browser.$('[data-testid="matrix"]').waitForDisplayed({ timeout: 15000 });
});
after(async () => {
	await browser?.deleteSession();
});

const rendered = () => browser.execute(() => document.querySelectorAll('[data-testid="matrix"] tbody tr.row').length);

test('only the rows in view are in the page, and scrolling brings the rest', async () => {
	await browser.$(`[data-testid="cell-${id(0)}-dev"]`).waitForDisplayed({ timeout: 10000 });
	const first = await rendered();
	assert.ok(first > 5 && first < 60, `${first} rows rendered of ${N}`);
	assert.equal(await browser.$(`[data-testid="cell-${id(N - 1)}-dev"]`).isExisting(), false);
	await browser.execute(() => {
		const wrap = document.querySelector('.table-wrap');
		wrap.scrollTop = wrap.scrollHeight;
	});
	const last = await browser.$(`[data-testid="cell-${id(N - 1)}-prod"]`);
	await last.waitForDisplayed({ timeout: 5000 });
	assert.match(await last.getText(), new RegExp(`1\\.0\\.${N - 1}`));
	assert.ok((await rendered()) < 60);
	await screenshot(browser, 'large-matrix-scrolled');
});

test('the keyboard moves to a row that was out of view', async () => {
	await browser.execute(() => (document.querySelector('.table-wrap').scrollTop = 0));
	await browser.$(`[data-testid="cell-${id(0)}-dev"]`).click();
	for (let i = 0; i < 60; i++) await browser.keys('ArrowDown');
	const cell = await browser.$(`[data-testid="cell-${id(60)}-dev"]`);
	await cell.waitForDisplayed({ timeout: 5000 });
	await browser.waitUntil(async () => (await cell.getAttribute('class')).includes('active'), { timeout: 5000 });
	assert.match(await textOf(browser, 'workload-detail'), new RegExp(`${id(60)} in dev`));
});
