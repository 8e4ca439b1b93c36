import { describe, expect, it, vi } from 'vitest';
import { KustomizeCheck } from './rendercheck.svelte';
import type { RenderCheck } from './backend';

/** A backend whose check answers when the test says so. */
function pending() {
	let settle: { resolve: (c: RenderCheck) => void; reject: (e: unknown) => void } | null = null;
	const api = {
		checkRender: vi.fn((_env: string, _operation: string) => new Promise<RenderCheck>((resolve, reject) => (settle = { resolve, reject }))),
		cancelOperation: vi.fn(async () => settle?.reject({ code: 'cancelled', message: 'stopped' }))
	};
	return { api, answer: (c: RenderCheck) => settle?.resolve(c), fail: (e: unknown) => settle?.reject(e) };
}

const agreeing = { tool: 'kubectl kustomize', folders: ['overlays/prod'], edited: [], disagreements: [] } as unknown as RenderCheck;

describe('KustomizeCheck', () => {
	it('runs for one environment and keeps its result until another view clears it', async () => {
		const { api, answer } = pending();
		const check = new KustomizeCheck(api as never);
		const done = check.run('prod');
		expect(check.running).toBe('prod');
		expect(api.checkRender).toHaveBeenCalledWith('prod', expect.stringMatching(/^check/));
		answer(agreeing);
		await done;
		expect(check.running).toBeNull();
		expect(check.result).toEqual(agreeing);
		check.clear();
		expect(check.result).toBeNull();
	});

	it('a cancelled check leaves a note naming the environment, not an error', async () => {
		const { api } = pending();
		const check = new KustomizeCheck(api as never);
		const done = check.run('prod');
		// Another cell is shown meanwhile: the running check goes on.
		check.clear();
		expect(check.running).toBe('prod');
		check.cancel();
		await done;
		expect(api.cancelOperation).toHaveBeenCalledWith(api.checkRender.mock.calls[0][1]);
		expect(check.note).toBe('Check of prod cancelled: kustomize build was stopped.');
		expect(check.error).toBeNull();
		expect(check.running).toBeNull();
	});

	it('a failed check says why', async () => {
		const { api, fail } = pending();
		const check = new KustomizeCheck(api as never);
		const done = check.run('dev');
		fail({ code: 'check_failed', message: 'kubectl is not installed' });
		await done;
		expect(check.error).toBe('kubectl is not installed');
		expect(check.result).toBeNull();
		check.cancel(); // nothing running: nothing to cancel
		expect(api.cancelOperation).not.toHaveBeenCalled();
	});
});
