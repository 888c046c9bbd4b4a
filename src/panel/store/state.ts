// The panel's event store: arrival order, bounded, paused/filtered views, selection.
// Pure (no DOM, no browser API). Readers index into it; nothing here copies the whole list per change.
import type { CapturedEvent } from '../../core/model/event';
import type { SourceStatus } from '../sources/source';
import { Grouping, categoryKeyOf, topicKeyOf } from '../../core/model/grouping';
import { VersionIndex } from '../../core/versions/history';
import { AttachmentTracker, DEFAULT_STUCK_AFTER_MS, problemsOf } from '../../core/attachments';
import { ConnectionTracker } from '../../core/connections/model';
import { SessionIndex } from '../../core/people';
import { connectionKey, isEngineChatter, rowText, searchText } from './row';
import { TextIndex, searchable } from './search';
import { SendOutcomes } from '../../core/spaces/outcomes';
import { ConnectionProblems, EventProblems, FileProblems, hasProblem, type ProblemContext } from './problems';
import { compile, fullText, tryParse, usesClock, versionOf, type Node, type Predicate, type QueryContext, type QueryError } from '../../core/query';
import { FieldIndex, evaluateSet, type QueryEnv } from './query-index';
import { SortedRows, sameSort, type Sort, type SortKey } from './sort';
import { eventLabel, frameSize } from './columns';

export type DirFilter = 'all' | 'in' | 'out';

/** What the list shows: every condition must hold. */
export interface Filters {
  /** The query (docs/QUERY.md): free words, phrases, /regex/, field terms, -, OR, ( ). */
  text: string;
  /** Topic group key (see grouping.ts), or null for every topic. */
  topic: string | null;
  /** Category group key, or null for every category. */
  category: string | null;
  dir: DirFilter;
  /** Only problems (problems.ts): of every kind, or of `kind` alone. */
  problems: boolean;
  /** A problem kind's id (problems.ts), or null for every kind. */
  kind: string | null;
}

export const NO_FILTERS: Filters = { text: '', topic: null, category: null, dir: 'all', problems: false, kind: null };

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
    kind: str(o.kind, 100),
  };
}

export interface StoreOptions {
  /** Most events held; the oldest are dropped (and counted) beyond it. */
  max?: number;
  /** Most memory the events held may take, as heldBytes estimates it; the oldest are dropped beyond it. */
  maxBytes?: number;
}

export const DEFAULT_MAX_EVENTS = 50_000;
export const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;

/**
 * The panel's memory for one event, estimated from its frame's length: the frame, its decoded packet, its
 * search text, its share of versions and attachments (`npm run bench -- memory` measures it with
 * load-generator events of 0.4, 1 and 5 KB: about 2.4 KB + 3.4 bytes a character of the frame).
 */
export function heldBytes(ev: CapturedEvent): number {
  // Only a Socket.IO packet holds a decoded payload as long as the frame; other records, their raw text.
  const { raw } = ev.record;
  return 2_400 + Math.ceil((ev.record.kind === 'socket' ? raw.length : raw.text.length) * 3.4);
}

/** The events of the capture this panel does not hold, and why. */
export interface DropCounts {
  /** unreceived + list + before + relay: the "dropped by the buffer" figure. */
  total: number;
  /** Never received: the background's buffer dropped them before this panel got them (seen as seq gaps). */
  unreceived: number;
  /** Received, then dropped by this panel's bound (or left out by the source for that bound). */
  list: number;
  /** Lost before the source had them: an imported log's own count. */
  before: number;
  /** Frames the page's relays dropped before the background had them (not events: never numbered). */
  relay: number;
  /** Of `unreceived`, those the background dropped because the browser's storage was full: between lo and hi. */
  full: { lo: number; hi: number };
}

/** A batch up to this size is indexed for search as it arrives; a larger one (a backlog) in idle time. */
const EAGER_INDEX = 200;

/** Whether a search text holds the needle within one of its lines (fields), as the text index finds. */
const lineHit = (text: string, needle: string): boolean => searchable(needle) && text.includes(needle);

export class PanelStore {
  readonly max: number;
  readonly maxBytes: number;
  /** Bumped on every change; a cheap "did anything change" for renderers. */
  version = 0;

