import { describe, expect, it } from 'vitest';
import { configYaml, headerGroups, notEvaluated, promotionStep, variantLabel } from './environments';
import type { Matrix } from './generated/types';

describe('configYaml', () => {
	it('writes environments in order with their paths and protection', () => {
		expect(
			configYaml([
				{ name: 'dev', paths: 'deploy/dev/, charts/api/values-dev.yaml', protected: false },
				{ name: 'prod', paths: 'deploy/prod', protected: true }
			])
		).toBe(
			'# Environments in promotion order, written by Wheelhouse.\nenvironments:\n' +
				'  - name: dev\n    paths: [deploy/dev, charts/api/values-dev.yaml]\n' +
				'  - name: prod\n    paths: [deploy/prod]\n    protected: true\n'
		);
	});

	it('skips empty rows and quotes names YAML would read as something else', () => {
		expect(configYaml([{ name: 'on', paths: 'x', protected: false }, { name: '', paths: '', protected: false }])).toBe(
			'# Environments in promotion order, written by Wheelhouse.\nenvironments:\n  - name: "on"\n    paths: [x]\n'
		);
	});

	it('refuses bad names, duplicates, missing paths and paths outside the repository', () => {
		expect(configYaml([])).toEqual({ error: 'Add at least one environment.' });
		expect(configYaml([{ name: 'a b', paths: 'x', protected: false }])).toHaveProperty('error');
		expect(
			configYaml([
				{ name: 'dev', paths: 'x', protected: false },
				{ name: 'dev', paths: 'y', protected: false }
			])
		).toEqual({ error: 'Environment dev is listed twice.' });
		expect(configYaml([{ name: 'dev', paths: ' , ', protected: false }])).toEqual({
			error: 'Environment dev: give at least one folder or file.'
		});
		expect(configYaml([{ name: 'dev', paths: '../other', protected: false }])).toEqual({
			error: 'Environment dev: ../other is not inside the repository.'
		});
		expect(configYaml([{ name: 'dev', paths: '/etc', protected: false }])).toHaveProperty('error');
	});
});

describe('notEvaluated', () => {
	const matrix = {
		environments: [],
		other_files: [],
		problems: [],
		rows: [
			{
				id: 'api',
				kind: 'deployment',
				cells: [
					null,
					{
						tags: ['1.0'],
						replicas: null,
						chart_version: null,
						differs_from_previous: false,
						overridden: false,
						not_evaluated: ['base/kustomization.yaml:4: remote resource']
					}
				]
			}
		]
	} as unknown as Matrix;

	it('reads the notes of one cell and nothing for a missing one', () => {
		expect(notEvaluated(matrix, 'api', 1)).toEqual(['base/kustomization.yaml:4: remote resource']);
		expect(notEvaluated(matrix, 'api', 0)).toEqual([]);
		expect(notEvaluated(matrix, 'web', 1)).toEqual([]);
		expect(notEvaluated(null, 'api', 1)).toEqual([]);
	});
});

describe('variants', () => {
	const env = (name: string, stage: string | null = null) => ({ name, stage });
	const envs = [env('dev'), env('qa'), env('staging-eu', 'staging'), env('staging-us', 'staging'), env('staging-asia', 'staging'), env('prod-eu', 'prod'), env('prod-us', 'prod')];

	it('titles a variant by what sets it apart under its stage', () => {
		expect(variantLabel('staging-eu', 'staging')).toBe('eu');
		expect(variantLabel('eu_staging', 'staging')).toBe('eu');
		expect(variantLabel('prod-us-east', 'prod')).toBe('us-east');
		expect(variantLabel('prod', 'prod')).toBe('prod');
		expect(variantLabel('qa', null)).toBe('qa');
	});

	it('groups the variants of a stage under one header', () => {
		expect(headerGroups(envs)).toEqual([
			{ stage: null, span: 1 },
			{ stage: null, span: 1 },
			{ stage: 'staging', span: 3 },
			{ stage: 'prod', span: 2 }
		]);
	});

	it('promotes into every variant of the next stage', () => {
		expect(promotionStep(envs, 1)).toEqual({
			from: 'qa',
			to: 'staging*',
			label: 'staging (3)',
			targets: ['staging-eu', 'staging-us', 'staging-asia']
		});
		expect(promotionStep(envs, 0)).toEqual({ from: 'dev', to: 'qa', label: 'qa', targets: ['qa'] });
	});

	it('from a variant, goes past its own stage; from the last stage, into it', () => {
		expect(promotionStep(envs, 3)?.from).toBe('staging-us');
		expect(promotionStep(envs, 3)?.to).toBe('prod*');
		expect(promotionStep(envs, 6)).toEqual({ from: 'staging-asia', to: 'prod*', label: 'prod (2)', targets: ['prod-eu', 'prod-us'] });
	});

	it('without variants, is the next column, or the last pair', () => {
		const plain = [env('dev'), env('staging'), env('prod')];
		expect(promotionStep(plain, 0)?.to).toBe('staging');
		expect(promotionStep(plain, 2)).toEqual({ from: 'staging', to: 'prod', label: 'prod', targets: ['prod'] });
		expect(promotionStep([env('prod-eu', 'prod'), env('prod-us', 'prod')], 1)).toBeNull();
		expect(promotionStep([env('dev')], 0)).toBeNull();
	});
});
