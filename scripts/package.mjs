// Store packages: builds both browsers, then zips each build with web-ext into artifacts/
// (spaces-devtools-<browser>-<version>.zip; manifest.json at the root of each zip).
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const webExt = resolve(root, 'node_modules/.bin/web-ext');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

run(process.execPath, ['scripts/build.mjs']);
for (const browser of ['chrome', 'firefox']) {
  const filename = `spaces-devtools-${browser}-${version}.zip`;
  run(webExt, [
    'build',
    '--source-dir', `dist/${browser}`,
    '--artifacts-dir', 'artifacts',
    '--filename', filename,
    '--overwrite-dest',
    '--no-config-discovery',
  ]);
  const bytes = statSync(resolve(root, 'artifacts', filename)).size;
  console.log(`artifacts/${filename} ${(bytes / 1024).toFixed(1)} KiB`);
}
