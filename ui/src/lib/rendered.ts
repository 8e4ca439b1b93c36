// What the Rendered tab says about a check against the real Kustomize (RenderedView.svelte).
import type { RenderCheck } from './backend';

/** One sentence: no disagreement (and which folders, built how), or how many with which tool. */
export function checkSummary(check: Pick<RenderCheck, 'tool' | 'folders' | 'edited' | 'disagreements'>): string {
	const n = check.disagreements.length;
	if (n > 0) return `${n} disagreement${n === 1 ? '' : 's'} with ${check.tool}:`;
	const edited = check.edited.length
		? ` (${check.edited.join(', ')} as the Argo CD Application's kustomize: edits it, built in a copy)`
		: '';
	return `${check.tool} on ${check.folders.join(', ')}${edited} prints the same objects: no disagreement.`;
}
