// The query box and the rate strip, driven inside the panel's window (as text: nothing from the closure,
// no named inner functions), the same in Chromium's and Firefox's DevTools.

export interface QueryState {
  value: string;
  error: string | null;
  /** Rows the list says it has (aria-rowcount less the header). */
  rows: number;
}

/** Types a query into the search box (its input event); returns nothing. */
export function typeQuery(win: Window, query: string): void {
  const input = win.document.querySelector('input.filter') as HTMLInputElement | null;
  if (!input) throw new Error('no search box');
  input.focus();
  input.value = query;
  input.dispatchEvent(new (win as unknown as typeof globalThis).Event('input', { bubbles: true }));
}

/** The search box's value, the query error shown (if any) and the list's row count. */
export function queryState(win: Window): QueryState {
  const doc = win.document;
  const input = doc.querySelector('input.filter') as HTMLInputElement | null;
  const error = doc.querySelector('.query-error');
  return {
    value: input?.value ?? '',
    error: error ? (error.textContent ?? '').trim() : null,
    rows: Number(doc.querySelector('[role=grid]')?.getAttribute('aria-rowcount') ?? 1) - 1,
  };
}

/** Drags over the rate strip from fraction `a` to `b` of its width, as pointer events. */
export function dragStrip(win: Window, [a, b]: [number, number]): void {
  const canvas = win.document.querySelector('.rate-canvas') as HTMLCanvasElement | null;
  if (!canvas) throw new Error('no rate strip');
  const r = canvas.getBoundingClientRect();
  const y = r.top + r.height / 2;
  const at = (type: string, f: number): boolean =>
    canvas.dispatchEvent(new (win as unknown as typeof globalThis).PointerEvent(type, { bubbles: true, cancelable: true, pointerId: 1, pointerType: 'mouse', isPrimary: true, clientX: r.left + r.width * f, clientY: y, buttons: type === 'pointerup' ? 0 : 1 }));
  at('pointerdown', a);
  at('pointermove', (a + b) / 2);
  at('pointermove', b);
  at('pointerup', b);
}

/** Times (HH:MM:SS.mmm) of a `time:FROM..TO` term in a query, or null. */
export function rangeOf(query: string): [string, string] | null {
  const m = /time:(\d\d:\d\d:\d\d\.\d{3})\.\.(\d\d:\d\d:\d\d\.\d{3})/.exec(query);
  return m ? [m[1]!, m[2]!] : null;
}

/** Why a range dragged over the whole strip at rest does not end at the last event's time (within a few ms), or null. */
export function restEdgeProblem(times: readonly string[], to: string): string | null {
  const ms = (t: string): number => t.split(/[:.]/).reduce((a, x, i) => a * (i === 3 ? 1000 : 60) + Number(x), 0);
  const last = times.reduce((m, t) => (ms(t) > ms(m) ? t : m), times[0] ?? '');
  const gap = ms(to) - ms(last);
  return gap >= 0 && gap < 50 ? null : `the range ends ${to}, the last event is at ${last}`;
}
