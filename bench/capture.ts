// Capture cost and latency under load, with the built extension (dist/chrome) and without it, side by side
// in one run. The simulator (socket.io 2.x, websocket) sends 10,000 MESSAGE_SENT of ~5 KB at 1,000/s.
// 1. Main thread: the CPU time of the demo page's renderer main thread over the page's life, in a plain
//    Chromium and in one with the extension, both loaded at the same time (same load, same machine state:
//    the machine is shared, and a run alone would compare two different moments); no DevTools open.
//    TaskDuration (wall clock inside tasks) is printed too: it also counts time the thread waited for a core.
// 2. Latency: with the real DevTools "Spaces" panel open on the page, server emit time → row in the panel DOM.
//    Then a control: server emit → the page's own receipt of the frame, in both browsers side by side
//    (no DevTools): how far the page alone already is from the latency target on this machine.
import puppeteer, { type Browser } from 'puppeteer-core';
import { startSimulator, type Simulator } from '../simulator/server';
import { launchChromium, openSpacesPanel, type Chromium } from '../e2e/lib/chromium';
import { loadUrl, runLoad, type LoadRun, type LoadSpec } from './lib/load';
import { emitToPage, latencies, takeSightings, watchRows, type BenchWindow, type LatencyStats } from './lib/latency';
import { waitIdle } from './lib/procs';
import { count, median, verdict } from './lib/stats';

const LOAD: LoadSpec = { rate: 1000, count: 10_000, size: 5000 };
const WARMUP: LoadSpec = { rate: 1000, count: 500, size: 5000 };
const PAIRS = 3;
const TAIL_MS = 500;
const MAIN_THREAD_TARGET = 1.02;
const P95_TARGET_MS = 250;
/** A tall DevTools window, so that most rows get rendered before they scroll past. */
const DEVTOOLS_VIEWPORT = { width: 1280, height: 2000 };

/** Same Chromium and flags as launchChromium, without the extension (puppeteer then adds --disable-extensions). */
async function launchPlain(withExtension: Chromium): Promise<Browser> {
  const spawn = withExtension.browser.process()?.spawnargs ?? [];
  const userArgs = spawn.slice(spawn.indexOf('about:blank') + 1).filter((a) => a !== '--remote-debugging-pipe' && !a.startsWith('--user-data-dir='));
  return puppeteer.launch({ executablePath: spawn[0], headless: true, pipe: true, handleDevToolsAsPage: true, args: userArgs });
}

/** Launch flags that differ between the two browsers, besides the profile directory. */
function flagDifference(a: Browser, b: Browser): string[] {
  const flags = (x: Browser): Set<string> => new Set((x.process()?.spawnargs ?? []).filter((f) => !f.startsWith('--user-data-dir=')));
  const fa = flags(a);
  const fb = flags(b);
  return [...[...fa].filter((f) => !fb.has(f)).map((f) => `+${f}`), ...[...fb].filter((f) => !fa.has(f)).map((f) => `-${f}`)];
}

function ms(n: number): string {
  return `${count(n)} ms`;
}

async function measureMainThread(sim: Simulator, ext: Chromium, plain: Browser): Promise<void> {
  const url = loadUrl(sim.origin, LOAD);
  const configs = [
    { name: 'without', browser: plain },
    { name: 'with', browser: ext.browser },
  ] as const;
  for (const c of configs) await runLoad(c.browser, loadUrl(sim.origin, WARMUP), WARMUP, TAIL_MS);
  const runs: Record<'with' | 'without', LoadRun[]> = { with: [], without: [] };
  for (let i = 0; i < PAIRS; i++) {
    // Nothing left over from the previous run (the extension's worker may still be storing) on either side.
    await Promise.all([waitIdle(ext.browser.process()!.pid!, 3_000), waitIdle(plain.process()!.pid!, 3_000)]);
    const rs = await Promise.all(configs.map((c) => runLoad(c.browser, url, LOAD, TAIL_MS)));
    configs.forEach((c, j) => {
      const r = rs[j]!;
      if (r.messages !== LOAD.count) throw new Error(`the page got ${r.messages} of ${LOAD.count} MESSAGE_SENT`);
      runs[c.name].push(r);
    });
  }
  const w = median(runs.with.map((r) => r.mainCpuMs));
  const wo = median(runs.without.map((r) => r.mainCpuMs));
  const ratio = w / wo;
  const secs = LOAD.count / LOAD.rate;
  console.log(
    `capture main-thread CPU: with extension ${ms(w)} vs without ${ms(wo)} over ${secs} s  ratio ${ratio.toFixed(3)} (target <= ${MAIN_THREAD_TARGET})  ${verdict(ratio <= MAIN_THREAD_TARGET)}`,
  );
  const taskRatio = median(runs.with.map((r) => r.taskMs)) / median(runs.without.map((r) => r.taskMs));
  console.log(`  main-thread busy (TaskDuration, wall clock, grows with waits for a core): ratio ${taskRatio.toFixed(3)}`);
  const detail = (rs: LoadRun[]): string => rs.map((r) => `${count(r.mainCpuMs)}/${count(r.taskMs)}/${count(r.scriptMs)}`).join(', ');
  console.log(`  cpu/task/script ms per run, side by side: with [${detail(runs.with)}]  without [${detail(runs.without)}]`);
  const scriptRatio = median(runs.with.map((r) => r.scriptMs)) / median(runs.without.map((r) => r.scriptMs));
  console.log(`  script time on the main thread: ratio ${scriptRatio.toFixed(3)}`);
  const cpu = (rs: LoadRun[], k: keyof LoadRun['cpu']): string => ms(median(rs.map((r) => r.cpu[k])));
  console.log(
    `  process CPU (medians): page renderer ${cpu(runs.with, 'renderer')} vs ${cpu(runs.without, 'renderer')}, ` +
      `extension process ${cpu(runs.with, 'extension')}, browser process ${cpu(runs.with, 'browser')} vs ${cpu(runs.without, 'browser')}, ` +
      `utility ${cpu(runs.with, 'utility')} vs ${cpu(runs.without, 'utility')}`,
  );
}

