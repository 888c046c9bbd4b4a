// Emit-to-row latency in the Spaces panel: a MutationObserver in the panel frame notes, for each list
// row that shows and carries the simulator's `t=<emit ms> seq=<n>`, when it first was in the DOM. The list
// keeps its row elements and refills them (row-painter.ts): a row counts when it is added, moved, or its
// text or place (style top) changes, not only when an element is added.
import type { Browser, Frame, Page } from 'puppeteer-core';
import { quantile } from './stats';

/**
 * seq → [emit time, first time its row was in the panel's DOM (both epoch ms of this machine), the row's
 * Time cell: when the page got the frame, local HH:MM:SS.mmm].
 */
export type Sightings = Record<string, [number, number, string]>;

export interface BenchWindow {
  __captureBench?: { seen: Sightings; observer: MutationObserver };
}

/** `since`: rows emitted before it (an earlier run's, still in the list) are not this run's. */
export async function watchRows(panel: Frame, since: number): Promise<void> {
  // No named inner functions: tsx would wrap them in a helper that the panel's page lacks.
  await panel.evaluate((since) => {
    const w = window as unknown as BenchWindow;
    const seen: Sightings = {};
    const observer = new MutationObserver((records) => {
      const now = Date.now();
      const rows = new Set<Element>();
      for (const rec of records) {
        const target = rec.target instanceof Element ? rec.target : rec.target.parentElement;
        const row = target?.closest('[role=row]');
        if (row) rows.add(row);
        for (const node of rec.addedNodes) {
          if (!(node instanceof HTMLElement)) continue;
          if (node.matches('[role=row]')) rows.add(node);
          for (const r of node.querySelectorAll('[role=row]')) rows.add(r);
        }
      }
      for (const row of rows) {
        if (!row.isConnected) continue;
        const m = /t=(\d+) seq=(\d+)/.exec(row.textContent ?? '');
        if (m && Number(m[1]) >= since && !(m[2]! in seen)) seen[m[2]!] = [Number(m[1]), now, row.querySelector('.c-time')?.textContent ?? ''];
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['style'] });
    w.__captureBench = { seen, observer };
  }, since);
}

export async function takeSightings(panel: Frame): Promise<Sightings> {
  return panel.evaluate(() => {
    const b = (window as unknown as BenchWindow).__captureBench;
    b?.observer.disconnect();
    return b?.seen ?? {};
  });
}

export interface LatencyStats {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

function stats(xs: number[]): LatencyStats {
  return { p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: xs.length ? Math.max(...xs) : NaN, n: xs.length };
}

export interface LatencyResult {
  /** Rows seen in the DOM: exact. */
  seen: LatencyStats;
  /**
   * Every seq 1..count: exact where seen; for a row never rendered (it scrolled past between two
   * renders) an upper bound: the panel's store is in seq order, so the row was in the list when the next
   * seen row appeared, and it was emitted no earlier than the previous seen row.
   */
  all: LatencyStats;
  /** Seqs after the last seen row: never shown as far as the bench can tell. */
  missing: number;
  /** Seen rows split at the page: server emit → page got the frame, and page → row in the panel. */
  toPage: LatencyStats;
  pageToPanel: LatencyStats;
}

/** The epoch ms of a local "HH:MM:SS.mmm" nearest to `near`. */
function localTime(text: string, near: number): number {
  const m = /^(\d\d):(\d\d):(\d\d)\.(\d{3})$/.exec(text.trim());
  if (!m) return NaN;
  const d = new Date(near);
  d.setHours(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]));
  const t = d.getTime();
  const day = 86_400_000;
  return t - near > day / 2 ? t - day : near - t > day / 2 ? t + day : t;
}

/** `emitFloor`: a time before the server's first emit (when the page was asked to load). */
export function latencies(seen: Sightings, count: number, emitFloor: number): LatencyResult {
  const exact: number[] = [];
  const all: number[] = [];
  let missing = 0;
  // Nearest seen seq after each position, walking down.
  const nextSeenAt: number[] = new Array(count + 2).fill(NaN);
  for (let s = count; s >= 1; s--) nextSeenAt[s] = seen[s]?.[1] ?? (nextSeenAt[s + 1] as number);
  let prevEmit = emitFloor;
  for (let s = 1; s <= count; s++) {
    const hit = seen[s];
    if (hit) {
      exact.push(hit[1] - hit[0]);
      all.push(hit[1] - hit[0]);
      prevEmit = hit[0];
    } else if (Number.isNaN(nextSeenAt[s] as number)) {
      missing++;
    } else {
      all.push((nextSeenAt[s] as number) - prevEmit);
    }
  }
  const toPage: number[] = [];
  const pageToPanel: number[] = [];
  for (const [emit, shown, time] of Object.values(seen)) {
    const page = localTime(time, emit);
    if (Number.isNaN(page)) continue;
    toPage.push(page - emit);
    pageToPanel.push(shown - page);
  }
  return { seen: stats(exact), all: stats(all), missing, toPage: stats(toPage), pageToPanel: stats(pageToPanel) };
}

/**
 * Page-world recorder for the control runs: for each MESSAGE_SENT frame, receipt time minus the emit time
 * the simulator put in it. A string: tsx must not rewrite it, and the page runs it before its own scripts.
 */
const PAGE_RECORDER = `(() => {
  const Native = window.WebSocket;
  const lat = [];
  Object.defineProperty(window, '__benchLatency', { value: lat });
  window.WebSocket = new Proxy(Native, {
    construct(target, args, newTarget) {
      const ws = Reflect.construct(target, args, newTarget);
      ws.addEventListener('message', (e) => {
        const m = typeof e.data === 'string' ? /t=(\\d+) seq=/.exec(e.data.slice(0, 600)) : null;
        if (m) lat.push(Date.now() - Number(m[1]));
      });
      return ws;
    },
  });
})()`;

/** Server emit → page receipt over one load in `page` (a fresh tab of `browser` when none is given, DevTools closed). */
export async function emitToPage(browser: Browser, url: string, timeoutMs: number, page?: Page): Promise<LatencyStats> {
  const tab = page ?? (await browser.newPage());
  const { identifier } = await tab.evaluateOnNewDocument(PAGE_RECORDER);
  try {
    await tab.goto(url, { waitUntil: 'domcontentloaded' });
    await tab.waitForSelector('body[data-sim-done="1"]', { timeout: timeoutMs });
    return stats((await tab.evaluate('window.__benchLatency')) as number[]);
  } finally {
    if (page) await page.removeScriptToEvaluateOnNewDocument(identifier);
    else await tab.close();
  }
}
