import { describe, expect, it } from 'vitest';
import { describeProvenance } from './provenance';

describe('describeProvenance', () => {
	it('says where an override is set, and where an inherited value comes from', () => {
		expect(
			describeProvenance({ file: 'overlays/prod/kustomization.yaml', path: 'images[0].newTag', line: 12, layer: 'environment' })
		).toBe('set in overlays/prod/kustomization.yaml, images[0].newTag, line 12');
		expect(
			describeProvenance({ file: 'base/api.yaml', path: 'spec.template.spec.containers[0].image', line: 19, layer: 'base' })
		).toBe('inherited from base/api.yaml, spec.template.spec.containers[0].image, line 19');
	});
});
