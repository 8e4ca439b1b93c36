import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import StatusEditor from './StatusEditor.svelte';
import type { StatusView } from '../generated/types';

function view(): StatusView {
	return {
		folder: 'status',
		exists: true,
		page_name: 'Acme Shop',
		time_zone: 'Europe/Berlin',
		indicator: 'none',
		indicator_label: 'All Systems Operational',
		groups: [
			{
				name: 'Checkout',
				components: [
					{ id: 'payments', name: 'Payments', description: null, status: 'operational', shown: 'operational', shown_label: 'Operational', env: 'prod', workloads: ['payments'] },
					{ id: 'api', name: 'Public API', description: null, status: 'operational', shown: 'partial_outage', shown_label: 'Partial outage', env: 'prod', workloads: ['api'] }
				]
			}
		],
		incidents: [
			{
				slug: '2026-11-26-slow',
				file: 'status/incidents/2026-11-26-slow.md',
				title: 'Slow API',
				status: 'investigating',
				impact: 'minor',
				started_at: '2026-11-26T09:00:00+01:00',
				resolved_at: null,
				open: true,
				components: [{ id: 'api', status: 'partial_outage' }],
				updates: [{ at: '2026-11-26T09:00:00+01:00', status: 'investigating', body: 'Looking.', components: [{ id: 'api', status: 'partial_outage' }] }],
				postmortem: null
			}
		],
		maintenances: [],
		templates: [
			{ slug: 'card-payments-failing', title: 'Card payments failing', status: 'identified', impact: 'major', components: [{ id: 'payments', status: 'partial_outage' }], body: 'Card payments fail.' }
		],
		problems: [],
		previewable: true,
		version: 1
	};
}

afterEach(() => {
	cleanup();
	clearMocks();
});

/** Records every status edit the component asks for and answers with the same view. */
function recordEdits() {
	const edits: unknown[] = [];
	mockIPC((cmd, args) => {
		if (cmd === 'status_edit') {
			edits.push((args as { edit: unknown }).edit);
			return { view: view(), changes: [] };
		}
	});
	return edits;
}

describe('StatusEditor', () => {
	it('shows the status a component has now when an incident makes it worse', () => {
		recordEdits();
		render(StatusEditor, { view: view(), onchanged: vi.fn(), onerror: vi.fn(), onshow: vi.fn() });
		expect(screen.getByTestId('component-api').textContent).toContain('Shown now: Partial outage');
		expect(screen.getByTestId('component-payments').textContent).not.toContain('Shown now');
	});

	it('sets a component status with one edit and says where it went', async () => {
		const edits = recordEdits();
		const onchanged = vi.fn();
		render(StatusEditor, { view: view(), onchanged, onerror: vi.fn(), onshow: vi.fn() });
		await fireEvent.change(screen.getByTestId('component-status-payments'), { target: { value: 'major_outage' } });
		await waitFor(() => expect(onchanged).toHaveBeenCalled());
		expect(edits).toEqual([{ op: 'set_component_status', id: 'payments', status: 'major_outage' }]);
		expect(screen.getByTestId('status-saved').textContent).toContain('payments is now “Major outage” in status/components.yaml');
	});

	it('fills a new incident from a template, and sends what is on the form', async () => {
		const edits = recordEdits();
		render(StatusEditor, { view: view(), onchanged: vi.fn(), onerror: vi.fn(), onshow: vi.fn() });
		await fireEvent.click(screen.getByTestId('status-tab-incidents'));
		await fireEvent.click(screen.getByTestId('incident-new'));
		await fireEvent.change(screen.getByTestId('incident-template'), { target: { value: 'card-payments-failing' } });
		expect((screen.getByTestId('incident-title') as HTMLInputElement).value).toBe('Card payments failing');
		expect((screen.getByTestId('incident-impact') as HTMLSelectElement).value).toBe('major');
		expect((screen.getByTestId('incident-component-payments') as HTMLSelectElement).value).toBe('partial_outage');
		await fireEvent.input(screen.getByTestId('incident-title'), { target: { value: 'Checkout is slow' } });
		await fireEvent.click(screen.getByTestId('incident-create'));
		await waitFor(() => expect(edits).toHaveLength(1));
		expect(edits[0]).toMatchObject({
			op: 'new_incident',
			title: 'Checkout is slow',
			impact: 'major',
			status: 'identified',
			components: [{ id: 'payments', status: 'partial_outage' }],
			body: 'Card payments fail.',
			template: 'card-payments-failing'
		});
	});

	it('resolves an open incident and shows an error from the core without losing the page', async () => {
		mockIPC((cmd) => {
			if (cmd === 'status_edit') throw { code: 'file_changed', message: 'status/incidents/2026-11-26-slow.md changed on disk' };
		});
		const onerror = vi.fn();
		const onchanged = vi.fn();
		render(StatusEditor, { view: view(), onchanged, onerror, onshow: vi.fn() });
		await fireEvent.click(screen.getByTestId('status-tab-incidents'));
		await fireEvent.click(screen.getByTestId('incident-resolve'));
		await waitFor(() => expect(onerror).toHaveBeenCalledWith(expect.objectContaining({ code: 'file_changed', message: 'status/incidents/2026-11-26-slow.md changed on disk' })));
		expect(onchanged).not.toHaveBeenCalled();
		expect(screen.queryByTestId('status-saved')).toBeNull();
	});
});
