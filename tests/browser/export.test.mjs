// The status page export in headless Chromium.
//
// Safety: every payload of xss-corpus.json goes into every text a page author controls (page
// name and description, group and component names and descriptions, incident and maintenance
// titles, update bodies, postmortems, maintenance descriptions). Each page of the export is then
// opened from file:// twice, once as shipped and once with its Content-Security-Policy bypassed
// (so escaping and sanitising are tested alone, not hidden behind the CSP), and must show no
// dialog, set no window.__xss, load no resource, send no request (Chromium's network log and a
// trap server on 127.0.0.1 both say so), hold no <script> or other active element, trip no CSP
// rule, stay on its own URL, and show the plain-text fields as the very text that was written.
//
// Accessibility: axe-core (WCAG 2.0 A/AA, 2.1 AA, best practices) on every page of the demo's
// export, and on its index in each state (partial and major outage, maintenance), in light and
// in dark mode: zero violations.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildExport, colorScheme, fileUrl, git, htmlPages, openChromium, root, trapServer, visit, wheelhouse } from './chromium.mjs';

const NOW = '2026-11-26T12:00:00Z';
// The export's CSP, exactly (docs/status-page.md): any other <meta http-equiv> counts as injected.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";
const corpus = JSON.parse(readFileSync(new URL('./xss-corpus.json', import.meta.url), 'utf8')).payloads;

const scratch = mkdtempSync(join(tmpdir(), 'wheelhouse-browser-'));
let trap;
after(async () => {
	await trap?.close();
	if (!process.env.KEEP_BROWSER_SCRATCH) rmSync(scratch, { recursive: true, force: true });
});

/** A payload with its placeholders filled in (see xss-corpus.json). */
function expand(text, port) {
	const js = `window.__xss=1;fetch('http://127.0.0.1:9/leak');fetch('http://127.0.0.1:${port}/leak');alert(1)`;
	const html = Buffer.from(`<script>${js}</script>`).toString('base64');
	return text
		.replaceAll('%JS_DQ%', js.replaceAll("'", '"'))
		.replaceAll('%JS%', js)
		.replaceAll('%B64HTML%', html)
		.replaceAll('%PORT%', String(port));
}

/** A YAML double-quoted scalar (JSON strings are YAML). */
const q = (text) => JSON.stringify(text);
const pad = (n) => String(n).padStart(2, '0');
const normal = (text) => text.replace(/\s+/g, ' ').trim();

/**
 * A git repository whose status page carries every payload everywhere: one group, component,
 * incident and maintenance per payload, and all of them in the page's name and description.
 * Returns the repository and what the plain-text fields must show.
 */
function corpusRepository(payloads) {
	const repo = join(scratch, 'corpus');
	const status = join(repo, 'status');
	mkdirSync(join(status, 'incidents'), { recursive: true });
	mkdirSync(join(status, 'maintenances'), { recursive: true });
	const name = `Acme ${payloads.join(' ')}`;
	writeFileSync(
		join(status, 'page.yaml'),
		`name: ${q(name)}\ndescription: ${q(payloads.join(' '))}\ntime_zone: UTC\nlocale: en\n`
	);
	const groups = payloads.map(
		(p, i) =>
			`  - name: ${q(p)}\n    description: ${q(p)}\n    components:\n` +
			`      - id: c${pad(i)}\n        name: ${q(p)}\n        description: ${q(p)}\n`
	);
	writeFileSync(join(status, 'components.yaml'), `groups:\n${groups.join('')}`);
	const titles = {};
	payloads.forEach((p, i) => {
		// Even ones are still open (shown on the index with their latest update), odd ones resolved.
		const open = i % 2 === 0;
		const start = `2026-11-2${i % 5}T${pad(8 + (i % 10))}:${pad(i)}:00Z`;
		const later = `2026-11-2${i % 5}T${pad(9 + (i % 10))}:${pad(i)}:00Z`;
		const slug = `2026-11-2${i % 5}-xss-${pad(i)}`;
		titles[`incidents/${slug}.html`] = p;
		writeFileSync(
			join(status, 'incidents', `${slug}.md`),
			`---\ntitle: ${q(p)}\nstatus: ${open ? 'monitoring' : 'postmortem'}\nimpact: major\nstarted_at: ${start}\n` +
				(open ? '' : `resolved_at: ${later}\n`) +
				`components: {c${pad(i)}: partial_outage}\nupdates:\n` +
				`  - at: ${start}\n    status: investigating\n    body: ${q(p)}\n` +
				`  - at: ${later}\n    status: ${open ? 'monitoring' : 'resolved'}\n    body: ${q(`**Update:** ${p}`)}\n` +
				`    components: {c${pad(i)}: ${open ? 'degraded_performance' : 'operational'}}\n` +
				`---\n## Postmortem\n\n${p}\n\n- [x] ${p}\n`
		);
		// In progress, upcoming or completed: every maintenance section of the index is filled.
		const [from, until] = [
			['2026-11-26T11:00:00Z', '2026-11-26T13:00:00Z'],
			[`2026-12-${pad(1 + (i % 20))}T02:00:00Z`, `2026-12-${pad(1 + (i % 20))}T03:00:00Z`],
			[`2026-11-${pad(1 + (i % 20))}T02:00:00Z`, `2026-11-${pad(1 + (i % 20))}T03:00:00Z`]
		][i % 3];
		const mslug = `${from.slice(0, 10)}-xss-${pad(i)}`;
		titles[`maintenances/${mslug}.html`] = p;
		writeFileSync(
			join(status, 'maintenances', `${mslug}.md`),
			`---\ntitle: ${q(p)}\nstatus: scheduled\nimpact: minor\nscheduled_for: ${from}\nscheduled_until: ${until}\n` +
				`components: {c${pad(i)}: under_maintenance}\nupdates:\n` +
				`  - at: 2026-10-01T10:00:00Z\n    status: scheduled\n    body: ${q(p)}\n---\n${p}\n`
		);
	});
	git(repo, 'init', '-q', '-b', 'main');
	git(repo, 'add', '-A');
	git(repo, 'commit', '-q', '-m', 'A status page full of XSS payloads');
	return { repo, name, titles };
}

