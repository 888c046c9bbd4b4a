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
