// Times for the status editor. Pure.

/** `2026-10-16T09:12:00+02:00` → `16 Oct 2026, 09:12 (+02:00)`: the time as the file says it. */
export function formatLocal(rfc3339: string): string {
	const m = rfc3339.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/);
	if (!m) return rfc3339;
	const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
	const [, y, mo, d, h, mi, zone] = m;
	return `${Number(d)} ${months[Number(mo) - 1]} ${y}, ${h}:${mi} (${zone === 'Z' ? 'UTC' : zone})`;
}

/** The value a `datetime-local` input takes for `date` in this machine's zone. */
export function localInputValue(date: Date): string {
	const p = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}`;
}

/** IANA zones to choose from, `preferred` first (the page's zone), then UTC, then the rest. */
export function timeZones(preferred: string, all: string[] = supported()): string[] {
	const rest = all.filter((z) => z !== preferred && z !== 'UTC');
	return [preferred, ...(preferred === 'UTC' ? [] : ['UTC']), ...rest];
}

function supported(): string[] {
	const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
	try {
		return intl.supportedValuesOf?.('timeZone') ?? [];
	} catch {
		return [];
	}
}