describe('the export keeps the XSS corpus inert', () => {
	let out;
	let pages;
	let expected;
	let payloads;

	before(async () => {
		trap = await trapServer();
		payloads = corpus.map((p) => expand(p.text, trap.port));
		const made = corpusRepository(payloads);
		out = join(scratch, 'corpus-export');
		buildExport(made.repo, out, NOW);
		pages = htmlPages(out);
		expected = made;
	});

	test('the corpus reaches every kind of page', () => {
		assert.ok(corpus.length >= 30, `${corpus.length} payloads`);
		assert.ok(pages.includes('index.html'));
		assert.ok(pages.includes('history/index.html'));
		assert.equal(pages.filter((p) => p.startsWith('incidents/')).length, corpus.length);
		assert.equal(pages.filter((p) => p.startsWith('maintenances/')).length, corpus.length);
		assert.ok(pages.filter((p) => /^history\/\d{4}-\d\d\.html$/.test(p)).length >= 2);
	});

	test('the checks catch a payload that does run', async () => {
		// A control page without the export's safeguards: if these checks saw nothing here, they
		// would prove nothing about the export.
		const control = join(scratch, 'control.html');
		writeFileSync(control, `<!DOCTYPE html><title>control</title>${payloads[0]}<img src="http://127.0.0.1:${trap.port}/control">`);
		const browser = await openChromium();
		try {
			const seen = await visit(browser, fileUrl(control));
			assert.deepEqual(seen.dialogs, ['1']);
			assert.equal(seen.xss, '1');
			assert.equal(seen.scripts, 1);
			assert.ok(seen.dangerous.includes('<script>') && seen.dangerous.includes('<img>'), seen.dangerous.join());
			assert.ok(seen.resources.some((r) => r.endsWith('/control')), seen.resources.join());
			assert.ok(seen.requests.includes('http://127.0.0.1:9/leak'), seen.requests.join());
			await waitFor(() => trap.hits.includes('GET /control') && trap.hits.includes('GET /leak'), 'the trap server saw the control page');

			// The same payload behind the export's CSP: blocked, and the CSP listener says so.
			writeFileSync(control, `<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="${CSP}"><title>control</title>${payloads[0]}`);
			const blocked = await visit(browser, fileUrl(control), { expectedCsp: CSP });
			assert.deepEqual(blocked.dialogs, []);
			assert.equal(blocked.xss, null);
			assert.ok(blocked.csp.length > 0, 'the CSP listener saw the blocked script');
		} finally {
			await browser.deleteSession();
		}
		// ... and the bypass really bypasses it.
		const bypass = await openChromium({ bypassCsp: true });
		try {
			const ran = await visit(bypass, fileUrl(control), { expectedCsp: CSP });
			assert.deepEqual(ran.dialogs, ['1']);
			assert.equal(ran.xss, '1');
		} finally {
			await bypass.deleteSession();
		}
		trap.hits.length = 0;
	});

	// The two passes run side by side, each in its own Chromium. A trap server hit fails both
	// equally; its page may be either pass's.
	describe('every page', { concurrency: true }, () => {
		for (const bypassCsp of [false, true]) {
			test(`${bypassCsp ? 'with the CSP bypassed' : 'as shipped'}: no dialog, no script, no request, text as written`, async (t) => {
				const browser = await openChromium({ bypassCsp });
				const problems = [];
				try {
					for (const page of pages) {
						const url = fileUrl(join(out, page));
						const seen = await visit(browser, url, { expectedCsp: CSP });
						const found = [];
						if (seen.navigation) found.push(`navigation failed: ${seen.navigation}`);
						if (seen.dialogs.length) found.push(`dialogs: ${JSON.stringify(seen.dialogs)}`);
						if (seen.xss !== null) found.push(`window.__xss = ${seen.xss}`);
						if (seen.href !== url) found.push(`navigated away to ${seen.href}`);
						if (seen.resources.length) found.push(`resources: ${seen.resources.join(' ')}`);
						const requests = seen.requests.filter((r) => r !== url);
						if (requests.length) found.push(`requests: ${requests.join(' ')}`);
						if (seen.scripts) found.push(`${seen.scripts} <script> elements`);
						if (seen.csp.length) found.push(`CSP violations: ${seen.csp.join(', ')}`);
						if (seen.dangerous.length) found.push(`active content: ${seen.dangerous.join(', ')}`);
						if (trap.hits.length) found.push(`trap server hit: ${trap.hits.splice(0).join(', ')}`);
						// Plain-text fields show exactly what was written.
						if (normal(seen.header ?? '') !== normal(expected.name)) found.push('the header does not show the page name as written');
						if (!normal(seen.title).includes(normal(expected.name))) found.push('the <title> does not show the page name as written');
						if (expected.titles[page] !== undefined && normal(seen.h1 ?? '') !== normal(expected.titles[page]))
							found.push('the <h1> does not show the title as written');
						if (found.length) problems.push(`${page}:\n    ${found.join('\n    ')}`);
					}
				} finally {
					await browser.deleteSession();
				}
				// Late requests (a slow image, a refresh) still count.
				await new Promise((ok) => setTimeout(ok, 300));
				if (trap.hits.length) problems.push(`trap server hit after the visits: ${trap.hits.join(', ')}`);
				t.diagnostic(`${pages.length} pages, ${corpus.length} payloads`);
				if (problems.length) assert.fail(`${problems.length} of ${pages.length} pages:\n${problems.join('\n')}`);
			});
		}
	});
});

