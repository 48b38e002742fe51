// Builds the preload into one CommonJS file: a sandboxed preload can require only `electron`
// (and a few Node built-ins), never our own modules, so the contract is bundled in.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  build: {
    outDir: fileURLToPath(new URL('../out/preload', import.meta.url)),
    // tsc writes out/preload/contract.js here too, and main requires it at run time: keep it.
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    sourcemap: true,
    lib: {
      entry: fileURLToPath(new URL('./bridge.ts', import.meta.url)),
      formats: ['cjs'],
      fileName: () => 'bridge.cjs',
    },
    rollupOptions: {
      external: ['electron'],
    },
  },
});
