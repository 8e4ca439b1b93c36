// The status page as code: open an incident, post an update, see both in the preview (served by
// the export's own renderer, no script, no network), resolve it; after each step the exported
// summary.json (wheelhouse status build) says the same. And a component's status shows in the matrix.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { git, openDemo, scratchDir, screenshot, selectCell, textOf, webhookReceiver, commitInvoicesLate } from './app.mjs';

let browser;
let repo;
before(async () => {
	({ repo, browser } = await openDemo());
	await browser.$('[data-testid="nav-status"]').click();
	await browser.$('[data-testid="status-view"]').waitForDisplayed({ timeout: 15000 });
});
after(async () => {
	await browser?.deleteSession();
});

/** The export's summary.json as `wheelhouse status build` writes it now. */
function summary() {
	const out = join(scratchDir('export'), 'site');
	execFileSync(process.env.WHEELHOUSE_CLI, ['--repo', repo, 'status', 'build', out]);
	return JSON.parse(readFileSync(join(out, 'api/v2/summary.json'), 'utf8'));
}

/** The text of the preview frame's page. */
async function previewText() {
	const frame = await browser.$('[data-testid="status-preview"]');
	await frame.waitForDisplayed({ timeout: 10000 });
	await browser.switchFrame(frame);
	try {
		return await browser.execute(() => document.body?.innerText ?? '');
	} finally {
		await browser.switchFrame(null);
	}
}

async function waitForPreview(pattern, message) {
	await browser.waitUntil(async () => pattern.test(await previewText()), { timeout: 10000, timeoutMsg: message });
}

test('the preview shows the page and runs no script', async () => {
	await waitForPreview(/Acme|Operational|Search/i, 'the preview shows the demo page');
	const frame = await browser.$('[data-testid="status-preview"]');
	assert.equal(await frame.getAttribute('sandbox'), '');
	await browser.switchFrame(frame);
	const scripts = await browser.execute(() => document.querySelectorAll('script').length);
	await browser.switchFrame(null);
	assert.equal(scripts, 0);
	await screenshot(browser, 'status-page');

	// Dark and mobile: the export's own dark scheme, in a phone-wide frame.
	await browser.$('[data-testid="preview-theme-dark"]').click();
	await browser.$('[data-testid="preview-mobile"]').click();
	await browser.waitUntil(async () => (await frame.getSize('width')) <= 380, { timeout: 5000 });
	await browser.switchFrame(await browser.$('[data-testid="status-preview"]'));
	const background = await browser.execute(() => getComputedStyle(document.body).backgroundColor);
	await browser.switchFrame(null);
	assert.equal(background, 'rgb(13, 17, 23)', 'the dark scheme is forced');
	await screenshot(browser, 'status-page-dark-mobile');
	await browser.$('[data-testid="preview-theme-auto"]').click();
	await browser.$('button=Desktop').click();
});

