// Where the page's renderer main thread spends its time with the product: a CDP Profiler sample of the
// page (self time by function, top entries) with the Spaces panel closed at 1,000 MESSAGE_SENT/s × 5 KB and
// at 50/s × 2 KB, and with DevTools open on the Spaces panel at 50/s × 2 KB. CAPTURE_BUILD=<dir> profiles another build
// of the extension (e.g. the one before a change). Not a measure of cost (the profiler adds its own):
// it says where the cost is (a native entry, such as postMessage, split by its nearest scripted caller; a build
// made with CAPTURE_NAMES=1 keeps the extension's function names). CAPTURE_CASES=1,2 runs only those cases (0: closed at 1,000/s, 1: closed at
// 50/s, 2: open at 50/s).
import { resolve } from 'node:path';
import { loadavg } from 'node:os';
import type { Page } from 'puppeteer-core';
import type { Protocol } from 'devtools-protocol';
import { startSimulator } from '../simulator/server';
import { CHROME_BUILD, openSpacesPanel } from '../e2e/lib/chromium';
import { extensionId, launchBench } from './lib/browser';
import { loadUrl, type LoadSpec } from './lib/load';

const TOP = 12;
const CASES: { name: string; spec: LoadSpec; panel: boolean }[] = [
  { name: 'Spaces panel closed', spec: { rate: 1000, count: 10_000, size: 5000 }, panel: false },
  { name: 'Spaces panel closed', spec: { rate: 50, count: 1_500, size: 2000 }, panel: false },
  { name: 'DevTools open on the Spaces panel', spec: { rate: 50, count: 1_500, size: 2000 }, panel: true },
];

/**
 * Self time (ms) by function and place, the largest first (idle left out of the total); and the time under
 * the extension's own scripts (total time of their outermost frames: what the capture costs the page in JS).
 */
function selfTimes(profile: Protocol.Profiler.Profile): { total: number; top: [string, number][]; ours: [string, number][]; byCaller: Map<string, [string, number][]> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (f: Protocol.Runtime.CallFrame): string =>
    `${f.functionName || '(anonymous)'}${f.url ? ` ${f.url.replace(/^.*\/\/[^/]+/, '')}:${f.lineNumber + 1}` : ''}`;
  const ms = new Map<string, number>();
  const under = new Map<string, number>();
  /** A native entry's self time by its nearest caller with a script (whose postMessage, whose data getter). */
  const byCaller = new Map<string, Map<string, number>>();
  let total = 0;
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => {
    const next = (deltas[i + 1] ?? 0) / 1000;
    const f = byId.get(id)!.callFrame;
    const key = keyOf(f);
    ms.set(key, (ms.get(key) ?? 0) + next);
    if (f.functionName !== '(idle)') total += next;
    if (!f.url && !f.functionName.startsWith('(')) {
      let caller = '(none)';
      for (let n = parent.get(id); n !== undefined; n = parent.get(n)) {
        const cf = byId.get(n)!.callFrame;
        if (cf.url) {
          caller = keyOf(cf);
          break;
        }
      }
      const m = byCaller.get(key) ?? new Map<string, number>();
      byCaller.set(key, m.set(caller, (m.get(caller) ?? 0) + next));
    }
    // The outermost extension frame of this sample's stack.
    let outer: string | undefined;
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const cf = byId.get(n)!.callFrame;
      if (cf.url.startsWith('chrome-extension://')) outer = keyOf(cf);
    }
    if (outer) under.set(outer, (under.get(outer) ?? 0) + next);
  });
  const sorted = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  return { total, top: sorted(ms), ours: sorted(under), byCaller: new Map([...byCaller].map(([k, m]) => [k, sorted(m).slice(0, 3)])) };
}

async function profile(page: Page, url: string, spec: LoadSpec): Promise<Protocol.Profiler.Profile> {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  const cdp = await page.createCDPSession();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.waitForSelector('body[data-sim-done="1"]', { timeout: (spec.count / spec.rate) * 1000 + 60_000 });
  const { profile: p } = await cdp.send('Profiler.stop');
  await cdp.detach();
  return p;
}

export default async function run(): Promise<void> {
  const build = process.env.CAPTURE_BUILD ? resolve(process.env.CAPTURE_BUILD) : CHROME_BUILD;
  const sim = await startSimulator({ generation: 2, quiet: true });
  const browser = await launchBench(build);
  const id = await extensionId(browser);
  try {
    const only = process.env.CAPTURE_CASES?.split(',').map(Number);
    for (const c of CASES.filter((_, i) => !only || only.includes(i))) {
      const page = await browser.newPage();
      if (c.panel) {
        await page.goto(`${sim.origin}/?transport=websocket&scenario=none`);
        await openSpacesPanel(page, id);
      }
      const load = loadavg()[0]!.toFixed(2);
      const { total, top, ours, byCaller } = selfTimes(await profile(page, loadUrl(sim.origin, c.spec), c.spec));
      console.log(`capture profile of the page's main thread, ${c.name}, ${c.spec.rate}/s × ${c.spec.size} B (${build}, load average ${load}): ${Math.round(total)} ms sampled (idle left out)`);
      for (const [where, ms] of top) {
        console.log(`  ${ms.toFixed(1).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${where}`);
        for (const [caller, cms] of byCaller.get(where) ?? []) console.log(`  ${cms.toFixed(1).padStart(20)} ms  from ${caller}`);
      }
      const oursMs = ours.reduce((n, [, ms]) => n + ms, 0);
      console.log(`  under the extension's scripts (total time by outermost frame, ${Math.round(oursMs)} ms in the top ${TOP}):`);
      for (const [where, ms] of ours) console.log(`  ${ms.toFixed(1).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${where}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await sim.close();
  }
}
