// The least a capture can cost the page's main thread, in steps, without the product's code: a minimal
// extension (bench/floor-extension) whose page-world hook (1) only keeps each WebSocket frame, (2) also
// posts each 40 ms batch of frames over a MessagePort to the isolated-world relay, which drops it unread,
// (3) also has the relay send them on to the background with runtime.sendMessage (structured clone), one
// message at a time, what came meanwhile merged, answered at once ("message"), or (4) sends each batch at
// once over one long-lived runtime Port instead, answered on it ("port"). Steps (3) and (4) are the two ways
// across to the background, side by side. Each step runs in its own Chromium, with a plain one and one with
// the built extension (dist/chrome; CAPTURE_BEFORE=<dir> adds another build, e.g. the one before a change),
// at 1,000/s × 5 KB (one page at a time, in a rotating order: six at once would measure how far one
// simulator falls behind) and at 50/s × 2 KB (the pages at once: 60 s each). The CPU time of each page
// renderer's main thread is compared with the plain one's. CAPTURE_STEPS=listen,connect runs only those steps
// (CAPTURE_STEPS= none). The product has to do at least (3) or (4): the
// page's frames have to leave the page's process.
import type { Browser } from 'puppeteer-core';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { startSimulator, type Simulator } from '../simulator/server';
import { CHROME_BUILD } from '../e2e/lib/chromium';
import { loadUrl, runLoad, type LoadSpec } from './lib/load';
import { launchBench } from './lib/browser';
import { waitIdle } from './lib/procs';
import { count, median } from './lib/stats';

const HIGH: LoadSpec = { rate: 1000, count: 5_000, size: 5000 };
const LOW: LoadSpec = { rate: 50, count: 3_000, size: 2000 };
const ROUNDS = 3;
/** The floor hook's steps by their ?floor= value, and the names printed. */
const STEPS = { listen: 'keep', port: 'to relay', send: 'message', connect: 'port' } as const;
const FLOOR = resolve(import.meta.dirname, 'floor-extension');

interface Config {
  name: string;
  /** ?floor= step (the floor extension's), none for the plain page and the product's builds. */
  step?: string;
  extension?: string;
}

const load1 = (): string => loadavg()[0]!.toFixed(2);

async function measure(sim: Simulator, configs: Config[], browsers: Browser[], spec: LoadSpec, together: boolean): Promise<void> {
  const url = (c: Config): string => `${loadUrl(sim.origin, spec)}${c.step ? `&floor=${c.step}` : ''}`;
  const cpu: number[][] = configs.map(() => []);
  const loads: string[] = [];
  const one = async (j: number): Promise<void> => {
    const r = await runLoad(browsers[j]!, url(configs[j]!), spec, 500);
    if (r.messages !== spec.count) throw new Error(`the page got ${r.messages} of ${spec.count} MESSAGE_SENT`);
    cpu[j]!.push(r.mainCpuMs);
  };
  for (let i = 0; i < ROUNDS; i++) {
    await Promise.all(browsers.map((b) => waitIdle(b.process()!.pid!, 3_000)));
    loads.push(load1());
    if (together) await Promise.all(configs.map((_, j) => one(j)));
    else for (let k = 0; k < configs.length; k++) await one((k + i * 2) % configs.length);
  }
  const base = median(cpu[0]!);
  const secs = spec.count / spec.rate;
  const how = together ? 'the pages at once' : 'one page at a time within each round';
  console.log(
    `capture floor, page main-thread CPU vs no extension (${count(spec.count)} MESSAGE_SENT of ~${spec.size} B at ${spec.rate}/s, ${ROUNDS} rounds, ${how}; load average (1 min) at each round's start: ${loads.join(', ')})`,
  );
  for (const [j, c] of configs.entries()) {
    const xs = cpu[j]!;
    const mmm = `${count(Math.min(...xs))} / ${count(median(xs))} / ${count(Math.max(...xs))}`;
    const extra = j === 0 ? '' : `  ×${(median(xs) / base).toFixed(3)} plain, +${((median(xs) - base) / secs).toFixed(1)} ms/s`;
    console.log(`  ${c.name.padEnd(22)} min / median / max ${mmm.padEnd(22)} ms${extra}`);
  }
}

export default async function run(): Promise<void> {
  const sim = await startSimulator({ generation: 2, quiet: true });
  const steps = process.env.CAPTURE_STEPS?.split(',');
  const configs: Config[] = [
    { name: 'plain' },
    ...Object.entries(STEPS)
      .filter(([step]) => steps === undefined || steps.includes(step))
      .map(([step, name]) => ({ name: `floor: ${name}`, step, extension: FLOOR })),
    { name: 'product', extension: CHROME_BUILD },
    ...(process.env.CAPTURE_BEFORE ? [{ name: 'product (before)', extension: resolve(process.env.CAPTURE_BEFORE) }] : []),
  ];
  const browsers: Browser[] = [];
  try {
    for (const c of configs) browsers.push(await launchBench(c.extension));
    if (!process.env.CAPTURE_LOW_ONLY) await measure(sim, configs, browsers, HIGH, false);
    await measure(sim, configs, browsers, LOW, true);
  } finally {
    for (const b of browsers) await b.close();
    await sim.close();
  }
}
