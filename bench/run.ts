// Runs each bench module in turn: `npm run bench` (all) or `npm run bench -- decode` (that module; a filter that names none runs the names containing it).
// Arguments starting with `--` are the modules' own options (e.g. `capture --latency-only`), not filters.
// A bench module's default export is an async function that prints its own lines.
export {};

const MODULES = ['./decode.ts', './capture.ts', './capture-floor.ts', './capture-profile.ts', './latency-profile.ts', './versions.ts', './logs.ts', './memory.ts', './panel.ts'];

const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
// A filter that names a module exactly runs that one only (`capture` is not `capture-floor`).
const picked = (path: string, f: string): boolean => (MODULES.includes(`./${f}.ts`) ? path === `./${f}.ts` : path.includes(f));
for (const path of MODULES) {
  if (filters.length > 0 && !filters.some((f) => picked(path, f))) continue;
  const mod = (await import(path)) as { default: () => Promise<void> | void };
  console.log(`# ${path}`);
  await mod.default();
}