  // events[i] has absolute index shift + i; live events are those with absolute index >= first. A dropped
  // one is released at once (undefined), not when the dead prefix is next cut off.
  private events: (CapturedEvent | undefined)[] = [];
  private shift = 0;
  private first = 0;
  /** heldBytes of the live events. */
  private bytes = 0;
  // Absolute indices of the live events that pass the filter; live entries start at viewHead.
  private view: number[] = [];
  private viewHead = 0;
  /** Bumped when the view is rebuilt (not when it grows or loses its oldest): the sorted copy starts again. */
  private viewRev = 0;
  /** The list sorted by a column (a copy of the view's indexes), or null for arrival order. */
  private sorted: SortedRows | null = null;

  private lastSeq = 0;
  private droppedCount = 0;
  /** A clear of this panel alone (a page load without "Preserve log"): the seq of its last event then, or null. */
  private clearedAt: number | null = null;
  /** Events before this seq are an earlier page load's: not taken (dropBefore). */
  private floor = 0;
  /** A reset came and no status since: the status held is of the events before it. */
  private statusStale = false;
  /** While paused with a reset pending: the unreceived counts of the events still shown. */
  private unreceivedShown: Pick<DropCounts, 'unreceived' | 'full'> = { unreceived: 0, full: { lo: 0, hi: 0 } };
  private pausedFlag = false;
  private pending: CapturedEvent[] = [];
  /** heldBytes of the pending events. */
  private pendingBytes = 0;
  private pendingReset = false;
  /** Dropped while paused after a reset came: counted once the reset is applied. */
  private pendingDropped = 0;
  private needle = '';
  private contentRev = 0;
  private filterState: Filters = NO_FILTERS;
  /** Topics and categories of the events held (pending ones excluded). */
  readonly groups = new Grouping();
  /** Versions of every item (message, idea, task, topic) among the events shown, fed as they are appended. */
  readonly versions = new VersionIndex();
  /** Conversion status of every attached file; replaced on reset (a tracker takes each seq once). */
  attachments = new AttachmentTracker();
  /** The outcome of every send (and emit with an ack), indexed by the request's seq. */
  readonly sends = new SendOutcomes();
  private readonly eventProblems = new EventProblems();
  private readonly fileProblems = new FileProblems();
  /** sends.revision at the last tickProblems. */
  private problemsRev = -1;
  /** What the problem kinds (problems.ts) read. */
  readonly problemContext: ProblemContext = {
    sends: this.sends,
    events: this.eventProblems,
    files: this.fileProblems,
    connections: new ConnectionProblems(() => this.connections),
  };
  /** Each socket's life and subscriptions (src/core/connections); replaced on reset. */
  connections = new ConnectionTracker();
  /** Connection keys the list is limited to (one socket and its upgrade), or null for all. */
  private connFilter: ReadonlySet<string> | null = null;
  /** Presence and media-session events per topic, for the People and Meetings views. */
  readonly sessions = new SessionIndex();
  private engineShown = false;
  private selectedEvent: CapturedEvent | null = null;
  private listeners = new Set<(data: boolean) => void>();
  /** Search texts of the events held, oldest first, as far as warmSearch got. */
  private index = new TextIndex();
  /** Absolute indices of the events of each topic (by topic key); `head` entries at the front are dropped ones. */
  private byTopic = new Map<string, { list: number[]; head: number }>();
  /** During a rebuild: topic ids whose title matches the search. */
  private titleHits: Set<string> | null = null;
  private sourceStatus: SourceStatus = { connection: 'connecting', tab: null, malformed: 0 };
  /** Field postings of the events held, for queries. */
  private fields = new FieldIndex();
  /** The query when it is more than one word or phrase (which the needle handles), and its per-event test. */
  private queryNode: Node | null = null;
  private queryTest: Predicate | null = null;
  private queryErr: QueryError | null = null;
  /** A file in progress longer than this is stuck (convert:stuck, has:problem). */
  stuckAfterMs = DEFAULT_STUCK_AFTER_MS;
  /** The panel's clock at its last tick (tickProblems): files are judged as they are then. */
  private clock: number | undefined;
  /** What queries know of an event beyond itself: its full text, version, files' problems, topic titles. */
  readonly queryContext: QueryContext = {
    text: (ev) => this.textOf(ev),
    version: (ev) => versionOf(this.versions, ev),
    fileProblems: (id) => {
      const f = this.attachments.file(id);
      return f ? problemsOf(f, this.clock ?? Date.now(), { stuckAfterMs: this.stuckAfterMs }).map((p) => p.kind) : [];
    },
    topicTitle: (id) => this.groups.titleOf(id),
  };
  /** Sockets (frame and connection number) seen since the last clear, up to two: rows name theirs once there are two. */
  private connectionKeys = new Set<string>();

