// The command palette's model: which commands match what was typed, best first. Pure.

export interface PaletteCommand {
	id: string;
	title: string;
	/** Shown on the right: a shortcut or a path. */
	hint?: string;
	/** Extra words that should find this command. */
	keywords?: string[];
	run: () => void;
}

/**
 * Commands whose title or keywords contain every typed word (case-insensitive), those whose
 * title starts with the query first; otherwise the original order.
 */
export function filterCommands(commands: PaletteCommand[], query: string): PaletteCommand[] {
	const words = query.toLowerCase().split(/\s+/).filter(Boolean);
	if (words.length === 0) return commands;
	const q = query.trim().toLowerCase();
	return commands
		.map((command, index) => {
			const haystack = [command.title, command.hint ?? '', ...(command.keywords ?? [])]
				.join(' ')
				.toLowerCase();
			const matches = words.every((w) => haystack.includes(w));
			const rank = command.title.toLowerCase().startsWith(q) ? 0 : 1;
			return { command, index, matches, rank };
		})
		.filter((c) => c.matches)
		.sort((a, b) => a.rank - b.rank || a.index - b.index)
		.map((c) => c.command);
}
