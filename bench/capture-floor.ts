// The least a capture can cost the page's main thread, in steps, without the product's code: a minimal
// extension (bench/floor-extension) whose page-world hook (1) only keeps each WebSocket frame, (2) also
// posts each 40 ms batch of frames over a MessagePort to the isolated-world relay, which drops it unread,
// (3) also has the relay send them on to the background with runtime.sendMessage (structured clone) as the
// product's relay does (one message at a time, what came meanwhile merged), answered at once, or (4) sends
// each batch at once over one long-lived runtime Port instead, answered on it. Each step
// runs in its own Chromium, in turn with a plain one and one with the built extension (dist/chrome),
// on the capture bench's load; the CPU time of each page renderer's main thread is compared with the plain
// one's. The product has to do at least (3) (the page's frames have to leave the page's process).
import type { Browser } from 'puppeteer-core';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { startSimulator } from '../simulator/server';
import { CHROME_BUILD } from '../e2e/lib/chromium';
import { loadUrl, runLoad, type LoadSpec } from './lib/load';
import { launchBench } from './lib/browser';
import { waitIdle } from './lib/procs';
import { median } from './lib/stats';

const LOAD: LoadSpec = { rate: 1000, count: 5_000, size: 5000 };
const ROUNDS = 3;
const STEPS = ['listen', 'port', 'send', 'connect'] as const;
const FLOOR = resolve(import.meta.dirname, 'floor-extension');

export default async function run(): Promise<void> {
  const sim = await startSimulator({ generation: 2, quiet: true });
  const configs = [{ step: 'plain' }, ...STEPS.map((step) => ({ step })), { step: 'product' }];
  const browsers: Browser[] = [];
  try {
    for (const c of configs) browsers.push(await launchBench(c.step === 'plain' ? undefined : c.step === 'product' ? CHROME_BUILD : FLOOR));
    const url = (step: string): string => `${loadUrl(sim.origin, LOAD)}&floor=${step}`;
    const cpu: number[][] = configs.map(() => []);
    // One page at a time (six at once at this rate measure how far one simulator falls behind), each round
    // in another order.
    for (let i = 0; i < ROUNDS; i++) {
      for (let k = 0; k < configs.length; k++) {
        const j = (k + i * 2) % configs.length;
        await waitIdle(browsers[j]!.process()!.pid!, 3_000);
        const r = await runLoad(browsers[j]!, url(configs[j]!.step), LOAD, 500);
        if (r.messages !== LOAD.count) throw new Error(`the page got ${r.messages} of ${LOAD.count} MESSAGE_SENT`);
        cpu[j]!.push(r.mainCpuMs);
      }
    }
    const base = median(cpu[0]!);
    const line = configs
      .slice(1)
      .map((c, j) => `${c.step} ${(median(cpu[j + 1]!) / base).toFixed(3)}`)
      .join(', ');
    console.log(`capture floor, page main-thread CPU vs no extension (${LOAD.count} MESSAGE_SENT of ~${LOAD.size} B at ${LOAD.rate}/s, one page at a time within each round, load average ${loadavg()[0]!.toFixed(2)}): ${line}`);
    console.log(`  medians ms: plain ${Math.round(base)}, ${configs.slice(1).map((c, j) => `${c.step} ${Math.round(median(cpu[j + 1]!))}`).join(', ')}`);
  } finally {
    for (const b of browsers) await b.close();
    await sim.close();
  }
}
