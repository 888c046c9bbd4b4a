// Where a timed step's main-thread time goes (`npm run bench -- panel --trace`): a Chrome trace (timeline,
// V8 and GC categories) and a sampling CPU profile around the step, summed by kind of work and by function.
import type { CDPSession, Page } from 'puppeteer-core';

const CATEGORIES = ['toplevel', 'devtools.timeline', 'v8', 'disabled-by-default-v8.gc', 'blink.user_timing'];
/** `--trace=invalidations`: also why layout was invalidated (the tracking doubles the layout's cost). */
const INVALIDATIONS = process.argv.includes('--trace=invalidations');
/** `--trace=alloc`: also who allocated (sampling every allocation, garbage included, slows the GC down). */
const ALLOC = process.argv.includes('--trace=alloc');

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time. */
  tdur?: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Bytes allocated during the step (sampled, collected or not): the total and the functions that allocated most. */
function allocations(head: HeapNode): { total: number; top: [string, number][] } {
  const by = new Map<string, number>();
  let total = 0;
  const walk = (n: HeapNode): void => {
    if (n.selfSize) {
      const f = n.callFrame;
      const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
      by.set(name, (by.get(name) ?? 0) + n.selfSize);
      total += n.selfSize;
    }
    for (const c of n.children) walk(c);
  };
  walk(head);
  return { total, top: [...by].sort((a, b) => b[1] - a[1]).slice(0, 6) };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Names of main-thread trace events worth a figure, each summed (nested ones are inside their parents' figures). */
const KINDS: Record<string, string[]> = {
  'major GC': ['MajorGC', 'V8.GCFinalizeMC', 'V8.GCFinalizeMCReduceMemory', 'V8.GC_MARK_COMPACTOR'],
  'minor GC': ['MinorGC', 'V8.GCScavenger', 'V8.GC_SCAVENGER', 'V8.GC_MINOR_MARK_SWEEPER'],
  'incremental marking': ['V8.GCIncrementalMarking', 'V8.GC_MC_INCREMENTAL'],
  style: ['UpdateLayoutTree', 'RecalculateStyles'],
  layout: ['Layout'],
  paint: ['Paint', 'PrePaint', 'Layerize', 'UpdateLayer', 'Commit'],
};

/** Wall-clock and thread (CPU) ms: a thread the machine's load preempts has wall >> CPU. */
interface Both {
  wall: number;
  cpu: number;
}

export interface StepTrace {
  /** ms per kind of work on the main thread, the top-level tasks' total, and the longest task. */
  kinds: Record<string, Both>;
  tasks: Both;
  longest: Both;
  /** GC events on the main thread, in order: "MajorGC 92/90" (wall/CPU ms)… */
  gcs: string[];
  /** The functions with the most self time (ms, wall clock), as the profiler sampled them. */
  top: [string, number][];
  /** Each layout of 1 ms or more: its ms, the objects it laid out of all, and whether it was forced by script. */
  layouts: string[];
  /** Why layout was invalidated, by node and reason, most first (--trace=invalidations). */
  invalidations: string[];
  /** Idle callbacks, timers and frame callbacks of 1 ms or more. */
  callbacks: string[];
  /** Bytes allocated in the step, and by whom. */
  allocated?: { total: number; top: [string, number][] };
}

export class StepTracer {
  private constructor(
    private readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  static async on(page: Page): Promise<StepTracer> {
    const cdp = await page.createCDPSession();
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('HeapProfiler.enable');
    return new StepTracer(page, cdp);
  }

  /** Runs step between two user-timing marks the page sets (`trace-start`, `trace-end`). */
  async around<T>(step: () => Promise<T>): Promise<{ result: T; trace: StepTrace }> {
    await this.page.tracing.start({ categories: INVALIDATIONS ? [...CATEGORIES, 'disabled-by-default-devtools.timeline.invalidationTracking'] : CATEGORIES });
    // Tracing reaches the renderer a little after start resolves.
    await this.page.evaluate('new Promise((ok) => setTimeout(ok, 50))');
    await this.cdp.send('Profiler.start');
    if (ALLOC) await this.cdp.send('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    const result = await step();
    const heap = ALLOC ? ((await this.cdp.send('HeapProfiler.stopSampling')) as unknown as { profile: { head: HeapNode } }) : null;
    const { profile } = (await this.cdp.send('Profiler.stop')) as unknown as {
      profile: { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };
    };
    const buf = await this.page.tracing.stop();
    const events = (JSON.parse(new TextDecoder().decode(buf)) as { traceEvents: TraceEvent[] }).traceEvents;
    const trace = summarise(events, profile);
    return { result, trace: heap ? { ...trace, allocated: allocations(heap.profile.head) } : trace };
  }
}

function summarise(events: TraceEvent[], profile: { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }): StepTrace {
  // The page's renderer is the process that set the marks.
  const start = events.find((e) => e.name === 'trace-start');
  const end = events.find((e) => e.name === 'trace-end');
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === start?.pid);
  const t0 = start?.ts ?? -Infinity;
  const t1 = end?.ts ?? Infinity;
  const on = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.ts + (e.dur ?? 0) >= t0 && e.ts <= t1);
  const both = (e: TraceEvent): Both => ({ wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? e.dur ?? 0) / 1000 });
  const fmt = (b: Both): string => `${b.wall.toFixed(1)}/${b.cpu.toFixed(1)}`;
  /** The outermost events of these names (a MajorGC holds V8.GC_MARK_COMPACTOR…), summed. */
  const outer = (names: string[]): Both => {
    let endTs = -Infinity;
    const sum: Both = { wall: 0, cpu: 0 };
    for (const e of on.filter((x) => names.includes(x.name)).sort((x, y) => x.ts - y.ts)) {
      if (e.ts < endTs) continue;
      const b = both(e);
      sum.wall += b.wall;
      sum.cpu += b.cpu;
      endTs = e.ts + (e.dur ?? 0);
    }
    return sum;
  };
  const kinds: Record<string, Both> = {};
  for (const [kind, names] of Object.entries(KINDS)) kinds[kind] = outer(names);
  const tasks = outer(['RunTask', 'ThreadControllerImpl::RunTask']);
  const longest = on.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask').reduce<Both>((m, e) => (both(e).wall > m.wall ? both(e) : m), { wall: 0, cpu: 0 });
  // What ran in the window besides the input and its frame: idle callbacks, timers, frame callbacks (wall/CPU ms).
  const callbacks = on
    .filter((e) => (e.name === 'FireIdleCallback' || e.name === 'TimerFire' || e.name === 'FireAnimationFrame') && (e.dur ?? 0) >= 1000)
    .map((e) => `${e.name} ${fmt(both(e))}`);
  const gcs = on.filter((e) => e.name === 'MajorGC' || e.name === 'MinorGC').map((e) => `${e.name} ${fmt(both(e))}`);
  const layouts = on
    .filter((e) => e.name === 'Layout' && (e.dur ?? 0) >= 1000)
    .map((e) => {
      const b = (e.args as { beginData?: { dirtyObjects?: number; totalObjects?: number; stackTrace?: unknown } } | undefined)?.beginData;
      return `${fmt(both(e))} (${b?.dirtyObjects ?? '?'}/${b?.totalObjects ?? '?'}${b?.stackTrace ? ', forced' : ''})`;
    });
  const inv = new Map<string, number>();
  for (const e of events) {
    if (e.name !== 'LayoutInvalidationTracking' || e.ts < t0 || e.ts > t1) continue;
    const d = (e.args as { data?: { nodeName?: string; reason?: string } } | undefined)?.data;
    const k = `${d?.nodeName ?? '?'} ${d?.reason ?? '?'}`;
    inv.set(k, (inv.get(k) ?? 0) + 1);
  }
  const invalidations = [...inv].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, n]) => `${k} ×${n}`);
  const self = new Map<number, number>();
  // Samples between the marks only (the profile's clock is the trace's).
  let ts = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    ts += profile.timeDeltas[i] ?? 0;
    if (ts < t0 || ts > t1) continue;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const byName = new Map<string, number>();
  for (const n of profile.nodes) {
    const us = self.get(n.id);
    if (!us) continue;
    const f = n.callFrame;
    const file = f.url.split('/').pop() ?? '';
    const name = f.functionName.startsWith('(') ? f.functionName : `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    if (name === '(idle)') continue;
    byName.set(name, (byName.get(name) ?? 0) + us / 1000);
  }
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 8);
  return { kinds, tasks, longest, gcs, top, layouts, invalidations, callbacks };
}

export function printTrace(label: string, ms: number, t: StepTrace): void {
  const f = (n: number): string => n.toFixed(1);
  const b = (x: Both): string => `${f(x.wall)}/${f(x.cpu)}`;
  const kinds = Object.entries(t.kinds)
    .filter(([, v]) => v.wall >= 0.5)
    .map(([k, v]) => `${k} ${b(v)}`)
    .join(', ');
  console.log(`  ${label}: ${f(ms)} ms; main-thread tasks ${b(t.tasks)} ms wall/CPU (longest ${b(t.longest)}); ${kinds}`);
  if (t.gcs.length) console.log(`    GC: ${t.gcs.join(', ')}`);
  if (t.layouts.length) console.log(`    layouts: ${t.layouts.join(', ')}`);
  if (t.callbacks.length) console.log(`    callbacks: ${t.callbacks.join(', ')}`);
  if (t.invalidations.length) console.log(`    invalidated: ${t.invalidations.join(', ')}`);
  const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
  if (t.allocated) console.log(`    allocated ${mb(t.allocated.total)} MB: ${t.allocated.top.map(([n, v]) => `${n} ${mb(v)}`).join('; ')}`);
  console.log(`    self time: ${t.top.map(([n, v]) => `${n} ${f(v)}`).join('; ')}`);
}