test('publishing commits the page as committed to status-pages and pushes it to origin', async () => {
	await browser.waitUntil(async () => /Never/.test(await textOf(browser, 'publish-last')), {
		timeout: 10000,
		timeoutMsg: 'a demo that was never published says so'
	});
	await browser.$('[data-testid="publish-open"]').click();
	await browser.$('[data-testid="publish-plan"]').waitForDisplayed({ timeout: 15000 });
	const files = await textOf(browser, 'publish-files');
	assert.match(files, /added\s+index\.html/);
	assert.match(files, /added\s+api\/v2\/summary\.json/);
	assert.equal(await browser.$('[data-testid="publish-push"]').isSelected(), true, 'a repository with a remote pushes');
	assert.equal(git(repo, 'branch', '--list', 'status-pages').trim(), '', 'comparing commits nothing');
	await screenshot(browser, 'status-publish-plan');

	await browser.$('[data-testid="publish-confirm"]').click();
	await browser.waitUntil(async () => /Published as \w+ on status-pages and pushed to origin/.test(await textOf(browser, 'publish-done')), {
		timeout: 20000,
		timeoutMsg: 'the publish is reported with its commit and the push'
	});
	const local = git(repo, 'rev-parse', 'status-pages').trim();
	const remote = git(repo, 'ls-remote', 'origin', 'refs/heads/status-pages').split(/\s/)[0];
	assert.equal(remote, local, 'origin has the published commit');
	assert.match(git(repo, 'log', '-1', '--format=%B', 'status-pages'), new RegExp(`Source: ${git(repo, 'rev-parse', 'HEAD').trim()}`));
	// The same commit builds the same tree anywhere: the CLI finds nothing to publish.
	const again = JSON.parse(execFileSync(process.env.WHEELHOUSE_CLI, ['--json', '--repo', repo, 'status', 'publish', '--dry-run'], { encoding: 'utf8' }));
	assert.equal(again.unchanged, true);
	assert.equal(again.tree, git(repo, 'rev-parse', 'status-pages^{tree}').trim());
	await browser.waitUntil(async () => /on origin/.test(await textOf(browser, 'publish-last')), { timeout: 10000 });
	assert.equal(git(repo, 'status', '--porcelain').trim(), '', 'the working tree is untouched');
	await screenshot(browser, 'status-published');
});

test('a committed incident is told to the subscribers once, and a test message reaches a channel', async () => {
	// A loopback endpoint in the Discord shape's place: it records what it is sent.
	const { received, url, server } = await webhookReceiver('/hooks/team');
	try {
		writeFileSync(join(repo, 'status/subscribers.yaml'), `channels:\n  - name: team\n    kind: discord\n    url: ${url}\n`);
		git(repo, 'add', 'status/subscribers.yaml');
		git(repo, 'commit', '-qm', 'Status page: tell the team channel');
		await browser.waitUntil(async () => /never/.test(await textOf(browser, 'channel-last-team')), {
			timeout: 15000,
			timeoutMsg: 'the committed channel is listed, never told'
		});
		assert.match(await textOf(browser, 'subscribers-pending'), /Every committed update has been told/);

		commitInvoicesLate(repo);
		await browser.waitUntil(async () => /1 committed update not told yet/.test(await textOf(browser, 'subscribers-pending')), {
			timeout: 15000,
			timeoutMsg: 'the new committed update waits to be told'
		});
		// The published page no longer shows what is committed: the panel says so.
		await browser.waitUntil(async () => /the page has changed since/.test(await textOf(browser, 'publish-last')), {
			timeout: 15000,
			timeoutMsg: 'the last publish is marked out of date'
		});
		await screenshot(browser, 'status-subscribers-pending');
		await browser.$('[data-testid="notify-now"]').click();
		await browser.waitUntil(async () => /Sent 1 message for 1 update/.test(await textOf(browser, 'notify-result')), { timeout: 20000 });
		assert.equal(received.length, 1);
		assert.equal(received[0].path, '/hooks/team');
		assert.equal(received[0].body.embeds[0].title, 'Investigating: Invoices are late');
		await browser.waitUntil(async () => /Delivered/.test(await textOf(browser, 'channel-last-team')), { timeout: 10000 });
		assert.match(await textOf(browser, 'subscribers-pending'), /Every committed update has been told/);
		// Recorded in a git note on the commit: a second Notify sends nothing.
		assert.match(git(repo, 'notes', '--ref', 'refs/notes/wheelhouse/notifications', 'show', 'HEAD'), /"outcome":"delivered"/);
		await browser.$('[data-testid="notify-now"]').click();
		await browser.waitUntil(async () => /had been told already|Nothing new/.test(await textOf(browser, 'notify-result')), { timeout: 20000 });
		assert.equal(received.length, 1, 'nothing is sent twice');

		await browser.$('[data-testid="channel-test-team"]').click();
		await browser.waitUntil(async () => /A test message reached team/.test(await textOf(browser, 'test-result')), { timeout: 20000 });
		assert.equal(received.length, 2);
		assert.match(received[1].body.embeds[0].title, /Test/);
		await screenshot(browser, 'status-subscribers');
	} finally {
		server.close();
		// Later tests start from a page without this incident.
		git(repo, 'rm', '-q', 'status/incidents/2026-11-26-invoices-late.md');
		git(repo, 'commit', '-qm', 'Drop the test incident');
	}
});

