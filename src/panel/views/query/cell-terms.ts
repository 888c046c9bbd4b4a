// Ctrl/⌘-click on a list cell adds its value to the query as a term (with Alt too: its negation).
import type { CapturedEvent } from '../../../core/model/event';
import { categoryKeyOf } from '../../../core/model/grouping';
import { eventName, termOf } from '../../../core/query';

/** The term for a column's value of an event, or null for a column without one. */
export function cellTerm(ev: CapturedEvent, column: string, negate: boolean): string | null {
  const s = ev.spaces;
  switch (column) {
    case 'event':
      return termOf('event', eventName(ev), negate);
    case 'category':
      return termOf('category', categoryKeyOf(ev), negate);
    case 'topic': {
      const v = s?.topicId ?? s?.topicTitle;
      return v === undefined ? null : termOf('topic', v, negate);
    }
    case 'sender': {
      const v = s?.sender?.displayName ?? s?.sender?.username ?? s?.sender?.id;
      return v === undefined ? null : termOf('sender', v, negate);
    }
    case 'dir':
      return termOf('dir', ev.record.dir, negate);
    default:
      return null;
  }
}

/** The column of a click's target cell in the list (its `c-…` class), or null. */
export function cellColumn(target: EventTarget | null): string | null {
  const cell = target instanceof Element ? target.closest('.rows .cell') : null;
  const m = cell ? /(?:^|\s)c-(\S+)/.exec(cell.className) : null;
  return m ? m[1]! : null;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * Ctrl/⌘-click in the detail: on a payload value, the term `path:value` (its path from the payload root,
 * read from the tree's keys; its value from the event, not the clipped text shown); on a Category, Topic or
 * Sender field, that field's term. Null for anything else.
 */
export function detailTerm(ev: CapturedEvent, target: EventTarget | null, negate: boolean): string | null {
  if (!(target instanceof Element)) return null;
  const dd = target.closest('dl.fields > dd');
  if (dd) {
    const label = (dd.previousElementSibling?.textContent ?? '').trim().toLowerCase();
    return label === 'category' || label === 'topic' || label === 'sender' ? cellTerm(ev, label, negate) : null;
  }
  const line = target.closest('.json .j-line');
  if (!line) return null;
  // Keys from the value up to the root: each enclosing node's own key.
  const keys: string[] = [];
  for (let el: Element | null = line; el && !el.classList.contains('json'); el = el.parentElement) {
    const own = el.classList.contains('j-line') ? el.querySelector(':scope > .j-key') : el.classList.contains('j-node') ? el.querySelector(':scope > .j-toggle > .j-key') : null;
    if (own) keys.unshift(own.textContent ?? '');
  }
  const path: (string | number)[] = keys.map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  if (path.length === 0 || path.some((p) => typeof p === 'string' && !IDENT.test(p)) || typeof path[0] === 'number') return null;
  let v: unknown = ev.record.kind === 'socket' ? ev.record.packet.args[0] : undefined;
  for (const p of path) v = typeof v === 'object' && v !== null ? (v as Record<string | number, unknown>)[p] : undefined;
  if (v === undefined || (typeof v === 'object' && v !== null)) return null;
  const name = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  // A top-level key needs a dot to read as a path: write it under the payload's own name when it has none.
  const field = name.includes('.') || name.includes('[') ? name : null;
  return field ? termOf(field, String(v), negate) : null;
}
