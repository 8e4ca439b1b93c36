import { describe, expect, it } from 'vitest';
import { checkSummary } from './rendered';
import type { RenderCheck } from './backend';

const agreeing = { tool: 'kubectl kustomize', folders: ['overlays/prod'], edited: [], disagreements: [] };

describe('checkSummary', () => {
	it('says the real tool printed the same objects', () => {
		expect(checkSummary(agreeing)).toBe('kubectl kustomize on overlays/prod prints the same objects: no disagreement.');
	});

	it('says which kustomizations an Argo CD Application edits, built in a copy', () => {
		expect(checkSummary({ ...agreeing, edited: ['overlays/prod'] })).toBe(
			"kubectl kustomize on overlays/prod (overlays/prod as the Argo CD Application's kustomize: edits it, built in a copy) prints the same objects: no disagreement."
		);
	});

	it('counts disagreements', () => {
		const d = { resource: 'Deployment/api', path: 'spec.replicas', ours: '3', theirs: '2' } as RenderCheck['disagreements'][number];
		expect(checkSummary({ ...agreeing, disagreements: [d] })).toBe('1 disagreement with kubectl kustomize:');
		expect(checkSummary({ ...agreeing, disagreements: [d, d] })).toBe('2 disagreements with kubectl kustomize:');
	});
});
