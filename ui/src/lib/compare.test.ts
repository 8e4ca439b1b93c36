import { describe, expect, it } from 'vitest';
import { defaultPair, differenceCount } from './compare';
import type { Difference } from './backend';

describe('compare', () => {
	it('starts with the last step of the promotion order', () => {
		expect(defaultPair([{ name: 'dev' }, { name: 'staging' }, { name: 'prod' }])).toEqual(['staging', 'prod']);
		expect(defaultPair([{ name: 'dev' }, { name: 'prod' }])).toEqual(['dev', 'prod']);
		expect(defaultPair([{ name: 'prod' }])).toEqual(['', '']);
	});

	it('counts differences in words, and says nothing before the answer', () => {
		const d = { workload: 'api', field: 'image', left: null, right: null } as unknown as Difference;
		expect(differenceCount(null)).toBe('');
		expect(differenceCount([])).toBe('0 differences');
		expect(differenceCount([d])).toBe('1 difference');
		expect(differenceCount([d, d])).toBe('2 differences');
	});
});
