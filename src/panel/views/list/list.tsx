// The event list: a grid that renders only the rows in view (fixed row height).
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CapturedEvent } from '../../../core/model/event';
import type { PanelStore } from '../../store/state';
import { COLUMNS, ROW_H, RowPainter, rowId, type RowExtras, type RowProps } from './row-painter';
import { useClientHeight } from '../use-height';
const HEADER_H = 21;
/** Rows rendered beyond each edge of the view: room for a fast scroll before the next render. */
const OVERSCAN = 4;


export interface EventListProps {
  store: PanelStore;
  /** Bumped by the store; re-render trigger. */
  /** Bumped to scroll the selection into view even when it did not change (e.g. after a filter change). */
  revealSelection: number;
  onKeyDown(e: KeyboardEvent): void;
  listRef: { current: HTMLDivElement | null };
  /** The version an event is of its item, and its item's attachment badge (see changes.ts). */
  rowExtras?(ev: CapturedEvent): RowExtras;
}

export function EventList({ store, revealSelection, onKeyDown, listRef, rowExtras }: EventListProps) {
  const [scrollTop, setScrollTop] = useState(0);
  const height = useClientHeight(listRef);
  const follow = useRef(true);
  const lastTop = useRef(0);
  const [isFollowing, setFollowing] = useState(true);

  // The rows, before the effects below read the layout they make.
  const rowsRef = useRef<HTMLDivElement>(null);
  const painter = useRef<RowPainter | null>(null);
  const paint = useRef<{ rows: RowProps[]; slots: number }>({ rows: [], slots: 0 });
  useLayoutEffect(() => {
    if (!rowsRef.current) return;
    painter.current ??= new RowPainter(rowsRef.current);
    painter.current.paint(paint.current.rows, paint.current.slots);
  });

  // Follow the newest row unless the person scrolled up. Runs after every render: the list may grow
  // in a render the store's version did not cause (any parent render reads the live store).
  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_H / 2;
    if (follow.current && !atBottom && el.scrollTop < lastTop.current) {
      // Moved up since the last scroll we saw, and its scroll event has not arrived yet: a scroll up.
      follow.current = false;
      setFollowing(false);
    } else if (follow.current && el.scrollTop + el.clientHeight < el.scrollHeight) el.scrollTop = el.scrollHeight;
    lastTop.current = el.scrollTop; // after any clamp from a shrinking list, so it is not taken for a scroll up
  });

  // Keep the selected row in view whenever the selection changes.
  const selected = store.selected;
  useLayoutEffect(() => {
    const el = listRef.current;
    const i = store.selectedIndex;
    if (!el || i < 0) return;
    const top = i * ROW_H;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (HEADER_H + top + ROW_H > el.scrollTop + el.clientHeight) el.scrollTop = HEADER_H + top + ROW_H - el.clientHeight;
  }, [selected, revealSelection, store, listRef]);

  const onScroll = (): void => {
    const el = listRef.current;
    if (!el) return;
    const top = el.scrollTop;
    const atBottom = top + el.clientHeight >= el.scrollHeight - ROW_H / 2;
    // Only a move up stops following: a scroll event that lands after the list grew is not one.
    const following = atBottom || (follow.current && top >= lastTop.current);
    lastTop.current = top;
    follow.current = following;
    setFollowing(following);
    setScrollTop(top);
  };

  const jumpToNewest = (): void => {
    follow.current = true;
    setFollowing(true);
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  };

  const size = store.size;
  // While following, the rows in view are the newest: render those now, rather than the rows at the old
  // scroll position and then, after the scroll to the bottom, these (twice the DOM work per update).
  const top = follow.current ? Math.max(0, HEADER_H + size * ROW_H - height) : scrollTop;
  const start = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
  const end = Math.min(size, Math.ceil((top + height) / ROW_H) + OVERSCAN);
  // Rows go in slots, not one element per event: a filter change or a scroll refills the same elements
  // instead of replacing them all (row-painter.ts). Slots cover the most rows a window of this height can show.
  const slots = Math.ceil(height / ROW_H) + 2 * OVERSCAN + 2;
  const rows: RowProps[] = [];
  const several = store.severalConnections;
  for (let i = start; i < end; i++) {
    const ev = store.at(i)!;
    rows.push({ ev, index: i, selected: ev === selected, topic: topicOf(store, ev), extras: rowExtras?.(ev), showConnection: several || ev.frame !== undefined });
  }
  paint.current = { rows, slots };
  const onRowMouseDown = (e: MouseEvent): void => {
    const ev = painter.current?.eventOf(e.target);
    if (ev) store.select(ev);
  };
  const activeId = selected && store.selectedIndex >= start && store.selectedIndex < end ? rowId(selected) : undefined;

  return (
    <div class="list-wrap">
      <div
        ref={listRef}
        class="list"
        role="grid"
        aria-label="Captured events"
        aria-rowcount={size + 1}
        aria-colcount={COLUMNS.length}
        aria-activedescendant={activeId}
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        <div class="row header" role="row" aria-rowindex={1}>
          {COLUMNS.map((c, i) => (
            <div role="columnheader" class={`cell c-${c.toLowerCase()}`} key={c} aria-colindex={i + 1}>
              {c === 'Dir' ? <span title="Direction">⇅</span> : c}
            </div>
          ))}
        </div>
        <div ref={rowsRef} class="rows" role="rowgroup" style={{ height: `${size * ROW_H}px` }} onMouseDown={onRowMouseDown} />
      </div>
      {!isFollowing && size > 0 && (
        <button type="button" class="jump" onClick={jumpToNewest}>
          ↓ Newest
        </button>
      )}
    </div>
  );
}

/** Topic title, learned from other events when this one carries only the id. */
function topicOf(store: PanelStore, ev: CapturedEvent): { text: string; known: boolean } {
  const s = ev.spaces;
  if (!s?.topicId && !s?.topicTitle) return { text: '', known: true };
  const title = s.topicTitle ?? (s.topicId ? store.topicTitle(s.topicId) : undefined);
  return title ? { text: title, known: true } : { text: s.topicId ?? '', known: false };
}
