// Events per second over the whole capture, by a key (category, topic or connection), for the rate
// strip. Fed events as they arrive; pure. The strip stacks SLOTS colours: the keys with most events get
// one each, the rest share the last. Counts per second are kept, and their running sums per slot, so
// that the columns of any range cost a binary search per column, not a pass over the seconds: the
// strip redraws every frame while its right edge moves. Bounded: beyond MAX_SECONDS distinct seconds
// the oldest go.
import type { CapturedEvent } from '../../core/model/event';
import { categoryKeyOf, topicKeyOf } from '../../core/model/grouping';
import { connectionLabel } from './row';

export type RateBy = 'category' | 'topic' | 'connection';

/** Colours stacked: the SLOTS - 1 largest keys, then every other key. */
export const SLOTS = 8;
const MAX_SECONDS = 200_000;

export function rateKey(ev: CapturedEvent, by: RateBy): string {
  if (by === 'category') return categoryKeyOf(ev);
  if (by === 'topic') return topicKeyOf(ev) || '(no topic)';
  return connectionLabel(ev);
}

/** First index of a sorted list whose value is > x. */
function upper(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class RateBins {
  readonly keys: string[] = [];
  private readonly keyNo = new Map<string, number>();
  /** Events per key, for the slots' order. */
  readonly totals: number[] = [];
  /** The key index of each slot but the last (shorter while there are fewer keys). */
  slotKeys: number[] = [];
  private slotOf: number[] = [];
  first = Infinity;
  last = -Infinity;
  /** The seq of the last event fed. */
  lastSeq = 0;
  count = 0;
  /** Distinct seconds (epoch s), increasing, and each one's counts by key index. */
  private readonly secs: number[] = [];
  private readonly perSec: Map<number, number>[] = [];
  /** Row i (SLOTS wide): events per slot in the seconds before secs[i]; stale when `dirty`. */
  private cum = new Float64Array(SLOTS * 64);
  private dirty = false;

  constructor(readonly by: RateBy) {}

  /** An event fed but not counted (the list hides it). */
  pass(ev: CapturedEvent): void {
    this.lastSeq = ev.seq;
  }

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
      this.slotOf.push(SLOTS - 1);
      this.keyNo.set(key, k);
    }
    this.totals[k]!++;
    const sec = Math.floor(t / 1000);
    const secs = this.secs;
    const n = secs.length;
    if (n === 0 || sec > secs[n - 1]!) {
      secs.push(sec);
      this.perSec.push(new Map([[k, 1]]));
      this.grow(n + 2);
      if (!this.dirty) {
        const c = this.cum;
        c.copyWithin((n + 1) * SLOTS, n * SLOTS, (n + 1) * SLOTS);
        c[(n + 1) * SLOTS + this.slotOf[k]!]! += 1;
      }
      if (secs.length > MAX_SECONDS) this.dropOldest();
    } else {
      // An earlier second: found (or put in its place); the sums after it are made again when read.
      let i = upper(secs, sec) - 1;
      if (i < 0 || secs[i] !== sec) {
        i++;
        secs.splice(i, 0, sec);
        this.perSec.splice(i, 0, new Map());
        this.grow(n + 2);
      }
      const m = this.perSec[i]!;
      m.set(k, (m.get(k) ?? 0) + 1);
      if (i === secs.length - 1 && !this.dirty && secs.length === n) this.cum[(i + 1) * SLOTS + this.slotOf[k]!]! += 1;
      else this.dirty = true;
    }
    if (t < this.first) this.first = t;
    if (t > this.last) this.last = t;
    this.count++;
  }

  private grow(rows: number): void {
    if (rows * SLOTS <= this.cum.length) return;
    const next = new Float64Array(Math.max(rows * SLOTS, this.cum.length * 2));
    next.set(this.cum);
    this.cum = next;
  }

  private dropOldest(): void {
    const n = Math.floor(MAX_SECONDS / 10);
    this.secs.splice(0, n);
    this.perSec.splice(0, n);
    this.first = this.secs[0]! * 1000;
    this.dirty = true;
  }

  private rebuild(): void {
    const c = this.cum;
    c.fill(0, 0, SLOTS);
    for (let i = 0; i < this.secs.length; i++) {
      const row = (i + 1) * SLOTS;
      c.copyWithin(row, row - SLOTS, row);
      for (const [k, n] of this.perSec[i]!) c[row + this.slotOf[k]!]! += n;
    }
    this.dirty = false;
  }

  /** Gives the largest keys a slot each (a change of order makes the sums again). True when the slots changed. */
  rank(): boolean {
    const order = this.totals.map((_, k) => k).sort((a, b) => this.totals[b]! - this.totals[a]! || a - b);
    const top = order.slice(0, SLOTS - 1);
    if (top.length === this.slotKeys.length && top.every((k, i) => this.slotKeys[i] === k)) return false;
    this.slotKeys = top;
    this.slotOf.fill(SLOTS - 1);
    top.forEach((k, i) => (this.slotOf[k] = i));
    this.dirty = true;
    return true;
  }

  /** Keys beyond the ones with a slot share the last. */
  get others(): boolean {
    return this.keys.length > SLOTS - 1;
  }

  /**
   * Events per second in `columns` equal slices of [from, to), by slot: out[c * SLOTS + s] (out is
   * reused, at least columns * SLOTS long). A second counts in each column it overlaps; a column
   * narrower than a second shows that second's rate, a wider one its mean rate per second. Returns the
   * largest column total.
   */
  fill(from: number, to: number, columns: number, out: Float64Array): number {
    if (this.dirty) this.rebuild();
    const secs = this.secs;
    const c = this.cum;
    const width = Math.max(1, to - from) / columns;
    const perSecond = Math.max(1, width / 1000);
    let max = 0;
    for (let col = 0; col < columns; col++) {
      const a = from + col * width;
      const b = a + width;
      // Seconds [s, s + 1000) with s + 1000 > a and s < b.
      const lo = upper(secs, a / 1000 - 1);
      const hi = upper(secs, Math.ceil(b / 1000) - 1);
      let sum = 0;
      for (let s = 0; s < SLOTS; s++) {
        const v = hi > lo ? (c[hi * SLOTS + s]! - c[lo * SLOTS + s]!) / perSecond : 0;
        out[col * SLOTS + s] = v;
        sum += v;
      }
      if (sum > max) max = sum;
    }
    return max;
  }
}
