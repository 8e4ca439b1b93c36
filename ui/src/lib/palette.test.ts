import { describe, expect, it } from 'vitest';
import { filterCommands, type PaletteCommand } from './palette';

const cmd = (id: string, title: string, keywords: string[] = []): PaletteCommand => ({
	id,
	title,
	keywords,
	run: () => {}
});

const commands = [
	cmd('folder', 'Open folder…', ['repository']),
	cmd('demo', 'Try the demo'),
	cmd('refresh', 'Refresh repository', ['reload']),
	cmd('recent', 'Open recent: acme-gitops', ['/srv/acme-gitops'])
];

describe('filterCommands', () => {
	it('lists everything when nothing is typed', () => {
		expect(filterCommands(commands, '  ').map((c) => c.id)).toEqual([
			'folder',
			'demo',
			'refresh',
			'recent'
		]);
	});

	it('matches every word anywhere, ignoring case', () => {
		expect(filterCommands(commands, 'OPEN acme').map((c) => c.id)).toEqual(['recent']);
	});

	it('finds commands by keyword', () => {
		expect(filterCommands(commands, 'reload').map((c) => c.id)).toEqual(['refresh']);
	});

	it('puts titles that start with the query first', () => {
		expect(filterCommands(commands, 'repository').map((c) => c.id)).toEqual(['folder', 'refresh']);
		expect(filterCommands(commands, 'refresh').map((c) => c.id)).toEqual(['refresh']);
	});

	it('returns nothing when nothing matches', () => {
		expect(filterCommands(commands, 'promote')).toEqual([]);
	});
});
