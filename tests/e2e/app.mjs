// Shared pieces of the end-to-end specs: start the real app through tauri-driver, find things,
// save screenshots. The environment comes from scripts/e2e.sh.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { remote } from 'webdriverio';

const env = (name) => {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set: run the specs through scripts/e2e.sh (make e2e)`);
	return value;
};

/** Starts the app with `args` and returns a WebdriverIO browser for its window. */
export async function launch(args = []) {
	return remote({
		hostname: '127.0.0.1',
		port: Number(process.env.TAURI_DRIVER_PORT ?? 4444),
		logLevel: 'warn',
		capabilities: {
			browserName: 'wry',
			'wdio:enforceWebDriverClassic': true,
			'tauri:options': { application: env('WHEELHOUSE_APP'), args }
		}
	});
}

/** A new scratch folder for one spec. */
export function scratchDir(prefix) {
	return mkdtempSync(join(env('E2E_SCRATCH'), `${prefix}-`));
}

/** Creates the demo workspace with the CLI and returns its repository path. */
export function createDemo() {
	const dir = join(scratchDir('demo'), 'workspace');
	const out = execFileSync(env('WHEELHOUSE_CLI'), ['--json', 'demo', dir], { encoding: 'utf8' });
	return JSON.parse(out).repo;
}

/**
 * A Kustomize repository named `name` (committed): `workloads` Deployments `svc-000`… with image
 * `registry.example/<id>:<tag(i)>` in `base/`, and an overlay `overlays/<env>` for each of
 * `envs`, whose kustomization adds `overlay(env, index)`. Returns its path.
 */
export function kustomizeRepo(name, { workloads, envs, tag = (i) => '1.0.0', overlay = () => '' }) {
	const id = (i) => `svc-${String(i).padStart(3, '0')}`;
	const repo = join(scratchDir(name), name);
	mkdirSync(join(repo, 'base'), { recursive: true });
	let all = '';
	for (let i = 0; i < workloads; i++) {
		all += `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${id(i)}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example/${id(i)}:${tag(i)}\n`;
	}
	writeFileSync(join(repo, 'base/all.yaml'), all);
	writeFileSync(join(repo, 'base/kustomization.yaml'), 'resources:\n  - all.yaml\n');
	envs.forEach((env, e) => {
		mkdirSync(join(repo, 'overlays', env), { recursive: true });
		writeFileSync(join(repo, 'overlays', env, 'kustomization.yaml'), `resources:\n  - ../../base\n${overlay(env, e)}`);
	});
	git(repo, 'init', '-q', '-b', 'main');
	git(repo, 'add', '-A');
	git(repo, 'commit', '-q', '-m', 'initial');
	return repo;
}

/** Runs git in `cwd` with a fixed identity. */
export function git(cwd, ...args) {
	return execFileSync('git', ['-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', ...args], {
		cwd,
		encoding: 'utf8'
	});
}

/** Commits an incident on the demo's invoicing component ("Invoices are late") on the branch checked out in `repo`. */
export function commitInvoicesLate(repo) {
	const incident = 'status/incidents/2026-11-26-invoices-late.md';
	writeFileSync(
		join(repo, incident),
		'---\ntitle: Invoices are late\nstatus: investigating\nimpact: minor\nstarted_at: 2026-11-26T11:00:00Z\ncomponents:\n  invoicing: degraded_performance\nupdates:\n  - at: 2026-11-26T11:05:00Z\n    status: investigating\n    body: Invoice e-mails are running late.\n---\n'
	);
	git(repo, 'add', incident);
	git(repo, 'commit', '-qm', 'Incident: invoices are late');
	return incident;
}

/**
 * Creates the demo workspace (committing as "E2E Person"), starts the app on it and waits until
 * it shows the repository. Returns `{ repo, browser }`; the session is closed if that fails.
 */
export async function openDemo() {
	const repo = createDemo();
	git(repo, 'config', 'user.name', 'E2E Person');
	git(repo, 'config', 'user.email', 'e2e@example.com');
	const browser = await launch(['--repo', repo]);
	try {
		assert.equal(await textOf(browser, 'repo-name', 20000), 'acme-gitops');
	} catch (e) {
		await browser.deleteSession();
		throw e;
	}
	return { repo, browser };
}

/** Clicks the matrix cell of `workload` in `env` and returns the workload detail once it shows it. */
export async function selectCell(browser, workload, env) {
	const cell = await browser.$(`[data-testid="cell-${workload}-${env}"]`);
	await cell.waitForDisplayed({ timeout: 10000 });
	const detail = await browser.$('[data-testid="workload-detail"]');
	// The panel's heading names the cell once its values are in (while they load it says so).
	const heading = await detail.$('h2');
	const shown = async () => (await heading.isExisting()) && (await heading.getText()).includes(`${workload} in ${env}`);
	// The columns may still be widening when the view has just opened (the status page's labels
	// arrive after the matrix), and a click then lands beside the cell: click again until it shows.
	await browser.waitUntil(
		async () => {
			await cell.click();
			return browser.waitUntil(shown, { timeout: 2000 }).catch(() => false);
		},
		{ timeout: 12000, timeoutMsg: `the details never showed ${workload} in ${env}` }
	);
	return detail;
}

export async function screenshot(browser, name) {
	await browser.saveScreenshot(join(env('E2E_ARTIFACTS'), `${name}.png`));
}

/** Waits for the element with `data-testid` and returns its text. */
export async function textOf(browser, testid, timeout = 10000) {
	const el = await browser.$(`[data-testid="${testid}"]`);
	await el.waitForDisplayed({ timeout });
	return el.getText();
}

/** A loopback endpoint that records each JSON POST ({ path, body }) and answers 204: where a
 *  status page channel's webhook points in a test. `url` is its address with `path`. */
export async function webhookReceiver(path) {
	const { createServer } = await import('node:http');
	const received = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			received.push({ path: req.url, body: JSON.parse(body) });
			res.writeHead(204).end();
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { received, server, url: `http://127.0.0.1:${server.address().port}${path}` };
}
