// What an error means for people, by its code: the title and the hint come from the core's one
// list of codes (generated into ERROR_WORDS); the UI branches on codes, never on messages.
import { ERROR_WORDS, type ErrorCode, type ErrorReport } from './generated/types';

export interface ErrorWords {
	title: string;
	/** What to do; empty when the message already says it in the hint's own words. */
	hint: string;
}

export function errorWords(error: Pick<ErrorReport, 'code' | 'message'> & { hint?: string }): ErrorWords {
	const words = ERROR_WORDS[error.code];
	if (!words) return { title: 'Something went wrong', hint: error.hint ?? '' };
	// The error's own hint when it has one, else its code's.
	const hint = error.hint || words.hint;
	const said = error.message.toLowerCase().includes(hint.toLowerCase().replace(/\.$/, ''));
	return { title: words.title, hint: said ? '' : hint };
}

/** An error made in the window (a module that did not load), in the shape commands give. */
export function errorReport(
	code: ErrorCode,
	message: string,
	place: Partial<Pick<ErrorReport, 'file' | 'line' | 'column' | 'hint'>> = {}
): ErrorReport {
	return {
		code,
		message,
		file: place.file ?? null,
		line: place.line ?? null,
		column: place.column ?? null,
		hint: place.hint ?? ERROR_WORDS[code]?.hint ?? ''
	};
}
