import { describe, expect, it } from 'vitest';
import { asErrorReport } from './backend';
import { errorReport, errorWords } from './errors';
import { ERROR_WORDS, type ErrorCode } from './generated/types';

describe('errorWords', () => {
	it('gives every code its title and hint from the core', () => {
		for (const code of Object.keys(ERROR_WORDS) as ErrorCode[]) {
			const words = errorWords({ code, message: 'Something particular happened.' });
			expect(words.title).toBe(ERROR_WORDS[code].title);
			expect(words.hint).toBe(ERROR_WORDS[code].hint);
			expect(words.title.length).toBeGreaterThan(3);
		}
	});

	it('leaves the hint out when the message already gives it', () => {
		const hint = ERROR_WORDS.file_changed.hint;
		const words = errorWords({ code: 'file_changed', message: `a.yaml changed. ${hint}` });
		expect(words.title).toBe(ERROR_WORDS.file_changed.title);
		expect(words.hint).toBe('');
	});

	it('names an unknown code plainly instead of failing', () => {
		const words = errorWords({ code: 'no_such_code' as ErrorCode, message: 'x' });
		expect(words).toEqual({ title: 'Something went wrong', hint: '' });
	});

	it("prefers the error's own hint to its code's", () => {
		const words = errorWords(errorReport('invalid_yaml', 'a.yaml:3:1: a tab', { hint: 'Indent with spaces.' }));
		expect(words.hint).toBe('Indent with spaces.');
	});
});

describe('asErrorReport', () => {
	it('keeps the place a command gave and fills what it left out', () => {
		const r = asErrorReport({ code: 'invalid_yaml', message: 'a.yaml:3:1: bad', file: 'a.yaml', line: 3, column: 1 });
		expect(r).toEqual({
			code: 'invalid_yaml',
			message: 'a.yaml:3:1: bad',
			file: 'a.yaml',
			line: 3,
			column: 1,
			hint: ERROR_WORDS.invalid_yaml.hint
		});
	});

	it('makes anything else an io error saying what was thrown', () => {
		const r = asErrorReport('boom');
		expect(r.code).toBe('io');
		expect(r.message).toBe('Unexpected error: boom');
		expect(r.file).toBeNull();
	});
});
