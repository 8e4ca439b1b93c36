import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import Shell from './Shell.svelte';
import type { RepoOverview } from '../generated/types';

const commit = {
	id: 'ffec13c0000000000000000000000000000000000',
	short_id: 'ffec13c',
	summary: 'policy: freeze prod over the holidays',
	author_name: 'Tomás Rivera',
	author_email: 'tomas.rivera@acme.example',
	time_unix: 1_792_000_000,
	offset_minutes: -300
};

function overview(behind: number, summary = commit.summary): RepoOverview {
	return {
		name: 'acme-gitops',
		path: '/srv/acme-gitops',
		head: { branch: 'main', commit: { ...commit, summary } },
		upstream: { name: 'origin/main', ahead: 0, behind, last_fetched_unix: 1_792_000_000 },
		remotes: [{ name: 'origin', url: '/srv/origin.git' }],
		local_branches: ['main'],
		working_tree: { clean: true, changes: [], total: 0 },
		commits: [{ ...commit, summary }]
	};
}

afterEach(() => {
	cleanup();
	clearMocks();
});

describe('Shell', () => {
	it('shows the repository, branch and sync state in the header', () => {
		mockIPC(() => undefined);
		render(Shell, { overview: overview(1), onclose: vi.fn() });
		expect(screen.getByTestId('repo-name').textContent).toBe('acme-gitops');
		expect(screen.getByTestId('header-branch').textContent).toBe('main');
		expect(screen.getByTestId('header-sync').textContent).toContain('↓1 to pull');
		expect(document.title).toBe('acme-gitops — Wheelhouse');
	});

	it('refreshes on F5 and shows the new state', async () => {
		mockIPC((cmd) => {
			if (cmd === 'refresh_overview') return overview(0, 'a newer commit');
		});
		render(Shell, { overview: overview(1), onclose: vi.fn() });
		await fireEvent.keyDown(window, { key: 'F5' });
		await waitFor(() => expect(screen.getByTestId('header-sync').textContent).toContain('Up to date'));
		expect(screen.getByTestId('commits').textContent).toContain('a newer commit');
	});

	it('keeps showing the last overview when a refresh fails, and says why', async () => {
		mockIPC(() => {
			throw { code: 'path_not_found', message: '/srv/acme-gitops does not exist.' };
		});
		render(Shell, { overview: overview(1), onclose: vi.fn() });
		await fireEvent.keyDown(window, { key: 'r', ctrlKey: true });
		const alert = await screen.findByRole('alert');
		expect(alert.textContent).toContain('/srv/acme-gitops does not exist.');
		expect(screen.getByTestId('repo-name').textContent).toBe('acme-gitops');
	});

	it('goes back to open another repository on Ctrl+O', async () => {
		mockIPC(() => undefined);
		const onclose = vi.fn();
		render(Shell, { overview: overview(0), onclose });
		await fireEvent.keyDown(window, { key: 'o', ctrlKey: true });
		expect(onclose).toHaveBeenCalledOnce();
	});
});

describe('Shell sync', () => {
	const status = (phase: 'idle' | 'offline', behind: number) => ({
		phase,
		last_success_unix: 1_792_000_000,
		next_attempt_unix: null,
		message: phase === 'offline' ? 'origin cannot be reached.' : null,
		error_code: phase === 'offline' ? ('remote_unreachable' as const) : null,
		state: { branch: 'main', upstream: 'origin/main', incoming: [], outgoing: [], ahead: 0, behind, blocked: null },
		fast_forwarded: 0,
		interval_seconds: 60
	});

	it('syncs on demand and shows the result in the header', async () => {
		const calls: string[] = [];
		mockIPC((cmd) => {
			calls.push(cmd);
			if (cmd === 'sync_now') return status('idle', 0);
			if (cmd === 'refresh_overview') return overview(0);
		});
		render(Shell, { overview: overview(1), onclose: vi.fn() });
		await fireEvent.click(screen.getByTestId('sync-now'));
		await waitFor(() => expect(screen.getByTestId('header-sync').textContent).toContain('Up to date'));
		expect(calls).toEqual(['sync_now', 'refresh_overview']);
	});

	it('shows offline as a state, not an error dialog', async () => {
		mockIPC((cmd) => {
			if (cmd === 'sync_now') return status('offline', 0);
			if (cmd === 'refresh_overview') return overview(0);
		});
		render(Shell, { overview: overview(0), onclose: vi.fn() });
		await fireEvent.click(screen.getByTestId('sync-now'));
		await waitFor(() => expect(screen.getByTestId('header-sync').textContent).toContain('Offline'));
		expect(screen.queryByRole('alert')).toBeNull();
	});

	it('switches views with Ctrl+3', async () => {
		mockIPC(() => []);
		render(Shell, { overview: overview(0), onclose: vi.fn() });
		await fireEvent.keyDown(window, { key: '3', ctrlKey: true });
		expect(screen.getByTestId('changes-view')).toBeTruthy();
		expect(screen.getByText(/No uncommitted changes/)).toBeTruthy();
	});
});
