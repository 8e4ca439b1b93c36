// A check of Wheelhouse's render against the real `kustomize build` (the Rendered tab). It lives
// beside the matrix, not in the tab: the check keeps running, and can be cancelled, while the
// person looks at other cells.
import { backend, newOperationId, type ErrorReport, type RenderCheck } from './backend';

type Backend = Pick<typeof backend, 'checkRender' | 'cancelOperation'>;

export class KustomizeCheck {
	/** The environment being checked, while it runs. */
	running = $state<string | null>(null);
	result = $state<RenderCheck | null>(null);
	/** Why there is no result: cancelled (a note) or failed (an error). */
	note = $state<string | null>(null);
	error = $state<string | null>(null);
	#operation: string | null = null;
	#api: Backend;

	constructor(api: Backend = backend) {
		this.#api = api;
	}

	async run(env: string) {
		const operation = newOperationId('check');
		this.#operation = operation;
		this.running = env;
		this.result = null;
		this.note = null;
		this.error = null;
		try {
			this.result = await this.#api.checkRender(env, operation);
		} catch (e) {
			const err = e as ErrorReport;
			if (err.code === 'cancelled') this.note = `Check of ${env} cancelled: kustomize build was stopped.`;
			else this.error = err.message;
		} finally {
			this.running = null;
			this.#operation = null;
		}
	}

	cancel() {
		if (this.#operation) this.#api.cancelOperation(this.#operation);
	}

	/** Another cell or scope is shown: an earlier result no longer applies (a running check goes on). */
	clear() {
		this.result = null;
		this.note = null;
		this.error = null;
	}
}
