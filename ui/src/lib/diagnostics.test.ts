import { describe, expect, it } from 'vitest';
import { problemRanges, problemSummary } from './diagnostics';
import type { Problem } from './generated/types';

const p = (line: number | null, column: number | null, severity: 'error' | 'warning' = 'error'): Problem => ({
	code: severity === 'error' ? 'invalid_file' : 'not_evaluated',
	file: 'a.yaml',
	line,
	column,
	message: 'm',
	severity
});

describe('problemRanges', () => {
	const text = 'kind: Deployment\nspec:\n  replicas: two\n';

	it('marks the word at the column', () => {
		const [r] = problemRanges(text, [p(3, 13)]);
		expect(text.slice(r.from, r.to)).toBe('two');
	});

	it('marks the whole line when there is no column', () => {
		const [r] = problemRanges(text, [p(2, null)]);
		expect(text.slice(r.from, r.to)).toBe('spec:');
	});

	it('clamps lines and columns past the end', () => {
		const [a, b] = problemRanges(text, [p(99, 1), p(1, 400)]);
		expect(a.from).toBeLessThanOrEqual(text.length);
		expect(b.from).toBe(text.indexOf('\n'));
		expect(b.to).toBeGreaterThan(b.from);
	});

	it('handles an empty text and a problem without a place', () => {
		const [r] = problemRanges('', [p(null, null, 'warning')]);
		expect(r).toEqual({ from: 0, to: 0, severity: 'warning', message: 'm' });
	});
});

describe('problemSummary', () => {
	it('counts errors and warnings', () => {
		expect(problemSummary([])).toBe('No problems');
		expect(problemSummary([p(1, 1), p(2, 1), p(3, 1, 'warning')])).toBe('2 errors, 1 warning');
		expect(problemSummary([p(1, 1, 'warning')])).toBe('1 warning');
	});
});
