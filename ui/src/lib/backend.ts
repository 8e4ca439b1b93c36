// The one module that talks to the Rust core. Components import these functions, never
// `@tauri-apps/*`, so the UI can run against mocks in tests.
import { invoke } from '@tauri-apps/api/core';
import type { CommandError, RepoOverview, StartupView } from './generated/types';

export type { CommandError, RepoOverview, StartupView } from './generated/types';

/** Turns anything a command threw into `{code, message}`. */
export function asCommandError(e: unknown): CommandError {
	if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
		return e as CommandError;
	}
	return { code: 'io', message: `Unexpected error: ${String(e)}` };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
	try {
		return await invoke<T>(command, args);
	} catch (e) {
		throw asCommandError(e);
	}
}

export const backend = {
	startup: () => call<StartupView>('startup'),
	openRepository: (path: string) => call<RepoOverview>('open_repository', { path }),
	chooseRepository: () => call<RepoOverview | null>('choose_repository'),
	openDemo: () => call<RepoOverview>('open_demo'),
	cloneRepository: (url: string, destination: string | null) =>
		call<RepoOverview>('clone_repository', { url, destination }),
	refreshOverview: () => call<RepoOverview>('refresh_overview')
};
