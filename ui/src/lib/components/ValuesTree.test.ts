import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import ValuesTree from './ValuesTree.svelte';
import type { NamedValue } from '../generated/types';

afterEach(cleanup);

const v = (name: string, value: string, layer: 'base' | 'environment' = 'base', line = 1): NamedValue => ({
	name,
	value: { value, source: { file: layer === 'base' ? 'helm/ledger/values.yaml' : 'helm/ledger/values-prod.yaml', path: name, line, layer } }
});

const values = [
	v('image.tag', '2.1.0', 'environment', 3),
	v('replicaCount', '3', 'environment', 4),
	v('database.host', 'ledger-db', 'base', 8),
	v('database.pool', '30', 'environment', 7),
	v('resources.requests.cpu', '100m'),
	v('resources.requests.memory', '256Mi'),
	v('resources.limits.memory', '512Mi'),
	v('readReplica.enabled', 'false'),
	v('ingress.hosts[0].host', 'ledger.acme.example')
];

describe('ValuesTree', () => {
	it('shows each value with where it is set, and Change hands the key and value to the form', async () => {
		const onedit = vi.fn();
		render(ValuesTree, { values, onedit });
		const pool = screen.getByTestId('value-database.pool');
		expect(pool.textContent).toContain('30');
		expect(pool.textContent).toContain('set in helm/ledger/values-prod.yaml, database.pool, line 7');
		expect(screen.getByTestId('value-database.host').textContent).toContain('inherited from helm/ledger/values.yaml');
		await fireEvent.click(screen.getByRole('button', { name: 'Change database.pool' }));
		expect(onedit).toHaveBeenCalledWith('database.pool', '30');
	});

	it('filters by key or value and says when nothing matches', async () => {
		render(ValuesTree, { values, onedit: vi.fn() });
		const filter = screen.getByLabelText('Filter Helm values');
		await fireEvent.input(filter, { target: { value: 'acme.example' } });
		expect(screen.getByTestId('value-ingress.hosts[0].host')).toBeTruthy();
		expect(screen.queryByTestId('value-database.pool')).toBeNull();
		await fireEvent.input(filter, { target: { value: 'no-such-thing' } });
		expect(screen.getByText(/No value matches/)).toBeTruthy();
	});
});
