// The event list: a grid that renders only the rows in view (fixed row height).
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CapturedEvent } from '../core/model/event';
import type { PanelStore } from './state';
import type { Badge } from '../core/attachments';
import type { RowVersion } from './changes';
import { connectionLabel, formatTime, frameHost, rowText } from './row';
import { memo } from './memo';
import { useClientHeight } from './use-height';

export const ROW_H = 20;
const HEADER_H = 21;
/** Rows rendered beyond each edge of the view: room for a fast scroll before the next render. */
const OVERSCAN = 4;

const COLUMNS = ['Time', 'Dir', 'Event', 'Category', 'Topic', 'Sender', 'Summary'];

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

export interface RowExtras {
  version?: RowVersion | undefined;
  files?: Badge | undefined;
}

export function EventList({ store, revealSelection, onKeyDown, listRef, rowExtras }: EventListProps) {
  const [scrollTop, setScrollTop] = useState(0);
  const height = useClientHeight(listRef);
  const follow = useRef(true);
  const lastTop = useRef(0);
  const [isFollowing, setFollowing] = useState(true);

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
  // Rows are keyed by slot, not by event: a filter change or a scroll refills the same elements
  // instead of replacing them all. Slots cover the most rows a window of this height can show.
  const slots = Math.ceil(height / ROW_H) + 2 * OVERSCAN + 2;
  const rows = [];
  const several = store.severalConnections;
  for (let i = start; i < end; i++) {
    const ev = store.at(i)!;
    rows.push(
      <Row
        key={i % slots}
        ev={ev}
        index={i}
        selected={ev === selected}
        topic={topicOf(store, ev)}
        extras={rowExtras?.(ev)}
        showConnection={several || ev.frame !== undefined}
        onSelect={() => store.select(ev)}
      />,
    );
  }
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
        <div class="rows" role="rowgroup" style={{ height: `${size * ROW_H}px` }}>
          {rows}
        </div>
      </div>
      {!isFollowing && size > 0 && (
        <button type="button" class="jump" onClick={jumpToNewest}>
          ↓ Newest
        </button>
      )}
    </div>
  );
}

const rowId = (ev: CapturedEvent): string => `ev-${ev.seq}`;

/** Topic title, learned from other events when this one carries only the id. */
function topicOf(store: PanelStore, ev: CapturedEvent): { text: string; known: boolean } {
  const s = ev.spaces;
  if (!s?.topicId && !s?.topicTitle) return { text: '', known: true };
  const title = s.topicTitle ?? (s.topicId ? store.topicTitle(s.topicId) : undefined);
  return title ? { text: title, known: true } : { text: s.topicId ?? '', known: false };
}

interface RowProps {
  ev: CapturedEvent;
  topic: { text: string; known: boolean };
  index: number;
  selected: boolean;
  extras?: RowExtras | undefined;
  /** Name the row's socket: there are several, or it lives in a sub-frame. */
  showConnection: boolean;
  onSelect(): void;
}

function sameVersion(a: RowVersion | undefined, b: RowVersion | undefined): boolean {
  return (
    a === b ||
    (!!a && !!b && a.n === b.n && a.of === b.of && a.seen === b.seen && a.summary === b.summary && a.duplicate === b.duplicate && a.outOfOrder === b.outOfOrder && a.removal === b.removal)
  );
}

export function sameBadge(a: Badge | undefined, b: Badge | undefined): boolean {
  return a === b || (!!a && !!b && a.text === b.text && a.converting === b.converting && a.failed === b.failed && a.retrying === b.retrying && a.stuck === b.stuck);
}

/** A row renders again only when what it shows changed: a scroll or a new batch leaves most rows as they are. */
const Row = memo(
  RowView,
  (a: RowProps, b: RowProps) =>
    a.ev === b.ev &&
    a.index === b.index &&
    a.selected === b.selected &&
    a.showConnection === b.showConnection &&
    a.topic.text === b.topic.text &&
    a.topic.known === b.topic.known &&
    sameVersion(a.extras?.version, b.extras?.version) &&
    sameBadge(a.extras?.files, b.extras?.files),
);

