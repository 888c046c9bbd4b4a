// Runs each bench module in turn: `npm run bench` (all) or `npm run bench -- decode` (names containing "decode").
// A bench module's default export is an async function that prints its own lines.
export {};

const MODULES = ['./decode.ts', './capture.ts', './capture-floor.ts', './versions.ts', './logs.ts', './memory.ts', './panel.ts'];

const filters = process.argv.slice(2);
for (const path of MODULES) {
  if (filters.length > 0 && !filters.some((f) => path.includes(f))) continue;
  const mod = (await import(path)) as { default: () => Promise<void> | void };
  console.log(`# ${path}`);
  await mod.default();
}
