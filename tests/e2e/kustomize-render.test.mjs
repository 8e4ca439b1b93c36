// Real-repository layouts: an overlay that pulls in a Kustomize component shows the component's
// values with their provenance, the Rendered tab shows the manifests, and "Check against
// kustomize build" agrees with kubectl; a repository with no recognisable environment offers a
// form that writes .wheelhouse/config.yaml.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, test } from 'node:test';
import { git, launch, scratchDir, screenshot, selectCell, textOf } from './app.mjs';

const corpus = join(dirname(fileURLToPath(import.meta.url)), '../../crates/desired-state/tests/corpus');

let browser;
afterEach(async () => {
	await browser?.deleteSession();
	browser = undefined;
});

function repoFrom(files) {
	const repo = join(scratchDir('layout'), 'repo');
	mkdirSync(repo, { recursive: true });
	files(repo);
	git(repo, 'init', '-q', '-b', 'main');
	git(repo, 'add', '-A');
	git(repo, 'commit', '-q', '-m', 'initial');
	return repo;
}

async function openEnvironments(repo) {
	browser = await launch(['--repo', repo]);
	assert.equal(await textOf(browser, 'repo-name', 20000), 'repo');
	await browser.$('[data-testid="nav-environments"]').click();
}

test('a component sets the cell, its provenance names the component, Rendered shows it', async () => {
	const repo = repoFrom((dir) => cpSync(join(corpus, '02-components/repo'), dir, { recursive: true }));
	await openEnvironments(repo);
	await browser.$('[data-testid="matrix"]').waitForDisplayed({ timeout: 15000 });
	assert.match(await textOf(browser, 'cell-api-prod'), /×3/);
	assert.match(await textOf(browser, 'cell-api-dev'), /×1/);
	const header = await browser.$('[data-testid="env-header-prod"]');
	assert.match(await header.getAttribute('title'), /Kustomize overlay overlays\/prod/);

	const detail = await selectCell(browser, 'api', 'prod');
	const text = await detail.getText();
	assert.match(text, /Replicas\s*3\s*inherited from components\/ha\/replicas\.yaml, spec\.replicas/i);
	assert.match(text, /env HA_MODE\s*on\s*inherited from components\/ha\/replicas\.yaml/i);
	await screenshot(browser, 'component-provenance');

	await browser.$('[data-testid="tab-rendered"]').click();
	const yaml = await browser.$('[data-testid="rendered-yaml"]');
	await browser.waitUntil(async () => /HA_MODE/.test(await yaml.getText()), { timeout: 10000 });
	const rendered = await yaml.getText();
	assert.match(rendered, /replicas: 3/);
	assert.match(rendered, /kind: Service/);
	assert.doesNotMatch(rendered, /name: web/, 'only the workload api is shown');

	await browser.$('[data-testid="render-check"]').click();
	const result = await browser.$('[data-testid="render-check-result"]');
	await result.waitForDisplayed({ timeout: 20000 });
	assert.match(await result.getText(), /kubectl kustomize on overlays\/prod prints the same objects: no disagreement/);
	await screenshot(browser, 'rendered-tab');
});

