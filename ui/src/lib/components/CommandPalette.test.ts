import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import CommandPalette from './CommandPalette.svelte';

afterEach(cleanup);

function setup() {
	const refresh = vi.fn();
	const demo = vi.fn();
	const commands = [
		{ id: 'refresh', title: 'Refresh repository', hint: 'F5', run: refresh },
		{ id: 'demo', title: 'Try the demo', run: demo }
	];
	render(CommandPalette, { commands, open: true });
	return { refresh, demo, input: screen.getByLabelText('Command') };
}

describe('CommandPalette', () => {
	it('runs the first match on Enter', async () => {
		const { demo, refresh, input } = setup();
		await fireEvent.input(input, { target: { value: 'demo' } });
		expect(screen.getAllByRole('option').map((o) => o.textContent?.trim())).toEqual(['Try the demo']);
		await fireEvent.keyDown(input, { key: 'Enter' });
		expect(demo).toHaveBeenCalledOnce();
		expect(refresh).not.toHaveBeenCalled();
		expect(screen.queryByTestId('palette')).toBeNull();
	});

	it('moves the selection with the arrow keys', async () => {
		const { demo, input } = setup();
		await fireEvent.keyDown(input, { key: 'ArrowDown' });
		expect(screen.getAllByRole('option')[1].getAttribute('aria-selected')).toBe('true');
		await fireEvent.keyDown(input, { key: 'Enter' });
		expect(demo).toHaveBeenCalledOnce();
	});

	it('says so when nothing matches, and closes on Escape without running anything', async () => {
		const { demo, refresh, input } = setup();
		await fireEvent.input(input, { target: { value: 'promote' } });
		expect(screen.getByText(/No command matches/)).toBeTruthy();
		await fireEvent.keyDown(input, { key: 'Enter' });
		await fireEvent.keyDown(input, { key: 'Escape' });
		expect(screen.queryByTestId('palette')).toBeNull();
		expect(demo).not.toHaveBeenCalled();
		expect(refresh).not.toHaveBeenCalled();
	});
});