  constructor(opts: StoreOptions = {}) {
    const max = opts.max ?? DEFAULT_MAX_EVENTS;
    if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
    this.max = max;
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  /** fn(data) after every change; data is true when only the events changed (not the selection, filters, pause). */
  subscribe(fn: (data: boolean) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  // ---- input ----

  /**
   * A batch from the source. Events with seq <= the last one seen are ignored; reset replaces everything.
   * dropped: older events the source left out for this store's bound, counted as dropped here.
   */
  receive(events: readonly CapturedEvent[], reset: boolean, dropped = 0): void {
    if (this.pausedFlag) {
      if (reset) {
        if (!this.pendingReset) this.unreceivedShown = this.unreceivedNow();
        this.pending = [];
        this.pendingBytes = 0;
        this.pendingReset = true;
        this.pendingDropped = 0;
        this.lastSeq = 0;
        this.clearedAt = null;
        this.statusStale = true;
      }
      this.countDropped(dropped);
      for (const ev of events) {
        if (ev.seq > this.lastSeq && ev.seq >= this.floor) {
          this.pending.push(ev);
          this.pendingBytes += heldBytes(ev);
          this.lastSeq = ev.seq;
        }
      }
      // Bound memory while paused; resuming drops down to the bounds anyway.
      if (this.pending.length >= 2 * this.max || this.pendingBytes >= 2 * this.maxBytes) {
        let keep = 0;
        let bytes = 0;
        for (let i = this.pending.length - 1; i >= 0 && keep < this.max; i--, keep++) {
          const b = heldBytes(this.pending[i]!);
          if (keep > 0 && bytes + b > this.maxBytes) break;
          bytes += b;
        }
        this.countDropped(this.pending.length - keep);
        this.pending = this.pending.slice(this.pending.length - keep);
        this.pendingBytes = bytes;
      }
      this.changed(true);
      return;
    }
    if (reset) {
      this.reset();
      this.lastSeq = 0;
      this.clearedAt = null;
      this.statusStale = true;
    }
    this.droppedCount += dropped;
    const eager = events.length <= EAGER_INDEX;
    for (const ev of events) {
      if (ev.seq > this.lastSeq && ev.seq >= this.floor) {
        this.lastSeq = ev.seq;
        this.append(ev, eager);
      }
    }
    this.trim();
    this.contentRev++;
    this.changed(true);
  }

  /** Changes when the events held change (not the selection, the filters or the pending ones). */
  get contentVersion(): number {
    return this.contentRev;
  }

  /** The source's last status (connection, the background's counts). */
  get status(): SourceStatus {
    return this.sourceStatus;
  }

  setStatus(status: SourceStatus): void {
    this.sourceStatus = status;
    this.statusStale = false;
    this.changed(true);
  }

  /** Forget every event held (and pending). The last seq is kept so old events are not taken again. */
  /**
   * Events before seq belong to an earlier page load (a panel opened after a reload without "Preserve
   * log"): those held go, and they are not taken when they arrive, even after a reset.
   */
  dropBefore(seq: number): void {
    if (seq <= this.floor) return;
    this.floor = seq;
    const held = this.heldEvents();
    const keep = held.filter((e) => e.seq >= seq);
    const pending = this.pending.filter((e) => e.seq >= seq);
    if (keep.length === held.length && pending.length === this.pending.length) return;
    const last = this.lastSeq;
    this.clear();
    this.clearedAt = seq - 1;
    this.lastSeq = seq - 1;
    this.receive(keep, false);
    if (pending.length) this.receive(pending, false);
    this.lastSeq = Math.max(this.lastSeq, last);
  }

  clear(): void {
    this.reset();
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingReset = false;
    this.pendingDropped = 0;
    this.clearedAt = this.lastSeq;
    this.contentRev++;
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
      if (this.pendingReset) {
        this.reset();
        this.droppedCount = this.pendingDropped;
      }
      for (const ev of this.pending) this.append(ev);
      this.pending = [];
      this.pendingBytes = 0;
      this.pendingReset = false;
      this.pendingDropped = 0;
      this.trim();
      this.contentRev++;
    }
    this.changed();
  }

  /** While paused: drops of the events pending, which a pending reset has not discarded yet. */
  private countDropped(n: number): void {
    if (this.pendingReset) this.pendingDropped += n;
    else this.droppedCount += n;
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

  /** Field values of the events held (autocomplete reads its keys). */
  get queryFields(): FieldIndex {
    return this.fields;
  }

  /** Why the query typed last does not parse (the list keeps the last valid one), or null. */
  get queryError(): QueryError | null {
    return this.queryErr;
  }

  setFilters(change: Partial<Filters>): void {
    const prev = this.filterState;
    let next = { ...prev, ...change };
    // Parsed when it changed, or when the last one typed did not parse (typing back the last good one clears the error).
    const parsed = change.text !== undefined && (next.text !== prev.text || this.queryErr !== null) ? tryParse(next.text) : null;
    if (parsed && !parsed.ok) {
      // The list keeps answering the last query that parsed; the error says where and why.
      this.queryErr = parsed.error;
      next = { ...next, text: prev.text };
      this.changed();
    } else if (parsed) this.queryErr = null;
    if (next.text === prev.text && next.topic === prev.topic && next.category === prev.category && next.dir === prev.dir && next.problems === prev.problems && next.kind === prev.kind) {
      if (parsed?.ok) this.changed();
      return;
    }
    let needle = this.needle;
    let query = this.queryNode;
    if (parsed?.ok) {
      // One word or phrase: the text index and the narrowing below, as before queries; more: the query.
      const node = parsed.node;
      needle = node === null ? '' : node.k === 'text' ? node.text : '';
      query = node !== null && node.k !== 'text' ? node : null;
    }
    const queried = query !== null || this.queryNode !== null;
    this.queryNode = query;
    this.queryTest = query ? compile(query, this.queryContext) : null;
    // The new filter can only hide more when each condition is the same or stricter.
    const narrowing =
      !queried &&
      needle.includes(this.needle) &&
      (prev.topic === null || next.topic === prev.topic) &&
      (prev.category === null || next.category === prev.category) &&
      (prev.dir === 'all' || next.dir === prev.dir) &&
      (!prev.problems || (next.problems && (prev.kind === null || next.kind === prev.kind)));
    // A newly chosen topic's own events, or what the text index finds for a first search word, are
    // fewer to test than the rows shown.
    const narrow = narrowing && !(next.topic !== null && next.topic !== prev.topic) && !(needle !== '' && this.needle === '');
    const textChanged = needle !== this.needle;
    this.filterState = next;
    this.needle = needle;
    this.withTitleHits(() => (narrow ? this.narrowView(textChanged) : this.rebuildView()));
    this.changed();
  }

  /** Limits the list to these connections (keys as connectionKey names them), or shows all (null). */
  setConnectionFilter(keys: readonly string[] | null): void {
    this.connFilter = keys ? new Set(keys) : null;
    this.rebuildView();
    this.changed();
  }

  get connectionFilter(): ReadonlySet<string> | null {
    return this.connFilter;
  }

  /** Show engine keep-alives (ping, pong, upgrade, noop); open and close are always shown. */
  setShowEngine(show: boolean): void {
    if (show === this.engineShown) return;
    this.engineShown = show;
    if (show) this.rebuildView();
    else this.narrowView(false);
    this.changed();
  }

  /**
   * Whether the event passes the filters. textHit: whether its search text holds the needle, when known
   * (the text index tells for the events it has); otherwise its text is made and searched.
   */
  private matches(ev: CapturedEvent, textHit?: boolean): boolean {
    if (!this.engineShown && isEngineChatter(ev)) return false;
    const f = this.filterState;
    if (f.dir !== 'all' && ev.record.dir !== f.dir) return false;
    if (f.topic !== null && topicKeyOf(ev) !== f.topic) return false;
    if (f.category !== null && categoryKeyOf(ev) !== f.category) return false;
    if (f.problems && !hasProblem(ev, this.problemContext, f.kind)) return false;
    if (this.connFilter && !this.connFilter.has(connectionKey(ev))) return false;
    if (this.queryTest) return textHit ?? this.queryTest(ev);
    if (this.needle === '') return true;
    if (textHit ?? lineHit(this.textOf(ev), this.needle)) return true;
    // A title learned from another event.
    const id = ev.spaces?.topicId;
    if (id === undefined) return false;
    if (this.titleHits) return this.titleHits.has(id);
    const title = this.groups.titleOf(id);
    return title !== undefined && title.toLowerCase().includes(this.needle);
  }

  /**
   * Computes the search text of events not searched yet, oldest first, until `budget()` says stop (an
   * idle callback's time left), so that the first search does not pay for all of them. True when done.
   */
  warmSearch(budget: () => boolean): boolean {
    const end = this.shift + this.events.length;
    // After a reset or a clear the index is empty and starts at the first event held.
    const next = (): number => Math.max(this.index.end, this.first);
    while (next() < end) {
      for (let n = 0; n < 64 && next() < end; n++) {
        const i = next();
        this.index.add(i, this.textOf(this.events[i - this.shift]!));
      }
      if (!budget()) break;
    }
    return next() >= end;
  }

  /** Events held whose search text is not indexed yet (a search reads those one by one). */
  get unindexed(): number {
    return this.shift + this.events.length - Math.max(this.first, this.index.end);
  }

  /** Runs fn with the topic ids whose title matches the search known once, not looked up per event. */
  private withTitleHits(fn: () => void): void {
    if (this.needle !== '') {
      this.titleHits = new Set();
      for (const g of this.groups.topics()) if (g.title?.toLowerCase().includes(this.needle)) this.titleHits.add(g.key);
    }
    try {
      fn();
    } finally {
      this.titleHits = null;
    }
  }

  // ---- reading ----

  /** Rows visible through the filter. */
  get size(): number {
    return this.view.length - this.viewHead;
  }

  /** The i-th visible row. */
  at(i: number): CapturedEvent | undefined {
    if (i < 0 || i >= this.size) return undefined;
    const abs = this.sorted ? this.sortedRows()[i] : this.view[this.viewHead + i];
    return abs === undefined ? undefined : this.events[abs - this.shift];
  }

  /** Events held, filtered or not. */
  get total(): number {
    return this.shift + this.events.length - this.first;
  }

  /** Events this store dropped to stay within max (or a source left out for it), since the last clear or reset. */
  get dropped(): number {
    return this.droppedCount;
  }

  /**
   * The events of the capture since its last clear (or this panel's) that the panel does not hold. Seqs
   * are contiguous per tab, so the tab's events up to the last one received are lastSeq - base, where
   * base is the later of the two clears; those not held, pending or dropped by the list never came. So
   * did those the background dropped after it (up to the oldest it holds): they will never come.
   */
  get drops(): DropCounts {
    const { unreceived, full } = this.pendingReset ? this.unreceivedShown : this.unreceivedNow();
    const list = this.droppedCount;
    const before = this.sourceStatus.lost ?? 0;
    const relay = this.sourceStatus.tab?.relayDropped ?? 0;
    return { total: unreceived + list + before + relay, unreceived, list, before, relay, full };
  }

  /** Seq gaps since the later clear, from the background's status (none known without a fresh one). */
  private unreceivedNow(): Pick<DropCounts, 'unreceived' | 'full'> {
    const tab = this.sourceStatus.tab;
    if (!tab || this.statusStale) return { unreceived: 0, full: { lo: 0, hi: 0 } };
    const base = Math.max(tab.lastSeq - tab.count - tab.dropped, this.clearedAt ?? 0, this.floor - 1);
    const gaps = Math.max(0, this.lastSeq - base - this.total - this.pending.length - this.droppedCount);
    const unreceived = gaps + Math.max(0, tab.lastSeq - tab.count - Math.max(base, this.lastSeq));
    // They are among the background's drops since its clear, `droppedFull` of which were for a full storage.
    const full = { lo: Math.max(0, unreceived - (tab.dropped - tab.droppedFull)), hi: Math.min(unreceived, tab.droppedFull) };
    return { unreceived, full };
  }

  /** Highest seq received (shown or pending). */
  get last(): number {
    return this.lastSeq;
  }

  /** Every event held (filtered or not), oldest first: a copy, for export. */
  heldEvents(): CapturedEvent[] {
    return this.events.slice(this.first - this.shift) as CapturedEvent[];
  }

  /** The events the filter shows, oldest first: a copy, for export. */
  visibleEvents(): CapturedEvent[] {
    const out: CapturedEvent[] = [];
    for (let i = this.viewHead; i < this.view.length; i++) out.push(this.events[this.view[i]! - this.shift]!);
    return out;
  }

  /** Calls fn for each event held with seq > after, oldest first (for views that follow arrivals). */
  forEachAfter(after: number, fn: (ev: CapturedEvent) => void): void {
    let lo = this.first - this.shift;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid]!.seq <= after) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.events.length; i++) fn(this.events[i]!);
  }

  /** Visible row index of seq, or -1. */
  indexOfSeq(seq: number): number {
    const ev = this.sorted ? this.findSeq(seq) : undefined;
    if (this.sorted && !ev) return -1;
    const i = ev ? this.sortedBound(ev) : this.lowerBound(seq);
    return this.at(i)?.seq === seq ? i : -1;
  }

  /** First visible row whose seq is >= seq, in arrival order (with a sort: -1). */
  firstRowFrom(seq: number): number {
    return this.sorted ? -1 : this.lowerBound(seq);
  }

  // ---- sort ----

  get sort(): Sort | null {
    return this.sorted?.sort ?? null;
  }

  /** Sorts the list by a column (null: arrival order). Selection and keys follow the rows as shown. */
  setSort(sort: Sort | null): void {
    if (sameSort(sort, this.sort)) return;
    const titles = sort?.col === 'topic' ? () => this.groups.titlesVersion : undefined;
    this.sorted = sort ? new SortedRows(sort, this.sortKey(sort), (abs) => this.events[abs - this.shift]!, titles) : null;
    this.changed();
  }

  private sortKey(sort: Sort): (ev: CapturedEvent) => SortKey {
    switch (sort.col) {
      case 'time':
        return (ev) => ev.record.t;
      case 'size':
        return frameSize;
      case 'dir':
        return (ev) => ev.record.dir;
      case 'event':
        return (ev) => eventLabel(rowText(ev)).toLowerCase();
      case 'sender':
        return (ev) => rowText(ev).sender.toLowerCase();
      case 'topic':
        return (ev) => {
          const s = ev.spaces;
          return (s?.topicTitle ?? (s?.topicId ? (this.groups.titleOf(s.topicId) ?? s.topicId) : '')).toLowerCase();
        };
    }
  }

  /** The sorted copy, brought up to the view first. */
  private sortedRows(): number[] {
    const s = this.sorted!;
    s.sync(this.view, this.viewHead, this.viewRev, this.first);
    return s.rows;
  }

  /** Where ev is (or would be) in the sorted list. */
  private sortedBound(ev: CapturedEvent): number {
    this.sortedRows();
    return this.sorted!.lowerBound(ev);
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
    const lb = this.sorted ? this.sortedBound(sel) : this.lowerBound(sel.seq);
    const exact = this.at(lb)?.seq === sel.seq;
    const from = exact ? lb : delta > 0 ? lb - 1 : lb;
    this.selectIndex(from + delta);
  }

  // ---- internals ----

  private changed(data = false): void {
    this.version++;
    for (const fn of this.listeners) fn(data);
  }

  /** eager: index its search text now (a few live events, not a backlog: warmSearch does those). */
  private append(ev: CapturedEvent, eager = false): void {
    // A failure takes the topic of the send it answers.
    ev = this.sends.add(ev);
    this.eventProblems.add(ev);
    this.events.push(ev);
    this.bytes += heldBytes(ev);
    this.groups.add(ev);
    this.versions.add(ev);
    this.attachments.add(ev);
    this.connections.add(ev);
    this.sessions.add(ev);
    if (this.connectionKeys.size < 2) this.connectionKeys.add(connectionKey(ev));
    const abs = this.shift + this.events.length - 1;
    const key = topicKeyOf(ev);
    const t = this.byTopic.get(key);
    if (t) t.list.push(abs);
    else this.byTopic.set(key, { list: [abs], head: 0 });
    this.fields.add(abs, ev);
    const text = eager && this.index.end === abs ? this.textOf(ev) : undefined;
    if (text !== undefined) this.index.add(abs, text);
    if (this.matches(ev, text === undefined || this.queryTest ? undefined : lineHit(text, this.needle))) this.view.push(abs);
  }

  private trim(): void {
    const from = this.first - this.shift;
    let end = from + Math.max(0, this.total - this.max);
    for (let i = from; i < end; i++) this.bytes -= heldBytes(this.events[i]!);
    // Then by memory, keeping the newest event whatever its size.
    while (this.bytes > this.maxBytes && end < this.events.length - 1) this.bytes -= heldBytes(this.events[end++]!);
    const excess = end - from;
    if (excess <= 0) return;
    for (let i = from; i < end; i++) {
      const ev = this.events[i]!;
      this.groups.remove(ev);
      this.eventProblems.remove(ev);
      const key = topicKeyOf(ev);
      const t = this.byTopic.get(key)!;
      if (++t.head === t.list.length) this.byTopic.delete(key);
      else if (t.head >= 1024 && t.head >= t.list.length / 2) {
        t.list = t.list.slice(t.head);
        t.head = 0;
      }
      this.events[i] = undefined;
    }
    this.first += excess;
    this.index.dropBefore(this.first);
    this.fields.prune(this.first);
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
    this.bytes = 0;
    this.view = [];
    this.viewHead = 0;
    this.viewRev++;
    this.droppedCount = 0;
    this.selectedEvent = null;
    this.groups.clear();
    this.index = new TextIndex();
    this.fields = new FieldIndex();
    this.byTopic.clear();
    this.versions.clear();
    this.attachments = new AttachmentTracker();
    this.connections = new ConnectionTracker();
    this.sessions.clear();
    this.connectionKeys.clear();
    this.sends.clear();
    this.eventProblems.clear();
    this.fileProblems.clear();
  }

  /**
   * The clock moved (live: the wall clock; a log: its newest event) or a threshold changed: sends past
   * `unansweredMs` become unanswered, attachment and connection problems (an ongoing heartbeat gap, a
   * subscription not renewed after a reconnect) are judged again. The list follows when it
   * shows only problems.
   */
  tickProblems(now: number, stuckAfterMs: number, unansweredMs: number): void {
    this.sends.setThreshold(unansweredMs);
    this.sends.advance(now);
    this.clock = now;
    const files = this.fileProblems.refresh(this.attachments, now, stuckAfterMs);
    const conns = this.problemContext.connections.refresh(now);
    // Outcomes also change as answers arrive (a late answer ends an unanswered send): caught here too.
    if (this.sends.revision === this.problemsRev && !files && !conns) return;
    this.problemsRev = this.sends.revision;
    // A query about files as they are now (convert:stuck, has:problem) is answered again.
    const requery = usesClock(this.queryNode);
    if (requery) {
      this.lastSet = null;
      this.facetCache = null;
    }
    if (this.filterState.problems || requery) this.rebuildView();
    this.changed(true);
  }

  /** The events held came by more than one socket (or frame): the list names each row's. */
  get severalConnections(): boolean {
    return this.connectionKeys.size > 1;
  }

  /**
   * Tests only the events that can match: a topic's own events when a topic is chosen; for a search, the
   * events the text index finds, those of topics whose title matches, and those not indexed yet.
   */
  private rebuildView(): void {
    const view: number[] = [];
    const end = this.shift + this.events.length;
    const test = (abs: number, textHit?: boolean): void => {
      if (this.matches(this.events[abs - this.shift]!, textHit)) view.push(abs);
    };
    const topic = this.filterState.topic;
    if (this.queryNode) {
      const t = topic === null ? undefined : this.byTopic.get(topic);
      const within = topic === null ? null : t ? t.list.slice(t.head) : [];
      const set = evaluateSet(this.queryEnv(), this.queryNode, within);
      if (within === null) this.lastSet = { rev: this.contentRev, query: this.queryNode, set };
      for (const abs of set) test(abs, true);
    } else if (topic !== null) {
      const t = this.byTopic.get(topic);
      if (t) for (let k = t.head; k < t.list.length; k++) test(t.list[k]!);
    } else if (this.needle !== '') {
      const found = this.index.find(this.needle, this.first);
      // The events of topics whose title matches, merged in order with the text hits.
      const more: number[] = [];
      for (const id of this.titleHits ?? []) {
        const t = this.byTopic.get(id);
        if (t) for (let k = t.head; k < t.list.length && t.list[k]! < this.index.end; k++) more.push(t.list[k]!);
      }
      more.sort((a, b) => a - b);
      let m = 0;
      for (const abs of found) {
        while (m < more.length && more[m]! < abs) test(more[m++]!, false);
        if (more[m] === abs) m++;
        test(abs, true);
      }
      while (m < more.length) test(more[m++]!, false);
      for (let abs = Math.max(this.first, this.index.end); abs < end; abs++) test(abs);
    } else for (let abs = this.first; abs < end; abs++) test(abs);
    this.view = view;
    this.viewHead = 0;
    this.viewRev++;
  }

  /**
   * Re-tests only the rows visible now: valid when the new filter can only hide more. textChanged: the
   * needle grew (the index says which rows still hold it); otherwise the rows shown hold it already.
   */
  private narrowView(textChanged: boolean): void {
    const view: number[] = [];
    const search = textChanged && this.needle !== '';
    const hits = search && this.viewHead < this.view.length ? this.index.find(this.needle, this.view[this.viewHead]!) : [];
    const indexed = this.index.end;
    let h = 0;
    for (let i = this.viewHead; i < this.view.length; i++) {
      const abs = this.view[i]!;
      let textHit: boolean | undefined = true;
      if (search && abs < indexed) {
        while (h < hits.length && hits[h]! < abs) h++;
        textHit = hits[h] === abs;
      } else if (search) textHit = undefined;
      if (this.matches(this.events[abs - this.shift]!, textHit)) view.push(abs);
    }
    this.view = view;
    this.viewHead = 0;
    this.viewRev++;
  }

  /** The text queries and the text index search: the row's, the detail's and the change's (lower case). */
  private textOf(ev: CapturedEvent): string {
    return fullText(searchText(ev), ev, versionOf(this.versions, ev)?.summary);
  }

  private queryEnv(): QueryEnv {
    return {
      first: this.first,
      end: this.shift + this.events.length,
      event: (abs) => this.events[abs - this.shift]!,
      fields: this.fields,
      text: this.index,
      ctx: this.queryContext,
      titles: () => [...this.groups.topics()].map((g): [string, string | undefined] => [g.key, g.title]),
    };
  }

  private facetCache: { key: string; text: string; groups: Grouping } | null = null;
  /** The query's last answer over every event held, while the events held are the same. */
  private lastSet: { rev: number; query: Node; set: number[] } | null = null;

  /** Topics and categories of the events the query (or search) matches; of every event held without one. */
  get facetGroups(): Grouping {
    if (!this.queryNode && this.needle === '') return this.groups;
    const key = `${this.contentRev}\n${this.needle}\n${this.filterState.text}`;
    if (this.facetCache?.key !== key) {
      const g = new Grouping();
      for (const abs of this.querySet()) g.add(this.events[abs - this.shift]!);
      for (const t of g.topics()) if (t.title === undefined && t.key) t.title = this.groups.titleOf(t.key);
      this.facetCache = { key, text: this.filterState.text, groups: g };
    }
    return this.facetCache.groups;
  }

  /**
   * facetGroups as of the query `text` (the tree's, which follows the list's in idle time): while it
   * lags, the counts last made for it, so that a render for another reason (a clock tick) does not
   * count the new query's matches in the frame that shows the new list.
   */
  facetGroupsFor(text: string): Grouping {
    if (text === this.filterState.text) return this.facetGroups;
    const parsed = tryParse(text);
    if (parsed.ok && parsed.node === null) return this.groups;
    if (this.facetCache?.text === text) return this.facetCache.groups;
    return this.facetGroups;
  }

  /** The events held that the query matches (whatever the other filters), oldest first: for counts and views. */
  queryMatches(): CapturedEvent[] {
    if (!this.queryNode && this.needle === '') return this.heldEvents();
    const out: CapturedEvent[] = [];
    for (const abs of this.querySet()) out.push(this.events[abs - this.shift]!);
    return out;
  }

  /** Absolute indices of the events held that the query (or search) matches, increasing. */
  private querySet(): readonly number[] {
    const node: Node = this.queryNode ?? { k: 'text', text: this.needle, col: 1 };
    const last = this.lastSet;
    return last && last.rev === this.contentRev && last.query === this.queryNode ? last.set : evaluateSet(this.queryEnv(), node);
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
