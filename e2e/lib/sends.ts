// Reading and driving the panel's send outcomes and problems count from a test, in any browser: the
// functions run in the panel's window (Chromium: a Playwright frame; Firefox: a frame script), so they
// use nothing from their closure and define no named inner functions.
import { sendsExpected } from '../../simulator/sends';

export interface SendsView {
  /** "✓ 6 · ✖ 3 · ◷ 2" */
  counts: string;
  /** " (2 unanswered)" */
  unanswered: string;
  rtt: string;
  kinds: { id: string; text: string; pressed: boolean }[];
  tree: { name: string; meta: string; problems: string; selected: boolean }[];
  /** The detail pane's text, '' when closed. */
  detail: string;
  /** Send outcome marks of the rows in view, with their event names. */
  marks: { event: string; mark: string; level: string }[];
}

export function readSends(win: Window): SendsView {
  const d = win.document;
  return {
    counts: (d.querySelector('.sends-counts')?.textContent ?? '').trim(),
    unanswered: (d.querySelector('.sends-unanswered')?.textContent ?? '').trim(),
    rtt: (d.querySelector('.sends-rtt')?.textContent ?? '').trim(),
    kinds: Array.from(d.querySelectorAll('.problem-kind')).map((b) => ({ id: b.getAttribute('data-kind') ?? '', text: (b.textContent ?? '').trim(), pressed: b.getAttribute('aria-pressed') === 'true' })),
    tree: Array.from(d.querySelectorAll('[role=tree] [role=treeitem]')).map((e) => ({
      name: (e.querySelector('.tname')?.textContent ?? '').trim(),
      meta: (e.querySelector('.tmeta')?.textContent ?? '').trim(),
      problems: (e.querySelector('.tprob')?.textContent ?? '').trim(),
      selected: e.getAttribute('aria-selected') === 'true',
    })),
    detail: ((d.querySelector('.detail') as HTMLElement | null)?.innerText ?? '').replace(/\s+/g, ' '),
    marks: Array.from(d.querySelectorAll('.rows .row')).flatMap((r) => {
      const b = r.querySelector('.badge-send');
      return b ? [{ event: (r.querySelector('.c-event')?.textContent ?? '').trim(), mark: (b.textContent ?? '').trim(), level: b.className.replace(/.*send-/, '') }] : [];
    }),
  };
}

/** Sets the "no answer after" setting to `seconds`, as a person types it (input and change events). */
export function setUnansweredAfter(win: Window, seconds: number): boolean {
  const input = win.document.querySelector('input.unanswered-after') as HTMLInputElement | null;
  if (!input) return false;
  input.focus();
  input.value = String(seconds);
  input.dispatchEvent(new (win as Window & typeof globalThis).Event('input', { bubbles: true }));
  input.dispatchEvent(new (win as Window & typeof globalThis).Event('change', { bubbles: true }));
  return true;
}

/** Clicks the first element matching arg[0] whose text (trimmed) is arg[1], or starts with it when arg[2]; false when none. */
export function clickText(win: Window, arg: [string, string, boolean]): boolean {
  const el = Array.from(win.document.querySelectorAll(arg[0])).find((e) => {
    const t = (e.textContent ?? '').trim();
    return arg[2] ? t.startsWith(arg[1]) : t === arg[1];
  }) as HTMLElement | undefined;
  if (!el) return false;
  el.dispatchEvent(new (win as Window & typeof globalThis).MouseEvent('mousedown', { bubbles: true, cancelable: true }));
  el.dispatchEvent(new (win as Window & typeof globalThis).MouseEvent('mouseup', { bubbles: true, cancelable: true }));
  el.click();
  return true;
}

/**
 * Selects the first list row whose send mark has this level ('error': failed), as a mouse press on it
 * (the list takes mousedown). ASCII only: Firefox's frame script comes as a data: URL.
 */
export function selectRowWithMark(win: Window, level: string): boolean {
  const badge = win.document.querySelector(`.rows .row .badge-send.send-${level}`);
  const cell = badge?.closest('.row')?.querySelector('.c-event') as HTMLElement | null | undefined;
  if (!cell) return false;
  cell.dispatchEvent(new (win as Window & typeof globalThis).MouseEvent('mousedown', { bubbles: true, cancelable: true, button: 0 }));
  cell.dispatchEvent(new (win as Window & typeof globalThis).MouseEvent('mouseup', { bubbles: true, cancelable: true, button: 0 }));
  cell.click();
  return true;
}

/** The ✓ / ✖ / ◷ line the panel must show after `?scenario=sends`. */
export function expectedCounts(): string {
  const e = sendsExpected();
  return `✓ ${e.ok} · ✖ ${e.failed} · ◷ ${e.unanswered}`;
}

export const FAILED_REASON = 'You are not a member of this space';
