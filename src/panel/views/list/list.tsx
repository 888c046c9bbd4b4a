// The event list: a grid that renders only the rows in view (fixed row height).
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CapturedEvent } from '../../../core/model/event';
import type { PanelStore } from '../../store/state';
import { ROW_H, RowPainter, rowId, type MarkerRow, type RowExtras, type RowProps } from './row-painter';
import { RowLayout, loadMarkers } from './load-markers';
import { OTHER_CATEGORY } from '../../../core/model/grouping';
import { nextSort, type Sort, type SortColumn, SORT_COLUMNS } from '../../store/sort';
import { useClientHeight } from '../use-height';
import { COLUMNS, TIME_MODES, autoEventWidth, clampCol, clockTime, colWidth, rowTime, spansDays, type ColumnId, type ColumnPrefs, type TimeContext } from '../../store/columns';
import { emitCode, frameText, payloadText } from '../../store/copies';
import { canCompose, openComposer } from '../compose/composer';
import { draftOf } from '../compose/compose-model';
import { Menu, type MenuItem } from '../menu';
import { copyText } from '../detail/detail';
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
  columns: ColumnPrefs;
  setColumns(c: ColumnPrefs): void;
  /** Clock times in UTC whatever the mode (an imported log: the same for every reader). */
  utc: boolean;
  /** Preserve log: the first seq of each page load, marked in the list. */
  loadSeqs?: readonly number[] | undefined;
  /** The page URL of each of those loads. */
  loadUrls?: readonly string[] | undefined;
}

type MenuState = { x: number; y: number; kind: 'columns' } | { x: number; y: number; kind: 'row'; ev: CapturedEvent };

