// Where the status page preview frame loads from, and the words for statuses. Pure.

/** The custom scheme the core serves the preview on (see src-tauri/src/status.rs). */
const SCHEME = 'wheelhouse-preview';

/**
 * The preview URL of `path` in the export. WebKit (Linux, macOS) takes custom schemes as
 * `scheme://localhost/`; WebView2 (Windows) and Android as `http://scheme.localhost/`.
 */
export function previewUrl(path: string, theme: 'auto' | 'light' | 'dark', version: number, userAgent = navigator.userAgent): string {
	const base = /Windows|Android/.test(userAgent) ? `http://${SCHEME}.localhost/` : `${SCHEME}://localhost/`;
	const clean = path.replace(/^\/+/, '');
	return `${base}${clean}?theme=${theme}&v=${version}`;
}

export const COMPONENT_STATUSES = [
	['operational', 'Operational'],
	['degraded_performance', 'Degraded performance'],
	['partial_outage', 'Partial outage'],
	['major_outage', 'Major outage'],
	['under_maintenance', 'Under maintenance']
] as const;

export const INCIDENT_STATUSES = [
	['investigating', 'Investigating'],
	['identified', 'Identified'],
	['monitoring', 'Monitoring'],
	['resolved', 'Resolved']
] as const;

export const IMPACTS = [
	['none', 'None'],
	['minor', 'Minor'],
	['major', 'Major'],
	['critical', 'Critical']
] as const;

/** "Partial outage" for `partial_outage`; unknown words are shown as they are. */
export function statusLabel(word: string): string {
	const all: readonly (readonly [string, string])[] = [...COMPONENT_STATUSES, ...INCIDENT_STATUSES, ...IMPACTS];
	const found = all.find(([w]) => w === word);
	if (found) return found[1];
	return word.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/** The component statuses linked to matrix cells: `env/workload` → the component shown there. */
export function linkedStatuses(
	groups: { components: { id: string; name: string; shown: string; env: string | null; workloads: string[] }[] }[]
): Map<string, { id: string; name: string; shown: string }> {
	const out = new Map<string, { id: string; name: string; shown: string }>();
	for (const g of groups)
		for (const c of g.components)
			if (c.env) for (const w of c.workloads) out.set(`${c.env}/${w}`, { id: c.id, name: c.name, shown: c.shown });
	return out;
}
