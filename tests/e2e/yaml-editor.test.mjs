// The YAML editor: anything the forms do not cover is edited as text, checked as it is typed
// (diagnostics inline, saving refused while there are errors), saved with a diff preview, never
// over a file that changed on disk meanwhile. And Helm values as a tree whose leaves fill the form.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { git, openDemo, screenshot, selectCell, textOf } from './app.mjs';

let browser;
let repo;
const FILE = 'overlays/prod/kustomization.yaml';

before(async () => {
	({ repo, browser } = await openDemo());
	await browser.$('[data-testid="nav-environments"]').click();
	await browser.$('[data-testid="matrix"]').waitForDisplayed({ timeout: 15000 });
});
after(async () => {
	await browser?.deleteSession();
});

async function openEditor() {
	await selectCell(browser, 'api', 'prod');
	await browser.$(`[data-testid="edit-file-${FILE}"]`).click();
	await browser.$('[data-testid="yaml-editor"]').waitForDisplayed({ timeout: 10000 });
	await browser.waitUntil(async () => /No problems/.test(await textOf(browser, 'yaml-status')), { timeout: 10000 });
	// The editor lives in a shadow root (see YamlEditor.svelte) and has the focus once open.
	await browser.waitUntil(
		() => browser.execute(() => !!document.querySelector('.cm-host')?.shadowRoot?.activeElement?.classList.contains('cm-content')),
		{ timeout: 5000, timeoutMsg: 'the editor has the keyboard focus once open' }
	);
}

/** Types `text` one key at a time (one action sequence per key: WebKit drops repeated keys otherwise). */
async function type(text) {
	for (const c of text) await browser.keys(c);
}

const status = () => textOf(browser, 'yaml-status');

test('a syntax error is shown inline as it is typed and saving is refused until it is fixed', async () => {
	const original = readFileSync(join(repo, FILE), 'utf8');
	await openEditor();
	await browser.keys(['Control', 'Home']);
	await browser.keys(['Enter', 'ArrowUp']);
	await type('commonAnnotations: {team: shop');
	await browser.waitUntil(async () => /1 error/.test(await status()), { timeout: 10000 });
	const problems = await textOf(browser, 'yaml-problems');
	assert.match(problems, /line \d+/);
	assert.equal(await browser.$('[data-testid="yaml-review"]').isEnabled(), false);
	assert.match(await browser.$('[data-testid="yaml-review"]').getText(), /Fix 1 error to save/);
	assert.ok(await browser.execute(() => !!document.querySelector('.cm-host').shadowRoot.querySelector('.cm-lint-marker-error')), 'an error marker in the gutter');
	await screenshot(browser, 'yaml-editor-error');
	assert.equal(readFileSync(join(repo, FILE), 'utf8'), original, 'nothing written');

	await browser.keys(['}']);
	await browser.waitUntil(async () => /No problems · unsaved/.test(await status()), { timeout: 10000 });
	await browser.keys(['Control', 's']);
	const diff = await browser.$('[data-testid="yaml-diff"]');
	await diff.waitForDisplayed({ timeout: 10000 });
	const changed = (await diff.getProperty('textContent'))
		.split('\n')
		.filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---)/.test(l));
	assert.deepEqual(changed, ['+commonAnnotations: {team: shop}']);
	await screenshot(browser, 'yaml-editor-review');
	await browser.$('[data-testid="yaml-save"]').click();
	await browser.$('[data-testid="yaml-editor"]').waitForDisplayed({ reverse: true, timeout: 10000 });
	assert.equal(readFileSync(join(repo, FILE), 'utf8'), `commonAnnotations: {team: shop}\n${original}`);
	assert.equal(git(repo, 'diff', '--numstat').trim(), `1\t0\t${FILE}`);

	// Undo restores the file byte for byte.
	await browser.$('[data-testid="undo"]').click();
	await browser.waitUntil(() => readFileSync(join(repo, FILE), 'utf8') === original, { timeout: 10000 });
	// Redo writes the saved text again; undo takes it back once more.
	await browser.$('[data-testid="redo"]').waitForDisplayed({ timeout: 10000 });
	await screenshot(browser, 'matrix-redo');
	await browser.$('[data-testid="redo"]').click();
	await browser.waitUntil(() => readFileSync(join(repo, FILE), 'utf8') === `commonAnnotations: {team: shop}\n${original}`, { timeout: 10000 });
	await browser.$('[data-testid="undo"]').click();
	await browser.waitUntil(() => readFileSync(join(repo, FILE), 'utf8') === original, { timeout: 10000 });
});

