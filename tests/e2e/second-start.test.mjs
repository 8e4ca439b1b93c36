// Starting the app again while it runs (issue 15, bad input): the second start hands its
// arguments to the first and exits, so no duplicate window opens; naming the repository that is
// open changes nothing, naming another opens it in the first window, naming a folder that is not
// a repository says why there and keeps what the window shows.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createDemo, git, launch, scratchDir, screenshot, textOf } from './app.mjs';

/** Starts the app binary again, as the desktop entry would, and returns its exit code. */
function startAgain(...args) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.env.WHEELHOUSE_APP, args, { stdio: 'ignore' });
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`the second start with ${args.join(' ')} was still running after 20 s: it opened a window of its own`));
		}, 20000);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve(code);
		});
	});
}

let browser;
let demo;
before(async () => {
	demo = createDemo();
	browser = await launch(['--repo', demo]);
	assert.equal(await textOf(browser, 'repo-name', 20000), 'acme-gitops');
});
after(async () => {
	await browser?.deleteSession();
});

test('a second start on the same repository exits and leaves the first window as it is', async () => {
	await browser.$('[data-testid="nav-history"]').click();
	assert.equal(await startAgain('--repo', demo), 0);
	assert.equal(await startAgain(), 0);
	assert.equal(await textOf(browser, 'repo-name'), 'acme-gitops');
	// Still where the person was: nothing was reopened.
	assert.ok(await browser.$('[data-testid="nav-history"][aria-current="page"]').isExisting());
});

test('a second start naming another repository opens it in the first window', async () => {
	const other = join(scratchDir('second-start'), 'platform-config');
	mkdirSync(other, { recursive: true });
	writeFileSync(join(other, 'README.md'), 'platform\n');
	git(other, 'init', '-q', '-b', 'main');
	git(other, 'add', '-A');
	git(other, 'commit', '-q', '-m', 'initial');
	assert.equal(await startAgain(`--repo=${other}`), 0);
	await browser.waitUntil(async () => (await textOf(browser, 'repo-name')) === 'platform-config', {
		timeout: 10000,
		timeoutMsg: 'the first window did not open the repository the second start named'
	});
	await screenshot(browser, 'second-start-opened');
});

test('a second start naming a folder that is not a repository says so in the first window', async () => {
	const plain = scratchDir('not-a-repo');
	assert.equal(await startAgain('--repo', plain), 0);
	const alert = await browser.$('[role="alert"]');
	await alert.waitForDisplayed({ timeout: 10000 });
	assert.equal(await alert.getAttribute('data-code'), 'not_a_repository');
	assert.match(await alert.getText(), /Not a Git repository/);
	assert.equal(await textOf(browser, 'repo-name'), 'platform-config');
	await screenshot(browser, 'second-start-refused');
});
