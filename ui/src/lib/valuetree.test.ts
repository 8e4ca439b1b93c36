import { describe, expect, it } from 'vitest';
import { buildTree, filterTree, leafCount, splitKey } from './valuetree';
import type { NamedValue } from './generated/types';

const v = (name: string, value: string, layer: 'base' | 'environment' = 'base'): NamedValue => ({
	name,
	value: { value, source: { file: 'charts/web/values.yaml', path: name, line: 1, layer } }
});

describe('splitKey', () => {
	it('splits dots and indexes', () => {
		expect(splitKey('ingress.hosts[0].host')).toEqual(['ingress', 'hosts', '[0]', 'host']);
		expect(splitKey('matrix[1][2]')).toEqual(['matrix', '[1]', '[2]']);
		expect(splitKey('replicaCount')).toEqual(['replicaCount']);
	});
});

describe('buildTree', () => {
	const values = [
		v('replicaCount', '2'),
		v('image.repository', 'acme/web'),
		v('image.tag', '2.0.1', 'environment'),
		v('ingress.hosts[0].host', 'web.acme.example'),
		v('ingress.hosts[1].host', 'www.acme.example')
	];

	it('nests keys in first-seen order, leaves carry the value and its source', () => {
		const tree = buildTree(values);
		expect(tree.map((n) => n.label)).toEqual(['replicaCount', 'image', 'ingress']);
		const image = tree[1];
		expect(image.children.map((c) => [c.label, c.key, c.value?.value.value])).toEqual([
			['repository', 'image.repository', 'acme/web'],
			['tag', 'image.tag', '2.0.1']
		]);
		const hosts = tree[2].children[0];
		expect(hosts.children.map((c) => c.key)).toEqual(['ingress.hosts[0]', 'ingress.hosts[1]']);
		expect(hosts.children[1].children[0].value?.name).toBe('ingress.hosts[1].host');
		expect(leafCount(tree[2])).toBe(2);
	});

	it('filters by key or value, keeping ancestors', () => {
		const tree = buildTree(values);
		const byValue = filterTree(tree, 'WWW');
		expect(byValue.map((n) => n.key)).toEqual(['ingress']);
		expect(byValue[0].children[0].children.map((c) => c.key)).toEqual(['ingress.hosts[1]']);
		expect(filterTree(tree, 'image.t')[0].children.map((c) => c.key)).toEqual(['image.tag']);
		expect(filterTree(tree, ' ')).toBe(tree);
		expect(filterTree(tree, 'nothing-like-this')).toEqual([]);
	});
});