async function measurePageReceipt(sim: Simulator, ext: Chromium, plain: Browser): Promise<void> {
  await Promise.all([waitIdle(ext.browser.process()!.pid!, 3_000), waitIdle(plain.process()!.pid!, 3_000)]);
  const timeout = (LOAD.count / LOAD.rate) * 1000 + 30_000;
  const [wo, w] = await Promise.all([emitToPage(plain, loadUrl(sim.origin, LOAD), timeout), emitToPage(ext.browser, loadUrl(sim.origin, LOAD), timeout)]);
  const line = (l: LatencyStats): string => `p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, max ${ms(l.max)}`;
  console.log(`  control, server emit → page receipt (no DevTools, side by side): without extension ${line(wo)}; with extension ${line(w)}`);
}

async function measureLatency(sim: Simulator, ext: Chromium): Promise<void> {
  await waitIdle(ext.browser.process()!.pid!);
  const page = await ext.browser.newPage();
  try {
    // A light page first, so that the panel is open and subscribed before the load starts.
    await page.goto(`${sim.origin}/?transport=websocket&scenario=none`);
    await page.waitForSelector('body[data-sim-done="1"]', { timeout: 15_000 });
    const { devtools, panel } = await openSpacesPanel(page, ext.extensionId);
    await devtools.setViewport(DEVTOOLS_VIEWPORT);
    await watchRows(panel);
    const floor = Date.now();
    await page.goto(loadUrl(sim.origin, LOAD), { waitUntil: 'domcontentloaded' });
    // Generous: on a loaded machine the page itself may fall far behind the server.
    await page.waitForSelector('body[data-sim-done="1"]', { timeout: 120_000 });
    // Let the panel catch up, up to 10 s, until the last row has shown.
    const last = String(LOAD.count);
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      if (await panel.evaluate((s) => s in ((window as unknown as BenchWindow).__captureBench?.seen ?? {}), last)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 300));
    const seen = await takeSightings(panel);
    const { seen: s, all, missing, toPage, pageToPanel } = latencies(seen, LOAD.count, floor);
    const ok = all.p95 <= P95_TARGET_MS && missing === 0;
    console.log(
      `capture latency server emit → panel row: p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)} over ${count(s.n)} of ${count(LOAD.count)} events (target p95 <= ${P95_TARGET_MS} ms)  ${verdict(s.p95 <= P95_TARGET_MS)}`,
    );
    console.log(
      `capture latency, all ${count(LOAD.count)} events (rows never rendered counted at an upper bound): p50 ${ms(all.p50)}, p95 ${ms(all.p95)}, max ${ms(all.max)}` +
        `${missing ? `, ${count(missing)} never shown` : ''} (target p95 <= ${P95_TARGET_MS} ms)  ${verdict(ok)}`,
    );
    console.log(
      `  split of the seen rows at the page (row Time = when the page got the frame): server → page p50 ${ms(toPage.p50)}, p95 ${ms(toPage.p95)}; ` +
        `page → panel row p50 ${ms(pageToPanel.p50)}, p95 ${ms(pageToPanel.p95)}`,
    );
    await devtools.close();
  } finally {
    await page.close();
  }
}

export default async function run(): Promise<void> {
  const started = Date.now();
  const sim = await startSimulator({ generation: 2, quiet: true });
  let ext: Chromium | undefined;
  let plain: Browser | undefined;
  try {
    ext = await launchChromium();
    plain = await launchPlain(ext);
    const diff = flagDifference(ext.browser, plain);
    console.log(`  browsers: ${ext.browser.process()?.spawnargs[0]}, flags differ only in: ${diff.join(' ')}`);
    await measureMainThread(sim, ext, plain);
    await measureLatency(sim, ext);
    await measurePageReceipt(sim, ext, plain);
  } finally {
    await plain?.close();
    await ext?.close();
    await sim.close();
  }
  console.log(`  (capture bench took ${Math.round((Date.now() - started) / 1000)} s)`);
}
