// The event list's rows, written to the DOM directly rather than through Preact: a search or a scroll
// refills the ~40 rows in view, and diffing their ~20 virtual nodes each cost more than the writes.
// Page data goes in as text only (textContent, Text nodes, attribute values), never as markup.
import type { CapturedEvent } from '../../../core/model/event';
import { sameBadge, type Badge } from '../../../core/attachments';
import type { RowVersion } from '../../store/changes';
import type { SendMark } from '../../store/sends';
import { connectionLabel, frameHost, rowText } from '../../store/row';
import { COLUMNS, eventLabel, sizeText } from '../../store/columns';

export const ROW_H = 20;

export interface RowExtras {
  version?: RowVersion | undefined;
  files?: Badge | undefined;
  /** A send's outcome (or a guessed pairing on its reply). */
  send?: SendMark | undefined;
  /** The event came while its socket's endpoint was down: after a close, before the next open. */
  gap?: boolean;
  /** The panel's composer emitted it. */
  panel?: boolean;
}

/** What one row shows. */
export interface RowProps {
  ev: CapturedEvent;
  /** Its place in the list (0: the first row under the header). */
  index: number;
  selected: boolean;
  topic: { text: string; known: boolean };
  extras: RowExtras | undefined;
  /** Name the row's socket: there are several, or it lives in a sub-frame. */
  showConnection: boolean;
  /** The time column's text (columns.ts rowTime). */
  time: string;
  /** The first row of a page load after an earlier one's rows (Preserve log). */
  loadStart?: boolean;
  /** Its top in the list (page-load markers push rows down); index * ROW_H without. */
  top?: number;
}

/** A full-width row that is not an event (a page-load marker), drawn before row `before`. */
export interface MarkerRow {
  key: number;
  before: number;
  top: number;
  text: string;
}

function sameVersion(a: RowVersion | undefined, b: RowVersion | undefined): boolean {
  return (
    a === b ||
    (!!a && !!b && a.n === b.n && a.of === b.of && a.seen === b.seen && a.summary === b.summary && a.duplicate === b.duplicate && a.outOfOrder === b.outOfOrder && a.removal === b.removal)
  );
}

function sameRow(a: RowProps, b: RowProps): boolean {
  return (
    a.ev === b.ev &&
    a.index === b.index &&
    a.selected === b.selected &&
    a.showConnection === b.showConnection &&
    a.time === b.time &&
    a.loadStart === b.loadStart &&
    a.top === b.top &&
    a.topic.text === b.topic.text &&
    a.topic.known === b.topic.known &&
    sameVersion(a.extras?.version, b.extras?.version) &&
    sameBadge(a.extras?.files, b.extras?.files) &&
    a.extras?.send?.text === b.extras?.send?.text &&
    a.extras?.send?.level === b.extras?.send?.level &&
    a.extras?.gap === b.extras?.gap &&
    a.extras?.panel === b.extras?.panel
  );
}

export const rowId = (ev: CapturedEvent): string => `ev-${ev.seq}`;

/** The files badge's level and mark: "2 converting" is busy, a retry a warning, a failure or a stuck file an error. */
export function filesLook(badge: Badge): { level: 'error' | 'warn' | 'busy'; icon: string } {
  const level = badge.failed || badge.stuck ? 'error' : badge.retrying ? 'warn' : 'busy';
  return { level, icon: level === 'busy' ? '⟳ ' : level === 'warn' ? '↻ ' : '✖ ' };
}

/** The list's columns are columns.ts COLUMNS, in order; each cell's class is `c-` and its id. */

interface Slot {
  el: HTMLDivElement;
  cells: HTMLDivElement[];
  shown: RowProps | null;
  /** Which parts the summary cell holds now (see fillSummary), and the nodes that show them. */
  shape: string;
  parts: (HTMLSpanElement | Text)[];
}

/** Keeps the rows of `box` (the list's rowgroup) in step with the rows in view. */
export class RowPainter {
  private slots: Slot[] = [];
  private markers = new Map<number, HTMLDivElement>();

  constructor(private readonly box: HTMLElement) {}

  /**
   * Shows `rows` (consecutive list indexes), each in slot index % slotCount: a scroll or a filter change
   * refills the same elements instead of replacing them. DOM order follows the list's order.
   */
  paint(rows: RowProps[], slotCount: number, markers: readonly MarkerRow[] = []): void {
    if (this.slots.length !== slotCount) {
      for (const s of this.slots) s.el.remove();
      this.slots = Array.from({ length: slotCount }, newSlot);
    }
    let prev = null as Node | null;
    const place = (el: HTMLElement): void => {
      const want: Node | null = prev ? prev.nextSibling : this.box.firstChild;
      if (el !== want) this.box.insertBefore(el, want);
      prev = el;
    };
    let m = 0;
    const used = new Set<number>();
    const placeMarkers = (upTo: number): void => {
      for (; m < markers.length && markers[m]!.before <= upTo; m++) {
        used.add(markers[m]!.key);
        place(this.marker(markers[m]!));
      }
    };
    for (const p of rows) {
      placeMarkers(p.index);
      const s = this.slots[p.index % slotCount]!;
      if (!s.shown || !sameRow(s.shown, p)) fill(s, p);
      place(s.el);
    }
    placeMarkers(Infinity);
    for (const k of this.markers.keys()) if (!used.has(k)) this.markers.delete(k);
    // Slots not in view: out of the DOM, their content kept, until needed again.
    for (let n = prev ? prev.nextSibling : this.box.firstChild; n; ) {
      const next: ChildNode | null = n.nextSibling;
      n.remove();
      n = next;
    }
  }

