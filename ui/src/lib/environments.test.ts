import { describe, expect, it } from 'vitest';
import { configYaml, notEvaluated } from './environments';
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
