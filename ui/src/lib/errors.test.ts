import { describe, expect, it } from 'vitest';
import { errorWords } from './errors';
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
});
