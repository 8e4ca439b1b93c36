// Pure formatting of core views for people. No I/O, no framework: unit-tested in format.test.ts.
import type { ChangeKind, UpstreamState } from './generated/types';

/** "just now", "5 minutes ago", "3 days ago", or a date for anything older than a month. */
export function relativeTime(unix: number, nowUnix: number): string {
	const seconds = Math.max(0, nowUnix - unix);
	const units: [number, string][] = [
		[60, 'second'],
		[60, 'minute'],
		[24, 'hour'],
		[30, 'day']
	];
	if (seconds < 45) return 'just now';
	let value = seconds;
	for (let i = 1; i < units.length; i++) {
		const prev = value;
		value = Math.floor(value / units[i - 1][0]);
		if (value < units[i][0]) {
			const n = i === 1 ? Math.max(1, Math.round(prev / 60)) : value;
			const name = units[i][1];
			return `${n} ${name}${n === 1 ? '' : 's'} ago`;
		}
	}
	return absoluteDate(unix);
}

/** `2026-10-16` in UTC: stable across machines, fine for "older than a month". */
export function absoluteDate(unix: number): string {
	return new Date(unix * 1000).toISOString().slice(0, 10);
}

/** The author's local time as recorded in the commit: `2026-10-16 09:12 +02:00`. */
export function commitTime(unix: number, offsetMinutes: number): string {
	const local = new Date((unix + offsetMinutes * 60) * 1000).toISOString();
	const sign = offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(offsetMinutes);
	const hh = String(Math.floor(abs / 60)).padStart(2, '0');
	const mm = String(abs % 60).padStart(2, '0');
	return `${local.slice(0, 10)} ${local.slice(11, 16)} ${sign}${hh}:${mm}`;
}

export type SyncTone = 'in-sync' | 'behind' | 'ahead' | 'diverged' | 'no-upstream';

export interface SyncSummary {
	tone: SyncTone;
	/** Short text for the header, never colour alone. */
	label: string;
	/** A sentence for the tooltip and screen readers. */
	detail: string;
}

/** What the header says about the branch and its upstream, as of the last fetch. */
export function describeSync(upstream: UpstreamState | null, nowUnix: number): SyncSummary {
	if (!upstream) {
		return {
			tone: 'no-upstream',
			label: 'Local only',
			detail: 'This branch has no upstream branch, so there is nothing to pull or push.'
		};
	}
	const fetched =
		upstream.last_fetched_unix === null
			? 'never fetched'
			: `fetched ${relativeTime(upstream.last_fetched_unix, nowUnix)}`;
	const { ahead, behind, name } = upstream;
	const commits = (n: number) => `${n} commit${n === 1 ? '' : 's'}`;
	if (ahead === 0 && behind === 0) {
		return { tone: 'in-sync', label: `Up to date`, detail: `In step with ${name} (${fetched}).` };
	}
	if (ahead > 0 && behind > 0) {
		return {
			tone: 'diverged',
			label: `↑${ahead} ↓${behind}`,
			detail: `Diverged from ${name}: ${commits(ahead)} to push, ${commits(behind)} to pull (${fetched}).`
		};
	}
	if (behind > 0) {
		return {
			tone: 'behind',
			label: `↓${behind} to pull`,
			detail: `${commits(behind)} on ${name} not pulled yet (${fetched}).`
		};
	}
	return {
		tone: 'ahead',
		label: `↑${ahead} to push`,
		detail: `${commits(ahead)} not pushed to ${name} yet (${fetched}).`
	};
}

const CHANGE_LABELS: Record<ChangeKind, string> = {
	added: 'Added',
	modified: 'Modified',
	deleted: 'Deleted',
	renamed: 'Renamed',
	type_changed: 'Type changed',
	untracked: 'New',
	conflicted: 'Conflict'
};

export function changeLabel(kind: ChangeKind): string {
	return CHANGE_LABELS[kind];
}
