// One load run of the simulator's demo page in a fresh tab: the page's renderer main-thread time (CDP
// Performance.getMetrics) and the CPU of the browser's processes, from navigation to the end of the load.
import type { Browser } from 'puppeteer-core';
import { cpuDelta, rendererMainCpu, rendererMainDelta, treeCpu, type ProcKind } from './procs';

export interface LoadSpec {
  rate: number;
  count: number;
  size: number;
  /** The page sends an event of its own for every `echo`th MESSAGE_SENT (none when absent). */
  echo?: number;
}

export interface LoadRun {
  /**
   * CPU time of the page renderer's main thread, ms (the thread's own run time from the kernel: the work
   * done there, whatever else the machine runs meanwhile).
   */
  mainCpuMs: number;
  /**
   * Renderer main-thread busy time (TaskDuration, wall clock inside tasks, so it also grows while the
   * thread waits for a core) and JS time on it (ScriptDuration), ms.
   */
  taskMs: number;
  scriptMs: number;
  /** MESSAGE_SENT the page counted. */
  messages: number;
  /** Navigation start to the end of the tail, ms. */
  wallMs: number;
  cpu: Record<ProcKind, number>;
}

export function loadUrl(origin: string, spec: LoadSpec): string {
  return `${origin}/?transport=websocket&rate=${spec.rate}&count=${spec.count}&size=${spec.size}${spec.echo ? `&echo=${spec.echo}` : ''}`;
}

/**
 * Opens the load page in a new tab and measures it. The Performance agent is enabled on the blank tab;
 * after the navigation the page's new renderer counts from its start, so the window is the page's whole
 * life: loading, the load itself, and `tailMs` after SIM_LOAD_DONE (the capture's last batches).
 */
export async function runLoad(browser: Browser, url: string, spec: LoadSpec, tailMs: number): Promise<LoadRun> {
  const root = browser.process()?.pid;
  if (root === undefined) throw new Error('no browser process');
  const page = await browser.newPage();
  try {
    const cdp = await page.createCDPSession();
    await cdp.send('Performance.enable');
    const cpu0 = treeCpu(root);
    const main0 = rendererMainCpu(root);
    const t0 = Date.now();
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-sim-done="1"]', { timeout: (spec.count / spec.rate) * 1000 + 30_000 });
    await new Promise((r) => setTimeout(r, tailMs));
    const { metrics } = await cdp.send('Performance.getMetrics');
    const cpu = cpuDelta(cpu0, treeCpu(root));
    const mainCpuMs = rendererMainDelta(main0, rendererMainCpu(root));
    const wallMs = Date.now() - t0;
    const metric = (name: string): number => (metrics.find((m) => m.name === name)?.value ?? NaN) * 1000;
    const messages = Number(await page.evaluate(() => document.body.dataset.messages ?? '0'));
    await cdp.detach();
    return { mainCpuMs, taskMs: metric('TaskDuration'), scriptMs: metric('ScriptDuration'), messages, wallMs, cpu };
  } finally {
    await page.close();
  }
}