  private marker(mk: MarkerRow): HTMLDivElement {
    let el = this.markers.get(mk.key);
    if (!el) {
      el = document.createElement('div');
      el.setAttribute('role', 'row');
      el.className = 'load-marker';
      const cell = document.createElement('div');
      cell.setAttribute('role', 'gridcell');
      cell.setAttribute('aria-colspan', String(COLUMNS.length));
      el.appendChild(cell);
      this.markers.set(mk.key, el);
    }
    el.style.top = `${mk.top}px`;
    setText(el.firstChild as HTMLElement, mk.text);
    setAttr(el, 'title', mk.text);
    return el;
  }

  /** The event of the row holding `target`. */
  eventOf(target: EventTarget | null): CapturedEvent | undefined {
    const row = target instanceof Element ? target.closest('.row') : null;
    return this.slots.find((s) => s.el === row)?.shown?.ev;
  }
}

function newSlot(): Slot {
  const el = document.createElement('div');
  el.setAttribute('role', 'row');
  const cells = COLUMNS.map((c, i) => {
    const cell = document.createElement('div');
    cell.setAttribute('role', 'gridcell');
    cell.className = `cell c-${c.id}`;
    cell.setAttribute('aria-colindex', String(i + 1));
    el.appendChild(cell);
    return cell;
  });
  return { el, cells, shown: null, shape: '', parts: [] };
}

