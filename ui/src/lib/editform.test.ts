import { describe, expect, it } from 'vitest';
import { EditForm } from './editform.svelte';
import type { Sourced, WorkloadState } from './generated/types';

const at = (value: string): Sourced => ({ value, source: { file: 'overlays/prod/kustomization.yaml', path: 'x', line: 1, layer: 'environment' } });

const deployment: WorkloadState = {
	id: 'api',
	kind: 'deployment',
	name: 'api',
	namespace: 'shop',
	replicas: at('3'),
	containers: [{ name: 'api', image: at('registry.acme.example/shop/api:1.4.0'), tag: '1.4.0', env: [], resources: [] }],
	chart_version: null,
	values: [],
	labels: [],
	files: []
};
const release: WorkloadState = { ...deployment, id: 'ledger', kind: 'helm_release', replicas: null, containers: [], chart_version: at('2.1.0') };
const values: WorkloadState = { ...release, kind: 'helm_values', chart_version: null };

describe('EditForm', () => {
	it('starts on the image tag, with the current tag', () => {
		const form = new EditForm();
		form.showing(deployment);
		expect(form.field).toBe('image');
		expect(form.value).toBe('1.4.0');
		expect(form.target(deployment)).toEqual({ kind: 'image_tag', container: 'api' });
	});

	it('a workload without containers starts on its chart version, or a Helm value', () => {
		const form = new EditForm();
		form.showing(release);
		expect(form.field).toBe('chart');
		expect(form.value).toBe('2.1.0');
		expect(form.target(release)).toEqual({ kind: 'chart_version' });
		const other = new EditForm();
		other.showing(values);
		expect(other.field).toBe('value');
		expect(other.value).toBe('');
	});

	it('keeps a field that every workload has (replicas) when another is shown', () => {
		const form = new EditForm();
		form.field = 'replicas';
		form.showing(deployment);
		expect(form.value).toBe('3');
		expect(form.target(deployment)).toEqual({ kind: 'replicas' });
	});

	it('names keyed fields by their trimmed key, resources by their name', () => {
		const form = new EditForm();
		form.field = 'env';
		form.key = ' LOG_LEVEL ';
		expect(form.target(deployment)).toEqual({ kind: 'env_var', container: 'api', name: 'LOG_LEVEL' });
		form.field = 'resource';
		form.resource = 'requests.cpu';
		expect(form.target(deployment)).toEqual({ kind: 'resource', container: 'api', name: 'requests.cpu' });
		expect(form.target(null)).toEqual({ kind: 'resource', container: null, name: 'requests.cpu' });
	});

	it("the values tree's Change picks the key and value and forgets the last preview", () => {
		const form = new EditForm();
		form.preview = [];
		form.error = 'refused';
		form.editKey('database.pool', '10');
		expect([form.field, form.key, form.value]).toEqual(['value', 'database.pool', '10']);
		expect(form.target(values)).toEqual({ kind: 'helm_value', key: 'database.pool' });
		expect(form.preview).toBeNull();
		expect(form.error).toBeNull();
	});
});
