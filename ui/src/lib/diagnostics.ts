// Problems (1-based line and column, as the core reports them) to editor ranges. Pure.
import type { Problem } from './generated/types';

export interface Range {
	from: number;
	to: number;
	severity: 'error' | 'warning';
	message: string;
}

/** Offsets of the start of each line of `text`. */
function lineStarts(text: string): number[] {
	const starts = [0];
	for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
	return starts;
}

/**
 * The range each problem marks in `text`: from its column to the end of the word there (at least
 * one character, never past the line); a problem without a line marks the first line.
 */
export function problemRanges(text: string, problems: Problem[]): Range[] {
	const starts = lineStarts(text);
	return problems.map((p) => {
		const line = Math.min(Math.max(p.line ?? 1, 1), starts.length);
		const lineStart = starts[line - 1];
		const lineEnd = line < starts.length ? starts[line] - 1 : text.length;
		const from = Math.min(lineStart + Math.max((p.column ?? 1) - 1, 0), lineEnd);
		let to = from;
		while (to < lineEnd && !/\s/.test(text[to])) to++;
		if (to === from) to = Math.min(from + 1, text.length);
		if (!p.column) to = lineEnd > lineStart ? lineEnd : to;
		return { from, to, severity: p.severity, message: p.message };
	});
}

/** "2 errors, 1 warning" / "No problems". */
export function problemSummary(problems: Problem[]): string {
	const errors = problems.filter((p) => p.severity === 'error').length;
	const warnings = problems.length - errors;
	if (problems.length === 0) return 'No problems';
	const part = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
	return [errors ? part(errors, 'error') : '', warnings ? part(warnings, 'warning') : ''].filter(Boolean).join(', ');
}
