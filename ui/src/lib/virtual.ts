// Which rows of a long fixed-height list to render for a scroll position. Pure.

export interface Window {
	start: number;
	end: number;
	/** Space above the first rendered row, in pixels. */
	offset: number;
	/** Height of the whole list, in pixels. */
	total: number;
}

export function visibleWindow(
	count: number,
	rowHeight: number,
	scrollTop: number,
	viewportHeight: number,
	overscan = 8
): Window {
	const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
	const start = Math.max(0, first - overscan);
	const end = Math.min(count, first + Math.ceil(viewportHeight / rowHeight) + overscan);
	return { start, end, offset: start * rowHeight, total: count * rowHeight };
}

/** Which columns of a wide table to render: `start` to `end` (exclusive). */
export interface ColumnWindow {
	start: number;
	end: number;
}

/**
 * The columns (of the given widths, in pixels, after the sticky ones) that a viewport `viewWidth`
 * wide shows when scrolled `scrollLeft` to the right, and `overscan` more on each side. Pure.
 */
export function visibleColumns(widths: number[], scrollLeft: number, viewWidth: number, overscan = 2): ColumnWindow {
	let x = 0;
	let first = widths.length;
	let last = widths.length;
	for (let c = 0; c < widths.length; c++) {
		const right = x + widths[c];
		if (first === widths.length && right > scrollLeft) first = c;
		if (x >= scrollLeft + viewWidth) {
			last = c;
			break;
		}
		x = right;
	}
	if (first === widths.length) first = Math.max(0, widths.length - 1);
	return { start: Math.max(0, first - overscan), end: Math.min(widths.length, Math.max(last, first + 1) + overscan) };
}

/** Where column `c` starts, in pixels, among columns of the given widths. Pure. */
export function columnOffset(widths: number[], c: number): number {
	let x = 0;
	for (let i = 0; i < c && i < widths.length; i++) x += widths[i];
	return x;
}
