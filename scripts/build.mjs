// Builds the extension for each browser from the one manifest.json: dist/chrome and dist/firefox;
// and the offline log viewer: dist/viewer.
import { readFileSync, writeFileSync } from 'node:fs';
import { build } from 'vite';

const only = process.argv[2];
for (const browser of ['chrome', 'firefox']) {
  if (only && only !== browser) continue;
  process.env.BROWSER = browser;
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
  console.log(`built dist/${browser}`);
}

if (!only || only === 'viewer') {
  await build({ configFile: 'vite.viewer.config.ts', logLevel: 'warn' });
  // Module scripts and crossorigin requests fail from file://: the bundle is a classic script.
  const html = 'dist/viewer/index.html';
  writeFileSync(html, readFileSync(html, 'utf8').replace(/<script type="module" crossorigin/g, '<script defer').replace(/ crossorigin(?=[ >])/g, ''));
  console.log('built dist/viewer');
}
