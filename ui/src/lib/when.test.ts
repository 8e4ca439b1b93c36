import { describe, expect, it } from 'vitest';
import { formatLocal, localInputValue, timeZones } from './when';

describe('formatLocal', () => {
	it('keeps the offset the file was written with', () => {
		expect(formatLocal('2026-10-16T09:12:00+02:00')).toBe('16 Oct 2026, 09:12 (+02:00)');
		expect(formatLocal('2026-12-03T22:00:00Z')).toBe('3 Dec 2026, 22:00 (UTC)');
		expect(formatLocal('not a time')).toBe('not a time');
	});
});

describe('localInputValue', () => {
	it('is what a datetime-local input takes', () => {
		expect(localInputValue(new Date(2026, 11, 3, 22, 5))).toBe('2026-12-03T22:05');
	});
});

describe('timeZones', () => {
	it('puts the page zone first, then UTC, without duplicates', () => {
		expect(timeZones('Europe/Berlin', ['Africa/Abidjan', 'Europe/Berlin', 'UTC'])).toEqual(['Europe/Berlin', 'UTC', 'Africa/Abidjan']);
		expect(timeZones('UTC', ['UTC', 'Asia/Tokyo'])).toEqual(['UTC', 'Asia/Tokyo']);
	});
});
