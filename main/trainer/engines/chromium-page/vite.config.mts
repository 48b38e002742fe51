// Builds the Chromium training engine's page: a static bundle (TensorFlow.js with its WebGPU and
// WebGL backends) that the trainer serves from 127.0.0.1 to its hidden window or headless Chromium.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../../../../out/engine-page', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 8000,
  },
});
