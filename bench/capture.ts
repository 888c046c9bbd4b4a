// Capture cost against the page alone and against Chrome's own DevTools, side by side in one run: six
// Chromiums with the same flags, ready at once, each page run in turn within every round. At 50/s the pages
// load at the same time in two sets, one after the other: those without DevTools (plain, closed, trace,
// floor), then the two with DevTools open (network, open). DevTools on a page burns about half a core at
// this load: with them in the same set, on two cores, the other pages' timers fire late (fewer, larger
// batches) and share caches with DevTools, which shifts the closed / plain figures. At 1,000/s × 5 KB
// one after another in a rotating order (all at once would measure how far one simulator and two cores fall
// behind):
//   plain    no extension, no DevTools
//   network  no extension, DevTools open on its Network panel, recording the WebSocket
//   closed   the product (dist/chrome), DevTools closed
//   trace    the product with its Trace setting on (issue #23: the stack of each send kept), DevTools closed
// (the page sends one event of its own for every tenth MESSAGE_SENT, in every configuration: Trace's sends)
//   open     the product, DevTools open on its Spaces panel
//   floor    bench/floor-extension: a page-world hook that only keeps each frame (?floor=listen)
// Measured: the CPU time of the page renderer's main thread (the kernel's run time of the thread, so time
// it waited for a core does not count), from navigation to the end of the load and a tail; DevTools' own
// renderer is left out. Each load is run ROUNDS times; min / median / max per configuration and the 1-minute
// load average are printed. Then the latency, server emit → row in the Spaces panel, at two rates, split at
// the page (the Time cell: when the page got the frame) beside the plain page's own emit → page.
// `npm run bench -- capture --latency-only`: the latency alone (the product open; the plain page and DevTools on
// Network for the controls);
// with LATENCY_BASELINE=<another build's dist/chrome>, that build open too, each load run on both in turn.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { Browser, Frame, Page } from 'puppeteer-core';
import { startSimulator, type Simulator } from '../simulator/server';
import { findChromium } from '../e2e/lib/browsers';
import { CHROME_BUILD, openSpacesPanel } from '../e2e/lib/chromium';
import { loadUrl, type LoadSpec } from './lib/load';
import { extensionId, launchBench } from './lib/browser';
import { emitToPage, latencies, takeSightings, watchRows, type BenchWindow, type LatencyStats } from './lib/latency';
import { rendererMainCpu, threadCpu, waitIdle } from './lib/procs';
import { count, median, verdict } from './lib/stats';

/** The page answers one MESSAGE_SENT in ten with a send of its own: Trace has sends to trace. */
const HIGH: LoadSpec = { rate: 1000, count: 10_000, size: 5000, echo: 10 };
const LOW: LoadSpec = { rate: 50, count: 3_000, size: 2000, echo: 10 };
const LATENCY: LoadSpec[] = [
  { rate: 200, count: 2_000, size: 2000 },
  { rate: 1000, count: 10_000, size: 5000 },
];
const ROUNDS = 3;
const TAIL_MS = 500;
const HIGH_RATIO_TARGET = 1.1;
const LOW_ADDED_TARGET_MS_PER_S = 2;
const P95_TARGET_MS = 250;
const FLOOR = resolve(import.meta.dirname, 'floor-extension');
/** A tall DevTools window, so that most rows get rendered before they scroll past. */
const DEVTOOLS_VIEWPORT = { width: 1280, height: 2000 };

type Name = 'plain' | 'network' | 'closed' | 'trace' | 'open' | 'floor';
const LABELS: Record<Name, string> = {
  plain: 'plain page',
  network: 'Chrome DevTools on Network',
  closed: 'product, panel closed',
  trace: 'product, Trace on, closed',
  open: 'product, Spaces panel open',
  floor: 'keep-only floor',
};
/** The sets of pages run at once at 50/s: those with DevTools apart. */
const WITH_DEVTOOLS: readonly Name[] = ['network', 'open'];

interface Side {
  name: Name;
  browser: Browser;
  page: Page;
  devtools?: Page;
  panel?: Frame;
  /** Renderers DevTools started (its front end): not the page's. */
  devtoolsPids: Set<number>;
  /** Another build than dist/chrome (LATENCY_BASELINE). */
  build?: string;
}

const rootOf = (b: Browser): number => b.process()!.pid!;

async function chord(p: Page, ...keys: string[]): Promise<void> {
  await p.keyboard.down('Control');
  for (const k of keys) await p.keyboard.down(k as never);
  for (const k of [...keys].reverse()) await p.keyboard.up(k as never);
  await p.keyboard.up('Control');
}

