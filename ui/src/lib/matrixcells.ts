// The matrix's cells as HTML, one row at a time. The Environments view shows hundreds of cells at
// once (30 environments × the rows in view); made as one string per row and parsed by the
// browser, they appear several times faster than as components, which matters most the first
// time the view opens. Every text from the repository is escaped. Pure.
import escapeHtml from 'escape-html';
import type { Cell, EnvironmentInfo, MatrixRow } from './generated/types';
import { statusLabel } from './preview';

/** A status page component standing for a cell. */
export interface LinkedComponent {
	id: string;
	name: string;
	shown: string;
}

export interface CellContext {
	envs: EnvironmentInfo[];
	/** Many environments: cells say less in words (titles and hidden text say it all). */
	compact: boolean;
	/** Status page components, by `env/workload`. */
	linked: Map<string, LinkedComponent>;
}

/** What a cell shows: its image tags and chart version, or a dash. */
export function cellText(c: Cell): string {
	const parts = c.tags.filter((t) => t);
	if (c.chart_version) parts.push(`chart ${c.chart_version}`);
	return parts.join(', ') || '—';
}

/**
 * The `<td>` cells of row `r` (`row`), the cell in column `activeCol` marked active (-1: none).
 * Each cell carries `data-row` and `data-col` for the table's click handler. With `cols`, only
 * those columns are made, the others stood for by one empty cell spanning them on each side.
 */
export function rowCellsHtml(
	row: MatrixRow,
	r: number,
	activeCol: number,
	ctx: CellContext,
	cols: { start: number; end: number } = { start: 0, end: row.cells.length }
): string {
	const spacer = (span: number) => (span > 0 ? `<td class="col-spacer" colspan="${span}" aria-hidden="true"></td>` : '');
	let html = spacer(cols.start);
	const id = escapeHtml(row.id);
	for (let c = cols.start; c < Math.min(cols.end, row.cells.length); c++) {
		const cell = row.cells[c];
		const env = ctx.envs[c];
		const envName = escapeHtml(env?.name ?? '');
		const classes = ['cell'];
		if (c === activeCol) classes.push('active');
		if (cell?.differs_from_previous) classes.push('differs');
		html += `<td id="cell-${r}-${c}" class="${classes.join(' ')}" data-row="${r}" data-col="${c}" data-testid="cell-${id}-${envName}">`;
		if (!cell) {
			html += '<span class="muted">not deployed</span></td>';
			continue;
		}
		html += `<span class="mono">${escapeHtml(cellText(cell))}</span>`;
		if (cell.replicas) html += `<span class="replicas muted">×${escapeHtml(cell.replicas)}</span>`;
		if (cell.differs_from_previous) {
			const previous = escapeHtml(ctx.envs[c - 1]?.name ?? '');
			html += ctx.compact
				? `<span class="badge" title="Differs from ${previous}"><span aria-hidden="true">≠</span><span class="visually-hidden">differs from ${previous}</span></span>`
				: `<span class="badge" title="Differs from ${previous}">≠ ${previous}</span>`;
		}
		if (cell.overridden) html += `<span class="visually-hidden">overridden in ${envName}</span>`;
		if (cell.not_evaluated.length > 0) {
			const title = escapeHtml('Not evaluated, may change what is shown:\n' + cell.not_evaluated.join('\n'));
			html += `<span class="not-evaluated" title="${title}" data-testid="cell-not-evaluated-${id}-${envName}"><span aria-hidden="true">?</span><span class="visually-hidden">Not evaluated: ${escapeHtml(cell.not_evaluated.join('; '))}</span></span>`;
		}
		const comp = ctx.linked.get(`${env?.name}/${row.id}`);
		if (comp) {
			const label = statusLabel(comp.shown);
			html += `<span class="comp s-${escapeHtml(comp.shown)}" title="Status page: ${escapeHtml(comp.name)} is ${escapeHtml(label.toLowerCase())}" data-testid="cell-status-${id}-${envName}"><span aria-hidden="true">●</span> <span class="visually-hidden">Status page, ${escapeHtml(comp.name)}:</span> ${escapeHtml(label)}</span>`;
		}
		html += '</td>';
	}
	return html + spacer(row.cells.length - Math.max(cols.start, Math.min(cols.end, row.cells.length)));
}

/**
 * The width, in pixels, each environment's column needs for its widest cell and its header in
 * the compact matrix, from the text lengths and the width of one character of the monospace
 * font (`charPx`): the columns of a very wide matrix have fixed widths so that only those in
 * view need to be made.
 */
export function columnWidths(rows: MatrixRow[], ctx: CellContext, charPx: number): number[] {
	const PADDING = 2 * 8 + 2;
	const GAP = 4;
	return ctx.envs.map((env, c) => {
		let widest = (env.name.length + (env.protected ? 2 : 0)) * charPx;
		for (const row of rows) {
			const cell = row.cells[c];
			if (!cell) {
				widest = Math.max(widest, 'not deployed'.length * charPx);
				continue;
			}
			let line = cellText(cell).length * charPx;
			if (cell.replicas) line += GAP + (1 + cell.replicas.length) * charPx;
			if (cell.differs_from_previous) line += GAP + 2 * charPx;
			if (cell.not_evaluated.length > 0) line += GAP + 3 * charPx;
			widest = Math.max(widest, line);
			const comp = ctx.linked.get(`${env.name}/${row.id}`);
			if (comp) widest = Math.max(widest, (2 + statusLabel(comp.shown).length) * charPx);
		}
		return Math.ceil(widest + PADDING);
	});
}

/** The cell a click landed in, from the `data-row`/`data-col` of its `<td>`. */
export function cellAt(target: EventTarget | null): { row: number; col: number } | null {
	const td = target instanceof Element ? target.closest('td.cell') : null;
	if (!(td instanceof HTMLElement)) return null;
	const row = Number(td.dataset.row);
	const col = Number(td.dataset.col);
	return Number.isInteger(row) && Number.isInteger(col) ? { row, col } : null;
}

/**
 * The width, in pixels, of the workload column of the wide matrix: its longest workload name,
 * between 140 and 320 pixels (longer names are cut; the row's title says them whole).
 */
export function workloadColumnWidth(rows: MatrixRow[], charPx: number): number {
	let longest = 0;
	for (const row of rows) longest = Math.max(longest, row.id.length);
	return Math.min(320, Math.max(140, Math.ceil(longest * charPx + 26)));
}
