import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import Welcome from './Welcome.svelte';
import type { RepoOverview } from '../generated/types';

const overview = { name: 'acme-gitops', path: '/srv/acme-gitops' } as RepoOverview;

afterEach(() => {
	cleanup();
	clearMocks();
});

describe('Welcome', () => {
	it('opens a repository by path and hands the overview on', async () => {
		const calls: unknown[] = [];
		mockIPC((cmd, args) => {
			calls.push([cmd, args]);
			if (cmd === 'open_repository') return overview;
		});
		const onopened = vi.fn();
		render(Welcome, { recent: [], onopened });

		await fireEvent.input(screen.getByTestId('repo-path'), { target: { value: '/srv/acme-gitops' } });
		await fireEvent.click(screen.getByTestId('open-path'));

		await waitFor(() => expect(onopened).toHaveBeenCalledWith(overview));
		expect(calls).toEqual([['open_repository', { path: '/srv/acme-gitops' }]]);
	});

	it('shows what went wrong, by code and message, when the folder is not a repository', async () => {
		mockIPC(() => {
			throw {
				code: 'not_a_repository',
				message: '/tmp/x is not a Git repository (it has no .git folder).'
			};
		});
		const onopened = vi.fn();
		render(Welcome, { recent: [], onopened });

		await fireEvent.input(screen.getByTestId('repo-path'), { target: { value: '/tmp/x' } });
		await fireEvent.click(screen.getByTestId('open-path'));

		const alert = await screen.findByRole('alert');
		expect(alert.dataset.code).toBe('not_a_repository');
		expect(alert.textContent).toContain('Not a Git repository');
		expect(alert.textContent).toContain('/tmp/x is not a Git repository');
		expect(onopened).not.toHaveBeenCalled();
	});

	it('keeps Open disabled until a path is typed', () => {
		mockIPC(() => undefined);
		render(Welcome, { recent: [], onopened: vi.fn() });
		expect((screen.getByTestId('open-path') as HTMLButtonElement).disabled).toBe(true);
	});

	it('teaches what to do when there are no recent repositories', () => {
		mockIPC(() => undefined);
		render(Welcome, { recent: [], onopened: vi.fn() });
		expect(screen.getByText(/Repositories you open appear here/)).toBeTruthy();
	});

	it('reopens a recent repository with one click', async () => {
		const opened: unknown[] = [];
		mockIPC((cmd, args) => {
			opened.push([cmd, args]);
			return overview;
		});
		const onopened = vi.fn();
		render(Welcome, {
			recent: [{ path: '/srv/acme-gitops', name: 'acme-gitops', opened_unix: 1 }],
			onopened
		});
		await fireEvent.click(screen.getByText('acme-gitops'));
		await waitFor(() => expect(onopened).toHaveBeenCalled());
		expect(opened).toEqual([['open_repository', { path: '/srv/acme-gitops' }]]);
	});
});
