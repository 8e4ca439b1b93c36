// Preferences of this machine's app window (the web view's storage), such as whether the
// matrix's details panel is shown. Unset or unreadable storage gives the default.

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

function storage(): Storage | null {
	try {
		return globalThis.localStorage ?? null;
	} catch {
		return null;
	}
}

export function loadFlag(key: string, fallback: boolean, store: Storage | null = storage()): boolean {
	try {
		const v = store?.getItem(`wheelhouse.${key}`);
		return v === 'true' ? true : v === 'false' ? false : fallback;
	} catch {
		return fallback;
	}
}

export function saveFlag(key: string, value: boolean, store: Storage | null = storage()): void {
	try {
		store?.setItem(`wheelhouse.${key}`, String(value));
	} catch {
		// A full or disabled storage only means the choice is not remembered.
	}
}
