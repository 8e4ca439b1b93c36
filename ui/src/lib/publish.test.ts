import { describe, expect, it } from 'vitest';
import { publishSummary, shortId } from './publish';

describe('publishSummary', () => {
	it('counts the files by kind in a fixed order', () => {
		const changed = [
			{ path: 'index.html', kind: 'modified' },
			{ path: 'incidents/a.html', kind: 'added' },
			{ path: 'api/v2/summary.json', kind: 'modified' }
		];
		expect(publishSummary({ changed, unchanged: false })).toBe('3 files change: 1 added, 2 modified.');
	});

	it('says one file in the singular', () => {
		expect(publishSummary({ changed: [{ path: 'old.html', kind: 'deleted' }], unchanged: false })).toBe(
			'1 file changes: 1 deleted.'
		);
	});

	it('says when there is nothing to publish', () => {
		expect(publishSummary({ changed: [], unchanged: true })).toBe('Nothing changed since the last publish.');
	});
});

describe('shortId', () => {
	it('keeps twelve characters', () => {
		expect(shortId('3d741f91c1d98802fefa53a05c33754b2092aded')).toBe('3d741f91c1d9');
	});
});
