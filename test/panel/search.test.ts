import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TextIndex, searchable } from '../../src/panel/store/search';
import { PanelStore, type Filters } from '../../src/panel/store/state';
import { searchText } from '../../src/panel/store/row';
import { topicKeyOf } from '../../src/core/model/grouping';
import { generateEvents } from './harness/fake-source';

describe('TextIndex', () => {
  it('finds exactly the texts with a line that contains the needle, from any start, after drops', () => {
    // Few distinct units, so that lines recur within a chunk as Spaces' fields do.
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'ab', '\n', '\u0000', 'é', '😀'), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(text, { maxLength: 1500, size: 'max' }), fc.string({ unit: fc.constantFrom('a', 'b', 'é', '😀', '\u0000', '\n'), minLength: 1, maxLength: 3 }), fc.nat(1600), fc.nat(1600), (texts, needle, dropAt, fromAt) => {
        // Drop and start points inside the texts (or just past them), over chunk boundaries.
        const drop = dropAt % (texts.length + 2);
        const from = fromAt % (texts.length + 2);
        const base = 7;
        const idx = new TextIndex();
        texts.forEach((t, i) => idx.add(base + i, t));
        idx.dropBefore(base + drop);
        const found = idx.find(needle, base + from);
        // Every text of a chunk partly kept may still be found; texts before the drop point are not required.
        const holds = (t: string): boolean => searchable(needle) && t.split('\n').some((line) => line.includes(needle));
        const expected = texts.map((t, i) => (i >= from && holds(t) ? base + i : -1)).filter((i) => i >= 0);
        expect(found.filter((i) => i >= base + drop)).toEqual(expected.filter((i) => i >= base + drop));
        expect(found.every((i) => i >= base + from && holds(texts[i - base]!))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('finds exactly the texts with a line the regex matches: anchors, spans over lines, lookarounds, flags', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'ab', ' ', '\n', '\r', 'é', '😀', '\u2028'), maxLength: 12 });
    const SOURCES = ['^a', 'b$', '^ab$', 'a\\s+b', 'a[^b]*$', 'a.b', '^$', 'x*$', '(?<!a)b', 'a(?!b)', '(?<=^)b', '\\bab\\b', 'é|😀', '^.$', 'b\\W*a'];
    fc.assert(
      fc.property(fc.array(text, { maxLength: 1200, size: 'max' }), fc.constantFrom(...SOURCES), fc.subarray(['m', 's', 'u']), fc.nat(1300), (texts, source, flags, fromAt) => {
        const from = fromAt % (texts.length + 2);
        const re = new RegExp(source, `i${flags.join('')}`);
        const idx = new TextIndex();
        texts.forEach((t, i) => idx.add(i, t));
        const holds = (t: string): boolean => t.split('\n').some((line) => line !== '' && re.test(line));
        const expected = texts.map((t, i) => (i >= from && holds(t) ? i : -1)).filter((i) => i >= 0);
        expect(idx.findRegex(re, from)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a text out of order and an empty needle', () => {
    const idx = new TextIndex();
    idx.add(3, 'x');
    expect(() => idx.add(5, 'y')).toThrow(RangeError);
    expect(() => idx.find('', 0)).toThrow(RangeError);
  });
});

/** The filters applied by brute force, as the store documents them. */
function bruteForce(store: PanelStore, events: ReturnType<typeof generateEvents>, f: Filters): number[] {
  const needle = f.text.trim().toLowerCase();
  return events
    .filter((ev) => {
      if (!store.showEngine && ev.record.kind === 'engine' && ['ping', 'pong', 'upgrade', 'noop'].includes(ev.record.type)) return false;
      if (f.dir !== 'all' && ev.record.dir !== f.dir) return false;
      if (f.topic !== null && topicKeyOf(ev) !== f.topic) return false;
      if (needle === '') return true;
      const title = ev.spaces?.topicId ? store.topicTitle(ev.spaces.topicId) : undefined;
      return searchText(ev).includes(needle) || (title !== undefined && title.toLowerCase().includes(needle));
    })
    .map((ev) => ev.seq);
}

describe('PanelStore search and topic switch through the indices', () => {
  const rows = (s: PanelStore): number[] => Array.from({ length: s.size }, (_, i) => s.at(i)!.seq);

  it('shows what a brute-force filter shows, whether the text index is warm, partly warm or cold', () => {
    const events = generateEvents(3_000, 11, 12);
    const max = 2_000;
    const kept = events.slice(events.length - max);
    for (const warmth of ['cold', 'partial', 'warm'] as const) {
      const s = new PanelStore({ max });
      // A backlog, then live batches small enough to be indexed as they arrive.
      s.receive(events.slice(0, 2_000), true);
      if (warmth !== 'cold') {
        let steps = 0;
        s.warmSearch(() => warmth === 'warm' || ++steps < 5);
      }
      for (let i = 2_000; i < events.length; i += 50) s.receive(events.slice(i, i + 50), false);
      const topics = s.groups.topics().map((g) => g.key);
      const cases: Partial<Filters>[] = [
        { text: 'grace' },
        { text: 'grace hopper' },
        { text: 'gr' },
        { text: topics[1] ?? '' },
        { text: '' },
        { topic: topics[0]! },
        { topic: topics[3]!, text: 'message' },
        { topic: topics[3]! },
        { topic: null, text: 'e' },
        { text: 'zzz-nothing' },
        // keep-alives ("ping", "pong") among the hits, with and without a direction
        { text: 'ping', dir: 'all' },
        { text: 'pong', dir: 'out' },
        { text: 'grace', dir: 'in' },
        { text: 'zzz-nothing', dir: 'all' },
      ];
      for (const showEngine of [false, true]) {
        s.setShowEngine(showEngine);
        for (const c of cases) {
          s.setFilters(c);
          expect(rows(s), `${warmth} engine ${showEngine} ${JSON.stringify(s.filters)}`).toEqual(bruteForce(s, kept, s.filters));
        }
      }
    }
  });

  it('indexes a backlog that arrives after a clear or a reset (the index starts again at the first event held)', () => {
    const events = generateEvents(1_200, 5, 6);
    const s = new PanelStore();
    s.receive(events.slice(0, 400), true);
    s.warmSearch(() => true);
    s.clear();
    s.receive(events.slice(400, 800), false);
    expect(s.warmSearch(() => true)).toBe(true);
    expect(s.unindexed).toBe(0);
    s.setFilters({ text: 'grace' });
    expect(rows(s)).toEqual(bruteForce(s, events.slice(400, 800), s.filters));
    s.setFilters({ text: '' });
    s.receive(events.slice(800), true);
    expect(s.warmSearch(() => true)).toBe(true);
    s.setFilters({ text: 'grace' });
    expect(rows(s)).toEqual(bruteForce(s, events.slice(800), s.filters));
  });

  it('matches events by a topic title learned from another event', () => {
    const events = generateEvents(400, 3, 5);
    const s = new PanelStore();
    s.receive(events, true);
    s.warmSearch(() => true);
    const titled = s.groups.topics().find((g) => g.title);
    expect(titled).toBeDefined();
    s.setFilters({ text: titled!.title!.slice(0, 6) });
    expect(rows(s)).toEqual(bruteForce(s, events, s.filters));
    expect(rows(s).length).toBeGreaterThan(0);
  });
});
