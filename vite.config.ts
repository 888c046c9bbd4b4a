// One manifest.json is the source; the Firefox build derives its keys from it (see src/build/manifest.ts).
import { defineConfig } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { manifestFor, type Browser, type SourceManifest } from './src/build/manifest.ts';

const browser: Browser = process.env.BROWSER === 'firefox' ? 'firefox' : 'chrome';
const source = JSON.parse(readFileSync(resolve(import.meta.dirname, 'manifest.json'), 'utf8')) as SourceManifest;
const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, 'package.json'), 'utf8')) as { version: string };

export default defineConfig({
  plugins: [
    crx({
      manifest: manifestFor(browser, { ...source, version: pkg.version }) as never,
      browser,
      // Standalone IIFE files: the hook must run synchronously at document_start in the page's
      // world (crxjs's async loader would install it too late), and neither adds web-accessible files.
      contentScripts: { standaloneFiles: ['src/hook/index.ts', 'src/content/index.ts'] },
      liveReload: false,
    }),
  ],
  build: {
    outDir: `dist/${browser}`,
    emptyOutDir: true,
    target: browser === 'firefox' ? 'firefox128' : 'chrome111',
    sourcemap: false,
    // CAPTURE_NAMES=1: names kept (for a readable profile, bench/capture-profile.ts).
    minify: process.env.CAPTURE_NAMES === '1' ? false : 'esbuild',
    rollupOptions: {
      input: {
        panel: resolve(import.meta.dirname, 'src/panel/index.html'),
        // Firefox: asks for a host permission where a DevTools panel cannot.
        grant: resolve(import.meta.dirname, 'src/devtools/grant.html'),
      },
    },
  },
});
