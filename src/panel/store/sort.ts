// The list sorted by a column: a copy of the visible rows' indexes in the column's order (ties in arrival
// order), kept in step with the store's view as events arrive and go. Pure: no DOM.
import type { CapturedEvent } from '../../core/model/event';

export const SORT_COLUMNS = ['time', 'dir', 'event', 'topic', 'sender', 'size'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

export interface Sort {
  col: SortColumn;
  desc: boolean;
}

export type SortKey = string | number;

export const parseSort = (x: unknown): Sort | null => {
  if (typeof x !== 'object' || x === null) return null;
  const o = x as Record<string, unknown>;
  const col = SORT_COLUMNS.find((c) => c === o.col);
  return col ? { col, desc: o.desc === true } : null;
};

/** A header's next sort: ascending, then descending, then arrival order (null). */
export function nextSort(cur: Sort | null, col: SortColumn): Sort | null {
  if (cur?.col !== col) return { col, desc: false };
  return cur.desc ? null : { col, desc: true };
}

export const sameSort = (a: Sort | null, b: Sort | null): boolean => a === b || (!!a && !!b && a.col === b.col && a.desc === b.desc);

/** Key order; an empty key goes last in either direction. */
function keyCmp(a: SortKey, b: SortKey, desc: boolean): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const c = a < b ? -1 : 1;
  return desc ? -c : c;
}

export class SortedRows {
  /** Absolute indexes of the visible events, in sort order. */
  rows: number[] = [];
  private rev = -1;
  private first = -1;
  private lastAbs = -1;
  private keys = -1;

  /** `keysVersion`: changes when the keys of events already placed may have changed (a topic's title learned). */
  constructor(
    readonly sort: Sort,
    private readonly key: (ev: CapturedEvent) => SortKey,
    private readonly event: (abs: number) => CapturedEvent,
    private readonly keysVersion: () => number = () => 0,
  ) {}

  /** a before b (negative), after (positive): by key, then by arrival (seq). */
  cmp(a: CapturedEvent, b: CapturedEvent): number {
    return keyCmp(this.key(a), this.key(b), this.sort.desc) || a.seq - b.seq;
  }

  /**
   * Brings the order up to the view: `view[head..]` are the visible absolute indexes, ascending; `rev`
   * changes whenever the view is rebuilt (not when it only grows at its end or loses its oldest).
   */
  sync(view: readonly number[], head: number, rev: number, first: number): void {
    const keys = this.keysVersion();
    if (rev !== this.rev || keys !== this.keys) {
      this.rebuild(view, head);
      this.rev = rev;
      this.keys = keys;
      this.first = first;
      return;
    }
    if (first !== this.first) {
      this.first = first;
      this.rows = this.rows.filter((abs) => abs >= first);
    }
    let j = view.length;
    while (j > head && view[j - 1]! > this.lastAbs) j--;
    if (j < view.length) this.insert(view.slice(j));
  }

  /** The first row index whose event sorts at or after ev (ev itself when it is visible). */
  lowerBound(ev: CapturedEvent, lo = 0): number {
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cmp(this.event(this.rows[mid]!), ev) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private rebuild(view: readonly number[], head: number): void {
    const n = view.length - head;
    const keys: SortKey[] = new Array<SortKey>(n);
    for (let i = 0; i < n; i++) keys[i] = this.key(this.event(view[head + i]!));
    const order = Array.from({ length: n }, (_, i) => i);
    // Ties keep arrival order: the view is ascending, so the position breaks them.
    const desc = this.sort.desc;
    order.sort((a, b) => keyCmp(keys[a]!, keys[b]!, desc) || a - b);
    this.rows = order.map((i) => view[head + i]!);
    this.lastAbs = n > 0 ? view[view.length - 1]! : -1;
  }

  /** New arrivals (ascending absolute indexes): each placed by its key, in one pass over the rows. */
  private insert(fresh: number[]): void {
    this.lastAbs = fresh[fresh.length - 1]!;
    const evs = fresh.map((abs) => ({ abs, ev: this.event(abs) }));
    evs.sort((a, b) => this.cmp(a.ev, b.ev));
    const out: number[] = [];
    let from = 0;
    for (const { abs, ev } of evs) {
      const at = this.lowerBound(ev, from);
      for (let k = from; k < at; k++) out.push(this.rows[k]!);
      out.push(abs);
      from = at;
    }
    for (let k = from; k < this.rows.length; k++) out.push(this.rows[k]!);
    this.rows = out;
  }
}
