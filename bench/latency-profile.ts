// Where the time goes while DevTools is open on the Spaces panel at 1,000 MESSAGE_SENT/s × 5 KB (issue #24's
// latency): a CDP Profiler sample of each JS thread on the path at once (the page's main thread, the
// extension's service worker, the panel's frame, DevTools' own front end), top self times each. Not a
// measure of cost (the profilers add their own): it says where the cost is. `npm run bench -- latency-profile`;
// CAPTURE_BUILD=<dir> profiles another build.
import { resolve } from 'node:path';
import { loadavg } from 'node:os';
import type { CDPSession } from 'puppeteer-core';
import type { Protocol } from 'devtools-protocol';
import { startSimulator } from '../simulator/server';
import { CHROME_BUILD, openSpacesPanel } from '../e2e/lib/chromium';
import { extensionId, launchBench } from './lib/browser';
import { loadUrl, type LoadSpec } from './lib/load';

const TOP = 10;
const SPEC: LoadSpec = { rate: 1000, count: 10_000, size: 5000 };

/** Self time (ms) by function and place, the largest first; idle and program left out of the total. */
function selfTimes(profile: Protocol.Profiler.Profile): { total: number; top: [string, number][] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const ms = new Map<string, number>();
  let total = 0;
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => {
    const next = (deltas[i + 1] ?? 0) / 1000;
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') return;
    const key = `${f.functionName || '(anonymous)'}${f.url ? ` ${f.url.replace(/^.*\/\/[^/]+/, '')}:${f.lineNumber + 1}:${f.columnNumber + 1}` : ''}`;
    ms.set(key, (ms.get(key) ?? 0) + next);
    total += next;
  });
  return { total, top: [...ms].sort((a, b) => b[1] - a[1]).slice(0, TOP) };
}

async function start(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
}

export default async function run(): Promise<void> {
  const build = process.env.CAPTURE_BUILD ? resolve(process.env.CAPTURE_BUILD) : CHROME_BUILD;
  const sim = await startSimulator({ generation: 2, quiet: true });
  const browser = await launchBench(build);
  try {
    const id = await extensionId(browser);
    const page = await browser.newPage();
    await page.goto(`${sim.origin}/?transport=websocket&scenario=none`);
    const { devtools } = await openSpacesPanel(page, id);
    await devtools.setViewport({ width: 1280, height: 2000 });
    const sw = browser.targets().find((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${id}/`))!;
    const panel = browser.targets().find((t) => t.url().startsWith(`chrome-extension://${id}/`) && t.url().includes('panel'));
    await page.goto('about:blank');
    const sessions: [string, CDPSession][] = [
      ['service worker', await sw.createCDPSession()],
      ['DevTools front end', await devtools.createCDPSession()],
    ];
    if (panel) sessions.push(['Spaces panel frame', await panel.createCDPSession()]);
    const load = loadavg()[0]!.toFixed(2);
    await page.goto(loadUrl(sim.origin, SPEC), { waitUntil: 'domcontentloaded' });
    // The page's renderer is the one the load's navigation gave it.
    sessions.unshift(['page main thread', await page.createCDPSession()]);
    for (const [, s] of sessions) await start(s);
    await page.waitForSelector('body[data-sim-done="1"]', { timeout: (SPEC.count / SPEC.rate) * 1000 + 60_000 });
    console.log(`latency profile, DevTools open on the Spaces panel, ${SPEC.rate}/s × ${SPEC.size} B (${build}, load average ${load}; panel frame ${panel ? 'found' : 'not found'})`);
    for (const [name, s] of sessions) {
      const { profile } = await s.send('Profiler.stop');
      const { total, top } = selfTimes(profile);
      console.log(`  ${name}: ${Math.round(total)} ms sampled (idle left out)`);
      for (const [where, ms] of top) console.log(`  ${ms.toFixed(1).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${where}`);
      await s.detach();
    }
  } finally {
    await browser.close();
    await sim.close();
  }
}
