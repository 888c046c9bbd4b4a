// Builds the extension for each browser from the one manifest.json: dist/chrome and dist/firefox.
import { build } from 'vite';

const only = process.argv[2];
for (const browser of ['chrome', 'firefox']) {
  if (only && only !== browser) continue;
  process.env.BROWSER = browser;
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
  console.log(`built dist/${browser}`);
}
