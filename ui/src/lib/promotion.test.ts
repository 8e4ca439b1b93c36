import { describe, expect, it } from 'vitest';
import { affectedComponents, defaultWindow, protectedTargets } from './promotion';
import type { Promotion } from './generated/types';

const promotion = (targets: string[]): Promotion => ({
	from: 'staging',
	to: targets.length > 1 ? 'prod*' : targets[0],
	targets,
	moves: ['api 1.4.2'],
	edits: [],
	message: 'promote api 1.4.2 → prod',
	branch: 'change/promote-api-1.4.2-prod'
});

const envs = [
	{ name: 'staging', protected: false },
	{ name: 'prod-eu', protected: true },
	{ name: 'prod-us', protected: true }
];
const linked = new Map([
	['prod-eu/api', { id: 'api-eu', name: 'API (EU)' }],
	['prod-us/api', { id: 'api-us', name: 'API (US)' }],
	['staging/api', { id: 'api-staging', name: 'API (staging)' }],
	['prod-eu/web', { id: 'api-eu', name: 'API (EU)' }]
]);

describe('affectedComponents', () => {
	it('lists each component linked to a selected workload in the targets, once', () => {
		expect(affectedComponents(promotion(['prod-eu', 'prod-us']), envs, ['api', 'web'], linked)).toEqual([
			['api-eu', 'API (EU)'],
			['api-us', 'API (US)']
		]);
	});

	it('offers nothing when no target is protected', () => {
		expect(affectedComponents(promotion(['staging']), envs, ['api'], linked)).toEqual([]);
	});

	it('offers nothing for workloads no component stands for', () => {
		expect(affectedComponents(promotion(['prod-us']), envs, ['worker'], linked)).toEqual([]);
	});
});

describe('the maintenance offered', () => {
	it('names the protected targets', () => {
		expect(protectedTargets(promotion(['staging', 'prod-us']), envs)).toEqual(['prod-us']);
	});

	it('defaults to tomorrow from 22:00 to 23:00, local time', () => {
		expect(defaultWindow(new Date(2026, 11, 7, 9, 30))).toEqual({ from: '2026-12-08T22:00', until: '2026-12-08T23:00' });
		// Across the end of a month.
		expect(defaultWindow(new Date(2026, 11, 31, 23, 59))).toEqual({ from: '2027-01-01T22:00', until: '2027-01-01T23:00' });
	});
});
