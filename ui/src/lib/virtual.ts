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
