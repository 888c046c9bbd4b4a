// The rate strip's counts: per second and key, over the whole capture, kept up to date as events arrive.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RateBins, SLOTS } from '../../src/panel/store/rate-bins';
import { chat } from './fixtures';

const at = (seq: number, t: number, topic: string) => {
  const ev = chat(seq, { topic });
  ev.record = { ...ev.record, t };
  ev.spaces = { ...ev.spaces!, topicId: topic, category: topic.length % 2 ? 'chat' : 'task' };
  return ev;
};

/** The columns by brute force: each event counted in every column its second overlaps, by its key's slot. */
function brute(b: RateBins, pts: readonly [number, string][], from: number, to: number, columns: number): number[] {
  const width = (to - from) / columns;
  const perSecond = Math.max(1, width / 1000);
  const out = new Array<number>(columns * SLOTS).fill(0);
  for (const [t, key] of pts) {
    const k = b.keys.indexOf(key);
    const slot = b.slotKeys.includes(k) ? b.slotKeys.indexOf(k) : SLOTS - 1;
    const s = Math.floor(t / 1000) * 1000;
    for (let c = 0; c < columns; c++) if (s + 1000 > from + c * width && s < from + (c + 1) * width) out[c * SLOTS + slot]! += 1 / perSecond;
  }
  return out;
}

const T = 1_700_000_000_000;
const round = (xs: ArrayLike<number>): number[] => Array.from(xs, (x) => Math.round(x * 1e6));

describe('RateBins', () => {
  it('columns of any range, read while events arrive (some late) and slots change, equal a brute-force count', () => {
    const KEYS = ['a', 'bb', 'ccc', 'dddd', 'e', 'ff', 'ggg', 'hhhh', 'iiiii', 'j'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(120_000), fc.constantFrom(...KEYS), fc.boolean()), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: -5_000, max: 60_000 }),
        fc.integer({ min: 1, max: 130_000 }),
        (raw, columns, start, span) => {
          // Mostly in time order, some late.
          const pts: [number, string][] = [...raw].sort((x, y) => x[0] - y[0]).map(([t, k, late]) => [T + (late ? Math.max(0, t - 7_000) : t), k]);
          const b = new RateBins('topic');
          const out = new Float64Array(columns * SLOTS);
          pts.forEach(([t, k], i) => {
            b.add(at(i + 1, t, k));
            if (i % 5 === 0) b.rank();
            if (i % 7 === 0) b.fill(T + start, T + start + span, columns, out);
          });
          if (raw.length % 2) b.rank();
          const max = b.fill(T + start, T + start + span, columns, out);
          const want = brute(b, pts, T + start, T + start + span, columns);
          expect(round(out)).toEqual(round(want));
          let wantMax = 0;
          for (let c = 0; c < columns; c++) wantMax = Math.max(wantMax, want.slice(c * SLOTS, (c + 1) * SLOTS).reduce((x, y) => x + y, 0));
          expect(Math.round(max * 1e6)).toBe(Math.round(wantMax * 1e6));
          expect(b.count).toBe(pts.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps a burst and a gap apart, the largest keys first', () => {
    const b = new RateBins('topic');
    let seq = 0;
    for (let i = 0; i < 50; i++) b.add(at(++seq, T + i * 10, 'a'));
    b.add(at(++seq, T + 60_000, 'bb'));
    expect(b.rank()).toBe(true);
    expect(b.rank()).toBe(false);
    expect(b.keys).toEqual(['a', 'bb']);
    expect(b.slotKeys).toEqual([0, 1]);
    const out = new Float64Array(61 * SLOTS);
    expect(b.fill(T, T + 61_000, 61, out)).toBe(50);
    expect(out[0]).toBe(50);
    expect(out.slice(SLOTS, 60 * SLOTS).every((x) => x === 0)).toBe(true);
    expect(out[60 * SLOTS + 1]).toBe(1);
  });
});
