// What the status editor's forms start from and send (StatusIncidents, StatusMaintenances).
import type { IncidentView, TemplateView } from './backend';
import { localInputValue } from './when';

/** The incident form, as a template fills it (what the person typed is replaced, as they asked). */
export interface IncidentDraft {
	title: string;
	impact: string;
	status: string;
	affected: Record<string, string>;
	body: string;
}

export function fromTemplate(draft: IncidentDraft, t: TemplateView): IncidentDraft {
	return {
		title: t.title,
		impact: t.impact || draft.impact,
		// An incident opens unresolved: a template's resolved or postmortem status is not taken.
		status: t.status && t.status !== 'resolved' && t.status !== 'postmortem' ? t.status : draft.status,
		affected: Object.fromEntries(t.components.map((c) => [c.id, c.status])),
		body: t.body.trim()
	};
}

/** The components chosen as affected, with their status ("not affected" left out). */
export function affectedList(affected: Record<string, string>): { id: string; status: string }[] {
	return Object.entries(affected)
		.filter(([, s]) => s)
		.map(([id, status]) => ({ id, status }));
}

/** The status an update most likely moves an incident to: the next step, else where it is. */
export function nextStatus(status: string): string {
	if (status === 'investigating') return 'identified';
	if (status === 'identified') return 'monitoring';
	return status;
}

/** The components an update starts from: those of the latest update, else the incident's. */
export function updateComponents(i: Pick<IncidentView, 'updates' | 'components'>): Record<string, string> {
	return Object.fromEntries((i.updates[0]?.components ?? i.components).map((c) => [c.id, c.status]));
}

/** A new maintenance's window: tomorrow at this hour, on the hour, for two hours (local inputs). */
export function defaultWindow(now: Date): { from: string; until: string } {
	const start = new Date(now.getTime() + 24 * 3600 * 1000);
	start.setMinutes(0, 0, 0);
	return { from: localInputValue(start), until: localInputValue(new Date(start.getTime() + 2 * 3600 * 1000)) };
}
