// The panel's event store: arrival order, bounded, paused/filtered views, selection.
// Pure (no DOM, no browser API). Readers index into it; nothing here copies the whole list per change.
import type { CapturedEvent } from '../core/model/event';
import { Grouping, categoryKeyOf, isProblem, topicKeyOf } from '../core/model/grouping';
import { isEngineChatter, rowText } from './row';

export type DirFilter = 'all' | 'in' | 'out';

/** What the list shows: every condition must hold. */
export interface Filters {
  /** Free text, case-insensitive. */
  text: string;
  /** Topic group key (see grouping.ts), or null for every topic. */
  topic: string | null;
  /** Category group key, or null for every category. */
  category: string | null;
  dir: DirFilter;
  /** Only decode errors, schema issues and send failures. */
  problems: boolean;
}

export const NO_FILTERS: Filters = { text: '', topic: null, category: null, dir: 'all', problems: false };

/** Filters read back from storage: anything malformed is dropped. */
export function parseFilters(x: unknown): Filters {
  const o = typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {};
  const str = (v: unknown, max: number): string | null => (typeof v === 'string' && v.length <= max ? v : null);
  return {
    text: str(o.text, 1000) ?? '',
    topic: str(o.topic, 300),
    category: str(o.category, 300),
    dir: o.dir === 'in' || o.dir === 'out' ? o.dir : 'all',
    problems: o.problems === true,
  };
}

export interface StoreOptions {
  /** Most events held; the oldest are dropped (and counted) beyond it. */
  max?: number;
}

export const DEFAULT_MAX_EVENTS = 50_000;

export class PanelStore {
  readonly max: number;
  /** Bumped on every change; a cheap "did anything change" for renderers. */
  version = 0;

  // events[i] has absolute index shift + i; live events are those with absolute index >= first.
  private events: CapturedEvent[] = [];
  private shift = 0;
  private first = 0;
  // Absolute indices of the live events that pass the filter; live entries start at viewHead.
  private view: number[] = [];
  private viewHead = 0;

  private lastSeq = 0;
  private droppedCount = 0;
  private pausedFlag = false;
  private pending: CapturedEvent[] = [];
  private pendingReset = false;
  private needle = '';
  private filterState: Filters = NO_FILTERS;
  /** Topics and categories of the events held (pending ones excluded). */
  readonly groups = new Grouping();
  private engineShown = false;
  private selectedEvent: CapturedEvent | null = null;
  private listeners = new Set<() => void>();

