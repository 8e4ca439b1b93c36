import { describe, expect, it } from 'vitest';
import { affected, describeEnvironment, effectSummary, parseUnified, resourceFile, unaffected } from './effect';
import type { Effect } from './generated/types';

const DIFF = `--- base
+++ head
@@ -24,7 +24,7 @@
         - name: DB_POOL_SIZE
           value: "20"
         - name: FEATURE_NEW_CART
-          value: "false"
+          value: "true"
         image: registry.acme.example/shop/api:1.4.0
`;

function effect(partial: Partial<Effect> = {}): Effect {
	return {
		environments: [
			{ env: 'dev', status: 'unaffected', via: [], fields: [], resources: [] },
			{
				env: 'prod',
				status: 'changed',
				via: ['base/api.yaml'],
				fields: [],
				resources: [{ resource: 'Deployment shop-prod/api', status: 'changed', diff: DIFF }]
			}
		],
		redefining: [],
		problems: [],
		...partial
	};
}

describe('parseUnified', () => {
	it('numbers the lines of each hunk and skips the file headers', () => {
		const [hunk, ...rest] = parseUnified(DIFF);
		expect(rest).toHaveLength(0);
		expect(hunk.header).toBe('@@ -24,7 +24,7 @@');
		expect(hunk.lines.map((l) => [l.kind, l.old_line, l.new_line])).toEqual([
			['context', 24, 24],
			['context', 25, 25],
			['context', 26, 26],
			['removed', 27, null],
			['added', null, 27],
			['context', 28, 28]
		]);
		expect(hunk.lines[3].text).toBe('          value: "false"');
	});

	it('reads an added object (no old lines) and nothing from an empty diff', () => {
		const [h] = parseUnified('--- base\n+++ head\n@@ -0,0 +1,2 @@\n+a: 1\n+b: 2\n');
		expect(h.lines.map((l) => l.new_line)).toEqual([1, 2]);
		expect(parseUnified('')).toEqual([]);
	});
});

describe('resourceFile', () => {
	it('is a file diff named after the resource, with its counts', () => {
		const f = resourceFile({ resource: 'Deployment shop-prod/api', status: 'changed', diff: DIFF });
		expect([f.path, f.status, f.additions, f.deletions]).toEqual(['Deployment shop-prod/api', 'modified', 1, 1]);
		expect(resourceFile({ resource: 'ConfigMap x', status: 'removed', diff: '' }).status).toBe('deleted');
	});
});

describe('environments', () => {
	it('splits affected from unaffected and says how each is reached', () => {
		const e = effect();
		expect(affected(e).map((x) => x.env)).toEqual(['prod']);
		expect(unaffected(e)).toEqual(['dev']);
		expect(describeEnvironment(e.environments[1])).toBe('changed via base/api.yaml');
		expect(describeEnvironment(e.environments[0])).toBe('renders as before');
	});

	it('sums the change up in one sentence', () => {
		expect(effectSummary(effect())).toBe('changes prod');
		expect(effectSummary(effect({ environments: [] }))).toBe('no environment renders differently');
		expect(effectSummary(effect({ redefining: ['.wheelhouse/config.yaml'] }))).toBe(
			'redefines environments (.wheelhouse/config.yaml); changes prod'
		);
		expect(
			effectSummary(effect({ problems: [{ code: 'invalid_file', file: 'a.yaml', line: 1, column: 2, message: 'x', severity: 'error' }] }))
		).toBe('does not render: 1 error');
	});
});
