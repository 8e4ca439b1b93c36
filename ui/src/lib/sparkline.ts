// A sparkline's geometry: hourly values (null where nothing was measured) as SVG polylines,
// one per run of values without a gap, scaled into a width × height box (larger is higher).

/** The `points` of each polyline; the scale's top is the largest value (or 1). */
export function sparkline(values: (number | null)[], width: number, height: number): string[] {
	const top = Math.max(1, ...values.filter((v): v is number => v !== null));
	const step = values.length > 1 ? width / (values.length - 1) : 0;
	const lines: string[] = [];
	let current: string[] = [];
	values.forEach((v, i) => {
		if (v === null) {
			if (current.length > 0) lines.push(current.join(' '));
			current = [];
			return;
		}
		const x = Math.round(i * step * 10) / 10;
		const y = Math.round((height - (v / top) * height) * 10) / 10;
		current.push(`${x},${y}`);
	});
	if (current.length > 0) lines.push(current.join(' '));
	return lines;
}

/** "1,440 checks, 2 failed" — or "no checks" — for the last day. */
export function checksLine(checks: number, failures: number): string {
	if (checks === 0) return 'no checks in the last 24 h';
	const n = checks.toLocaleString('en-US');
	return failures === 0 ? `${n} checks, all passed` : `${n} checks, ${failures.toLocaleString('en-US')} failed`;
}