test('a channel is added to subscribers.yaml from a form and removed again', async () => {
	await browser.$('[data-testid="channel-add"]').click();
	await browser.$('[data-testid="channel-form"]').waitForDisplayed({ timeout: 5000 });
	await browser.$('[data-testid="channel-name"]').setValue('ops-mail');
	await browser.$('[data-testid="channel-kind"]').selectByAttribute('value', 'email');
	await browser.$('[data-testid="channel-where"]').selectByAttribute('value', 'file');
	await browser.$('[data-testid="channel-address"]').setValue('smtp://mail.acme.example');
	await browser.$('[data-testid="channel-from"]').setValue('Acme Status <status@acme.example>');
	await browser.$('[data-testid="channel-to"]').setValue('ops@acme.example, oncall@acme.example');
	await screenshot(browser, 'status-channel-form');
	await browser.$('[data-testid="channel-save"]').click();
	await browser.waitUntil(async () => /Added ops-mail to status\/subscribers\.yaml: commit it/.test(await textOf(browser, 'channel-edited')), {
		timeout: 10000
	});
	const text = readFileSync(join(repo, 'status/subscribers.yaml'), 'utf8');
	assert.match(text, /- name: ops-mail\n {4}kind: email\n {4}url: smtp:\/\/mail\.acme\.example\n/);
	assert.match(text, /to: \["ops@acme\.example", "oncall@acme\.example"\]/);
	// What the form wrote is what `status check` accepts.
	execFileSync(process.env.WHEELHOUSE_CLI, ['--repo', repo, 'status', 'check']);
	git(repo, 'commit', '-qam', 'Status page: mail the ops list');
	await browser.waitUntil(async () => /never/.test(await textOf(browser, 'channel-last-ops-mail')), { timeout: 15000 });

	await browser.$('[data-testid="channel-remove-ops-mail"]').click();
	await browser.waitUntil(async () => /Removed ops-mail/.test(await textOf(browser, 'channel-edited')), { timeout: 10000 });
	assert.doesNotMatch(readFileSync(join(repo, 'status/subscribers.yaml'), 'utf8'), /ops-mail/);
	git(repo, 'commit', '-qam', 'Status page: stop mailing the ops list');
});

