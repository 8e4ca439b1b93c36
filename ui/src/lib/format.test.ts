import { describe, expect, it } from 'vitest';
import { changeLabel, commitTime, describeSync, describeSyncStatus, relativeTime } from './format';

const NOW = 1_790_000_000;

describe('relativeTime', () => {
	it.each([
		[NOW - 10, 'just now'],
		[NOW - 60, '1 minute ago'],
		[NOW - 5 * 60, '5 minutes ago'],
		[NOW - 3 * 3600, '3 hours ago'],
		[NOW - 86400, '1 day ago'],
		[NOW - 12 * 86400, '12 days ago'],
		[NOW - 40 * 86400, '2026-08-12']
	])('%i reads as %s', (unix, text) => {
		expect(relativeTime(unix, NOW)).toBe(text);
	});
});

describe('commitTime', () => {
	it('shows the author local time with its offset', () => {
		// 2026-10-16T07:12:00Z written at +02:00
		expect(commitTime(1_792_134_720, 120)).toBe('2026-10-16 09:12 +02:00');
		expect(commitTime(1_792_134_720, -300)).toBe('2026-10-16 02:12 -05:00');
	});
});

describe('describeSync', () => {
	const upstream = (ahead: number, behind: number) => ({
		name: 'origin/main',
		ahead,
		behind,
		last_fetched_unix: NOW - 120
	});

	it('says when a branch has no upstream', () => {
		expect(describeSync(null, NOW).tone).toBe('no-upstream');
	});

	it('says up to date and when it last fetched', () => {
		const s = describeSync(upstream(0, 0), NOW);
		expect(s.label).toBe('Up to date');
		expect(s.detail).toContain('fetched 2 minutes ago');
	});

	it('counts commits to pull', () => {
		const s = describeSync(upstream(0, 1), NOW);
		expect(s).toMatchObject({ tone: 'behind', label: '↓1 to pull' });
		expect(s.detail).toBe('1 commit on origin/main not pulled yet (fetched 2 minutes ago).');
	});

	it('counts commits to push', () => {
		expect(describeSync(upstream(3, 0), NOW)).toMatchObject({ tone: 'ahead', label: '↑3 to push' });
	});

	it('names a diverged branch', () => {
		expect(describeSync(upstream(2, 5), NOW)).toMatchObject({ tone: 'diverged', label: '↑2 ↓5' });
	});

	it('says never fetched', () => {
		expect(describeSync({ ...upstream(0, 0), last_fetched_unix: null }, NOW).detail).toContain(
			'never fetched'
		);
	});
});

describe('changeLabel', () => {
	it('calls untracked files new', () => {
		expect(changeLabel('untracked')).toBe('New');
	});
});

describe('describeSyncStatus', () => {
	const base = {
		phase: 'idle' as const,
		last_success_unix: NOW - 60,
		next_attempt_unix: NOW + 30,
		message: null,
		error_code: null,
		state: null,
		fast_forwarded: 0,
		interval_seconds: 60
	};
	const state = (ahead: number, behind: number, blocked: import('./generated/types').UpdateBlock | null = null) => ({
		branch: 'main',
		upstream: 'origin/main',
		incoming: [],
		outgoing: [],
		ahead,
		behind,
		blocked
	});

	it('says offline, with the reason and when it retries, without an error tone', () => {
		const s = describeSyncStatus({ ...base, phase: 'offline', message: 'origin cannot be reached.' }, null, NOW);
		expect(s).toMatchObject({ tone: 'offline', label: 'Offline' });
		expect(s.detail).toBe('origin cannot be reached. Retrying in 30 s.');
	});

	it('explains why incoming commits wait', () => {
		const s = describeSyncStatus(
			{ ...base, state: state(0, 2, { kind: 'local_edits', paths: ['overlays/dev/kustomization.yaml'] }) },
			null,
			NOW
		);
		expect(s).toMatchObject({ tone: 'blocked', label: '↓2 waiting' });
		expect(s.detail).toContain('overlays/dev/kustomization.yaml');
	});

	it('uses the fetched state over the overview', () => {
		expect(describeSyncStatus({ ...base, state: state(1, 0) }, null, NOW)).toMatchObject({
			tone: 'ahead',
			label: '↑1 to push'
		});
	});

	it('falls back to the overview before the first fetch', () => {
		expect(
			describeSyncStatus(null, { name: 'origin/main', ahead: 0, behind: 1, last_fetched_unix: null }, NOW).label
		).toBe('↓1 to pull');
	});
});
