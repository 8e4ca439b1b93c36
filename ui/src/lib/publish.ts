// Words for a status page publish: how much it changes, and a commit id short enough to read.
import type { Publication } from './generated/types';

/** The first 12 characters of a commit id, as `git log --oneline` shows ids in large repositories. */
export function shortId(id: string): string {
	return id.slice(0, 12);
}

/** "3 files change: 1 added, 2 modified." — what a publish would commit, in a sentence. */
export function publishSummary(p: Pick<Publication, 'changed' | 'unchanged'>): string {
	if (p.unchanged || p.changed.length === 0) return 'Nothing changed since the last publish.';
	const counts = new Map<string, number>();
	for (const c of p.changed) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
	const parts = ['added', 'modified', 'deleted']
		.filter((k) => counts.has(k))
		.map((k) => `${counts.get(k)} ${k}`);
	const n = p.changed.length;
	return `${n} file${n === 1 ? '' : 's'} change${n === 1 ? 's' : ''}: ${parts.join(', ')}.`;
}
