// The compare panel's choices and wording (ComparePanel.svelte).
import type { Difference, EnvironmentInfo } from './backend';

/** The pair compared first: the last two environments in promotion order (the step to production). */
export function defaultPair(envs: Pick<EnvironmentInfo, 'name'>[]): [string, string] {
	if (envs.length < 2) return ['', ''];
	return [envs[envs.length - 2].name, envs[envs.length - 1].name];
}

/** "3 differences", "1 difference", or nothing before the first answer. */
export function differenceCount(differences: Difference[] | null): string {
	if (!differences) return '';
	return `${differences.length} difference${differences.length === 1 ? '' : 's'}`;
}
