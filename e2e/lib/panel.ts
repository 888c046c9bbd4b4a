// Reading the Spaces panel's UI from a test, as a person sees it: rows of the (virtualized) event list.
import type { Frame } from 'puppeteer-core';
import { pollRows, rowOf } from './scenario';

export interface Row {
  index: number;
  time: string;
  dir: string;
  event: string;
  category: string;
  topic: string;
  sender: string;
  summary: string;
  /** The socket the Dir cell names to a screen reader ("#2", "#1 · localhost:8081"), or '' when the list names none. */
  socket: string;
}

/** Scrolls the list from top to bottom and returns every row, in list order. */
export async function collectRows(panel: Frame): Promise<Row[]> {
  // No named inner functions here: tsx would wrap them in a helper that the panel's page doesn't have.
  const raw = await panel.evaluate(async () => {
    const grid = document.querySelector('[role=grid]');
    if (!grid) return [];
    let scroller: HTMLElement | null = grid.querySelector('[role=rowgroup]');
    while (scroller && !(scroller.scrollHeight > scroller.clientHeight && getComputedStyle(scroller).overflowY !== 'visible')) {
      scroller = scroller.parentElement;
    }
    const rows = new Map<number, string[]>();
    if (scroller) {
      scroller.scrollTop = 0;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      if (scroller.scrollTop !== 0) throw new Error(`the list did not stay at the top (scrollTop ${scroller.scrollTop})`);
    }
    for (;;) {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      for (const r of grid.querySelectorAll('[role=row][aria-rowindex]')) {
        if (r.querySelector('[role=columnheader]')) continue;
        const cells = [...r.querySelectorAll('[role=gridcell]')];
        rows.set(Number(r.getAttribute('aria-rowindex')), [...cells.map((c) => (c.textContent ?? '').trim()), cells[1]?.getAttribute('aria-label') ?? '']);
      }
      if (!scroller || scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) break;
      scroller.scrollTop += Math.max(20, scroller.clientHeight / 2);
    }
    return [...rows.entries()].sort((a, b) => a[0] - b[0]);
  });
  return raw.map(([index, c]) => rowOf(index, c));
}

/** Number of rows the list says it has (aria-rowcount less the header). */
export function rowCount(panel: Frame): Promise<number> {
  return panel.evaluate(() => Number(document.querySelector('[role=grid]')?.getAttribute('aria-rowcount') ?? 1) - 1);
}

/** Waits until the list has at least `atLeast` rows and has stopped growing (so a scroll through it sees them all). */
export async function waitForRowCount(panel: Frame, atLeast: number, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let n = 0;
  let stableSince = 0;
  let last = -1;
  while (Date.now() < deadline) {
    n = await rowCount(panel);
    if (n !== last) {
      last = n;
      stableSince = Date.now();
    } else if (n >= atLeast && Date.now() - stableSince >= 800) return n;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the panel shows ${n} rows, expected at least ${atLeast}`);
}

/** All the text the panel's document holds, attributes included. */
export function panelHtml(panel: Frame): Promise<string> {
  return panel.evaluate(() => document.documentElement.outerHTML);
}

/** Polls fn until ok(value), or throws with what it waited for and the last value. */
export async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await fn();
  while (!ok(v)) {
    if (Date.now() > deadline) throw new Error(`${what}: last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
    v = await fn();
  }
  return v;
}

/** Reads every row until ok(rows) (see pollRows). */
export function rowsWhen(panel: Frame, what: string, ok: (rows: Row[]) => boolean, timeoutMs = 30_000): Promise<Row[]> {
  return pollRows(what, () => collectRows(panel), ok, timeoutMs);
}

/** Waits until the panel has rendered what the last input changed (it renders on animation frames). */
export function frames(panel: Frame): Promise<void> {
  return panel.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}
