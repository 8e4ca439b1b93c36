import { describe, expect, it } from 'vitest';
import type { Cell, EnvironmentInfo, MatrixRow } from './generated/types';
import { cellAt, cellText, columnWidths, rowCellsHtml, workloadColumnWidth, type CellContext } from './matrixcells';

const env = (name: string): EnvironmentInfo => ({ name, protected: false, paths: [], sources: [], stage: null });
const cell = (over: Partial<Cell> = {}): Cell => ({
	tags: ['1.4.2'],
	replicas: '3',
	chart_version: null,
	differs_from_previous: false,
	overridden: false,
	not_evaluated: [],
	...over
});
const ctx = (over: Partial<CellContext> = {}): CellContext => ({
	envs: [env('dev'), env('staging'), env('prod')],
	compact: false,
	linked: new Map(),
	...over
});

/** The row's cells, parsed as the browser parses them. */
function parse(html: string): HTMLTableCellElement[] {
	const tr = document.createElement('tr');
	tr.innerHTML = html;
	document.createElement('table').appendChild(document.createElement('tbody')).appendChild(tr);
	return [...tr.querySelectorAll('td')];
}

describe('rowCellsHtml', () => {
	const row: MatrixRow = {
		id: 'checkout',
		kind: 'deployment',
		cells: [cell(), cell({ tags: ['1.5.0'], differs_from_previous: true, overridden: true }), null]
	};

	it('makes one cell per environment, with what the view needs to find and click it', () => {
		const tds = parse(rowCellsHtml(row, 4, 1, ctx()));
		expect(tds.map((td) => td.id)).toEqual(['cell-4-0', 'cell-4-1', 'cell-4-2']);
		expect(tds.map((td) => td.dataset.testid)).toEqual(['cell-checkout-dev', 'cell-checkout-staging', 'cell-checkout-prod']);
		expect(tds[0].textContent).toBe('1.4.2×3');
		expect(tds[1].classList.contains('active')).toBe(true);
		expect(tds[0].classList.contains('active')).toBe(false);
		expect(tds[1].classList.contains('differs')).toBe(true);
		expect(tds[1].querySelector('.badge')?.textContent).toBe('≠ dev');
		expect(tds[1].textContent).toContain('overridden in staging');
		expect(tds[2].textContent).toBe('not deployed');
	});

	it('says less in words when compact, and the same to a screen reader', () => {
		const [, second] = parse(rowCellsHtml(row, 0, -1, ctx({ compact: true })));
		const badge = second.querySelector('.badge');
		expect(badge?.getAttribute('title')).toBe('Differs from dev');
		expect(badge?.querySelector('[aria-hidden="true"]')?.textContent).toBe('≠');
		expect(badge?.querySelector('.visually-hidden')?.textContent).toBe('differs from dev');
	});

	it('marks what was not evaluated and shows the status page component standing for the cell', () => {
		const marked: MatrixRow = {
			id: 'api',
			kind: 'deployment',
			cells: [cell({ not_evaluated: ['exec plugin in overlays/dev/kustomization.yaml'] }), null, null]
		};
		const linked = new Map([['dev/api', { id: 'api', name: 'Public API', shown: 'partial_outage' }]]);
		const [td] = parse(rowCellsHtml(marked, 0, -1, ctx({ linked })));
		const mark = td.querySelector('[data-testid="cell-not-evaluated-api-dev"]');
		expect(mark?.getAttribute('title')).toBe('Not evaluated, may change what is shown:\nexec plugin in overlays/dev/kustomization.yaml');
		const comp = td.querySelector('[data-testid="cell-status-api-dev"]');
		expect(comp?.classList.contains('s-partial_outage')).toBe(true);
		expect(comp?.getAttribute('title')).toBe('Status page: Public API is partial outage');
		expect(comp?.textContent).toContain('Partial outage');
	});

	it('escapes every text that comes from the repository', () => {
		const hostile: MatrixRow = {
			id: '"><img src=x onerror=alert(1)>',
			kind: 'deployment',
			cells: [
				cell({ tags: ['<script>alert(1)</script>'], replicas: '<b>2</b>', not_evaluated: ['"><i>x</i>'] }),
				null,
				null
			]
		};
		const envs = [env('dev"><svg onload=alert(1)>'), env('staging'), env('prod')];
		const tds = parse(rowCellsHtml(hostile, 0, -1, ctx({ envs })));
		expect(tds).toHaveLength(3);
		expect(tds[0].querySelector('img, script, svg, b, i')).toBeNull();
		expect(tds[0].dataset.testid).toBe('cell-"><img src=x onerror=alert(1)>-dev"><svg onload=alert(1)>');
		expect(tds[0].querySelector('.mono')?.textContent).toBe('<script>alert(1)</script>');
		expect(tds[0].querySelector('.replicas')?.textContent).toBe('×<b>2</b>');
	});
});

