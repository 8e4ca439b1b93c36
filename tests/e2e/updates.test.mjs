// Settings → About and updates (issue 15 §5): without update settings nothing is fetched and the
// screen says how to turn checks on; with a release feed served on loopback and signed by the
// configured minisign key, a newer release is shown; a feed whose signature does not verify is
// refused with the reason.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDemo, screenshot } from './app.mjs';

// A minisign key made for the test (Ed25519; signatures over the BLAKE2b-512 of the file, the
// "ED" form minisign writes by default).
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const keyId = randomBytes(8);
const rawPublic = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
const minisignPublic = Buffer.concat([Buffer.from('Ed'), keyId, rawPublic]).toString('base64');

function minisign(data) {
	const digest = createHash('blake2b512').update(data).digest();
	const signature = sign(null, digest, privateKey);
	const trusted = 'timestamp:1796000000\tfile:latest.json';
	const global = sign(null, Buffer.concat([signature, Buffer.from(trusted)]), privateKey);
	return [
		'untrusted comment: signature from the e2e key',
		Buffer.concat([Buffer.from('ED'), keyId, signature]).toString('base64'),
		`trusted comment: ${trusted}`,
		global.toString('base64'),
		''
	].join('\n');
}

let served = { feed: '', signature: '' };
const server = createServer((req, res) => {
	res.end(req.url.endsWith('.minisig') ? served.signature : served.feed);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const feedUrl = `http://127.0.0.1:${server.address().port}/latest.json`;
after(() => server.close());

const dataDir = () => join(process.env.HOME, '.local/share/dev.wheelhouse.app');

async function about(browser) {
	await browser.$('[data-testid="nav-settings"]').click();
	const heading = await browser.$('#about-heading');
	await heading.waitForDisplayed({ timeout: 10000 });
	await heading.scrollIntoView();
}

test('without update settings nothing is fetched and About says how to turn checks on', async () => {
	const { browser } = await openDemo();
	try {
		await about(browser);
		const off = await browser.$('[data-testid="updates-off"]');
		await off.waitForDisplayed({ timeout: 10000 });
		assert.match(await off.getText(), /Update checks are off/);
		assert.match(await off.getText(), /update\.json/);
		assert.equal(await browser.$('[data-testid="check-updates"]').isExisting(), false);
	} finally {
		await browser.deleteSession();
	}
});

test('a newer release in a feed signed by the configured key is shown; a tampered feed is refused', async () => {
	mkdirSync(dataDir(), { recursive: true });
	writeFileSync(join(dataDir(), 'update.json'), JSON.stringify({ feed: feedUrl, public_key: minisignPublic }));
	const feed = JSON.stringify({
		version: '9.1.0',
		notes: 'Faster matrix on large repositories.',
		pub_date: '2026-12-01T12:00:00Z',
		platforms: { 'linux-x86_64': { url: 'https://releases.example/Wheelhouse_9.1.0_amd64.deb', signature: '' } }
	});
	served = { feed, signature: minisign(Buffer.from(feed)) };
	const { browser } = await openDemo();
	try {
		await about(browser);
		await browser.$('[data-testid="check-updates"]').click();
		const found = await browser.$('[data-testid="update-available"]');
		await found.waitForDisplayed({ timeout: 15000 });
		assert.match(await found.getText(), /Wheelhouse 9\.1\.0 is available/);
		assert.match(await found.getText(), /Wheelhouse_9\.1\.0_amd64\.deb/);
		await screenshot(browser, 'settings-update-available');

		// The same signature over a feed someone changed on the way.
		served = { feed: feed.replace('releases.example', 'evil.example'), signature: served.signature };
		await browser.$('[data-testid="check-updates"]').click();
		const alert = await browser.$('[role="alert"][data-code="bad_signature"]');
		await alert.waitForDisplayed({ timeout: 15000 });
		assert.match(await alert.getText(), /refused/);
		assert.equal(await browser.$('[data-testid="update-available"]').isExisting(), false, 'nothing from the refused feed is shown');
		await screenshot(browser, 'settings-update-refused');
	} finally {
		await browser.deleteSession();
	}
});
