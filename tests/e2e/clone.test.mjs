// Cloning from a loopback Git server that wants Basic auth: the app asks once, stores the token in
// the OS keyring (GNOME Keyring in this session), uses it again without asking, refuses a wrong
// password without storing it, and never writes the secret anywhere else.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { createDemo, launch, scratchDir, screenshot, textOf } from './app.mjs';

const USER = 'maya';
const SECRET = 'e2e-S3cret-token-4242';
const dataDir = join(homedir(), '.local/share/dev.wheelhouse.app');
let server;
let url;
let browser;
let scratch;

before(async () => {
	const demoRepo = createDemo();
	server = spawn(process.env.WHEELHOUSE_GIT_SERVER, [dirname(demoRepo), USER, SECRET], {
		stdio: ['pipe', 'pipe', 'inherit']
	});
	const lines = createInterface({ input: server.stdout });
	const base = await new Promise((resolve, reject) => {
		lines.once('line', (line) => (line.startsWith('READY ') ? resolve(line.slice(6)) : reject(new Error(line))));
		server.once('exit', (code) => reject(new Error(`test server exited with ${code}`)));
	});
	url = `${base}origin.git`;
	scratch = scratchDir('clones');
	browser = await launch();
});

after(async () => {
	await browser?.deleteSession();
	server?.stdin.end();
});

async function startClone(dest) {
	const field = await browser.$('[data-testid="clone-url"]');
	await field.waitForDisplayed({ timeout: 15000 });
	await field.setValue(url);
	await browser.$('[aria-label="Destination folder"]').setValue(join(scratch, dest));
	await browser.$('[data-testid="clone"]').click();
}

async function backToWelcome() {
	await browser.$('[data-testid="switch-repo"]').click();
	await browser.$('[data-testid="clone-url"]').waitForDisplayed({ timeout: 10000 });
}

test('the first clone asks for credentials once and stores them in the keyring', async () => {
	await startClone('first');
	const dialog = await browser.$('[data-testid="credential-dialog"]');
	await dialog.waitForDisplayed({ timeout: 20000 });
	assert.match(await dialog.getText(), /Sign in to 127\.0\.0\.1:\d+/);
	await screenshot(browser, 'clone-credentials');
	await browser.$('[data-testid="cred-user"]').setValue(USER);
	await browser.$('[data-testid="cred-pass"]').setValue(SECRET);
	await browser.$('[data-testid="cred-submit"]').click();
	assert.equal(await textOf(browser, 'repo-name', 30000), 'first');

	await browser.$('[data-testid="nav-settings"]').click();
	const table = await textOf(browser, 'credentials');
	assert.match(table, /127\.0\.0\.1:\d+/);
	assert.match(table, new RegExp(USER));
	assert.doesNotMatch(table, new RegExp(SECRET));
	// About names the version and the commit the app was built from, as the CLI does.
	const version = await textOf(browser, 'about-version');
	assert.match(version, /^\d+\.\d+\.\d+ \([0-9a-f]{12} \d{4}-\d{2}-\d{2}\)$/);
	const cli = execFileSync(process.env.WHEELHOUSE_CLI, ['--version'], { encoding: 'utf8' }).trim();
	assert.equal(cli, `wheelhouse ${version}`);
	await screenshot(browser, 'settings-credentials');
});

test('the second clone uses the stored credential without asking', async () => {
	await backToWelcome();
	await startClone('second');
	assert.equal(await textOf(browser, 'repo-name', 30000), 'second');
	assert.equal(await browser.$('[data-testid="credential-dialog"]').isExisting(), false);
});

test('a wrong password is refused, asked again, and not stored', async () => {
	execFileSync(process.env.WHEELHOUSE_CLI, ['logout', url.split('/')[2], '--user', USER], {
		env: { ...process.env, WHEELHOUSE_DATA_DIR: dataDir }
	});
	await backToWelcome();
	await startClone('third');
	const dialog = await browser.$('[data-testid="credential-dialog"]');
	await dialog.waitForDisplayed({ timeout: 20000 });
	await browser.$('[data-testid="cred-user"]').setValue(USER);
	await browser.$('[data-testid="cred-pass"]').setValue('wrong-password');
	await browser.$('[data-testid="cred-submit"]').click();
	await browser.waitUntil(async () => /rejected those credentials/.test(await dialog.getText()), {
		timeout: 20000,
		timeoutMsg: 'the dialog did not say the password was rejected'
	});
	await browser.$('//div[@data-testid="credential-dialog"]//button[.="Cancel"]').click();
	const alert = await browser.$('[role="alert"]');
	await browser.waitUntil(async () => (await alert.getAttribute('data-code')) === 'auth_failed', {
		timeout: 20000,
		timeoutMsg: 'no auth_failed notice'
	});
	assert.equal(existsSync(join(scratch, 'third')), false, 'a failed clone left a folder behind');
	const stored = JSON.parse(
		execFileSync(process.env.WHEELHOUSE_CLI, ['--json', 'credentials'], {
			env: { ...process.env, WHEELHOUSE_DATA_DIR: dataDir },
			encoding: 'utf8'
		})
	);
	assert.deepEqual(stored, []);
	await screenshot(browser, 'clone-wrong-password');
});

test('a server that is down gets a clear message', async () => {
	const field = await browser.$('[data-testid="clone-url"]');
	await field.setValue('http://127.0.0.1:9/acme.git');
	await browser.$('[aria-label="Destination folder"]').setValue(join(scratch, 'down'));
	await browser.$('[data-testid="clone"]').click();
	const alert = await browser.$('[role="alert"]');
	await browser.waitUntil(async () => (await alert.getAttribute('data-code')) === 'remote_unreachable', {
		timeout: 20000,
		timeoutMsg: 'no remote_unreachable notice'
	});
	assert.match(await alert.getText(), /cannot be reached/);
});

test('the secret appears in no log, no file of the app and no page the app rendered', async () => {
	const files = [];
	const walk = (dir) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else files.push(path);
		}
	};
	walk(dataDir);
	assert.ok(files.some((f) => f.endsWith('wheelhouse.log')), 'the log file was not found');
	for (const file of files) {
		assert.equal(readFileSync(file).includes(SECRET), false, `${file} contains the secret`);
	}
	for (const dest of ['first', 'second']) {
		const config = readFileSync(join(scratch, dest, '.git/config'), 'utf8');
		assert.equal(config.includes(SECRET), false, `${dest}/.git/config contains the secret`);
	}
	assert.equal((await browser.getPageSource()).includes(SECRET), false);
});