  constructor(opts: StoreOptions = {}) {
    const max = opts.max ?? DEFAULT_MAX_EVENTS;
    if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
    this.max = max;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  // ---- input ----

  /** A batch from the source. Events with seq <= the last one seen are ignored; reset replaces everything. */
  receive(events: readonly CapturedEvent[], reset: boolean): void {
    if (this.pausedFlag) {
      if (reset) {
        this.pending = [];
        this.pendingReset = true;
        this.lastSeq = 0;
      }
      for (const ev of events) {
        if (ev.seq > this.lastSeq) {
          this.pending.push(ev);
          this.lastSeq = ev.seq;
        }
      }
      // Bound memory while paused; resuming drops down to max anyway.
      if (this.pending.length >= 2 * this.max) {
        const excess = this.pending.length - this.max;
        this.pending = this.pending.slice(excess);
        this.droppedCount += excess;
      }
      this.changed();
      return;
    }
    if (reset) {
      this.reset();
      this.lastSeq = 0;
    }
    for (const ev of events) {
      if (ev.seq > this.lastSeq) {
        this.lastSeq = ev.seq;
        this.append(ev);
      }
    }
    this.trim();
    this.changed();
  }

  /** Forget every event held (and pending). The last seq is kept so old events are not taken again. */
  clear(): void {
    this.reset();
    this.pending = [];
    this.pendingReset = false;
    this.changed();
  }

  // ---- pause ----

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Events received while paused, not shown yet. */
  get pendingCount(): number {
    return this.pending.length;
  }

  setPaused(paused: boolean): void {
    if (paused === this.pausedFlag) return;
    this.pausedFlag = paused;
    if (!paused) {
      if (this.pendingReset) this.reset();
      for (const ev of this.pending) this.append(ev);
      this.pending = [];
      this.pendingReset = false;
      this.trim();
    }
    this.changed();
  }

  // ---- filter ----

  get filter(): string {
    return this.filterState.text;
  }

  get filters(): Filters {
    return this.filterState;
  }

  get showEngine(): boolean {
    return this.engineShown;
  }

  /** Case-insensitive substring over event name, category, topic, sender, summary, body text and file names. */
  setFilter(text: string): void {
    this.setFilters({ text });
  }

  setFilters(change: Partial<Filters>): void {
    const prev = this.filterState;
    const next = { ...prev, ...change };
    if (next.text === prev.text && next.topic === prev.topic && next.category === prev.category && next.dir === prev.dir && next.problems === prev.problems) return;
    const needle = next.text.trim().toLowerCase();
    // The new filter can only hide more when each condition is the same or stricter.
    const narrowing =
      needle.includes(this.needle) &&
      (prev.topic === null || next.topic === prev.topic) &&
      (prev.category === null || next.category === prev.category) &&
      (prev.dir === 'all' || next.dir === prev.dir) &&
      (!prev.problems || next.problems);
    this.filterState = next;
    this.needle = needle;
    if (narrowing) this.narrowView();
    else this.rebuildView();
    this.changed();
  }

  /** Show engine keep-alives (ping, pong, upgrade, noop); open and close are always shown. */
  setShowEngine(show: boolean): void {
    if (show === this.engineShown) return;
    this.engineShown = show;
    if (show) this.rebuildView();
    else this.narrowView();
    this.changed();
  }

  matches(ev: CapturedEvent): boolean {
    if (!this.engineShown && isEngineChatter(ev)) return false;
    const f = this.filterState;
    if (f.dir !== 'all' && ev.record.dir !== f.dir) return false;
    if (f.topic !== null && topicKeyOf(ev) !== f.topic) return false;
    if (f.category !== null && categoryKeyOf(ev) !== f.category) return false;
    if (f.problems && !isProblem(ev)) return false;
    if (this.needle === '') return true;
    if (rowText(ev).haystack.includes(this.needle)) return true;
    // A title learned from another event.
    const id = ev.spaces?.topicId;
    const title = id === undefined ? undefined : this.groups.titleOf(id);
    return title !== undefined && title.toLowerCase().includes(this.needle);
  }

  // ---- reading ----

  /** Rows visible through the filter. */
  get size(): number {
    return this.view.length - this.viewHead;
  }

  /** The i-th visible row. */
  at(i: number): CapturedEvent | undefined {
    if (i < 0 || i >= this.size) return undefined;
    const abs = this.view[this.viewHead + i];
    return abs === undefined ? undefined : this.events[abs - this.shift];
  }

  /** Events held, filtered or not. */
  get total(): number {
    return this.shift + this.events.length - this.first;
  }

  /** Events this store dropped to stay within max, since the last clear or reset. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Highest seq received (shown or pending). */
  get last(): number {
    return this.lastSeq;
  }

  /** Every event held (filtered or not), oldest first: a copy, for export. */
  heldEvents(): CapturedEvent[] {
    return this.events.slice(this.first - this.shift);
  }

  /** The events the filter shows, oldest first: a copy, for export. */
  visibleEvents(): CapturedEvent[] {
    const out: CapturedEvent[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.at(i)!);
    return out;
  }

  /** Visible row index of seq, or -1. */
  indexOfSeq(seq: number): number {
    const i = this.lowerBound(seq);
    return this.at(i)?.seq === seq ? i : -1;
  }

  /** Event with this seq among those held, filtered or not. */
  findSeq(seq: number): CapturedEvent | undefined {
    let lo = this.first - this.shift;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    const ev = this.events[lo];
    return ev?.seq === seq ? ev : undefined;
  }

  /** seq of the newest event held about item itemId (message, idea, task) before seq `before`, else after it. */
  seqOfItem(itemId: string, before: number): number | undefined {
    let after: number | undefined;
    for (let i = this.events.length - 1; i >= this.first - this.shift; i--) {
      const ev = this.events[i]!;
      if (ev.spaces?.itemId !== itemId) continue;
      if (ev.seq < before) return ev.seq;
      after = ev.seq;
    }
    return after;
  }

  /** The latest title seen for a topic id, from any event held. */
  topicTitle(topicId: string): string | undefined {
    return this.groups.titleOf(topicId);
  }

  // ---- selection ----

  /** The selected event; kept even after it is dropped or filtered out. */
  get selected(): CapturedEvent | null {
    return this.selectedEvent;
  }

  get selectedIndex(): number {
    return this.selectedEvent ? this.indexOfSeq(this.selectedEvent.seq) : -1;
  }

  select(ev: CapturedEvent | null): void {
    if (ev === this.selectedEvent) return;
    this.selectedEvent = ev;
    this.changed();
  }

  selectIndex(i: number): void {
    const ev = this.at(Math.max(0, Math.min(this.size - 1, i)));
    if (ev) this.select(ev);
  }

  /** Move the selection by delta visible rows (from the nearest row when the selected one is hidden). */
  moveSelection(delta: number): void {
    if (this.size === 0) return;
    const sel = this.selectedEvent;
    if (!sel) {
      this.selectIndex(delta > 0 ? 0 : this.size - 1);
      return;
    }
    const lb = this.lowerBound(sel.seq);
    const exact = this.at(lb)?.seq === sel.seq;
    const from = exact ? lb : delta > 0 ? lb - 1 : lb;
    this.selectIndex(from + delta);
  }

  // ---- internals ----

  private changed(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }

  private append(ev: CapturedEvent): void {
    this.events.push(ev);
    this.groups.add(ev);
    if (this.matches(ev)) this.view.push(this.shift + this.events.length - 1);
  }

  private trim(): void {
    const excess = this.total - this.max;
    if (excess <= 0) return;
    for (let i = this.first - this.shift; i < this.first - this.shift + excess; i++) this.groups.remove(this.events[i]!);
    this.first += excess;
    this.droppedCount += excess;
    while (this.viewHead < this.view.length && this.view[this.viewHead]! < this.first) this.viewHead++;
    // Compact once the dead prefix is large, so the cost is amortised O(1) per event.
    const dead = this.first - this.shift;
    if (dead >= 1024 && dead >= this.events.length / 2) {
      this.events = this.events.slice(dead);
      this.shift = this.first;
    }
    if (this.viewHead >= 1024 && this.viewHead >= this.view.length / 2) {
      this.view = this.view.slice(this.viewHead);
      this.viewHead = 0;
    }
  }

  private reset(): void {
    this.shift = this.first = this.shift + this.events.length;
    this.events = [];
    this.view = [];
    this.viewHead = 0;
    this.droppedCount = 0;
    this.selectedEvent = null;
    this.groups.clear();
  }

  private rebuildView(): void {
    const view: number[] = [];
    for (let i = this.first - this.shift; i < this.events.length; i++) {
      if (this.matches(this.events[i]!)) view.push(this.shift + i);
    }
    this.view = view;
    this.viewHead = 0;
  }

  /** Re-test only the rows visible now: valid when the new filter can only hide more. */
  private narrowView(): void {
    const view: number[] = [];
    for (let i = this.viewHead; i < this.view.length; i++) {
      const abs = this.view[i]!;
      if (this.matches(this.events[abs - this.shift]!)) view.push(abs);
    }
    this.view = view;
    this.viewHead = 0;
  }

  /** First visible row index whose seq is >= seq. */
  private lowerBound(seq: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid)!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