function setAttr(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** The cell's text, kept in its one Text node when it has one. */
function setText(cell: HTMLElement, text: string): void {
  const t = cell.firstChild;
  if (t && t === cell.lastChild && t.nodeType === Node.TEXT_NODE) {
    if ((t as Text).data !== text) (t as Text).data = text;
  } else cell.textContent = text;
}

function span(cls: string | null, text: string): HTMLSpanElement {
  const s = document.createElement('span');
  if (cls) s.className = cls;
  s.textContent = text;
  return s;
}

function hidden(cls: string | null, text: string): HTMLSpanElement {
  const s = span(cls, text);
  s.setAttribute('aria-hidden', 'true');
  return s;
}

function fill(s: Slot, p: RowProps): void {
  const { ev, index, selected, topic, extras, showConnection } = p;
  const r = rowText(ev);
  const rec = ev.record;
  const v = extras?.version;
  const el = s.el;
  el.id = rowId(ev);
  el.className = `row kind-${r.kind}${index % 2 ? ' odd' : ''}${selected ? ' selected' : ''}${r.problem ? ` row-${r.problem}` : ''} dir-${rec.dir}${extras?.gap ? ' in-gap' : ''}${p.loadStart ? ' load-start' : ''}${extras?.panel ? ' from-panel' : ''}`;
  if (extras?.panel) setAttr(el, 'title', 'Sent from the panel');
  else if (extras?.gap) setAttr(el, 'title', 'Sent or received while the socket was down (between a close and the next open)');
  else if (p.loadStart) setAttr(el, 'title', 'The page loaded again: this event and those below are of the new load');
  else el.removeAttribute('title');
  setAttr(el, 'aria-rowindex', String(index + 2));
  setAttr(el, 'aria-selected', String(selected));
  el.style.top = `${p.top ?? index * ROW_H}px`;
  const [time, dir, event, category, topicCell, sender, size, summary] = s.cells as [HTMLDivElement, HTMLDivElement, HTMLDivElement, HTMLDivElement, HTMLDivElement, HTMLDivElement, HTMLDivElement, HTMLDivElement];

  setText(time, p.time);
  setAttr(dir, 'title', extras?.panel ? 'Sent from the panel' : rec.dir === 'out' ? 'Sent by the page' : 'Received by the page');
  setAttr(dir, 'aria-label', dirLabel(ev, showConnection));
  setText(dir, rec.dir === 'out' ? '↑' : '↓');
  const name = eventLabel(r);
  setAttr(event, 'title', name === r.event ? r.event : `${r.event}: ${name}`);
  if (r.problem === 'error') {
    event.replaceChildren(hidden('mark mark-error', '✖'), name);
  } else setText(event, name);
  setAttr(category, 'title', r.category);
  setText(category, r.category);
  topicCell.className = `cell c-topic${topic.known ? '' : ' id'}`;
  setAttr(topicCell, 'title', topic.known ? topic.text : `Topic id ${topic.text}`);
  setText(topicCell, topic.text);
  setAttr(sender, 'title', r.sender);
  setText(sender, r.sender);
  setText(size, sizeText(ev));

  const own = r.category && r.summary.startsWith(r.category + ' ') ? r.summary.slice(r.category.length + 1) : r.summary;
  setAttr(summary, 'title', v?.summary ? `Update: ${v.summary}\n${r.summary}` : r.summary);
  fillSummary(s, summary, p, own);
  s.shown = p;
}

/**
 * The summary cell: the socket, badges and the summary text. Most rows show the text alone; a row that
 * shows the same parts as before has their text and titles updated in place.
 */
function fillSummary(s: Slot, cell: HTMLDivElement, p: RowProps, own: string): void {
  const { ev, extras, showConnection } = p;
  const v = extras?.version;
  const files = extras?.files;
  const send = extras?.send;
  const issues = ev.spaces?.issues.length ?? 0;
  const { mark, cls, icon: verIcon } = versionLook(v);
  const shape = `${showConnection ? 'c' : ''}${issues > 0 ? 'i' : ''}${v && v.of > 1 ? `v${mark}` : ''}${v?.summary ? 'u' : ''}${files ? 'f' : ''}${send ? 's' : ''}`;
  if (shape === '') {
    s.shape = '';
    s.parts = [];
    setText(cell, own);
    return;
  }
  if (shape !== s.shape) {
    const parts: (HTMLSpanElement | Text)[] = [];
    if (showConnection) parts.push(hidden('conn', ''));
    if (send) parts.push(span('', ''));
    if (issues > 0) parts.push(badge('badge badge-warn', [hidden(null, '⚠ ')]));
    if (v && v.of > 1) {
      const b = span(null, '');
      b.append(span('sr-only', 'version '), text());
      if (mark) b.append(span('sr-only', mark), hidden(null, ''));
      parts.push(b);
    }
    if (v?.summary) parts.push(span('upd', ''));
    if (files) parts.push(badge('', [hidden(null, ''), span('sr-only', 'attachments: ')]));
    parts.push(v?.summary ? span('muted', '') : text());
    cell.replaceChildren(...parts);
    s.shape = shape;
    s.parts = parts;
  }
  let k = 0;
  const next = (): HTMLSpanElement => s.parts[k++] as HTMLSpanElement;
  if (showConnection) {
    const conn = next();
    setText(conn, connectionLabel(ev));
    setAttr(conn, 'title', connectionTitle(ev));
  }
  if (send) {
    const b = next();
    b.className = `badge badge-send send-${send.level}`;
    setAttr(b, 'title', send.title);
    setText(b, send.text);
  }
  if (issues > 0) setLast(next(), issues === 1 ? '1 issue' : `${issues} issues`);
  if (v && v.of > 1) {
    const b = next();
    b.className = `badge badge-ver${cls}`;
    setAttr(b, 'title', `Version ${v.n} of ${v.of} of this item${v.seen > v.of ? ` (${v.seen} seen)` : ''}${mark ? `:${mark}` : ''}`);
    (b.childNodes[1] as Text).data = `v${v.n}/${v.of}`;
    if (mark) setText(b.childNodes[3] as HTMLSpanElement, verIcon);
  }
  if (v?.summary) setText(next(), `${v.summary} `);
  if (files) {
    const b = next();
    const { level, icon } = filesLook(files);
    b.className = `badge badge-files badge-${level}`;
    setAttr(b, 'title', `Attachments: ${files.text}`);
    setText(b.firstChild as HTMLSpanElement, icon);
    setLast(b, files.text);
  }
  const last = s.parts[k]!;
  if (last instanceof Text) last.data = own;
  else setText(last, own);
}

/** A version's mark for a screen reader, its badge's class and its visible mark: duplicate, out of order or removal. */
function versionLook(v: RowVersion | undefined): { mark: string; cls: string; icon: string } {
  if (v?.duplicate) return { mark: ' duplicate', cls: ' badge-warn', icon: ' ≡' };
  if (v?.outOfOrder) return { mark: ' out of order', cls: ' badge-warn', icon: ' ⇅' };
  if (v?.removal) return { mark: ' removed', cls: ' badge-removed', icon: ' ✖' };
  return { mark: '', cls: '', icon: '' };
}

const text = (): Text => document.createTextNode('');

/** A badge: its fixed children, then a Text node for its changing text. */
function badge(cls: string, children: Node[]): HTMLSpanElement {
  const b = span(cls, '');
  b.append(...children, text());
  return b;
}

/** The text of a badge's last child (its Text node). */
function setLast(b: HTMLSpanElement, value: string): void {
  const t = b.lastChild as Text;
  if (t.data !== value) t.data = value;
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
