// What the Monitors panel says of the checking in the background.
import type { MonitorWatchView } from './generated/types';

/** `1796659510` → `16:45:10 (UTC)`: the time of day, to the second, as the panel's other times are (UTC). */
export function clockUtc(unix: number): string {
	const d = new Date(unix * 1000);
	const p = (n: number) => String(n).padStart(2, '0');
	return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} (UTC)`;
}

/** One line under Keep checking: running now, or when the next round starts. */
export function watchLine(w: MonitorWatchView): string {
	if (w.checking) return 'Checking in the background…';
	const next = w.next_check_unix ? ` · next check at ${clockUtc(w.next_check_unix)}` : '';
	return `In the background while Wheelhouse is open${next}`;
}