export function EventList({ store, revealSelection, onKeyDown, listRef, rowExtras, columns, setColumns, utc, loadSeqs, loadUrls }: EventListProps) {
  const [menu, setMenu] = useState<MenuState | null>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const height = useClientHeight(listRef);
  const follow = useRef(true);
  const lastTop = useRef(0);
  const [isFollowing, setFollowing] = useState(true);

  // The rows, before the effects below read the layout they make.
  const rowsRef = useRef<HTMLDivElement>(null);
  const painter = useRef<RowPainter | null>(null);
  const paint = useRef<{ rows: RowProps[]; slots: number; markers: MarkerRow[] }>({ rows: [], slots: 0, markers: [] });
  useLayoutEffect(() => {
    if (!rowsRef.current) return;
    painter.current ??= new RowPainter(rowsRef.current);
    painter.current.paint(paint.current.rows, paint.current.slots, paint.current.markers);
  });

  // The list's order is kept with the column prefs; the store sorts a copy of the view's indexes.
  useLayoutEffect(() => store.setSort(columns.sort), [store, columns.sort]);
  const sorted = store.sort !== null;
  const setSort = (s: Sort | null): void => setColumns({ ...columns, sort: s });

  // Follow the newest row unless the person scrolled up (in arrival order only). Runs after every render: the list may grow
  // in a render the store's version did not cause (any parent render reads the live store).
  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_H / 2;
    if (follow.current && !atBottom && el.scrollTop < lastTop.current) {
      // Moved up since the last scroll we saw, and its scroll event has not arrived yet: a scroll up.
      follow.current = false;
      setFollowing(false);
    } else if (follow.current && !sorted && el.scrollTop + el.clientHeight < el.scrollHeight) el.scrollTop = el.scrollHeight;
    lastTop.current = el.scrollTop; // after any clamp from a shrinking list, so it is not taken for a scroll up
  });

  // Keep the selected row in view whenever the selection changes.
  const selected = store.selected;
  useLayoutEffect(() => {
    const el = listRef.current;
    const i = store.selectedIndex;
    if (!el || i < 0) return;
    const top = layout.y(i);
    if (top < el.scrollTop) el.scrollTop = top;
    else if (HEADER_H + top + ROW_H > el.scrollTop + el.clientHeight) el.scrollTop = HEADER_H + top + ROW_H - el.clientHeight;
  }, [selected, revealSelection, store, listRef, columns.sort]);

  // A new order starts at its top (arrival order: follows the newest again), unless a selected row is kept in view (above).
  const sortedOnce = useRef(false);
  useLayoutEffect(() => {
    const el = listRef.current;
    if (sortedOnce.current && store.selectedIndex < 0 && el) {
      follow.current = columns.sort === null;
      setFollowing(follow.current);
      el.scrollTop = follow.current ? el.scrollHeight : 0;
    }
    sortedOnce.current = true;
  }, [columns.sort, store, listRef]);

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
  const markers =
    loadSeqs && !sorted ? loadMarkers(size, loadSeqs, loadUrls, (s) => store.firstRowFrom(s), (i) => store.at(i)!.record.t) : [];
  const layout = new RowLayout(size, markers);
  // While following, the rows in view are the newest: render those now, rather than the rows at the old
  // scroll position and then, after the scroll to the bottom, these (twice the DOM work per update).
  const top = follow.current && !sorted ? Math.max(0, HEADER_H + layout.height - height) : scrollTop;
  const start = Math.max(0, layout.rowAt(top) - OVERSCAN);
  const end = Math.min(size, layout.rowAt(top + height) + 1 + OVERSCAN);
  // Rows go in slots, not one element per event: a filter change or a scroll refills the same elements
  // instead of replacing them all (row-painter.ts). Slots cover the most rows a window of this height can show.
  const slots = Math.ceil(height / ROW_H) + 2 * OVERSCAN + 2;
  const rows: RowProps[] = [];
  const several = store.severalConnections;
  const first = store.at(0)?.record.t ?? 0;
  const timeCtx: TimeContext = {
    mode: columns.time,
    first,
    selected: selected?.record.t ?? null,
    dated: size > 1 && spansDays(first, store.at(size - 1)!.record.t, utc || columns.time === 'utc'),
    utc,
  };
  for (let i = start; i < end; i++) {
    const ev = store.at(i)!;
    const prev = i > 0 ? store.at(i - 1)! : undefined;
    const time = rowTime(ev.record.t, prev?.record.t, timeCtx);
    // The first row shown of a page load after another: its top edge marks the reload.
    const loadStart = !!prev && !!loadSeqs?.some((s) => prev.seq < s && ev.seq >= s);
    rows.push({ ev, index: i, selected: ev === selected, topic: topicOf(store, ev), extras: rowExtras?.(ev), showConnection: several || ev.frame !== undefined, time, loadStart, top: layout.y(i) });
  }
  const clockUtc = utc || columns.time === 'utc';
  const markerRows: MarkerRow[] = [];
  markers.forEach((m, j) => {
    if (m.before < start || m.before > end) return;
    const text = `Page reloaded · ${m.url || 'page'} · ${clockTime(m.t, clockUtc, timeCtx.dated)}`;
    markerRows.push({ key: m.seq, before: m.before, top: layout.markerY(j), text });
  });
  paint.current = { rows, slots, markers: markerRows };
  const onRowMouseDown = (e: MouseEvent): void => {
    const ev = painter.current?.eventOf(e.target);
    if (ev) store.select(ev);
  };
  const activeId = selected && store.selectedIndex >= start && store.selectedIndex < end ? rowId(selected) : undefined;

  // Right-click or the context-menu key on a row: copy what it holds.
  const onRowMenu = (e: MouseEvent): void => {
    const ev = painter.current?.eventOf(e.target);
    if (!ev) return;
    e.preventDefault();
    store.select(ev);
    setMenu({ x: e.clientX, y: e.clientY, kind: 'row', ev });
  };
  const onListKey = (e: KeyboardEvent): void => {
    if ((e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) && selected) {
      e.preventDefault();
      const r = document.getElementById(rowId(selected))?.getBoundingClientRect();
      setMenu({ x: (r?.left ?? 0) + 40, y: r?.bottom ?? 0, kind: 'row', ev: selected });
      return;
    }
    if (e.key === 'Escape' && selected) e.stopPropagation();
    onKeyDown(e);
  };
  const openColumns = (e: MouseEvent): void => {
    e.preventDefault();
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    setMenu({ x: e.type === 'contextmenu' ? e.clientX : r.left, y: e.type === 'contextmenu' ? e.clientY : r.bottom, kind: 'columns' });
  };
  const hidden = new Set(columns.hidden);
  const toggle = (id: ColumnId): void =>
    setColumns({ ...columns, hidden: hidden.has(id) ? columns.hidden.filter((h) => h !== id) : [...columns.hidden, id] });
  let menuItems: (MenuItem | 'sep')[] = [];
  if (menu?.kind === 'columns') {
    menuItems = [
      ...COLUMNS.filter((c) => !c.fixed).map((c) => ({ label: c.label, checked: !hidden.has(c.id), run: () => toggle(c.id) })),
      'sep',
      ...TIME_MODES.map(([m, label]) => ({ label: `Time: ${label}`, checked: columns.time === m, run: () => setColumns({ ...columns, time: m }) })),
      'sep',
      { label: 'Reset columns', run: () => setColumns({ hidden: ['category'], widths: {}, time: columns.time, sort: null }) },
    ];
  } else if (menu?.kind === 'row') {
    const ev = menu.ev;
    const emit = emitCode(ev);
    const copy = (text: string) => () => void copyText(text);
    menuItems = [
      { label: 'Copy payload', run: copy(payloadText(ev)) },
      { label: 'Copy raw frame', run: copy(frameText(ev)) },
      { label: 'Copy as socket.emit(…)', disabled: emit === null, run: copy(emit ?? '') },
      { label: 'Copy event as JSON', run: copy(JSON.stringify(ev, null, 2)) },
    ];
    const draft = canCompose() ? draftOf(ev) : undefined;
    if (draft) menuItems.push('sep', { label: 'Resend', run: () => openComposer({ draft, now: true }) }, { label: 'Edit and resend…', run: () => openComposer({ draft }) });
  }

  // Column widths as CSS variables on the list: a drag sets them at once, its end keeps them.
  const style: Record<string, string> = {};
  for (const c of COLUMNS) if (!c.fixed) style[`--w-${c.id}`] = `${colWidth(columns, c.id)}px`;
  // Unless resized, the Event column takes the room its longest name needs (up to a limit).
  if (columns.widths.event === undefined) style['--w-event'] = `${eventWidth(store, listRef.current)}px`;
  const startResize = (id: ColumnId) => (e: PointerEvent): void => {
    e.preventDefault();
    e.stopPropagation();
    const handle = e.currentTarget as HTMLElement;
    handle.setPointerCapture(e.pointerId);
    const x0 = e.clientX;
    const w0 = colWidth(columns, id);
    let w = w0;
    const move = (m: PointerEvent): void => {
      w = clampCol(w0 + m.clientX - x0);
      wrapRef.current?.style.setProperty(`--w-${id}`, `${w}px`);
    };
    const up = (): void => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
      if (w !== w0) setColumns({ ...columns, widths: { ...columns.widths, [id]: w } });
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  };
  const resizeKey = (id: ColumnId) => (e: KeyboardEvent): void => {
    const step = e.key === 'ArrowLeft' ? -16 : e.key === 'ArrowRight' ? 16 : 0;
    if (!step) return;
    e.preventDefault();
    e.stopPropagation();
    setColumns({ ...columns, widths: { ...columns.widths, [id]: clampCol(colWidth(columns, id) + step) } });
  };
  const hideClass = columns.hidden.map((id) => ` hide-${id}`).join('');

  return (
    <div class={`list-wrap${hideClass}`} ref={wrapRef} style={style}>
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
        onKeyDown={onListKey}
      >
        <div class="row header" role="row" aria-rowindex={1} onContextMenu={openColumns}>
          {COLUMNS.map((c, i) => (
            <div role="columnheader" class={`cell c-${c.id}`} key={c.id} aria-colindex={i + 1} aria-sort={ariaSort(columns.sort, c.id)}>
              {sortable(c.id) ? (
                <button type="button" class="col-sort" title={`Sort by ${c.id === 'dir' ? 'direction' : c.label}`} onClick={() => setSort(nextSort(columns.sort, c.id as SortColumn))}>
                  {headerLabel(c.id, c.label, columns.time, utc)}
                  {columns.sort?.col === c.id && <span aria-hidden="true">{columns.sort.desc ? ' ▼' : ' ▲'}</span>}
                </button>
              ) : (
                headerLabel(c.id, c.label, columns.time, utc)
              )}
              {!c.fixed && (
                <span
                  class="col-resize"
                  role="separator"
                  aria-orientation="vertical"
                  aria-label={`Resize ${c.label}`}
                  aria-valuenow={colWidth(columns, c.id)}
                  tabIndex={-1}
                  onPointerDown={startResize(c.id)}
                  onKeyDown={resizeKey(c.id)}
                />
              )}
              {c.id === 'summary' && (
                <button type="button" class="col-menu-btn" aria-label="Columns and time format" title="Columns and time format" aria-haspopup="menu" onClick={openColumns}>
                  ⋮
                </button>
              )}
            </div>
          ))}
        </div>
        <div ref={rowsRef} class="rows" role="rowgroup" style={{ height: `${layout.height}px` }} onMouseDown={onRowMouseDown} onContextMenu={onRowMenu} />
      </div>
      {menu && (
        <Menu
          x={menu.x}
          y={menu.y}
          label={menu.kind === 'row' ? 'Copy' : 'Columns'}
          items={menuItems}
          onClose={() => setMenu(null)}
          returnFocus={listRef.current}
        />
      )}
      {columns.sort && (
        <div class="sort-note" role="status">
          Sorted by {sortName(columns.sort)}: new events are placed by {columns.sort.col === 'dir' ? 'direction' : columns.sort.col}.{' '}
          <button type="button" onClick={() => setSort(null)}>
            Arrival order
          </button>
        </div>
      )}
      {!sorted && !isFollowing && size > 0 && !atEnd(listRef.current) && (
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

/**
 * The Event column's width for the names and categories held, measured once per new set of them. The
 * font is read again only then or after a resize (a zoom): reading it every render forces a style pass.
 */
let eventWidthMemo: { key: string; el: HTMLElement | null; epoch: number; width: number } | null = null;
let fontEpoch = 0;
if (typeof window !== 'undefined') window.addEventListener('resize', () => fontEpoch++);
function eventWidth(store: PanelStore, el: HTMLElement | null): number {
  const { events, categories } = store.queryFields;
  const key = `${events.size}/${categories.size}`;
  if (eventWidthMemo?.key === key && eventWidthMemo.el === el && eventWidthMemo.epoch === fontEpoch) return eventWidthMemo.width;
  const font = el ? getComputedStyle(el).font : '';
  const ctx = font ? document.createElement('canvas').getContext('2d') : null;
  if (ctx) ctx.font = font;
  // The index keeps names in lower case: measured in upper case, as Spaces names its events.
  const labels = [...[...events.keys()].map((k) => k.toUpperCase()), ...[...categories.keys()].filter((c) => c !== OTHER_CATEGORY)];
  const width = autoEventWidth(labels, (t) => (ctx ? ctx.measureText(t).width : t.length * 7.5));
  eventWidthMemo = { key, el, epoch: fontEpoch, width };
  return width;
}

const sortable = (id: ColumnId): boolean => (SORT_COLUMNS as readonly string[]).includes(id);

function ariaSort(sort: Sort | null, id: ColumnId): 'ascending' | 'descending' | undefined {
  if (sort?.col !== id) return undefined;
  return sort.desc ? 'descending' : 'ascending';
}

function sortName(s: Sort): string {
  const words: Record<SortColumn, [string, string]> = {
    time: ['oldest first', 'newest first'],
    size: ['smallest first', 'largest first'],
    dir: ['received first', 'sent first'],
    event: ['A to Z', 'Z to A'],
    topic: ['A to Z', 'Z to A'],
    sender: ['A to Z', 'Z to A'],
  };
  const name = s.col === 'dir' ? 'direction' : COLUMNS.find((c) => c.id === s.col)!.label;
  return `${name} (${words[s.col][s.desc ? 1 : 0]})`;
}

function headerLabel(id: ColumnId, label: string, time: string, utc: boolean) {
  if (id === 'dir') return <span title="Direction">⇅</span>;
  if (id === 'time' && time !== 'local') return timeLabel(time);
  return id === 'time' && utc ? 'Time (UTC)' : label;
}

const timeLabel = (m: string): string => (m === 'utc' ? 'Time (UTC)' : m === 'delta' ? 'Δ Time' : m === 'selected' ? 'Time from sel.' : 'Time from 1st');

/** Nothing below the rows in view. */
function atEnd(el: HTMLElement | null): boolean {
  return !!el && el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_H / 2;
}
