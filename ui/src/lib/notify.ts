// Words for status notifications: a delivery's outcome, and what one run of Notify did.
import type { DeliveryOutcome, Notified } from './generated/types';

export function outcomeLabel(outcome: DeliveryOutcome): string {
	switch (outcome) {
		case 'delivered':
			return 'Delivered';
		case 'failed':
			return 'Failed';
		case 'already_delivered':
			return 'Delivered earlier';
		case 'would_send':
			return 'Would send';
	}
}

/** "Sent 2 messages for 1 update; 1 failed (ops: hooks.example.com answered HTTP 500)." */
export function deliverySummary(n: Pick<Notified, 'events' | 'deliveries'>): string {
	const sent = n.deliveries.filter((d) => d.outcome === 'delivered').length;
	const failed = n.deliveries.filter((d) => d.outcome === 'failed');
	const updates = n.events.length;
	if (n.deliveries.length === 0 || (sent === 0 && failed.length === 0)) {
		return updates === 0 ? 'Nothing new to tell.' : 'Every update had been told already.';
	}
	const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
	let text = `Sent ${plural(sent, 'message')} for ${plural(updates, 'update')}`;
	if (failed.length > 0) {
		const why = failed.map((d) => `${d.channel}: ${d.error ?? 'no answer'}`).join('; ');
		text += `; ${failed.length} failed (${why}) — Notify again to retry`;
	}
	return `${text}.`;
}
