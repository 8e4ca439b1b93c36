// What an error means for people, by its code: the title and the hint come from the core's one
// list of codes (generated into ERROR_WORDS); the UI branches on codes, never on messages.
import { ERROR_WORDS, type CommandError } from './generated/types';

export interface ErrorWords {
	title: string;
	/** What to do; empty when the message already says it in the hint's own words. */
	hint: string;
}

export function errorWords(error: Pick<CommandError, 'code' | 'message'>): ErrorWords {
	const words = ERROR_WORDS[error.code];
	if (!words) return { title: 'Something went wrong', hint: '' };
	const said = error.message.toLowerCase().includes(words.hint.toLowerCase().replace(/\.$/, ''));
	return { title: words.title, hint: said ? '' : words.hint };
}
