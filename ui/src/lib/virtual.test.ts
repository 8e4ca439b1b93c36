import { describe, expect, it } from 'vitest';
import { columnOffset, visibleColumns, visibleWindow } from './virtual';

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

describe('visibleColumns', () => {
	const widths = Array.from({ length: 30 }, () => 100);

	it('renders the columns in view plus a margin', () => {
		expect(visibleColumns(widths, 0, 450, 2)).toEqual({ start: 0, end: 7 });
		expect(visibleColumns(widths, 1000, 450, 2)).toEqual({ start: 8, end: 17 });
	});

	it('never runs past either end, also scrolled beyond the last column', () => {
		expect(visibleColumns(widths, 2600, 450, 2)).toEqual({ start: 24, end: 30 });
		expect(visibleColumns(widths, 99_999, 450, 2)).toEqual({ start: 27, end: 30 });
		expect(visibleColumns([], 0, 450)).toEqual({ start: 0, end: 0 });
	});

	it('follows uneven widths', () => {
		expect(visibleColumns([300, 50, 50, 50, 300, 50], 320, 100, 0)).toEqual({ start: 1, end: 4 });
	});
});

describe('columnOffset', () => {
	it('adds the widths of the columns before', () => {
		expect(columnOffset([10, 20, 30], 0)).toBe(0);
		expect(columnOffset([10, 20, 30], 2)).toBe(30);
		expect(columnOffset([10, 20, 30], 3)).toBe(60);
		expect(columnOffset([10, 20, 30], 9)).toBe(60);
	});
});
