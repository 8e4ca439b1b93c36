import { describe, expect, it } from 'vitest';
import type { Delivery, Notified } from './generated/types';
import { deliverySummary, outcomeLabel } from './notify';

const delivery = (channel: string, outcome: Delivery['outcome'], error: string | null = null): Delivery => ({
	event: 'incident/a/1',
	channel,
	kind: 'slack',
	message_id: 'abc',
	headline: 'Investigating: A',
	outcome,
	attempts: 1,
	status: null,
	error
});

const run = (deliveries: Delivery[], events = 1): Pick<Notified, 'events' | 'deliveries'> => ({
	events: Array.from({ length: events }) as Notified['events'],
	deliveries
});

describe('deliverySummary', () => {
	it('counts what was sent and names what failed and why', () => {
		const text = deliverySummary(run([delivery('ops', 'delivered'), delivery('partner', 'failed', 'hooks.example.com answered HTTP 500')]));
		expect(text).toBe('Sent 1 message for 1 update; 1 failed (partner: hooks.example.com answered HTTP 500) — Notify again to retry.');
	});

	it('says when nothing was new and when everything had been told', () => {
		expect(deliverySummary(run([], 0))).toBe('Nothing new to tell.');
		expect(deliverySummary(run([delivery('ops', 'already_delivered')]))).toBe('Every update had been told already.');
	});
});

describe('outcomeLabel', () => {
	it('names each outcome', () => {
		expect(outcomeLabel('already_delivered')).toBe('Delivered earlier');
		expect(outcomeLabel('failed')).toBe('Failed');
	});
});
