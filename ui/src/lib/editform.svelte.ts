// The edit form's state: which value of the shown workload is being changed (an image tag,
// replicas, a chart version, a Helm value, an environment variable, a resource), its key, the
// new value, and the preview of what writing it would change. Pure: the component asks the
// backend and puts the answers here.
import type { Effect, Field, FileEdit, WorkloadState } from './generated/types';

export type FieldChoice = 'image' | 'replicas' | 'value' | 'env' | 'resource' | 'chart';

export class EditForm {
	field = $state<FieldChoice>('image');
	/** The Helm value's key or the environment variable's name. */
	key = $state('');
	resource = $state('limits.memory');
	value = $state('');
	preview = $state<FileEdit[] | null>(null);
	effect = $state<Effect | null>(null);
	error = $state<string | null>(null);

	/** Forgets the preview and the error: another cell was selected, or the edit was written. */
	clear() {
		this.preview = null;
		this.effect = null;
		this.error = null;
	}

	/** Another workload is shown: one without containers (a HelmRelease, an Argo CD app) starts on
	 * its chart version, or a Helm value; the value is the workload's current one. */
	showing(d: WorkloadState) {
		if (d.containers.length === 0 && (this.field === 'image' || this.field === 'env' || this.field === 'resource'))
			this.field = d.chart_version ? 'chart' : 'value';
		this.value = this.currentValue(d);
	}

	/** Change a Helm value by key, starting from `value` (the values tree's Change). */
	editKey(key: string, value: string) {
		this.field = 'value';
		this.key = key;
		this.value = value;
		this.clear();
	}

	/** The workload's current value for the chosen field; empty for keyed fields. */
	currentValue(d: WorkloadState): string {
		if (this.field === 'image') return d.containers[0]?.tag ?? '';
		if (this.field === 'chart') return d.chart_version?.value ?? '';
		if (this.field === 'replicas') return d.replicas?.value ?? '';
		return '';
	}

	/** What the backend is asked to change, for workload `d` (its first container). */
	target(d: WorkloadState | null): Field {
		const container = d?.containers[0]?.name ?? null;
		switch (this.field) {
			case 'value':
				return { kind: 'helm_value', key: this.key.trim() };
			case 'env':
				return { kind: 'env_var', container, name: this.key.trim() };
			case 'resource':
				return { kind: 'resource', container, name: this.resource };
			case 'chart':
				return { kind: 'chart_version' };
			case 'image':
				return { kind: 'image_tag', container };
			case 'replicas':
				return { kind: 'replicas' };
		}
	}
}
