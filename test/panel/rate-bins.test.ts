// The rate strip's counts: per second and key, over the whole capture, kept up to date as events arrive.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RateBins } from '../../src/panel/store/rate-bins';
import { chat } from './fixtures';

const at = (seq: number, t: number, topic: string) => {
  const ev = chat(seq, { topic });
  ev.record = { ...ev.record, t };
  ev.spaces = { ...ev.spaces!, topicId: topic, category: topic.length % 2 ? 'chat' : 'task' };
  return ev;
};

describe('RateBins', () => {
  it('columns updated as events arrive equal columns computed afresh', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(120_000), fc.constantFrom('a', 'bb', 'ccc')), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 400 }), (pts, columns) => {
        const sorted = [...pts].sort((x, y) => x[0] - y[0]);
        const live = new RateBins('category');
        sorted.forEach(([t, k], i) => {
          live.add(at(i + 1, 1_700_000_000_000 + t, k));
          if (i % 7 === 0) live.capture(columns);
        });
        const got = live.capture(columns);
        const fresh = new RateBins('category');
        sorted.forEach(([t, k], i) => fresh.add(at(i + 1, 1_700_000_000_000 + t, k)));
        const want = fresh.columns(got.from, got.to, columns);
        expect(got.cols.map((c) => [...c].map((x) => Math.round(x * 1e6)))).toEqual(want.cols.map((c) => [...c].map((x) => Math.round(x * 1e6))));
        expect(Math.round(got.max * 1e6)).toBe(Math.round(want.max * 1e6));
        // Every event fed is counted.
        expect(fresh.count).toBe(pts.length);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps a burst and a gap apart', () => {
    const b = new RateBins('topic');
    let seq = 0;
    for (let i = 0; i < 50; i++) b.add(at(++seq, 1_700_000_000_000 + i * 10, 'a'));
    b.add(at(++seq, 1_700_000_060_000, 'bb'));
    const { cols, max } = b.columns(1_700_000_000_000, 1_700_000_061_000, 61);
    expect(max).toBe(50);
    expect(cols.slice(1, 60).every((c) => c.every((x) => x === 0))).toBe(true);
    expect(b.keys).toEqual(['a', 'bb']);
  });
});
