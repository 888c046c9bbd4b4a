// Reading the Spaces panel's UI from a test, as a person sees it: rows of the (virtualized) event list,
// the counts line. The in-page readers are sent as source text, so they work in a Playwright frame,
// a puppeteer frame (the fallback) and Firefox's panel (through a frame script) alike.
import type { Frame } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { rowOf } from './scenario';
import { until } from './wait';

const AXE = resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

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
 * with its cells' texts, the Dir cell's accessible name and the Event cell's title (the event's name, and
 * for MESSAGE_SENT the category the cell shows: "MESSAGE_SENT: chat"). No named inner functions and nothing from
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
      rows[r.getAttribute('aria-rowindex') ?? ''] = [...cells.map((c) => (c.textContent ?? '').trim()), cells[1]?.getAttribute('aria-label') ?? '', cells[2]?.getAttribute('title') ?? ''];
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

/** Figures of the panel's counts line. */
export const droppedIn = (line: string): number => num(line, /([\d,]+) dropped by the buffer/);
export const rejectedIn = (line: string): number => num(line, /([\d,]+) rejected/);
export const connectionsIn = (line: string): number => num(line, /([\d,]+) connections?/);
/** A row the decoder could not decode (its event column says so). */
export const isDecodeError = (r: Row): boolean => r.event.endsWith('decode error');

/** An element's text, trimmed; fails when there is none. */
export function text(panel: PanelFrame, selector: string): Promise<string> {
  return panel.evaluate((sel) => {
    const e = document.querySelector(sel);
    if (!e) throw new Error(`no ${sel}`);
    return (e.textContent ?? '').trim();
  }, selector);
}

/** An element's rendered text (table cells and blocks apart), whitespace collapsed; fails when there is none. */
export function shownText(panel: PanelFrame, selector: string): Promise<string> {
  return panel.evaluate((sel) => {
    const e = document.querySelector<HTMLElement>(sel);
    if (!e) throw new Error(`no ${sel}`);
    return e.innerText.replace(/\s+/g, ' ').trim();
  }, selector);
}

/** Waits until the panel has an element matching selector. */
export async function shown(panel: PanelFrame, selector: string, timeout = 5_000): Promise<void> {
  await until(`${selector} in the panel`, () => panel.evaluate((sel) => !!document.querySelector(sel), selector), (v) => v, timeout);
}

/**
 * A click on the index-th element matching selector, as a pointer would (mousedown, focus, mouseup, click),
 * dispatched in the frame: the same on both DevTools paths. Then the panel's next frame.
 */
export async function click(panel: PanelFrame, selector: string, index = 0): Promise<void> {
  await panel.evaluate(
    ([sel, i]) => {
      const el = document.querySelectorAll<HTMLElement>(sel)[i];
      if (!el) throw new Error(`no ${sel} #${i}`);
      el.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
      el.focus();
      el.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, cancelable: true }));
      el.click();
    },
    [selector, index] as const,
  );
  await frames(panel);
}

/** Waits for the element, then clicks it (its click() only). */
export async function clickWhenShown(panel: PanelFrame, selector: string): Promise<void> {
  await shown(panel, selector);
  await panel.evaluate((sel) => document.querySelector<HTMLElement>(sel)!.click(), selector);
}

/** A key pressed on the panel's focused element, dispatched in the frame; then the panel's next frame. */
export async function press(panel: PanelFrame, key: string): Promise<void> {
  await panel.evaluate((k) => {
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  }, key);
  await frames(panel);
}

/** Focuses the element matching selector. */
export async function focus(panel: PanelFrame, selector: string): Promise<void> {
  await panel.evaluate((sel) => document.querySelector<HTMLElement>(sel)?.focus(), selector);
}

/** Types value into the input matching selector (its input event), as the search box or a number field gets it. */
export async function fill(panel: PanelFrame, selector: string, value: string): Promise<void> {
  await panel.evaluate(
    ([sel, v]) => {
      const input = document.querySelector<HTMLInputElement>(sel);
      if (!input) throw new Error(`no ${sel}`);
      input.focus();
      input.value = v;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    [selector, value] as const,
  );
  await frames(panel);
}

/** Chooses value in the select matching selector (its input and change events). */
export async function choose(panel: PanelFrame, selector: string, value: string): Promise<void> {
  await panel.evaluate(
    ([sel, v]) => {
      const select = document.querySelector<HTMLSelectElement>(sel);
      if (!select) throw new Error(`no ${sel}`);
      select.value = v;
      select.dispatchEvent(new Event('input', { bubbles: true }));
      select.dispatchEvent(new Event('change', { bubbles: true }));
    },
    [selector, value] as const,
  );
}

/** The value of the input or select matching selector. */
export function valueOf(panel: PanelFrame, selector: string): Promise<string | undefined> {
  return panel.evaluate((sel) => document.querySelector<HTMLInputElement | HTMLSelectElement>(sel)?.value, selector);
}

/** Gives the panel's file input a file, as its file picker would: the file set on the input, then its change event. */
export async function pickFile(panel: PanelFrame, name: string, content: string, type: string): Promise<void> {
  await panel.evaluate(
    ([n, c, t]) => {
      const input = document.querySelector<HTMLInputElement>('input[type=file]');
      if (!input) throw new Error('no file input');
      const dt = new DataTransfer();
      dt.items.add(new File([c], n, { type: t }));
      input.files = dt.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    [name, content, type] as const,
  );
}

/** Runs axe-core in the panel and returns its serious and critical violations ("id (nodes)"), in the theme given or as it is. */
export async function axeViolations(panel: PanelFrame, theme?: string): Promise<string[]> {
  if (!(await panel.evaluate(() => 'axe' in window))) await panel.evaluate(readFileSync(AXE, 'utf8'));
  return panel.evaluate(async (t) => {
    if (t) document.documentElement.dataset.theme = t;
    const axe = (window as unknown as { axe: { run(d: Document): Promise<{ violations: { id: string; impact: string; nodes: { html: string }[] }[] }> } }).axe;
    const r = await axe.run(document);
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${t ? `${t}: ` : ''}${v.id} (${v.nodes.length}) ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`);
  }, theme);
}