test("an Argo CD Application's kustomize: settings reach the cell, the Rendered tab and the check", async () => {
	const repo = repoFrom((dir) => cpSync(join(corpus, '59-argo-kustomize-edit/repo'), dir, { recursive: true }));
	await openEnvironments(repo);
	await browser.$('[data-testid="matrix"]').waitForDisplayed({ timeout: 15000 });
	assert.match(await textOf(browser, 'cell-api-prod'), /1\.2/);
	assert.match(await textOf(browser, 'cell-api-prod'), /×3/);
	const detail = await selectCell(browser, 'api', 'prod');
	const text = await detail.getText();
	assert.match(text, /argocd\/prod\.yaml, spec\.source\.kustomize\.images\[0\]/);
	assert.match(text, /argocd\/prod\.yaml, spec\.source\.kustomize\.replicas\[0\]\.count/);

	await browser.$('[data-testid="tab-rendered"]').click();
	const yaml = await browser.$('[data-testid="rendered-yaml"]');
	await browser.waitUntil(async () => /name: prod-api/.test(await yaml.getText()), { timeout: 10000 });
	const rendered = await yaml.getText();
	assert.match(rendered, /image: registry\.example\/api-prod:1\.2/);
	assert.match(rendered, /namespace: shop-prod/);
	assert.doesNotMatch(rendered, /old-api/, "the Application's namePrefix replaces the folder's");
	assert.match(await textOf(browser, 'rendered-edited'), /overlays\/prod\/kustomization\.yaml with the Application's kustomize: settings applied/);

	await browser.$('[data-testid="render-check"]').click();
	const result = await browser.$('[data-testid="render-check-result"]');
	await result.waitForDisplayed({ timeout: 20000 });
	assert.match(
		await result.getText(),
		/kubectl kustomize on overlays\/prod \(overlays\/prod\/kustomization\.yaml as the Argo CD Application's kustomize: edits it, built in a copy\) prints the same objects: no disagreement/
	);
	assert.doesNotMatch(readFileSync(join(repo, 'overlays/prod/kustomization.yaml'), 'utf8'), /prod-/, 'the repository is not written');
	await screenshot(browser, 'argo-kustomize-edit');
});

test('a check that hangs on a remote base can be cancelled, and the app answers meanwhile', async () => {
	// A remote base on a loopback server that accepts connections and never answers.
	const sockets = [];
	let closed = 0;
	const server = createServer((socket) => {
		sockets.push(socket);
		// Read (and drop) the request, so the client's end of the connection is seen.
		socket.resume();
		socket.on('close', () => (closed += 1));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	try {
		const repo = repoFrom((dir) => {
			cpSync(join(corpus, '02-components/repo'), dir, { recursive: true });
			writeFileSync(
				join(dir, 'overlays/prod/kustomization.yaml'),
				`resources:\n  - ../../base\n  - http://127.0.0.1:${port}/shop.git//base?ref=main\ncomponents:\n  - ../../components/ha\n`
			);
		});
		await openEnvironments(repo);
		await browser.$('[data-testid="matrix"]').waitForDisplayed({ timeout: 15000 });
		await selectCell(browser, 'api', 'prod');
		await browser.$('[data-testid="tab-rendered"]').click();
		await browser.$('[data-testid="render-check"]').click();
		const cancel = await browser.$('[data-testid="render-check-cancel"]');
		await cancel.waitForDisplayed({ timeout: 10000 });
		await browser.waitUntil(async () => sockets.length > 0, { timeout: 20000, timeoutMsg: 'kubectl never reached the remote base' });
		await screenshot(browser, 'render-check-running');

		// While kubectl hangs, other commands are served: another cell's detail and its render.
		await selectCell(browser, 'api', 'dev');
		const view = await browser.$('[data-testid="rendered-view"]');
		await browser.waitUntil(async () => /built from overlays\/dev\)/.test(await view.getText()), { timeout: 10000 });
		assert.match(await browser.$('[data-testid="rendered-yaml"]').getText(), /name: api/);
		assert.ok(await cancel.isDisplayed(), 'the check is still running');

		await cancel.click();
		assert.match(await textOf(browser, 'render-check-note', 10000), /Check of prod cancelled: kustomize build was stopped/);
		assert.equal(await browser.$('[data-testid="render-check"]').getText(), 'Check against kustomize build');
		await browser.waitUntil(async () => closed === sockets.length, { timeout: 10000, timeoutMsg: `kubectl was left running: ${closed} of ${sockets.length} connections closed` });
		await screenshot(browser, 'render-check-cancelled');
	} finally {
		sockets.forEach((s) => s.destroy());
		server.close();
	}
});

test('with no environment found, the empty state says what was looked for and writes the config', async () => {
	const repo = repoFrom((dir) => {
		mkdirSync(join(dir, 'deploy'));
		writeFileSync(
			join(dir, 'deploy/api.yaml'),
			'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: api\n          image: registry.example/api:4.2.0\n'
		);
	});
	await openEnvironments(repo);
	const empty = await textOf(browser, 'no-environments', 15000);
	assert.match(empty, /Flux Kustomizations?, Argo CD Applications? and Kargo Stages?/);
	await screenshot(browser, 'no-environments');

	// A path outside the repository is refused in the form, nothing written.
	await browser.$('[data-testid="config-name-0"]').setValue('live');
	await browser.$('[data-testid="config-paths-0"]').setValue('../elsewhere');
	await browser.$('[data-testid="config-write"]').click();
	assert.match(await textOf(browser, 'config-error'), /not inside the repository/);

	await browser.$('[data-testid="config-paths-0"]').setValue('deploy');
	await browser.$('[data-testid="config-write"]').click();
	const cell = await browser.$('[data-testid="cell-api-live"]');
	await cell.waitForDisplayed({ timeout: 15000 });
	assert.match(await cell.getText(), /4\.2\.0/);
	assert.equal(
		readFileSync(join(repo, '.wheelhouse/config.yaml'), 'utf8'),
		'# Environments in promotion order, written by Wheelhouse.\nenvironments:\n  - name: live\n    paths: [deploy]\n'
	);
	await screenshot(browser, 'config-written');
});