function RowView({ ev, index, selected, topic, extras, showConnection, onSelect }: RowProps) {
  const r = rowText(ev);
  const rec = ev.record;
  const issues = ev.spaces?.issues.length ?? 0;
  const v = extras?.version;
  const files = extras?.files;
  const own = r.category && r.summary.startsWith(r.category + ' ') ? r.summary.slice(r.category.length + 1) : r.summary;
  const cls = `row kind-${r.kind}${index % 2 ? ' odd' : ''}${selected ? ' selected' : ''}${r.problem ? ` row-${r.problem}` : ''} dir-${rec.dir}`;
  return (
    <div
      id={rowId(ev)}
      class={cls}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      style={{ top: `${index * ROW_H}px` }}
      onMouseDown={onSelect}
    >
      <div role="gridcell" class="cell c-time" aria-colindex={1}>
        {formatTime(rec.t)}
      </div>
      <div role="gridcell" class="cell c-dir" aria-colindex={2} title={rec.dir === 'out' ? 'Sent by the page' : 'Received by the page'} aria-label={dirLabel(ev, showConnection)}>
        {rec.dir === 'out' ? '↑' : '↓'}
      </div>
      <div role="gridcell" class="cell c-event" aria-colindex={3} title={r.event}>
        {r.problem === 'error' && (
          <span class="mark mark-error" aria-hidden="true">
            ✖
          </span>
        )}
        {r.event}
      </div>
      <div role="gridcell" class="cell c-category" aria-colindex={4} title={r.category}>
        {r.category}
      </div>
      <div role="gridcell" aria-colindex={5} class={`cell c-topic${topic.known ? '' : ' id'}`} title={topic.known ? topic.text : `Topic id ${topic.text}`}>
        {topic.text}
      </div>
      <div role="gridcell" class="cell c-sender" aria-colindex={6} title={r.sender}>
        {r.sender}
      </div>
      <div role="gridcell" class="cell c-summary" aria-colindex={7} title={v?.summary ? `Update: ${v.summary}\n${r.summary}` : r.summary}>
        {showConnection && (
          <span class="conn" aria-hidden="true" title={connectionTitle(ev)}>
            {connectionLabel(ev)}
          </span>
        )}
        {issues > 0 && (
          <span class="badge badge-warn">
            <span aria-hidden="true">⚠ </span>
            {issues === 1 ? '1 issue' : `${issues} issues`}
          </span>
        )}
        {v && v.of > 1 && <VersionBadge v={v} />}
        {v?.summary ? <span class="upd">{v.summary} </span> : null}
        {files && <FilesBadge badge={files} />}
        {v?.summary ? <span class="muted">{own}</span> : own}
      </div>
    </div>
  );
}

/**
 * The direction as a screen reader hears it, with the socket when the list names it: "received on
 * connection #2", "sent on connection #1 in the frame localhost:8081". The summary shows the same
 * socket as plain text ("#2"), hidden from screen readers: a box with hidden text in every row made a
 * list refresh ~12% slower.
 */
function dirLabel(ev: CapturedEvent, showConnection: boolean): string {
  const dir = ev.record.dir === 'out' ? 'sent' : 'received';
  if (!showConnection) return dir;
  return `${dir} on connection #${ev.record.conn}${ev.frame ? ` in the frame ${frameHost(ev.frame)}` : ''}`;
}

const connectionTitle = (ev: CapturedEvent): string =>
  `Connection #${ev.record.conn} (${ev.record.transport})${ev.frame ? ` in the frame ${ev.frame}` : ' in the top frame'}`;

function VersionBadge({ v }: { v: RowVersion }) {
  const mark = v.duplicate ? ' duplicate' : v.outOfOrder ? ' out of order' : v.removal ? ' removed' : '';
  const cls = v.duplicate || v.outOfOrder ? ' badge-warn' : v.removal ? ' badge-removed' : '';
  return (
    <span class={`badge badge-ver${cls}`} title={`Version ${v.n} of ${v.of} of this item${v.seen > v.of ? ` (${v.seen} seen)` : ''}${mark ? `:${mark}` : ''}`}>
      <span class="sr-only">version </span>
      {`v${v.n}/${v.of}`}
      {mark && <span class="sr-only">{mark}</span>}
      {mark && <span aria-hidden="true">{v.duplicate ? ' ≡' : v.outOfOrder ? ' ⇅' : ' ✖'}</span>}
    </span>
  );
}

/** "2 converting · 1 failed": the item's files now. */
export function FilesBadge({ badge }: { badge: Badge }) {
  const level = badge.failed || badge.stuck ? 'error' : badge.retrying ? 'warn' : 'busy';
  return (
    <span class={`badge badge-files badge-${level}`} title={`Attachments: ${badge.text}`}>
      <span aria-hidden="true">{level === 'busy' ? '⟳ ' : level === 'warn' ? '↻ ' : '✖ '}</span>
      <span class="sr-only">attachments: </span>
      {badge.text}
    </span>
  );
}
