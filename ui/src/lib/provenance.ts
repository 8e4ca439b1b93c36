// Words for where a value comes from. Pure.
import type { Provenance } from './generated/types';

/** "set in overlays/prod/kustomization.yaml, images[0].newTag, line 12" or "inherited from base/api.yaml, …". */
export function describeProvenance(p: Provenance): string {
	const where = `${p.file}, ${p.path}, line ${p.line}`;
	return p.layer === 'environment' ? `set in ${where}` : `inherited from ${where}`;
}