/** DevTools on `page`, on its Network panel (stepping through the panels as a keyboard user would). */
async function openNetworkPanel(page: Page): Promise<Page> {
  const devtools = await page.openDevTools();
  await devtools.setViewport(DEVTOOLS_VIEWPORT);
  await devtools.waitForSelector('pierce/.tabbed-pane-header-tab', { timeout: 45_000 });
  await chord(devtools, 'Shift', 'D');
  for (const deadline = Date.now() + 45_000; Date.now() < deadline; ) {
    const selected = await devtools.$$eval('pierce/.tabbed-pane-header-tab.selected', (els) => els.map((e) => e.textContent?.trim()));
    if (selected.includes('Network')) return devtools;
    await chord(devtools, ']');
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error('no Network panel in DevTools');
}

async function prepare(name: Name, build = CHROME_BUILD): Promise<Side> {
  const extension = name === 'closed' || name === 'trace' || name === 'open' ? build : name === 'floor' ? FLOOR : undefined;
  const browser = await launchBench(extension);
  // Trace on as the panel's setting turns it on (storage.local, which the relay reads when a page starts).
  if (name === 'trace') {
    const sw = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), { timeout: 15_000 });
    const worker = (await sw.worker())!;
    // Its extension APIs come a moment after the worker's target does.
    for (let i = 0; !(await worker.evaluate('typeof chrome === "object" && !!chrome.storage')); i++) {
      if (i > 100) throw new Error('no chrome.storage in the service worker');
      await new Promise((r) => setTimeout(r, 100));
    }
    await worker.evaluate('chrome.storage.local.set({ trace: true })');
  }
  const page = await browser.newPage();
  const side: Side = { name, browser, page, devtoolsPids: new Set() };
  if (name !== 'network' && name !== 'open') return side;
  const before = new Set(rendererMainCpu(rootOf(browser)).keys());
  if (name === 'network') side.devtools = await openNetworkPanel(page);
  else {
    const opened = await openSpacesPanel(page, await extensionId(browser));
    await opened.devtools.setViewport(DEVTOOLS_VIEWPORT);
    Object.assign(side, opened);
  }
  for (const pid of rendererMainCpu(rootOf(browser)).keys()) if (!before.has(pid)) side.devtoolsPids.add(pid);
  return side;
}

/** Main-thread CPU ms of the page's renderers (DevTools' left out) between two snapshots. */
function pageCpu(side: Side, before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, v] of after) if (!side.devtoolsPids.has(pid)) ms += v - (before.get(pid) ?? 0);
  return ms;
}

async function runOnce(side: Side, url: string, spec: LoadSpec): Promise<number> {
  const root = rootOf(side.browser);
  const before = rendererMainCpu(root);
  await side.page.goto(url, { waitUntil: 'domcontentloaded' });
  await side.page.waitForSelector('body[data-sim-done="1"]', { timeout: (spec.count / spec.rate) * 1000 + 60_000 });
  await new Promise((r) => setTimeout(r, TAIL_MS));
  const ms = pageCpu(side, before, rendererMainCpu(root));
  const messages = Number(await side.page.evaluate(() => document.body.dataset.messages ?? '0'));
  if (messages !== spec.count) throw new Error(`${side.name}: the page got ${messages} of ${spec.count} MESSAGE_SENT`);
  return ms;
}

const load1 = (): string => loadavg()[0]!.toFixed(2);
const f0 = (n: number): string => count(n);
const mmm = (xs: number[]): string => `${f0(Math.min(...xs))} / ${f0(median(xs))} / ${f0(Math.max(...xs))}`;

