// Pure formatting of core views for people. No I/O, no framework: unit-tested in format.test.ts.
import type {
	ChangeKind,
	SyncStatusView,
	TransferProgress,
	UpdateBlock,
	UpstreamState
} from './generated/types';

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

export type SyncTone =
	| 'in-sync'
	| 'behind'
	| 'ahead'
	| 'diverged'
	| 'no-upstream'
	| 'blocked'
	| 'syncing'
	| 'offline'
	| 'error';

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

/** Why incoming commits wait, in one sentence. */
export function describeBlock(block: UpdateBlock): string {
	switch (block.kind) {
		case 'local_edits':
			return `Not pulled: the incoming commits change ${block.paths.join(', ')}, which you edited and have not committed. Commit or discard those edits first.`;
		case 'diverged':
			return `Not pulled: this branch has ${block.ahead} commit(s) the remote lacks, and the remote has ${block.behind} this branch lacks. They need a merge or a rebase.`;
		case 'detached_head':
			return 'Not pulled: HEAD is not on a branch.';
		case 'operation_in_progress':
			return `Not pulled: a ${block.operation} is under way. Finish or abort it first.`;
	}
}

/** The header's sync badge: the background loop's state first, then ahead/behind. */
export function describeSyncStatus(
	sync: SyncStatusView | null,
	upstream: UpstreamState | null,
	nowUnix: number
): SyncSummary {
	if (sync?.phase === 'syncing') {
		return { tone: 'syncing', label: 'Syncing…', detail: 'Fetching from the remote.' };
	}
	if (sync?.phase === 'offline') {
		const retry =
			sync.next_attempt_unix !== null && sync.next_attempt_unix > nowUnix
				? ` Retrying in ${Math.max(1, sync.next_attempt_unix - nowUnix)} s.`
				: '';
		return { tone: 'offline', label: 'Offline', detail: `${sync.message ?? 'The remote cannot be reached.'}${retry}` };
	}
	if (sync?.phase === 'error') {
		return { tone: 'error', label: 'Sync failed', detail: sync.message ?? 'The last sync failed.' };
	}
	const state = sync?.state;
	if (state && state.upstream) {
		if (state.blocked && state.behind > 0) {
			return { tone: 'blocked', label: `↓${state.behind} waiting`, detail: describeBlock(state.blocked) };
		}
		return describeSync(
			{
				name: state.upstream,
				ahead: state.ahead,
				behind: state.behind,
				last_fetched_unix: sync?.last_success_unix ?? upstream?.last_fetched_unix ?? null
			},
			nowUnix
		);
	}
	return describeSync(upstream, nowUnix);
}

/** "Receiving 120/480 objects · 1.2 MiB at 640 KiB/s". */
export function describeProgress(p: TransferProgress | null): string {
	if (!p) return 'Connecting…';
	const phase: Record<TransferProgress['phase'], string> = {
		connecting: 'Connecting',
		receiving: 'Receiving',
		resolving: 'Resolving deltas',
		checking_out: 'Checking out files',
		pushing: 'Pushing',
		done: 'Done'
	};
	const count = p.objects_total > 0 ? `${p.objects_done}/${p.objects_total}` : `${p.objects_done}`;
	return `${phase[p.phase]} ${count} objects · ${formatBytes(p.bytes)} at ${formatBytes(p.bytes_per_second)}/s`;
}

export function formatBytes(n: number): string {
	if (n < 1024) return `${n} B`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
	return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
