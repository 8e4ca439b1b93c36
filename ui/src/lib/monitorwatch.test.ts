import { describe, expect, it } from 'vitest';
import { clockUtc, watchLine } from './monitorwatch';
import type { MonitorWatchView } from './generated/types';

const idle: MonitorWatchView = {
	on: true,
	root: '/repo',
	checking: false,
	next_check_unix: null,
	last_run_unix: null,
	last: null,
	error: null
};

describe('the checking in the background', () => {
	it('names the next round to the second, in UTC', () => {
		expect(clockUtc(Date.UTC(2026, 11, 7, 16, 45, 10) / 1000)).toBe('16:45:10 (UTC)');
		expect(watchLine({ ...idle, next_check_unix: Date.UTC(2026, 11, 7, 9, 5, 0) / 1000 })).toBe(
			'In the background while Wheelhouse is open · next check at 09:05:00 (UTC)'
		);
	});

	it('says a round is running, and names no time before the first', () => {
		expect(watchLine({ ...idle, checking: true, next_check_unix: 1 })).toBe('Checking in the background…');
		expect(watchLine(idle)).toBe('In the background while Wheelhouse is open');
	});
});
