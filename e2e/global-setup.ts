// Before the run: the build in dist/ must be newer than its sources; `npm test` has just built it, a
// lone `npm run test:e2e` builds here when it is not.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCES = ['src', 'public', 'manifest.json', 'vite.config.ts', 'vite.viewer.config.ts', 'scripts/build.mjs', 'package-lock.json'];
const OUTPUTS = ['dist/chrome/manifest.json', 'dist/firefox/manifest.json', 'dist/viewer/index.html'];

function newest(path: string): number {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((n) => newest(join(path, n))));
}

export default function globalSetup(): void {
  const source = Math.max(...SOURCES.map((p) => newest(resolve(ROOT, p))));
  const built = Math.min(...OUTPUTS.map((p) => statSync(resolve(ROOT, p), { throwIfNoEntry: false })?.mtimeMs ?? 0));
  if (built >= source) return;
  console.log('dist/ is missing or older than its sources: npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
