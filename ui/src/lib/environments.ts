// Environment helpers for the matrix: the `.wheelhouse/config.yaml` the empty state writes, and
// the "not evaluated" notes of one cell.
import type { EnvironmentInfo, Matrix } from './generated/types';

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

type Env = Pick<EnvironmentInfo, 'name' | 'stage'>;

/** A run of adjacent columns under one header: the variants of a stage, or one environment. */
export interface HeaderGroup {
	/** The stage its variants share; null for an environment alone. */
	stage: string | null;
	span: number;
}

/** The header row above the environments: variants of a stage share one cell. */
export function headerGroups(envs: Env[]): HeaderGroup[] {
	const out: HeaderGroup[] = [];
	for (const e of envs) {
		const last = out[out.length - 1];
		if (e.stage && last?.stage === e.stage) last.span += 1;
		else out.push({ stage: e.stage ?? null, span: 1 });
	}
	return out;
}

/** What "Promote" does from a column: into the next stage, every variant of it at once. */
export interface PromotionStep {
	from: string;
	/** As the backend takes it: an environment, or `stage*` for all its variants. */
	to: string;
	/** For the button: `staging (3)` or the environment's name. */
	label: string;
	/** The environments that receive it. */
	targets: string[];
}

function sameStage(a: Env | undefined, b: Env | undefined): boolean {
	return !!a?.stage && a.stage === b?.stage;
}

/**
 * The promotion offered from column `col`: from that environment into the first one after it
 * that is not a variant of its own stage — all variants of that one's stage when it has several.
 * From the last stage, the step into it from the stage before. Null with fewer than two stages.
 */
export function promotionStep(envs: Env[], col: number): PromotionStep | null {
	let from = Math.max(0, Math.min(col, envs.length - 1));
	const next = (f: number) => {
		let t = f + 1;
		while (t < envs.length && sameStage(envs[t], envs[f])) t += 1;
		return t < envs.length ? t : null;
	};
	let to = next(from);
	if (to === null) {
		// The last stage: promote into it from the environment just before its first variant.
		let first = from;
		while (first > 0 && sameStage(envs[first - 1], envs[from])) first -= 1;
		from = first - 1;
		if (from < 0) return null;
		to = next(from);
		if (to === null) return null;
	}
	const target = envs[to];
	const targets = target.stage ? envs.filter((e) => e.stage === target.stage).map((e) => e.name) : [target.name];
	return targets.length > 1
		? { from: envs[from].name, to: `${target.stage}*`, label: `${target.stage} (${targets.length})`, targets }
		: { from: envs[from].name, to: target.name, label: target.name, targets };
}

/** A variant's column title under its stage's header: `eu` for `staging-eu`, `eu` for `eu_staging`. */
export function variantLabel(name: string, stage: string | null): string {
	if (!stage) return name;
	const words = name.split(/[-_.]/);
	const rest = words.filter((w) => w.toLowerCase() !== stage.toLowerCase());
	return rest.length > 0 && rest.length < words.length ? rest.join('-') : name;
}