/** `together`: the pages at once, in two sets (without DevTools, then with); else one after another, the simulator serving one page at a time. */
async function measureCpu(sim: Simulator, sides: Side[], spec: LoadSpec, together: boolean): Promise<Record<Name, number[]>> {
  const url = (s: Side): string => `${loadUrl(sim.origin, spec)}${s.name === 'floor' ? '&floor=listen' : ''}`;
  const got = Object.fromEntries(sides.map((s) => [s.name, [] as number[]])) as Record<Name, number[]>;
  const loads: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    await Promise.all(sides.map((s) => s.page.goto('about:blank')));
    await Promise.all(sides.map((s) => waitIdle(rootOf(s.browser), 5_000)));
    loads.push(load1());
    if (together) {
      const sets = [sides.filter((s) => !WITH_DEVTOOLS.includes(s.name)), sides.filter((s) => WITH_DEVTOOLS.includes(s.name))];
      // Each round in another order of the two sets.
      for (const set of i % 2 ? sets.reverse() : sets) {
        await Promise.all(set.map((s) => waitIdle(rootOf(s.browser), 3_000)));
        const ms = await Promise.all(set.map((s) => runOnce(s, url(s), spec)));
        set.forEach((s, j) => got[s.name].push(ms[j]!));
      }
    } else {
      // One at a time, each round in another order (the first, the last), so that no side always goes first.
      for (let k = 0; k < sides.length; k++) {
        const s = sides[(k + i * 2) % sides.length]!;
        await waitIdle(rootOf(s.browser), 3_000);
        got[s.name].push(await runOnce(s, url(s), spec));
      }
    }
  }
  const secs = spec.count / spec.rate;
  const how = together ? `at once in two sets (${sides.filter((s) => !WITH_DEVTOOLS.includes(s.name)).map((s) => s.name).join(', ')}; then ${WITH_DEVTOOLS.join(', ')})` : 'one page at a time, in a rotating order';
  console.log(`capture main-thread CPU, ${count(spec.count)} MESSAGE_SENT of ~${spec.size} B at ${spec.rate}/s (${secs} s), ${ROUNDS} rounds, ${how}; load average (1 min) at each round's start: ${loads.join(', ')}`);
  const plain = median(got.plain);
  for (const s of sides) {
    const xs = got[s.name];
    const extra = s.name === 'plain' ? '' : `  ×${(median(xs) / plain).toFixed(3)} plain, +${((median(xs) - plain) / secs).toFixed(1)} ms/s`;
    console.log(`  ${LABELS[s.name].padEnd(28)} min / median / max ${mmm(xs).padEnd(24)} ms${extra}`);
  }
  return got;
}

function targets(high: Record<Name, number[]>, low: Record<Name, number[]>): void {
  const m = (r: Record<Name, number[]>, n: Name): number => median(r[n]);
  const ratio = m(high, 'closed') / m(high, 'plain');
  console.log(`  target 1,000/s: panel closed ≤ ${HIGH_RATIO_TARGET}× plain: ${ratio.toFixed(3)}  ${verdict(ratio <= HIGH_RATIO_TARGET)}`);
  const openHigh = m(high, 'open') - m(high, 'network');
  console.log(`  target 1,000/s: Spaces panel open ≤ DevTools on Network: ${f0(m(high, 'open'))} vs ${f0(m(high, 'network'))} ms  ${verdict(openHigh <= 0)}`);
  const secs = LOW.count / LOW.rate;
  const added = (m(low, 'closed') - m(low, 'plain')) / secs;
  console.log(`  target 50/s: panel closed adds ≤ ${LOW_ADDED_TARGET_MS_PER_S} ms per second: ${added.toFixed(1)} ms/s  ${verdict(added <= LOW_ADDED_TARGET_MS_PER_S)}`);
  const openLow = m(low, 'open') - m(low, 'network');
  console.log(`  target 50/s: Spaces panel open ≤ DevTools on Network: ${f0(m(low, 'open'))} vs ${f0(m(low, 'network'))} ms  ${verdict(openLow <= 0)}`);
  // Trace (issue #23) has no target: its cost, said beside the product's.
  const traceHigh = m(high, 'trace') / m(high, 'plain');
  const traceLow = (m(low, 'trace') - m(low, 'plain')) / secs;
  console.log(
    `  Trace on (panel closed), no target: 1,000/s ×${traceHigh.toFixed(3)} plain (closed ×${ratio.toFixed(3)}); 50/s +${traceLow.toFixed(1)} ms/s (closed +${added.toFixed(1)} ms/s)`,
  );
}

/** The threads that ran most between two snapshots: where a lagging pipeline spends its time. */
function busiestThreads(side: Side, before: ReturnType<typeof threadCpu>, after: ReturnType<typeof threadCpu>, wallMs: number): string {
  const used = [...after].map(([k, v]) => {
    const pid = Number(k.split('/')[0]);
    const kind = v.kind === 'renderer' && side.devtoolsPids.has(pid) ? 'devtools' : v.kind;
    return { ...v, kind, ms: v.cpuMs - (before.get(k)?.cpuMs ?? 0) };
  });
  used.sort((a, b) => b.ms - a.ms);
  return used
    .slice(0, 6)
    .map((u) => `${u.kind}/${u.thread} ${f0(u.ms)} (${Math.round((u.ms / wallMs) * 100)}%)`)
    .join(', ');
}

const p50p95 = (x: LatencyStats): string => `${f0(x.p50)} / ${f0(x.p95)}`;