test('a file changed on disk while it is open is not overwritten', async () => {
	const original = readFileSync(join(repo, FILE), 'utf8');
	await openEditor();
	await browser.keys(['Control', 'Home']);
	await browser.keys(['Enter', 'ArrowUp']);
	await type('# edited in the app');
	await browser.waitUntil(async () => /unsaved/.test(await status()), { timeout: 10000 });
	await browser.keys(['Control', 's']);
	await browser.$('[data-testid="yaml-diff"]').waitForDisplayed({ timeout: 10000 });
	const outside = `# edited outside\n${original}`;
	writeFileSync(join(repo, FILE), outside);
	await browser.$('[data-testid="yaml-save"]').click();
	await browser.waitUntil(async () => /changed on disk/.test(await textOf(browser, 'yaml-error')), { timeout: 10000 });
	assert.equal(readFileSync(join(repo, FILE), 'utf8'), outside);
	await screenshot(browser, 'yaml-editor-conflict');
	// Reload shows what is on disk now; the app's edit is gone and nothing is unsaved.
	await browser.$('[data-testid="yaml-reload"]').click();
	await browser.waitUntil(async () => /^No problems$/.test(await status()), { timeout: 10000 });
	const shown = await browser.execute(() => document.querySelector('.cm-host').shadowRoot.querySelector('.cm-content').textContent);
	assert.match(shown, /^# edited outside/);

	// Closing with unsaved edits asks first; Escape keeps editing, Discard closes.
	await browser.execute(() => document.querySelector('.cm-host').shadowRoot.querySelector('.cm-content').focus());
	await type('x');
	await browser.waitUntil(async () => /unsaved/.test(await status()), { timeout: 10000 });
	await browser.keys(['Escape']);
	await browser.$('[data-testid="yaml-discard"]').waitForDisplayed({ timeout: 5000 });
	await browser.keys(['Escape']);
	await browser.$('[data-testid="yaml-discard"]').waitForDisplayed({ reverse: true, timeout: 5000 });
	assert.ok(await browser.$('[data-testid="yaml-editor"]').isDisplayed());
	await browser.keys(['Escape']);
	await browser.$('[data-testid="yaml-discard"]').click();
	await browser.$('[data-testid="yaml-editor"]').waitForDisplayed({ reverse: true, timeout: 10000 });
	assert.equal(readFileSync(join(repo, FILE), 'utf8'), outside);
	writeFileSync(join(repo, FILE), original);
});

test('Helm values are a tree; a leaf fills the edit form for that key', async () => {
	const detail = await selectCell(browser, 'ledger', 'staging');
	const tree = await browser.$('[data-testid="values-tree"]');
	await tree.waitForDisplayed({ timeout: 10000 });
	assert.match(await tree.getText(), /database/);
	const pool = await browser.$('[data-testid="value-database.pool"]');
	assert.match(await pool.getProperty('textContent'), /10[\s\S]*set in helm\/ledger\/values-staging\.yaml, database\.pool, line 7/);
	await pool.$('button').click();
	const value = await browser.$('[data-testid="edit-value"]');
	assert.equal(await value.getValue(), '10');
	await value.setValue('12');
	await browser.$('[data-testid="edit-preview"]').click();
	const diff = await browser.$('[data-testid="edit-diff"]');
	await diff.waitForDisplayed({ timeout: 10000 });
	const changed = (await diff.getProperty('textContent'))
		.split('\n')
		.filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---)/.test(l));
	assert.deepEqual(changed, ['-  pool: 10', '+  pool: 12']);
	await screenshot(browser, 'values-tree');
	assert.ok(detail);
});