describe('cellText', () => {
	it('joins image tags and the chart version, or shows a dash', () => {
		expect(cellText(cell({ tags: ['1.0', '', '2.0'], chart_version: '4.1.0' }))).toBe('1.0, 2.0, chart 4.1.0');
		expect(cellText(cell({ tags: [] }))).toBe('—');
	});
});

describe('cellAt', () => {
	it('finds the cell a click landed in, also on text inside it', () => {
		const [td] = parse(rowCellsHtml({ id: 'a', kind: 'deployment', cells: [cell(), null, null] }, 7, -1, ctx()));
		expect(cellAt(td.querySelector('.mono'))).toEqual({ row: 7, col: 0 });
		expect(cellAt(td)).toEqual({ row: 7, col: 0 });
		expect(cellAt(document.body)).toBeNull();
		expect(cellAt(null)).toBeNull();
	});
});

describe('only the columns in view', () => {
	it('stands for the others with one empty cell on each side, so the columns keep their places', () => {
		const row: MatrixRow = { id: 'a', kind: 'deployment', cells: [cell(), cell(), cell(), cell(), cell()] };
		const context = ctx({ envs: ['e0', 'e1', 'e2', 'e3', 'e4'].map(env) });
		const tds = parse(rowCellsHtml(row, 0, 2, context, { start: 1, end: 3 }));
		expect(tds.map((td) => td.colSpan)).toEqual([1, 1, 1, 2]);
		expect(tds.map((td) => td.dataset.testid ?? 'spacer')).toEqual(['spacer', 'cell-a-e1', 'cell-a-e2', 'spacer']);
		expect(tds[2].classList.contains('active')).toBe(true);
		expect(parse(rowCellsHtml(row, 0, -1, context, { start: 0, end: 5 })).length).toBe(5);
	});
});

describe('columnWidths', () => {
	it('fits the widest cell and the header of each column', () => {
		const envs = [env('dev'), env('a-rather-long-environment-name')];
		const rows: MatrixRow[] = [
			{ id: 'a', kind: 'deployment', cells: [cell({ tags: ['1.0'], replicas: '1' }), cell({ tags: ['1.0'] })] },
			{ id: 'b', kind: 'deployment', cells: [cell({ tags: ['sha256-0123456789abcdef'], replicas: '12', differs_from_previous: true }), null] }
		];
		const [dev, long] = columnWidths(rows, ctx({ envs }), 7);
		expect(dev).toBeGreaterThanOrEqual(('sha256-0123456789abcdef'.length + 3 + 2) * 7);
		expect(long).toBeGreaterThanOrEqual('a-rather-long-environment-name'.length * 7);
		const linked = new Map([['dev/a', { id: 'x', name: 'X', shown: 'degraded_performance' }]]);
		const [narrow] = columnWidths([rows[0]], ctx({ envs: [env('dev')] }), 7);
		const [withStatus] = columnWidths([rows[0]], ctx({ envs: [env('dev')], linked }), 7);
		expect(withStatus).toBeGreaterThan(narrow);
	});
});

describe('workloadColumnWidth', () => {
	const rows = (ids: string[]): MatrixRow[] => ids.map((id) => ({ id, kind: 'deployment', cells: [] }));

	it('fits the longest name, within bounds, also for 50,000 rows', () => {
		expect(workloadColumnWidth(rows(['a']), 7)).toBe(140);
		expect(workloadColumnWidth(rows(['a', 'x'.repeat(30)]), 7)).toBe(30 * 7 + 26);
		expect(workloadColumnWidth(rows(['x'.repeat(200)]), 7)).toBe(320);
		expect(workloadColumnWidth(rows(Array.from({ length: 50_000 }, (_, i) => `svc-${i}`)), 7)).toBe(140);
	});
});