test('a monitor is checked from the status screen, goes down, and drafts an incident for review', async () => {
	// A loopback endpoint the monitor checks: healthy first, then failing.
	let status = 200;
	const server = createServer((req, res) => {
		res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: status === 200 ? 'UP' : 'DOWN' }));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${server.address().port}/health`;
	let drafted = null;
	try {
		writeFileSync(
			join(repo, 'status/monitors.yaml'),
			`monitors:\n  - name: payments-health\n    component: payments\n    url: ${url}\n    conditions: ["[STATUS] == 200", "[BODY].status == UP"]\n    failure_threshold: 1\n    success_threshold: 1\n    interval: 3s\n    timeout: 2s\n`
		);
		git(repo, 'add', 'status/monitors.yaml');
		git(repo, 'commit', '-qm', 'Status page: monitor the payments API');
		await browser.waitUntil(async () => /not checked yet/.test(await textOf(browser, 'monitor-state-payments-health')), {
			timeout: 15000,
			timeoutMsg: 'the committed monitor is listed, not checked yet'
		});
		await browser.$('[data-testid="monitors-check"]').click();
		await browser.waitUntil(async () => /Checked 1 monitor: all passed/.test(await textOf(browser, 'monitors-result')), { timeout: 20000 });
		await browser.waitUntil(async () => /^Up/.test(await textOf(browser, 'monitor-state-payments-health')), { timeout: 10000 });
		// Recorded on its own branch, not on the project's.
		assert.match(git(repo, 'show', 'status-history:state.tsv'), /payments-health\tup\tok/);

		status = 503;
		await browser.$('[data-testid="monitors-check"]').click();
		await browser.waitUntil(async () => /1 failing \(payments-health\)/.test(await textOf(browser, 'monitors-result')), { timeout: 20000 });
		const result = await textOf(browser, 'monitors-result');
		assert.match(result, /Drafted an incident for review on change\/monitor-payments-health-down/);
		drafted = 'change/monitor-payments-health-down';
		await browser.waitUntil(async () => /^Down/.test(await textOf(browser, 'monitor-state-payments-health')), { timeout: 10000 });
		assert.match(await textOf(browser, 'monitor-payments-health'), /\[STATUS\] \(503\) == 200/);
		await screenshot(browser, 'status-monitors');
		// The incident waits on its branch; nothing was merged.
		const files = git(repo, 'show', '--name-only', '--format=', drafted).trim();
		assert.match(files, /status\/incidents\/.*-is-failing\.md/);
		assert.equal(git(repo, 'status', '--porcelain').trim(), '', 'the working tree is untouched');

		// Keep checking goes on in the background whatever the screen: the endpoint recovers while
		// another screen is shown, a round records it, and the status screen shows it on return.
		status = 200;
		await browser.$('[data-testid="monitors-watch"]').click();
		await browser.waitUntil(async () => /in the background/i.test(await textOf(browser, 'monitors-watch-state')), {
			timeout: 10000,
			timeoutMsg: 'the panel says the monitors are checked in the background'
		});
		await browser.$('[data-testid="nav-environments"]').click();
		await browser.waitUntil(() => /payments-health\tup\tok/.test(git(repo, 'show', 'status-history:state.tsv')), {
			timeout: 30000,
			interval: 500,
			timeoutMsg: 'a round in the background recorded the recovery while another screen was shown'
		});
		await browser.$('[data-testid="nav-status"]').click();
		await browser.waitUntil(async () => /^Up/.test(await textOf(browser, 'monitor-state-payments-health')), { timeout: 15000 });
		assert.equal(await browser.$('[data-testid="monitors-watch"]').isSelected(), true, 'still checking');
		await browser.waitUntil(async () => /next check at \d\d:\d\d:\d\d \(UTC\)/.test(await textOf(browser, 'monitors-watch-state')), {
			timeout: 15000
		});
		await browser.waitUntil(async () => /Checked 1 monitor: all passed/.test(await textOf(browser, 'monitors-result')), { timeout: 15000 });
		await screenshot(browser, 'status-monitors-watch');
		// Rounds where nothing changes are held, to be recorded together; switching off records them.
		await browser.waitUntil(async () => /Recorded with a later round/.test(await textOf(browser, 'monitors-result')), { timeout: 15000 });
		const month = () => git(repo, 'show', 'status-history:2026-11.tsv');
		const before = month();
		await browser.$('[data-testid="monitors-watch"]').click();
		await browser.waitUntil(async () => !(await browser.$('[data-testid="monitors-watch-state"]').isExisting()), { timeout: 10000 });
		await browser.waitUntil(() => month() !== before, {
			timeout: 15000,
			interval: 300,
			timeoutMsg: 'what the rounds held was recorded when Keep checking was switched off'
		});
	} finally {
		server.close();
		git(repo, 'rm', '-q', 'status/monitors.yaml');
		git(repo, 'commit', '-qm', 'Drop the test monitor');
		if (drafted) git(repo, 'branch', '-D', drafted);
	}
});

test('an incident is opened, updated and resolved; the preview and summary.json follow', async () => {
	await browser.$('[data-testid="status-tab-incidents"]').click();
	await browser.$('[data-testid="incident-new"]').click();
	// A template (status/templates/) fills the form; what is typed afterwards wins.
	await browser.$('[data-testid="incident-template"]').selectByAttribute('value', 'card-payments-failing');
	assert.equal(await browser.$('[data-testid="incident-title"]').getValue(), 'Card payments failing');
	assert.equal(await browser.$('[data-testid="incident-component-payments"]').getValue(), 'partial_outage');
	assert.match(await browser.$('[data-testid="incident-body"]').getValue(), /Wallet payments still/);
	await browser.$('[data-testid="incident-title"]').setValue('Checkout is slow');
	await browser.$('[data-testid="incident-impact"]').selectByAttribute('value', 'major');
	await browser.$('[data-testid="incident-component-payments"]').selectByAttribute('value', 'partial_outage');
	await browser.$('[data-testid="incident-body"]').setValue('We are looking into **slow** card payments.');
	await screenshot(browser, 'status-incident-form');
	await browser.$('[data-testid="incident-create"]').click();
	await browser.waitUntil(async () => /opened “Checkout is slow”/.test(await textOf(browser, 'status-saved')), { timeout: 10000 });

	let s = summary();
	const incident = s.incidents.find((i) => i.name === 'Checkout is slow');
	assert.ok(incident, 'summary.json lists the open incident');
	assert.equal(incident.status, 'identified', 'the template opens incidents as identified');
	assert.equal(incident.impact, 'major');
	assert.equal(s.components.find((c) => c.name === 'Payments').status, 'partial_outage');
	await waitForPreview(/Checkout is slow/, 'the preview shows the new incident');
	await screenshot(browser, 'status-incident-open');

	// An update: monitoring, payments still partially down.
	const open = await browser.$('[data-testid^="incident-"][data-testid$="checkout-is-slow"]');
	await open.$('[data-testid="incident-update"]').click();
	await browser.$('[data-testid="update-status"]').selectByAttribute('value', 'monitoring');
	await browser.$('[data-testid="update-body"]').setValue('A slow card processor; we are switching traffic.');
	await browser.$('[data-testid="update-post"]').click();
	await browser.waitUntil(async () => /posted “Monitoring”/.test(await textOf(browser, 'status-saved')), { timeout: 10000 });
	s = summary();
	assert.equal(s.incidents.find((i) => i.name === 'Checkout is slow').status, 'monitoring');
	assert.equal(s.incidents.find((i) => i.name === 'Checkout is slow').incident_updates.length, 2);
	await waitForPreview(/switching traffic/, 'the preview shows the update');

	// Resolved: the incident leaves the open list and payments is operational again.
	await open.$('[data-testid="incident-resolve"]').click();
	await browser.waitUntil(async () => /resolved “Checkout is slow”/.test(await textOf(browser, 'status-saved')), { timeout: 10000 });
	s = summary();
	assert.equal(s.incidents.find((i) => i.name === 'Checkout is slow'), undefined, 'summary.json lists unresolved incidents only');
	assert.equal(s.components.find((c) => c.name === 'Payments').status, 'operational');
	await screenshot(browser, 'status-incident-resolved');

	// Every step is an ordinary change of the working tree.
	const changed = git(repo, 'status', '--porcelain').trim();
	assert.match(changed, /\?\? status\/incidents\/\d{4}-\d{2}-\d{2}-checkout-is-slow\.md/);
});

test('a component status set here shows in the matrix; a broken file keeps the last good preview', async () => {
	await browser.$('[data-testid="status-tab-components"]').click();
	await browser.$('[data-testid="component-status-search"]').selectByAttribute('value', 'major_outage');
	await browser.waitUntil(async () => /search is now “Major outage”/.test(await textOf(browser, 'status-saved')), { timeout: 10000 });
	assert.match(readFileSync(join(repo, 'status/components.yaml'), 'utf8'), /id: search[\s\S]*?status: major_outage/);
	assert.equal(git(repo, 'diff', '--numstat', 'status/components.yaml').trim(), '1\t1\tstatus/components.yaml');

	await browser.$('[data-testid="nav-environments"]').click();
	await browser.waitUntil(async () => /Major outage/.test(await textOf(browser, 'cell-status-search-prod')), { timeout: 10000 });
	await browser.$('[data-testid="nav-status"]').click();

	// Broken outside the app: the problem is located, the preview still shows the last good page.
	const file = join(repo, 'status/components.yaml');
	const good = readFileSync(file, 'utf8');
	writeFileSync(file, good.replace('status: major_outage', 'status: on_fire'));
	await browser.waitUntil(async () => /status\/components\.yaml:\d+:\d+/.test(await textOf(browser, 'status-problems')), {
		timeout: 10000,
		timeoutMsg: 'the problem is shown with its location'
	});
	await waitForPreview(/Search/, 'the last good preview stays');
	await screenshot(browser, 'status-problems');
	// The problem opens the file as text, judged by the status page as it is typed.
	await browser.$('[data-testid="status-problem-open"]').click();
	await browser.$('[data-testid="yaml-editor"]').waitForDisplayed({ timeout: 10000 });
	await browser.waitUntil(async () => /1 error/.test(await textOf(browser, 'yaml-status')), { timeout: 10000 });
	assert.match(await textOf(browser, 'yaml-problems'), /on_fire/);
	await screenshot(browser, 'status-problem-in-editor');
	await browser.keys(['Escape']);
	await browser.$('[data-testid="yaml-editor"]').waitForDisplayed({ reverse: true, timeout: 10000 });
	writeFileSync(file, good);
	await browser.waitUntil(async () => !(await browser.$('[data-testid="status-problems"]').isExisting()), { timeout: 10000 });

	// Reorder (the keyboard way; dragging calls the same edit): Search moves above Website.
	await browser.$('button[aria-label="Move Search up"]').click();
	await browser.waitUntil(async () => /moved search/.test(await textOf(browser, 'status-saved')), { timeout: 10000 });
	const moved = readFileSync(file, 'utf8');
	assert.ok(moved.indexOf('id: search') < moved.indexOf('id: web'), moved);
	assert.equal(moved.split('\n').length, good.split('\n').length, 'a move adds and drops no line');
});

test('promoting into protected prod offers to schedule a maintenance in the same change', async () => {
	await browser.$('[data-testid="nav-environments"]').click();
	await selectCell(browser, 'api', 'prod');
	await browser.$('input[aria-label="Select api for promotion"]').click();
	await browser.$('[data-testid="promote"]').click();
	const offer = await browser.$('[data-testid="promotion-maintenance"]');
	await offer.waitForDisplayed({ timeout: 10000 });
	assert.match(await offer.getText(), /Public API/);
	await browser.$('[data-testid="promotion-draft-maintenance"]').click();
	await offer.$('input[type="datetime-local"]').waitForDisplayed({ timeout: 5000 });
	await screenshot(browser, 'promotion-maintenance');
	await browser.$('[data-testid="promotion-create"]').click();
	const done = await textOf(browser, 'promotion-done', 15000);
	const branch = done.match(/change\/[^\s:]+/)[0];
	const files = git(repo, 'show', '--name-only', '--format=', branch).trim().split('\n').sort();
	assert.equal(files.length, 2, files.join(', '));
	assert.equal(files[0], 'overlays/prod/kustomization.yaml');
	assert.match(files[1], /^status\/maintenances\/\d{4}-\d{2}-\d{2}-deploying-api-/);
	const maintenance = git(repo, 'show', `${branch}:${files[1]}`);
	assert.match(maintenance, /title: .*Deploying api 1\.4\.2 to prod/);
	assert.match(maintenance, /api: under_maintenance|- api/);
	assert.match(git(repo, 'log', '-1', '--format=%B', branch), /Status page: schedules the maintenance/);
});

test('a maintenance is scheduled in another time zone, started and completed', async () => {
	await browser.$('[data-testid="nav-status"]').click();
	// The screen loads its panels first: wait for the tab and for the tab's content.
	const tab = await browser.$('[data-testid="status-tab-maintenance"]');
	await tab.waitForClickable({ timeout: 15000 });
	await tab.click();
	const create = await browser.$('[data-testid="maintenance-new"]');
	await create.waitForClickable({ timeout: 15000 });
	await create.click();
	await browser.$('[data-testid="maintenance-title"]').setValue('Card processor upgrade');
	// datetime-local takes the value typed as digits; set it the way the input reports it.
	for (const [id, value] of [
		['maintenance-from', '2027-01-20T21:00'],
		['maintenance-until', '2027-01-20T23:30']
	]) {
		await browser.execute(
			(sel, v) => {
				const el = document.querySelector(sel);
				el.value = v;
				el.dispatchEvent(new Event('input', { bubbles: true }));
			},
			`[data-testid="${id}"]`,
			value
		);
	}
	await browser.$('[data-testid="maintenance-tz"]').selectByAttribute('value', 'America/New_York');
	await browser.$('[data-testid="maintenance-form"] label.check input').click();
	await screenshot(browser, 'status-maintenance-form');
	await browser.$('[data-testid="maintenance-create"]').click();
	await browser.waitUntil(async () => /scheduled “Card processor upgrade”/.test(await textOf(browser, 'status-saved')), { timeout: 10000 });
	const created = git(repo, 'status', '--porcelain', 'status/maintenances').match(/status\/maintenances\/\S+card-processor-upgrade\.md/)[0];
	const text = readFileSync(join(repo, created), 'utf8');
	assert.match(text, /scheduled_for: 2027-01-20T21:00:00-05:00/);
	assert.match(text, /scheduled_until: 2027-01-20T23:30:00-05:00/);
	assert.match(text, /time_zone: America\/New_York/);
	const slug = created.split('/').pop().replace(/\.md$/, '');
	let s = summary();
	assert.ok(s.scheduled_maintenances.some((m) => m.name === 'Card processor upgrade' && m.status === 'scheduled'));

	const item = await browser.$(`[data-testid="maintenance-${slug}"]`);
	await item.$('button=Start now').click();
	await browser.waitUntil(async () => /started “Card processor upgrade”/.test(await textOf(browser, 'status-saved')), { timeout: 10000 });
	assert.match(readFileSync(join(repo, created), 'utf8'), /status: in_progress/);
	await item.$('button=Complete').click();
	await browser.waitUntil(async () => /completed “Card processor upgrade”/.test(await textOf(browser, 'status-saved')), { timeout: 10000 });
	assert.match(readFileSync(join(repo, created), 'utf8'), /status: completed/);
	s = summary();
	assert.ok(!s.scheduled_maintenances.some((m) => m.name === 'Card processor upgrade'), 'completed maintenance leaves the summary');
});

test('an incident opens as text and is judged by the status page as it is typed', async () => {
	await browser.$('[data-testid="nav-status"]').click();
	await browser.$('[data-testid="status-tab-incidents"]').click();
	await browser.$('[data-testid="incident-edit-text"]').click();
	await browser.$('[data-testid="yaml-editor"]').waitForDisplayed({ timeout: 10000 });
	assert.match(await browser.$('#yaml-editor-title').getText(), /status\/incidents\/.*\.md/);
	await browser.waitUntil(async () => /^No problems$/.test(await textOf(browser, 'yaml-status')), { timeout: 10000 });
	// Break the impact word in the front matter: the status page refuses it, with its line.
	await browser.execute(() => document.querySelector('.cm-host').shadowRoot.querySelector('.cm-content').focus());
	await browser.keys(['Control', 'Home']);
	// One key per action sequence: WebKit drops a repeated key within one.
	for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'End', 'z', 'z']) await browser.keys(key);
	await browser.waitUntil(async () => /1 error/.test(await textOf(browser, 'yaml-status')), { timeout: 10000 });
	assert.match(await textOf(browser, 'yaml-problems'), /line 4/);
	await screenshot(browser, 'status-incident-as-text');
	await browser.keys(['Escape']);
	await browser.$('[data-testid="yaml-discard"]').click();
	await browser.$('[data-testid="yaml-editor"]').waitForDisplayed({ reverse: true, timeout: 10000 });
});
