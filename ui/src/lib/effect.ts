// What a change does, environment by environment, in the shapes the views draw: the rendered
// diff of each resource as a FileDiff (so DiffView shows it like any file), the affected and the
// unaffected environments, one line per environment. Pure; tested in effect.test.ts.
import type {
	DiffHunk,
	DiffLine,
	DiffStatus,
	Effect,
	EnvironmentEffect,
	FileDiff,
	ResourceDiff,
	ResourceStatus
} from './generated/types';

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** The hunks of a unified diff (`--- a`/`+++ b` headers skipped), with line numbers. */
export function parseUnified(text: string): DiffHunk[] {
	const hunks: DiffHunk[] = [];
	let current: DiffHunk | null = null;
	let oldLine = 0;
	let newLine = 0;
	for (const raw of text.split('\n')) {
		const m = HUNK.exec(raw);
		if (m) {
			current = { header: raw, lines: [] };
			hunks.push(current);
			oldLine = Number(m[1]);
			newLine = Number(m[3]);
			continue;
		}
		if (!current || raw.startsWith('--- ') || raw.startsWith('+++ ') || raw.startsWith('\\')) continue;
		let line: DiffLine;
		if (raw.startsWith('+')) {
			line = { kind: 'added', old_line: null, new_line: newLine++, text: raw.slice(1) };
		} else if (raw.startsWith('-')) {
			line = { kind: 'removed', old_line: oldLine++, new_line: null, text: raw.slice(1) };
		} else if (raw.startsWith(' ')) {
			line = { kind: 'context', old_line: oldLine++, new_line: newLine++, text: raw.slice(1) };
		} else {
			continue;
		}
		current.lines.push(line);
	}
	return hunks;
}

const STATUS: Record<ResourceStatus, DiffStatus> = { added: 'added', removed: 'deleted', changed: 'modified' };

/** A rendered resource's diff as a file diff, named after the resource. */
export function resourceFile(r: ResourceDiff): FileDiff {
	const hunks = parseUnified(r.diff);
	const count = (kind: DiffLine['kind']) => hunks.reduce((n, h) => n + h.lines.filter((l) => l.kind === kind).length, 0);
	return {
		path: r.resource,
		old_path: null,
		status: STATUS[r.status],
		additions: count('added'),
		deletions: count('removed'),
		binary: false,
		hunks
	};
}

export function affected(e: Effect): EnvironmentEffect[] {
	return e.environments.filter((x) => x.status !== 'unaffected');
}

export function unaffected(e: Effect): string[] {
	return e.environments.filter((x) => x.status === 'unaffected').map((x) => x.env);
}

/** `changed via base/api.yaml`, `removed by the change`… */
export function describeEnvironment(env: EnvironmentEffect): string {
	const how = { unaffected: 'renders as before', changed: 'changed', added: 'added by the change', removed: 'removed by the change' }[env.status];
	return env.via.length && env.status !== 'unaffected' ? `${how} via ${env.via.join(', ')}` : how;
}

/** One sentence for the whole change: what it touches, or that it touches nothing. */
export function effectSummary(e: Effect): string {
	const hit = affected(e).map((x) => x.env);
	if (e.problems.length) return `does not render: ${e.problems.length} error${e.problems.length === 1 ? '' : 's'}`;
	if (e.redefining.length) return `redefines environments (${e.redefining.join(', ')})${hit.length ? `; changes ${hit.join(', ')}` : ''}`;
	if (!hit.length) return 'no environment renders differently';
	return `changes ${hit.join(', ')}`;
}
