// Helm values (flattened `a.b[0].c` keys, as the core resolves them) as a tree. Pure.
import type { NamedValue } from './generated/types';

export interface ValueNode {
	/** The segment shown: `database`, `[0]`, `pool`. */
	label: string;
	/** The full key of this node: `database.pool`. */
	key: string;
	/** Set on leaves. */
	value?: NamedValue;
	children: ValueNode[];
}

/** `ingress.hosts[0].host` → `['ingress', 'hosts', '[0]', 'host']`. */
export function splitKey(key: string): string[] {
	const out: string[] = [];
	for (const part of key.split('.')) {
		const m = part.match(/^([^[]*)((?:\[\d+\])*)$/);
		if (!m) {
			out.push(part);
			continue;
		}
		if (m[1]) out.push(m[1]);
		for (const idx of m[2].match(/\[\d+\]/g) ?? []) out.push(idx);
	}
	return out;
}

function joinKey(parent: string, seg: string): string {
	if (!parent) return seg;
	return seg.startsWith('[') ? `${parent}${seg}` : `${parent}.${seg}`;
}

/** The tree of `values`, in the order keys first appear. */
export function buildTree(values: NamedValue[]): ValueNode[] {
	const root: ValueNode = { label: '', key: '', children: [] };
	const index = new Map<string, ValueNode>([['', root]]);
	for (const v of values) {
		let parent = root;
		for (const seg of splitKey(v.name)) {
			const key = joinKey(parent.key, seg);
			let node = index.get(key);
			if (!node) {
				node = { label: seg, key, children: [] };
				index.set(key, node);
				parent.children.push(node);
			}
			parent = node;
		}
		parent.value = v;
	}
	return root.children;
}

/** The nodes whose key or value contains `query` (case-insensitive), with their ancestors. */
export function filterTree(nodes: ValueNode[], query: string): ValueNode[] {
	const q = query.trim().toLowerCase();
	if (!q) return nodes;
	const keep = (n: ValueNode): ValueNode | null => {
		const self = n.key.toLowerCase().includes(q) || (n.value?.value.value.toLowerCase().includes(q) ?? false);
		if (self) return n;
		const children = n.children.map(keep).filter((c): c is ValueNode => c !== null);
		return children.length ? { ...n, children } : null;
	};
	return nodes.map(keep).filter((c): c is ValueNode => c !== null);
}

/** How many leaves are under `node` (itself included when it is one). */
export function leafCount(node: ValueNode): number {
	return (node.value ? 1 : 0) + node.children.reduce((n, c) => n + leafCount(c), 0);
}
