// What the promotion dialog decides without the backend: which status page components a
// promotion touches in protected targets (a maintenance may be scheduled for them; the core
// picks them again and writes its title and text) and the default window (tomorrow
// 22:00–23:00, local time).
import type { Promotion } from './generated/types';
import { localInputValue } from './when';

interface Env {
	name: string;
	protected: boolean;
}

type Linked = Map<string, { id: string; name: string }>;

/** [id, name] of each component linked to a selected workload in a target, when a target is
 * protected; none otherwise. In the order found, each once. */
export function affectedComponents(promotion: Promotion, envs: Env[], selected: Iterable<string>, linked: Linked): [string, string][] {
	if (!envs.some((e) => e.protected && promotion.targets.includes(e.name))) return [];
	const ids = new Map<string, string>();
	const workloads = [...selected];
	for (const target of promotion.targets) {
		for (const w of workloads) {
			const c = linked.get(`${target}/${w}`);
			if (c) ids.set(c.id, c.name);
		}
	}
	return [...ids.entries()];
}

/** The protected environments among the promotion's targets. */
export function protectedTargets(promotion: Promotion, envs: Env[]): string[] {
	return promotion.targets.filter((t) => envs.find((e) => e.name === t)?.protected);
}

/** Tomorrow from 22:00 to 23:00, as `datetime-local` inputs take it. */
export function defaultWindow(now: Date): { from: string; until: string } {
	const start = new Date(now.getTime() + 24 * 3600 * 1000);
	start.setHours(22, 0, 0, 0);
	return { from: localInputValue(start), until: localInputValue(new Date(start.getTime() + 3600 * 1000)) };
}
