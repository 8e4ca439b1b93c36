// Repositories are opened by path: with --repo at launch, and through the welcome screen's path
// field; bad paths get a clear message and the app stays usable.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { createDemo, git, kustomizeRepo, launch, scratchDir, screenshot, textOf } from './app.mjs';

let browser;
afterEach(async () => {
	await browser?.deleteSession();
	browser = undefined;
});

async function openByPath(path) {
	const field = await browser.$('[data-testid="repo-path"]');
	await field.waitForDisplayed({ timeout: 15000 });
	await field.setValue(path);
	await browser.$('[data-testid="open-path"]').click();
}

/** Waits for the error notice with `code` (the previous notice may still be on screen). */
async function alertText(code) {
	const alert = await browser.$('[role="alert"]');
	await browser.waitUntil(
		async () => (await alert.isExisting()) && (await alert.getAttribute('data-code')) === code,
		{ timeout: 10000, timeoutMsg: `no error notice with code ${code}` }
	);
	return { code, text: await alert.getText() };
}

test('--repo opens a repository; an incoming commit that touches a local edit waits', async () => {
	const repo = createDemo();
	writeFileSync(join(repo, 'overlays/dev/kustomization.yaml'), '# edited outside\n', { flag: 'a' });
	writeFileSync(join(repo, 'NOTES.md'), 'draft\n');

	browser = await launch(['--repo', repo]);
	assert.equal(await textOf(browser, 'repo-name', 20000), 'acme-gitops');
	assert.equal(await textOf(browser, 'tree-state'), '2 changed');
	const changes = await textOf(browser, 'changes');
	assert.match(changes, /Modified\s*overlays\/dev\/kustomization\.yaml/);
	assert.match(changes, /New\s*NOTES\.md/);

	// The teammate's commit also changes overlays/dev/kustomization.yaml: it is listed, not applied.
	await browser.waitUntil(async () => /↓1 waiting/.test(await textOf(browser, 'header-sync')), {
		timeout: 20000,
		timeoutMsg: 'the blocked update was not shown'
	});
	const incoming = await textOf(browser, 'incoming');
	assert.match(incoming, /search 1\.12\.1 → dev/);
	assert.match(incoming, /overlays\/dev\/kustomization\.yaml, which you edited and have not committed/);
	assert.match(readFileSync(join(repo, 'overlays/dev/kustomization.yaml'), 'utf8'), /# edited outside/);
	await screenshot(browser, 'open-with-repo-argument');
});

test('a file changed while the window is being made is on the overview', async () => {
	// The repository given with --repo is opened while the window is made, and its overview
	// reused by the start-up unless the watcher saw a change since: an edit meanwhile must reach
	// the window, through a fresh read or through the event, whichever comes after it.
	// No upstream: nothing else (a pull) would refresh the overview meanwhile.
	const repo = kustomizeRepo('starting', { workloads: 2, envs: ['dev'] });
	const launching = launch(['--repo', repo]);
	// 600 ms: on these machines the repository is open by then and the page not yet listening.
	await new Promise((r) => setTimeout(r, 600));
	writeFileSync(join(repo, 'NOTES.md'), 'written while the window starts\n');
	browser = await launching;
	assert.equal(await textOf(browser, 'repo-name', 20000), 'starting');
	await browser.waitUntil(async () => (await textOf(browser, 'tree-state')) === '1 changed', {
		timeout: 5000,
		timeoutMsg: 'the file written during start-up is not on the overview'
	});
	assert.match(await textOf(browser, 'changes'), /New\s*NOTES\.md/);
});

test('the path field opens a repository, and refuses what is not one', async () => {
	const scratch = scratchDir('paths');
	const plain = join(scratch, 'plain-folder');
	mkdirSync(plain);
	const empty = join(scratch, 'empty-repo');
	mkdirSync(empty);
	git(empty, 'init', '-q');
	const noCommits = join(scratch, 'no-commits');
	mkdirSync(noCommits);
	git(noCommits, 'init', '-q');
	writeFileSync(join(noCommits, 'app.yaml'), 'kind: Deployment\n');
	const small = join(scratch, 'fleet');
	mkdirSync(small);
	git(small, 'init', '-q', '-b', 'trunk');
	writeFileSync(join(small, 'app.yaml'), 'kind: Deployment\n');
	git(small, 'add', '-A');
	git(small, 'commit', '-q', '-m', 'Add app');
	const bare = join(scratch, 'fleet.git');
	git(scratch, 'clone', '-q', '--bare', small, bare);

	browser = await launch();

	await openByPath(join(scratch, 'does-not-exist'));
	let alert = await alertText('path_not_found');
	assert.match(alert.text, /does-not-exist does not exist/);

	await openByPath(plain);
	alert = await alertText('not_a_repository');
	assert.match(alert.text, /is not a Git repository/);

	await openByPath(empty);
	alert = await alertText('empty_repository');
	await screenshot(browser, 'open-refused');

	await openByPath(noCommits);
	alert = await alertText('no_commits');
	assert.match(alert.text, /has no commits yet/);

	await openByPath(bare);
	alert = await alertText('bare_repository');
	assert.match(alert.text, /Clone it first/);

	await openByPath(small);
	assert.equal(await textOf(browser, 'repo-name'), 'fleet');
	assert.equal(await textOf(browser, 'header-branch'), 'trunk');
	assert.match(await textOf(browser, 'header-sync'), /Local only/);
	assert.match(await textOf(browser, 'commits'), /Add app/);
	await screenshot(browser, 'open-by-path');
});

test('a bad --repo shows the welcome screen with the reason', async () => {
	browser = await launch(['--repo', '/nonexistent/wheelhouse-e2e']);
	const alert = await alertText('path_not_found');
	assert.match(alert.text, /\/nonexistent\/wheelhouse-e2e does not exist/);
	assert.ok(await browser.$('[data-testid="try-demo"]').isDisplayed());
});
