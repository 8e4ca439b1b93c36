import { describe, expect, it } from 'vitest';
import { visibleWindow } from './virtual';

describe('visibleWindow', () => {
	it('renders only what is on screen plus a margin, at 50,000 rows', () => {
		const w = visibleWindow(50_000, 32, 32 * 20_000, 640, 8);
		expect(w).toEqual({ start: 19_992, end: 20_028, offset: 19_992 * 32, total: 1_600_000 });
	});

	it('starts at the top and never runs past the end', () => {
		expect(visibleWindow(5, 32, 0, 640)).toEqual({ start: 0, end: 5, offset: 0, total: 160 });
		expect(visibleWindow(100, 32, 99 * 32, 640, 0).end).toBe(100);
	});
});
