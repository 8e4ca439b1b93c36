import { describe, expect, it } from 'vitest';
import { checksLine, sparkline } from './sparkline';

describe('sparkline', () => {
	it('scales the largest value to the top and spreads the hours across the width', () => {
		expect(sparkline([0, 50, 100], 100, 20)).toEqual(['0,20 50,10 100,0']);
	});
	it('breaks the line where an hour has no measurement', () => {
		expect(sparkline([10, null, 10, 20], 30, 10)).toEqual(['0,5', '20,5 30,0']);
	});
	it('draws nothing without measurements, and a dot for one', () => {
		expect(sparkline([null, null], 10, 10)).toEqual([]);
		expect(sparkline([5], 10, 10)).toEqual(['0,0']);
	});
});

describe('checksLine', () => {
	it('says how the last day went', () => {
		expect(checksLine(0, 0)).toBe('no checks in the last 24 h');
		expect(checksLine(1440, 0)).toBe('1,440 checks, all passed');
		expect(checksLine(1440, 3)).toBe('1,440 checks, 3 failed');
	});
});
