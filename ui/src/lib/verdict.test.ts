import { describe, expect, it } from 'vitest';
import { describeSignature, VERDICT_LABEL } from './verdict';

describe('verdict words', () => {
	it('names every state with a word and a mark', () => {
		for (const v of Object.values(VERDICT_LABEL)) {
			expect(v.word.length).toBeGreaterThan(3);
			expect(v.icon.length).toBeGreaterThan(0);
		}
	});

	it('says why a signature does not count', () => {
		expect(describeSignature({ state: 'missing' })).toBe('not signed');
		expect(describeSignature({ state: 'wrong_principal', fingerprint: 'SHA256:x', key_principals: ['mallory@evil.example'] })).toBe(
			'signed with a key that belongs to mallory@evil.example'
		);
		expect(describeSignature({ state: 'valid', fingerprint: 'SHA256:abc', principal: 'maya@acme.example' })).toBe('signed (SHA256:abc)');
	});
});
