// Shared pieces of the browser tests: a headless Chromium session through chromedriver, a visit
// that records everything a page did (dialogs, requests, resources, CSP violations, scripts), a
// trap HTTP server, and the CLI that builds status page exports. The environment comes from
// scripts/browser-tests.sh (CHROMEDRIVER_PORT, CHROMIUM_BIN).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { remote } from 'webdriverio';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const cli = process.env.WHEELHOUSE_CLI ?? join(root, 'target/debug/wheelhouse');

const env = (name) => {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set: run the tests through scripts/browser-tests.sh`);
	return value;
};

/** A new headless Chromium; CSP is enforced unless `bypassCsp`. */
export async function openChromium({ bypassCsp = false } = {}) {
	const browser = await remote({
		hostname: '127.0.0.1',
		port: Number(env('CHROMEDRIVER_PORT')),
		// Silent: probing for a dialog that is not there is an error the visit expects.
		logLevel: 'silent',
		connectionRetryCount: 0,
		capabilities: {
			browserName: 'chrome',
			'wdio:enforceWebDriverClassic': true,
			// Leave dialogs open: the visit looks for them itself, instead of the next command failing.
			unhandledPromptBehavior: 'ignore',
			'goog:loggingPrefs': { performance: 'ALL' },
			'goog:chromeOptions': {
				binary: env('CHROMIUM_BIN'),
				args: [
					'--headless',
					'--no-sandbox', // CI runs as root
					'--disable-gpu',
					'--disable-dev-shm-usage',
					'--disable-extensions',
					'--disable-background-networking',
					'--disable-component-update',
					'--disable-default-apps',
					'--disable-sync',
					'--no-first-run',
					'--no-pings',
					'--window-size=1280,900'
				],
				perfLoggingPrefs: { enableNetwork: true, enablePage: false }
			}
		}
	});
	try {
		// Before any script of the page: count what the page's CSP had to block. Scripts added this
		// way are not elements and not subject to the page's CSP.
		await browser.sendCommandAndGetResult('Page.enable', {});
		await browser.sendCommandAndGetResult('Page.addScriptToEvaluateOnNewDocument', {
			source: `window.__csp = [];
				document.addEventListener('securitypolicyviolation', (e) =>
					window.__csp.push(e.effectiveDirective + ' ' + (e.blockedURI || 'inline')), true);`
		});
		if (bypassCsp) await browser.sendCommandAndGetResult('Page.setBypassCSP', { enabled: true });
	} catch (e) {
		await browser.deleteSession().catch(() => {});
		throw e;
	}
	return browser;
}

/** Emulates `prefers-color-scheme` (`light` or `dark`) for the pages that follow. */
export async function colorScheme(browser, scheme) {
	await browser.sendCommandAndGetResult('Emulation.setEmulatedMedia', {
		features: [{ name: 'prefers-color-scheme', value: scheme }]
	});
}

/** Accepts every open dialog and returns their texts. */
async function drainDialogs(browser) {
	const texts = [];
	for (let i = 0; i < 20; i++) {
		let text;
		try {
			text = await browser.getAlertText();
		} catch {
			break; // no such alert
		}
		texts.push(text);
		await browser.dismissAlert().catch(() => {});
	}
	return texts;
}

// Runs in the page: waits for late events (timers, animations, refreshes, focus), then reports.
function inspect(expectedCsp, done) {
	const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'poster', 'background', 'ping', 'xlink:href', 'cite'];
	const allowedMeta = (m) =>
		m.hasAttribute('charset') ||
		['viewport', 'color-scheme', 'referrer'].includes(m.getAttribute('name')) ||
		(m.httpEquiv === 'Content-Security-Policy' && m.content === expectedCsp && m.parentNode === document.head);
	const report = () => {
		const dangerous = [];
		for (const el of document.querySelectorAll('*')) {
			const tag = el.localName;
			const what = `<${tag}>`;
			if (
				['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'img', 'image', 'picture',
					'video', 'audio', 'source', 'track', 'form', 'button', 'textarea', 'select', 'base', 'noscript',
					'template', 'foreignobject', 'animate', 'set', 'animatemotion', 'animatetransform', 'use',
					'portal', 'math'].includes(tag.toLowerCase())
			)
				dangerous.push(what);
			if (tag === 'input' && !el.disabled) dangerous.push('<input> that is not disabled');
			if (tag === 'meta' && !allowedMeta(el)) dangerous.push(`<meta> ${el.outerHTML}`);
			if (tag === 'link' && !(el.rel === 'alternate' && /^history\.(atom|rss)$|^\.\.\/history\.(atom|rss)$/.test(el.getAttribute('href'))))
				dangerous.push(`<link> ${el.outerHTML}`);
			if (tag === 'style' && el !== document.head.querySelector('style')) dangerous.push('a second <style>');
			for (const attr of el.attributes) {
				const name = attr.name.toLowerCase();
				if (name.startsWith('on')) dangerous.push(`${what} ${name}=`);
				if (['style', 'srcdoc', 'srcset', 'formaction', 'autofocus', 'http-equiv'].includes(name) && tag !== 'meta')
					dangerous.push(`${what} ${name}=`);
				if (urlAttrs.includes(name)) {
					let url;
					try {
						url = new URL(attr.value, location.href);
					} catch {
						continue;
					}
					if (!['file:', 'http:', 'https:', 'mailto:'].includes(url.protocol)) dangerous.push(`${what} ${name}=${url.protocol}`);
				}
			}
		}
		done({
			// undefined does not survive WebDriver's JSON: null when unset, else the value as text.
			xss: '__xss' in window ? String(window.__xss) : null,
			href: location.href,
			resources: performance.getEntriesByType('resource').map((e) => e.name),
			scripts: document.getElementsByTagName('script').length + document.getElementsByTagNameNS('http://www.w3.org/2000/svg', 'script').length,
			csp: window.__csp ?? ['(the CSP listener did not run)'],
			dangerous: [...new Set(dangerous)],
			header: document.querySelector('header a')?.textContent ?? null,
			h1: document.querySelector('h1')?.textContent ?? null,
			title: document.title
		});
	};
	// Two frames and a pause: enough for onerror, ontoggle, SMIL onbegin, autofocus, a 0 s refresh.
	const timeout = setTimeout(report, 1000);
	requestAnimationFrame(() =>
		requestAnimationFrame(() =>
			setTimeout(() => {
				clearTimeout(timeout);
				report();
			}, 100)
		)
	);
}

/**
 * Opens `url` and reports what happened: `dialogs` (texts of JavaScript dialogs), `requests`
 * (every URL Chromium's network stack saw, the page itself included), and what `inspect` found.
 */
export async function visit(browser, url, { expectedCsp = '' } = {}) {
	await browser.getLogs('performance'); // empties the buffer
	const dialogs = [];
	let navigation = null;
	try {
		await browser.url(url);
	} catch (e) {
		navigation = e.message;
	}
	dialogs.push(...(await drainDialogs(browser)));
	let page = null;
	for (let attempt = 0; attempt < 5 && !page; attempt++) {
		try {
			page = await browser.executeAsync(inspect, expectedCsp);
		} catch (e) {
			const more = await drainDialogs(browser);
			if (!more.length) throw e;
			dialogs.push(...more);
		}
	}
	const requests = (await browser.getLogs('performance'))
		.map((entry) => JSON.parse(entry.message).message)
		.filter((m) => m.method === 'Network.requestWillBeSent' || m.method === 'Network.webSocketCreated')
		.map((m) => m.params.request?.url ?? m.params.url);
	return { url, navigation, dialogs, requests, ...page };
}

/** A server on 127.0.0.1 that records every request it receives. */
export async function trapServer() {
	const hits = [];
	const server = createServer((req, res) => {
		hits.push(`${req.method} ${req.url}`);
		res.writeHead(200, { 'content-type': 'text/html', 'access-control-allow-origin': '*' });
		res.end('<script>window.__xss=1;alert(1)</script>');
	});
	await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
	return { port: server.address().port, hits, close: () => new Promise((ok) => server.close(ok)) };
}

/** Runs git in `cwd` with a fixed identity. */
export function git(cwd, ...args) {
	return execFileSync('git', ['-c', 'user.name=Browser tests', '-c', 'user.email=tests@example.com', ...args], {
		cwd,
		encoding: 'utf8'
	});
}

/** Runs the CLI; its log goes to the error only when it fails. */
export function wheelhouse(...args) {
	try {
		return execFileSync(cli, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	} catch (e) {
		throw new Error(`wheelhouse ${args.join(' ')} failed (${cli}; build it with cargo build -p wheelhouse-cli):\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
	}
}

/** `wheelhouse --repo REPO status build OUT --now NOW`. */
export function buildExport(repo, out, now) {
	return wheelhouse('--repo', repo, 'status', 'build', out, '--now', now);
}

/** Every `.html` file under `dir`, as paths relative to it, sorted. */
export function htmlPages(dir) {
	return readdirSync(dir, { recursive: true })
		.map((p) => String(p).split(sep).join('/'))
		.filter((p) => p.endsWith('.html'))
		.sort();
}

export const fileUrl = (path) => pathToFileURL(path).href;
