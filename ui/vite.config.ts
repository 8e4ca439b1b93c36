import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		sveltekit({
			// A static single-page app: Tauri serves the files, there is no server.
			adapter: adapter({ fallback: 'index.html' }),
			// Split: parts loaded when first shown (LazyYamlEditor.svelte) are chunks of their own.
			output: { bundleStrategy: 'split' }
		}),
		svelteTesting()
	],
	clearScreen: false,
	server: { port: 5173, strictPort: true },
	test: {
		environment: 'jsdom',
		include: ['src/**/*.test.ts']
	}
});
