// The panel on a fake source, outside any extension. Query: theme=light|dark, scenario=events|empty|denied,
// count=<n> (events generated), select=echo|issue|error|message (selects the newest such event),
// live=<n> (n more events arrive afterwards, one every 100 ms), persist=1 (filters kept in localStorage),
// topics=<n> (events spread over n topics), loads=<seq>,<seq> (the first seq of each page load), spare=<n> (n more events for window.harness.stream).
import { mountPanel } from '../../../src/panel/views/app';
import { storagePrefs, type PanelEnv, type ThemeName } from '../../../src/panel/sources/env';
import type { CapturedEvent } from '../../../src/core/model/event';
import { fakeSource, generateEvents } from './fake-source';

const q = new URLSearchParams(location.search);
const theme: ThemeName = q.get('theme') === 'dark' ? 'dark' : 'light';
const scenario = q.get('scenario') ?? 'events';
const count = scenario === 'events' ? Number(q.get('count') ?? 2000) : 0;

const t0 = performance.now();
const live = Number(q.get('live') ?? 0);
const spare = Number(q.get('spare') ?? 0);
const all = generateEvents(count + live + spare, 7, Number(q.get('topics') ?? 3));
const events = all.slice(0, count);
const spares = all.slice(count + live);
let deliver: (evs: CapturedEvent[]) => void = () => {};
const generated = performance.now();
let allowed = scenario !== 'denied';
const env: PanelEnv = {
  theme: { current: () => theme },
  capture: {
    inspectedOrigin: async () => 'https://spaces.avayacloud.com',
    allowed: async () => allowed,
    request: async () => (allowed = true),
    reloadPage: () => location.reload(),
  },
};
// Export and Import in the toolbar, as in the extension (logs=0: without them).
if (q.get('logs') !== '0') env.logs = { createWorker: () => new Worker('data:text/javascript,'), tool: { name: 'Spaces DevTools', version: '0.0.0' }, browser: 'Harness' };
// persist=1: filters survive a reload of the harness, as they do in DevTools.
if (q.get('persist') === '1') env.prefs = storagePrefs(localStorage);
const panel = mountPanel(document.getElementById('app')!, fakeSource(events, { tail: all.slice(count, count + live), onSubscribe: (d) => (deliver = d), ...(q.get('loads') ? { loadSeqs: q.get('loads')!.split(',').map(Number) } : {}) }), env, { max: Math.max(50_000, count), ...(count > 50_000 ? { maxBytes: Infinity } : {}) });
const mounted = performance.now();

const wanted: Record<string, (e: CapturedEvent) => boolean> = {
  echo: (e) => e.spaces?.reply?.outcome === 'echo' && e.spaces.issues.length === 0,
  issue: (e) => (e.spaces?.issues.length ?? 0) > 1,
  error: (e) => e.record.kind === 'error',
  message: (e) => e.spaces?.event === 'MESSAGE_SENT' && !!e.spaces.category && e.spaces.issues.length === 0 && !!e.spaces.summary,
};
const test = wanted[q.get('select') ?? ''];
const target = test ? events.findLast(test) : undefined;

declare global {
  interface Window {
    harness: {
      events: number;
      generateMs: number;
      mountMs: number;
      selected: number | null;
      readyMs?: number;
      /** Events whose search text the panel has not indexed yet (it does so in idle time). */
      unindexed: () => number;
      /** Delivers spare events at `perSecond` for `ms`, in a batch every 20 ms; resolves to the number delivered. */
      stream: (perSecond: number, ms: number) => Promise<number>;
    };
  }
}
/** Spare events delivered so far, over every call of stream(). */
let streamed = 0;
const stream = (perSecond: number, ms: number): Promise<number> =>
  new Promise((done) => {
    const start = performance.now();
    const from = streamed;
    const timer = setInterval(() => {
      const elapsed = Math.min(performance.now() - start, ms);
      const due = Math.min(spares.length, from + Math.floor((elapsed / 1000) * perSecond));
      if (due > streamed) deliver(spares.slice(streamed, due));
      streamed = Math.max(streamed, due);
      if (elapsed >= ms || streamed >= spares.length) {
        clearInterval(timer);
        done(streamed - from);
      }
    }, 20);
  });
window.harness = {
  events: events.length,
  generateMs: generated - t0,
  mountMs: mounted - generated,
  selected: target?.seq ?? null,
  unindexed: () => panel.store.unindexed,
  stream,
};

// Time from mount until the first rows are on screen.
const ready = (): void => {
  if (document.querySelector('.rows .row') || events.length === 0) {
    // Select only now: the source delivers (with reset) once the panel has subscribed.
    if (target) panel.store.select(target);
    window.harness.readyMs = performance.now() - generated;
  } else requestAnimationFrame(ready);
};
requestAnimationFrame(ready);
