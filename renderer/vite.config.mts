// Builds the renderer: a static Svelte app that Electron loads from disk and the browser host serves.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    // Inline nothing: the Content-Security-Policy forbids data: scripts and fonts.
    assetsInlineLimit: 0,
  },
});
