// Events per second over the whole capture, by a key (category, topic or connection), for the rate
// strip. Fed events as they arrive; pure. Bounded: beyond MAX_SECONDS distinct seconds the oldest go.
import type { CapturedEvent } from '../../core/model/event';
import { categoryKeyOf, topicKeyOf } from '../../core/model/grouping';
import { connectionLabel } from './row';

export type RateBy = 'category' | 'topic' | 'connection';

const MAX_SECONDS = 200_000;

export function rateKey(ev: CapturedEvent, by: RateBy): string {
  if (by === 'category') return categoryKeyOf(ev);
  if (by === 'topic') return topicKeyOf(ev) || '(no topic)';
  return connectionLabel(ev);
}

/** The columns a second starting at t covers. */
function covered(t: number, from: number, width: number, columns: number): [number, number] {
  const a = Math.max(0, Math.floor((t - from) / width));
  return [a, Math.min(columns - 1, Math.max(a, Math.ceil((t + 1000 - from) / width) - 1))];
}

export class RateBins {
  /** Second (epoch s) → counts by key index. */
  private readonly seconds = new Map<number, Map<number, number>>();
  readonly keys: string[] = [];
  private readonly keyNo = new Map<string, number>();
  /** Events per key, for the legend's order. */
  readonly totals: number[] = [];
  first = Infinity;
  last = -Infinity;
  /** The seq of the last event fed. */
  lastSeq = 0;
  count = 0;

  /** The columns last computed, kept up to date as events inside their range arrive. */
  private view: { from: number; to: number; columns: number; width: number; perSecond: number; cols: Float64Array[]; max: number } | null = null;

  constructor(readonly by: RateBy) {}

  add(ev: CapturedEvent): void {
    this.lastSeq = ev.seq;
    const t = ev.record.t;
    if (!Number.isFinite(t)) return;
    const key = rateKey(ev, this.by);
    let k = this.keyNo.get(key);
    if (k === undefined) {
      k = this.keys.length;
      this.keys.push(key);
      this.totals.push(0);
      this.keyNo.set(key, k);
    }
    this.totals[k]!++;
    const sec = Math.floor(t / 1000);
    let m = this.seconds.get(sec);
    if (!m) {
      this.seconds.set(sec, (m = new Map()));
      // Seconds come in time order, mostly: the first one kept is the oldest.
      if (this.seconds.size > MAX_SECONDS) this.seconds.delete(this.seconds.keys().next().value!);
    }
    m.set(k, (m.get(k) ?? 0) + 1);
    const v = this.view;
    if (v) {
      // Inside the range with no new key: into its column; otherwise the columns are computed again.
      if (t >= v.from && t < v.to && k < v.cols[0]!.length) {
        const [a, b] = covered(sec * 1000, v.from, v.width, v.columns);
        for (let c = a; c <= b; c++) {
          const col = v.cols[c]!;
          col[k]! += 1 / v.perSecond;
          let sum = 0;
          for (const x of col) sum += x;
          if (sum > v.max) v.max = sum;
        }
      } else this.view = null;
    }
    if (t < this.first) this.first = t;
    if (t > this.last) this.last = t;
    this.count++;
  }

  /**
   * Counts per column: `columns` equal slices of [from, to), each an array of counts by key index, and
   * the largest column total (events per second when a column is one second or less wide).
   */
  /**
   * The columns over the whole capture: from the first event to an end with room to grow (a tenth of
   * the span beyond the last event), so that arrivals update their column, not every column.
   */
  capture(columns: number): { from: number; to: number; cols: Float64Array[]; max: number } {
    const v = this.view;
    if (v && v.columns === columns) return v;
    const from = this.first;
    const span = Math.max(1000, (this.last - from) * 1.1 + 1000);
    const to = from + span;
    const r = this.columns(from, to, columns);
    this.view = { from, to, columns, width: span / columns, ...r };
    return this.view;
  }

  columns(from: number, to: number, columns: number): { cols: Float64Array[]; max: number; perSecond: number } {
    const nk = this.keys.length;
    const cols = Array.from({ length: columns }, () => new Float64Array(nk));
    const span = Math.max(1, to - from);
    const width = span / columns;
    // A column narrower than a second shows that second's rate; a wider one, its mean rate per second.
    const perSecond = Math.max(1, width / 1000);
    for (const [sec, m] of this.seconds) {
      const t = sec * 1000;
      if (t + 1000 <= from || t >= to) continue;
      const [a, b] = covered(t, from, width, columns);
      for (let c = a; c <= b; c++) for (const [k, n] of m) cols[c]![k]! += n / perSecond;
    }
    let max = 0;
    for (const col of cols) {
      let sum = 0;
      for (const x of col) sum += x;
      if (sum > max) max = sum;
    }
    return { cols, max, perSecond };
  }
}