/** Server emit → row in the Spaces panel (its DevTools already open on the tab); `plain` gives the control. */
async function measureLatency(sim: Simulator, side: Side, plain: Side, network: Side, spec: LoadSpec): Promise<void> {
  const build = side.build ? ` [${side.build}]` : '';
  const panel = side.panel!;
  const timeout = (spec.count / spec.rate) * 1000 + 60_000;
  await side.page.goto('about:blank');
  await waitIdle(rootOf(side.browser), 5_000);
  const load = load1();
  const floor = Date.now();
  await watchRows(panel, floor);
  const threadsBefore = threadCpu(rootOf(side.browser));
  await side.page.goto(loadUrl(sim.origin, spec), { waitUntil: 'domcontentloaded' });
  await side.page.waitForSelector('body[data-sim-done="1"]', { timeout });
  // Let the panel catch up, up to 10 s, until the last row has shown.
  const last = String(spec.count);
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    if (await panel.evaluate((s) => s in ((window as unknown as BenchWindow).__captureBench?.seen ?? {}), last)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 300));
  const busiest = busiestThreads(side, threadsBefore, threadCpu(rootOf(side.browser)), Date.now() - floor);
  const { seen, all, missing, toPage, pageToPanel } = latencies(await takeSightings(panel), spec.count, floor);
  // A list that stopped following the newest row (its "jump to newest" button shows) leaves the last rows unrendered.
  const stopped = await panel.evaluate(() => document.querySelector('.jump') !== null);
  const unrendered = spec.count - seen.n;
  // The control: the same load on the plain page (no extension, no DevTools), right after.
  await waitIdle(rootOf(plain.browser), 5_000);
  const control = await emitToPage(plain.browser, loadUrl(sim.origin, spec), timeout);
  // And with DevTools open on the page's Network panel, no extension: what DevTools alone does to the page.
  await waitIdle(rootOf(network.browser), 5_000);
  const withDevtools = await emitToPage(network.browser, loadUrl(sim.origin, spec), timeout, network.page);
  console.log(
    `capture latency${build} server emit → Spaces panel row, ${count(spec.count)} MESSAGE_SENT of ~${spec.size} B at ${spec.rate}/s (load average ${load}): ` +
      `rows p50 ${f0(seen.p50)} ms, p95 ${f0(seen.p95)} ms, max ${f0(seen.max)} ms (target p95 ≤ ${P95_TARGET_MS} ms, the last row shown)  ` +
      `${verdict(seen.p95 <= P95_TARGET_MS && missing === 0)}; ${count(unrendered)} rows scrolled past unrendered` +
      `${missing ? ` (${count(missing)} after the last row shown${stopped ? ', the list had stopped following the newest' : ''})` : ''}, all rows with those at an upper bound p95 ${f0(all.p95)} ms; ` +
      `rows shown split at the page, p50 / p95: server → page ${p50p95(toPage)} ms (plain page, no extension: ${p50p95(control)} ms; ` +
      `DevTools open on Network, no extension: ${p50p95(withDevtools)} ms), ` +
      `page → panel row ${p50p95(pageToPanel)} ms`,
  );
  console.log(`  busiest threads of that browser meanwhile (process kind/thread: CPU ms, share of the run's wall time): ${busiest}`);
}

export default async function run(): Promise<void> {
  const started = Date.now();
  const latencyOnly = process.argv.includes('--latency-only');
  const sim = await startSimulator({ generation: 2, quiet: true });
  const sides: Side[] = [];
  try {
    const names = latencyOnly ? (['plain', 'network', 'open'] as Name[]) : (Object.keys(LABELS) as Name[]);
    for (const name of names) sides.push(await prepare(name));
    const baseline = latencyOnly ? process.env.LATENCY_BASELINE : undefined;
    const other = baseline ? { ...(await prepare('open', baseline)), build: baseline } : undefined;
    console.log(`  browsers: ${findChromium()}, ${sides.length} side by side (${sides.map((s) => s.name).join(', ')}), load average (1 min) ${load1()}`);
    if (!latencyOnly) {
      const high = await measureCpu(sim, sides, HIGH, false);
      const low = await measureCpu(sim, sides, LOW, true);
      targets(high, low);
    }
    const open = sides.find((s) => s.name === 'open')!;
    const plain = sides.find((s) => s.name === 'plain')!;
    const network = sides.find((s) => s.name === 'network')!;
    // The other browsers idle meanwhile: the latency runs alone.
    for (const spec of LATENCY) {
      await measureLatency(sim, open, plain, network, spec);
      if (other) await measureLatency(sim, other, plain, network, spec);
    }
    if (other) await other.browser.close();
  } finally {
    for (const s of sides) await s.browser.close();
    await sim.close();
  }
  console.log(`  (capture bench took ${Math.round((Date.now() - started) / 1000)} s)`);
}