describe('the demo export has no accessibility violations', { concurrency: true }, () => {
	// Every page as of NOW, and the index with the page in each state that colours it: a partial
	// outage, a major outage, maintenance in progress (each status is shown in its own colour).
	const moments = [
		{ now: NOW, pages: null },
		{ now: '2026-10-16T07:30:00Z', pages: ['index.html', 'incidents/2026-10-16-api-errors.html'] },
		{ now: '2026-10-27T17:30:00Z', pages: ['index.html', 'incidents/2026-10-27-card-payments.html'] },
		{ now: '2026-12-03T01:30:00Z', pages: ['index.html', 'maintenances/2026-12-03-database-upgrade.html'] }
	];
	let visits;
	let axeSource;

	before(() => {
		const { repo } = JSON.parse(wheelhouse('--json', 'demo', join(scratch, 'demo')));
		visits = moments.flatMap(({ now, pages }, n) => {
			const out = join(scratch, `demo-export-${n}`);
			buildExport(repo, out, now);
			return (pages ?? htmlPages(out)).map((page) => ({ now, page, path: join(out, page) }));
		});
		axeSource = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
	});

	for (const scheme of ['light', 'dark']) {
		test(`axe-core, ${scheme} mode`, async (t) => {
			assert.ok(visits.some((v) => v.now === NOW && v.page === 'index.html'));
			assert.ok(visits.some((v) => v.now === NOW && v.page.startsWith('incidents/')));
			const browser = await openChromium();
			const report = [];
			try {
				await colorScheme(browser, scheme);
				for (const { now, page, path } of visits) {
					const where = `${page} as of ${now}`;
					await browser.url(fileUrl(path));
					assert.equal(await browser.execute(() => document.title.length > 0), true, `${where} opened`);
					assert.equal(
						await browser.execute(() => matchMedia('(prefers-color-scheme: dark)').matches),
						scheme === 'dark',
						'the colour scheme is emulated'
					);
					await browser.execute(axeSource);
					const result = await browser.executeAsync((done) => {
						window.axe
							.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] } })
							.then((r) =>
								done({
									passes: r.passes.length,
									incomplete: r.incomplete.map((v) => v.id),
									violations: r.violations.map((v) => ({
										id: v.id,
										impact: v.impact,
										help: v.help,
										targets: v.nodes.map((n) => n.target.join(' '))
									}))
								})
							)
							.catch((e) => done({ error: String(e) }));
					});
					assert.equal(result.error, undefined, `axe failed on ${where}: ${result.error}`);
					t.diagnostic(
						`${where}: ${result.passes} rules pass, ${result.violations.length} violated` +
							(result.incomplete.length ? `, to review by hand: ${result.incomplete.join(', ')}` : '')
					);
					for (const v of result.violations)
						report.push(`${where}: ${v.id} (${v.impact}): ${v.help}\n    ${v.targets.join('\n    ')}`);
				}
			} finally {
				await browser.deleteSession();
			}
			if (report.length) assert.fail(`axe-core violations (${scheme} mode):\n${report.join('\n')}`);
		});
	}
});

async function waitFor(check, what, timeout = 3000) {
	const end = Date.now() + timeout;
	while (!check()) {
		if (Date.now() > end) assert.fail(`timed out: ${what}`);
		await new Promise((ok) => setTimeout(ok, 25));
	}
}
