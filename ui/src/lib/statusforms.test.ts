import { describe, expect, it } from 'vitest';
import { affectedList, defaultWindow, fromTemplate, nextStatus, updateComponents } from './statusforms';
import type { TemplateView } from './backend';

const draft = { title: 'typed', impact: 'minor', status: 'investigating', affected: { web: 'degraded_performance' }, body: 'typed' };
const template = (over: Partial<TemplateView>): TemplateView =>
	({ slug: 'db', title: 'Database slow', status: null, impact: null, components: [], body: '  We are looking.\n', ...over }) as TemplateView;

describe('status forms', () => {
	it('a template replaces what was typed, but never opens an incident resolved', () => {
		const filled = fromTemplate(draft, template({ impact: 'major', status: 'identified', components: [{ id: 'db', status: 'partial_outage' }] as TemplateView['components'] }));
		expect(filled).toEqual({ title: 'Database slow', impact: 'major', status: 'identified', affected: { db: 'partial_outage' }, body: 'We are looking.' });
		expect(fromTemplate(draft, template({ status: 'resolved' })).status).toBe('investigating');
		expect(fromTemplate(draft, template({ status: 'postmortem' })).status).toBe('investigating');
		expect(fromTemplate(draft, template({})).impact).toBe('minor');
	});

	it('lists only the components chosen as affected', () => {
		expect(affectedList({ api: 'major_outage', web: '', db: 'degraded_performance' })).toEqual([
			{ id: 'api', status: 'major_outage' },
			{ id: 'db', status: 'degraded_performance' }
		]);
	});

	it('an update proposes the next step', () => {
		expect(nextStatus('investigating')).toBe('identified');
		expect(nextStatus('identified')).toBe('monitoring');
		expect(nextStatus('monitoring')).toBe('monitoring');
	});

	it('an update starts from the latest components', () => {
		const c = (id: string, status: string) => ({ id, status, status_label: status });
		expect(updateComponents({ updates: [{ components: [c('api', 'partial_outage')] }], components: [c('api', 'major_outage')] } as never)).toEqual({ api: 'partial_outage' });
		expect(updateComponents({ updates: [], components: [c('api', 'major_outage')] } as never)).toEqual({ api: 'major_outage' });
	});

	it('a maintenance is proposed for tomorrow, on the hour, two hours long', () => {
		const w = defaultWindow(new Date(2026, 11, 7, 9, 41, 12));
		expect(w).toEqual({ from: '2026-12-08T09:00', until: '2026-12-08T11:00' });
	});
});
