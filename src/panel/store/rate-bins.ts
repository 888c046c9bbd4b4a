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
    if (t < this.first) this.first = t;
    if (t > this.last) this.last = t;
    this.count++;
  }

  /**
   * Counts per column: `columns` equal slices of [from, to), each an array of counts by key index, and
   * the largest column total (events per second when a column is one second or less wide).
   */
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
      const a = Math.max(0, Math.floor((t - from) / width));
      const b = Math.min(columns - 1, Math.max(a, Math.ceil((t + 1000 - from) / width) - 1));
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
