// Reading the Spaces panel's UI from a test, as a person sees it: rows of the (virtualized) event list,
// the counts line. The in-page readers are sent as source text, so they work in a Playwright frame,
// a puppeteer frame (the fallback) and Firefox's panel (through a frame script) alike.
import type { Frame } from '@playwright/test';
import { rowOf } from './scenario';

/** What the tests need of the panel's frame: a Playwright frame, or the fallback's puppeteer frame behind the same calls. */
export type PanelFrame = Pick<Frame, 'evaluate'>;

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

/**
 * Runs in the panel's window: scrolls the list from top to bottom and returns each row's aria-rowindex
 * with its cells' texts and the Dir cell's accessible name. No named inner functions and nothing from
 * its closure: it is sent as text.
 */
export async function listCells(win: Window): Promise<[number, string[]][]> {
  const doc = win.document;
  const grid = doc.querySelector('[role=grid]');
  if (!grid) return [];
  let scroller: HTMLElement | null = grid.querySelector('[role=rowgroup]');
  while (scroller && !(scroller.scrollHeight > scroller.clientHeight && win.getComputedStyle(scroller).overflowY !== 'visible')) {
    scroller = scroller.parentElement;
  }
  const rows: Record<string, string[]> = {};
  if (scroller) scroller.scrollTop = 0;
  for (;;) {
    await new Promise((r) => win.requestAnimationFrame(() => win.requestAnimationFrame(r)));
    for (const r of Array.from(grid.querySelectorAll('[role=row][aria-rowindex]'))) {
      if (r.querySelector('[role=columnheader]')) continue;
      const cells = Array.from(r.querySelectorAll('[role=gridcell]'));
      rows[r.getAttribute('aria-rowindex') ?? ''] = [...cells.map((c) => (c.textContent ?? '').trim()), cells[1]?.getAttribute('aria-label') ?? ''];
    }
    if (!scroller || scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) break;
    scroller.scrollTop += Math.max(20, scroller.clientHeight / 2);
  }
  return Object.entries(rows).map(([i, c]): [number, string[]] => [Number(i), c]);
}

/** Rows from listCells' answer, in list order. */
export function toRows(cells: [number, string[]][]): Row[] {
  return cells.map(([i, c]) => rowOf(i, c)).sort((a, b) => a.index - b.index);
}

/** Scrolls the list from top to bottom and returns every row, in list order. */
export async function collectRows(panel: PanelFrame): Promise<Row[]> {
  return toRows(await panel.evaluate<[number, string[]][]>(`(${listCells.toString()})(window)`));
}

/** Number of rows the list says it has (aria-rowcount less the header). */
export function rowCount(panel: PanelFrame): Promise<number> {
  return panel.evaluate(() => Number(document.querySelector('[role=grid]')?.getAttribute('aria-rowcount') ?? 1) - 1);
}

/** The panel's counts line, e.g. "1,234 events · 56 dropped by the buffer · 0 rejected · 2 connections". */
export function countsLine(panel: PanelFrame): Promise<string> {
  return panel.evaluate(() => document.querySelector('.counts')?.textContent ?? '');
}

/** All the text the panel's document holds, attributes included. */
export function panelHtml(panel: PanelFrame): Promise<string> {
  return panel.evaluate(() => document.documentElement.outerHTML);
}

/** Waits until the panel has rendered what the last input changed (it renders on animation frames). */
export function frames(panel: PanelFrame): Promise<void> {
  return panel.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

/** A figure of a counts line ("1,234" → 1234), NaN when re does not match. */
export const num = (text: string, re: RegExp): number => Number((re.exec(text)?.[1] ?? 'NaN').replace(/,/g, ''));
