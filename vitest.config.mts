import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Renderer modules that use runes ($state in *.svelte.ts, e.g. the current language behind
  // lib/format.ts) are compiled by Svelte here too, so unit tests can import them as they are.
  plugins: [svelte({ configFile: false })],
  test: {
    include: ['test/**/*.test.ts'],
    // Real training and real browsers take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: one file at a time keeps training and Chromium from starving each other.
    fileParallelism: false,
    reporters: ['default'],
    // Training processes the tests start use Node's backends: this machine has no GPU, and the
    // Chromium engine's own tests (chromium-engine.test.ts) start it themselves, on SwiftShader.
    env: { CAPA_ENGINE: 'off' },
  },
});
