import { describe, expect, it } from 'vitest';
import { loadFlag, saveFlag } from './prefs';

describe('flags', () => {
	it('remembers a flag and falls back when unset or unreadable', () => {
		const map = new Map<string, string>();
		const store = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
		expect(loadFlag('matrix.details', true, store)).toBe(true);
		saveFlag('matrix.details', false, store);
		expect(map.get('wheelhouse.matrix.details')).toBe('false');
		expect(loadFlag('matrix.details', true, store)).toBe(false);
		map.set('wheelhouse.matrix.details', 'garbage');
		expect(loadFlag('matrix.details', true, store)).toBe(true);
		const broken = {
			getItem: () => {
				throw new Error('denied');
			},
			setItem: () => {
				throw new Error('full');
			}
		};
		expect(loadFlag('matrix.details', true, broken)).toBe(true);
		expect(() => saveFlag('matrix.details', true, broken)).not.toThrow();
		expect(loadFlag('x', false, null)).toBe(false);
	});

	it('uses the web view storage by default', () => {
		saveFlag('matrix.details', false);
		expect(loadFlag('matrix.details', true)).toBe(false);
		localStorage.clear();
	});
});
