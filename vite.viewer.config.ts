// The offline log viewer (src/viewer): dist/viewer, relative URLs, classic scripts (scripts/build.mjs
// drops type="module" so that file:// works), the reader worker inlined as a blob.
import { defineConfig } from 'vite';
import { resolve } from 'node:path';

export default defineConfig({
  root: resolve(import.meta.dirname, 'src/viewer'),
  base: './',
  build: {
    outDir: resolve(import.meta.dirname, 'dist/viewer'),
    emptyOutDir: true,
    target: ['chrome111', 'firefox128'],
    sourcemap: false,
    modulePreload: false,
    rollupOptions: { output: { format: 'iife' } },
  },
  worker: { format: 'iife' },
});
