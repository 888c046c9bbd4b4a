// Reading the panel's Connections view from a test (Chromium and Firefox alike: plain DOM reads).
import type { PanelFrame } from './panel';

export interface ConnRow {
  socket: string;
  state: string;
  endpoint: string;
  transport: string;
  generation: string;
  closed: string;
  ping: string;
  gaps: string;
}

export interface SubRow {
  socket: string;
  channel: string;
  state: string;
  reason: string;
}

export interface ConnectionsShown {
  conns: ConnRow[];
  subs: SubRow[];
  problems: string[];
}

/**
 * Runs in the panel's window: the Connections view's tables and problems, as text. Nothing from its
 * closure: it is sent as text (Firefox's frame script, Chromium's evaluate).
 */
export function connectionsIn(win: Window): ConnectionsShown {
  const document = win.document;
  const cells = (tr: Element) => Array.from(tr.querySelectorAll('th, td')).map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim());
  {
    const conns = Array.from(document.querySelectorAll('.conn-table tbody tr')).map((tr) => {
      const c = cells(tr);
      return { socket: c[0]!, state: c[2]!, closed: c[4]!, transport: c[5]!, ping: c[6]!, gaps: c[7]!, generation: c[11]!, endpoint: c[12]! };
    });
    const subs = Array.from(document.querySelectorAll('.sub-table tbody tr')).map((tr) => {
      const c = cells(tr);
      return { socket: c[0]!, channel: c[1]!, state: c[3]!, reason: c[4]! };
    });
    const problems = Array.from(document.querySelectorAll('.conn-problems li')).map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').replace(/^⚠ /, '').trim());
    return { conns, subs, problems };
  }
}

/** The Connections view, read in a Playwright (or puppeteer) frame. */
export function readConnections(panel: PanelFrame): Promise<ConnectionsShown> {
  return panel.evaluate<ConnectionsShown>(`(${connectionsIn.toString()})(window)`);
}

/** Runs in the panel's window: the event-list rows in view marked as sent or received while their socket was down. */
export function gapRowsIn(win: Window): number {
  return win.document.querySelectorAll('[role=rowgroup] .row.in-gap').length;
}

export function gapRows(panel: PanelFrame): Promise<number> {
  return panel.evaluate<number>(`(${gapRowsIn.toString()})(window)`);
}
