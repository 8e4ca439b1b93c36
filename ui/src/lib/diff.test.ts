import { describe, expect, it } from 'vitest';
import { splitRows } from './diff';
import type { DiffLine } from './generated/types';

const ctx = (n: number, text: string): DiffLine => ({ kind: 'context', old_line: n, new_line: n, text });
const del = (n: number, text: string): DiffLine => ({ kind: 'removed', old_line: n, new_line: null, text });
const add = (n: number, text: string): DiffLine => ({ kind: 'added', old_line: null, new_line: n, text });

describe('splitRows', () => {
	it('pairs a changed line with its replacement', () => {
		const rows = splitRows([ctx(1, 'a'), del(2, 'tag: 1.0'), add(2, 'tag: 1.1'), ctx(3, 'c')]);
		expect(rows.map((r) => [r.left?.text ?? null, r.right?.text ?? null])).toEqual([
			['a', 'a'],
			['tag: 1.0', 'tag: 1.1'],
			['c', 'c']
		]);
	});

	it('leaves blanks where one side has more lines', () => {
		const rows = splitRows([del(1, 'x'), add(1, 'y'), add(2, 'z')]);
		expect(rows.map((r) => [r.left?.text ?? null, r.right?.text ?? null])).toEqual([
			['x', 'y'],
			[null, 'z']
		]);
	});

	it('does not pair an addition with a later removal', () => {
		const rows = splitRows([add(1, 'new'), del(5, 'old')]);
		expect(rows.map((r) => [r.left?.text ?? null, r.right?.text ?? null])).toEqual([
			[null, 'new'],
			['old', null]
		]);
	});
});
