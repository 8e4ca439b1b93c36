// Environment helpers for the matrix: the `.wheelhouse/config.yaml` the empty state writes, and
// the "not evaluated" notes of one cell.
import type { Matrix } from './generated/types';

/** One row of the "no environments found" form. */
export interface DraftEnvironment {
	name: string;
	/** Comma-separated repository paths (folders or values files). */
	paths: string;
	protected: boolean;
}

const NAME = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/i;

function yamlString(s: string): string {
	return /^[A-Za-z0-9_./-]+$/.test(s) && !/^(true|false|yes|no|on|off|null|~|[0-9.]+)$/i.test(s) ? s : JSON.stringify(s);
}

/**
 * The config file for `drafts`, in promotion order, or what is wrong with them. Paths are
 * repository-relative: an absolute path or one climbing out with `..` is refused.
 */
export function configYaml(drafts: DraftEnvironment[]): string | { error: string } {
	const rows = drafts.filter((d) => d.name.trim() || d.paths.trim());
	if (rows.length === 0) return { error: 'Add at least one environment.' };
	const seen = new Set<string>();
	let out = '# Environments in promotion order, written by Wheelhouse.\nenvironments:\n';
	for (const [i, d] of rows.entries()) {
		const name = d.name.trim();
		if (!NAME.test(name)) return { error: `Environment ${i + 1}: "${name}" is not a name (letters, digits, - . _).` };
		if (seen.has(name)) return { error: `Environment ${name} is listed twice.` };
		seen.add(name);
		const paths = d.paths
			.split(',')
			.map((p) => p.trim().replace(/\/+$/, ''))
			.filter((p) => p.length > 0);
		if (paths.length === 0) return { error: `Environment ${name}: give at least one folder or file.` };
		for (const p of paths) {
			if (p.startsWith('/') || p.split('/').includes('..')) {
				return { error: `Environment ${name}: ${p} is not inside the repository.` };
			}
		}
		out += `  - name: ${yamlString(name)}\n    paths: [${paths.map(yamlString).join(', ')}]\n`;
		if (d.protected) out += '    protected: true\n';
	}
	return out;
}

/** The "not evaluated" notes of the cell of workload `id` in column `col`. */
export function notEvaluated(matrix: Matrix | null, id: string | undefined, col: number): string[] {
	if (!matrix || !id) return [];
	const row = matrix.rows.find((r) => r.id === id);
	return row?.cells[col]?.not_evaluated ?? [];
}
