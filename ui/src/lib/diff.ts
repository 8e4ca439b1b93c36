// Side-by-side rows from a unified hunk: removed lines pair with the added lines that follow
// them, context lines stand on both sides. Pure; tested in diff.test.ts.
import type { DiffLine } from './generated/types';

export interface SplitRow {
	left: DiffLine | null;
	right: DiffLine | null;
}

export function splitRows(lines: DiffLine[]): SplitRow[] {
	const rows: SplitRow[] = [];
	let removed: DiffLine[] = [];
	let added: DiffLine[] = [];
	const flush = () => {
		const n = Math.max(removed.length, added.length);
		for (let i = 0; i < n; i++) rows.push({ left: removed[i] ?? null, right: added[i] ?? null });
		removed = [];
		added = [];
	};
	for (const line of lines) {
		if (line.kind === 'removed') {
			if (added.length) flush();
			removed.push(line);
		} else if (line.kind === 'added') {
			added.push(line);
		} else {
			flush();
			rows.push({ left: line, right: line });
		}
	}
	flush();
	return rows;
}
