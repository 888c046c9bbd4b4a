// Property tests: random queries built from known terms, checked against a brute-force evaluation of
// the structure they were built with (parser: precedence, parentheses, negation), and the panel's
// indexed evaluation against the reference evaluator (warm and cold text index).
process.env.TZ = 'UTC';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compile, parseQuery, type QueryContext } from '../../src/core/query';
import type { CapturedEvent } from '../../src/core/model/event';
import { PanelStore } from '../../src/panel/store/state';
import { CORPUS, corpusContext } from './corpus';

const TERMS = [
  'event:MESSAGE_SENT', 'event:send*', 'category:task*', 'category:chat', 'category:other', 'topic:"Release planning"', 'topic:project*',
  'sender:vidas*', 'sender:"Test user"', 'dir:in', 'dir:out', 'conn:2', 'id:5f084', 'file:*.pdf', 'convert:failed', 'convert:stuck',
  'has:file', 'has:diff', 'has:problem', 'status:pending', 'rtt>100', 'size>1k', 'version>2', 'seq>20', 'content.status:complete',
  'sender.type:anonymous', 'content.data.convertStatus>=2', 'roadmap', '"convertStatus 1 → 2"', 'vidas', 'unsupported', 'loop-7f3a9c',
  '/road(map)?/', '/^app\\.event\\.(task|idea)/', 'release', 'falcon', 'zzz-nothing',
  // regexes: anchors (a line's ends, with and without m), matches that could span lines (\\s, [^…], . with s),
  // empty matches, lookarounds (which see past a line's ends in a joined text) and flags
  '/^vidas/', '/pdf$/', '/\\d$/', '/^task$/m', '/e\\s+\\S/', '/n[^a-z]*$/', '/d.?$/s', '/x*$/', '/(?<!\\w)road/', '/map(?!\\s)/',
  '/(?<=^)app/', '/\\bfile\\b/u', '/ROAD/i',
];

type Q = { text: string; test: (ev: CapturedEvent, ctx: QueryContext) => boolean; compound: boolean };

const termQ = fc.constantFrom(...TERMS).map((t): Q => {
  const cache = new Map<QueryContext, (ev: CapturedEvent) => boolean>();
  return {
    text: t,
    compound: false,
    test: (ev, ctx) => {
      let p = cache.get(ctx);
      if (!p) cache.set(ctx, (p = compile(parseQuery(t), ctx)));
      return p(ev);
    },
  };
});
const wrap = (q: Q): string => (q.compound ? `(${q.text})` : q.text);

const { query } = fc.letrec<{ query: Q }>((tie) => ({
  query: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    termQ,
    fc.tuple(tie('query'), tie('query'), fc.constantFrom(' ', ' AND ')).map(([a, b, sep]): Q => ({ text: `${wrap(a)}${sep}${wrap(b)}`, compound: true, test: (ev, c) => a.test(ev, c) && b.test(ev, c) })),
    fc.tuple(tie('query'), tie('query')).map(([a, b]): Q => ({ text: `${wrap(a)} OR ${wrap(b)}`, compound: true, test: (ev, c) => a.test(ev, c) || b.test(ev, c) })),
    tie('query').map((a): Q => ({ text: `-${wrap(a)}`, compound: false, test: (ev, c) => !a.test(ev, c) })),
  ),
}));

describe('the parser builds the query that was written', () => {
  const ctx = corpusContext();
  it('random combinations of terms match what their structure says', () => {
    fc.assert(
      fc.property(query, (q) => {
        const p = compile(parseQuery(q.text), ctx);
        expect(CORPUS.filter(p).map((e) => e.seq)).toEqual(CORPUS.filter((ev) => q.test(ev, ctx)).map((e) => e.seq));
      }),
      { numRuns: 300 },
    );
  });

  it('AND binds tighter than OR, without parentheses', () => {
    const a = (q: string) => CORPUS.filter(compile(parseQuery(q), ctx)).map((e) => e.seq);
    expect(a('category:chat dir:out OR seq>29')).toEqual(a('(category:chat dir:out) OR seq>29'));
    expect(a('seq>29 OR category:chat dir:out')).toEqual(a('seq>29 OR (category:chat dir:out)'));
  });
});

/** The corpus 20 times over (new seqs, an hour apart): more than one chunk of the text index. */
const MANY: CapturedEvent[] = Array.from({ length: 20 }, (_, k) =>
  CORPUS.map((ev) => ({ ...ev, seq: ev.seq + k * 100, record: { ...ev.record, t: ev.record.t + k * 3_600_000 } }) as CapturedEvent),
).flat();

describe('the panel answers queries with its indexes as the reference evaluator does', () => {
  const rows = (s: PanelStore): number[] => Array.from({ length: s.size }, (_, i) => s.at(i)!.seq);
  for (const warm of [true, false]) {
    it(`text index ${warm ? 'warm' : 'cold'}`, () => {
      const s = new PanelStore();
      s.setShowEngine(true);
      // A backlog is indexed in idle time: cold until warmSearch runs.
      s.receive(MANY, false);
      if (warm) s.warmSearch(() => true);
      expect(s.unindexed === 0).toBe(warm);
      fc.assert(
        fc.property(query, (q) => {
          s.setFilter(q.text);
          expect(s.queryError).toBeNull();
          const p = compile(parseQuery(q.text), s.queryContext);
          // the events as the store holds them (a SEND_MESSAGE_FAILED takes its send's topic there)
          expect(rows(s)).toEqual(s.heldEvents().filter(p).map((e) => e.seq));
        }),
        { numRuns: 150 },
      );
    });
  }

  it('live events are tested as they arrive', () => {
    const s = new PanelStore();
    s.setShowEngine(true);
    s.setFilter('category:task* -status:complete OR sender:vidas*');
    for (const ev of MANY.slice(0, 200)) s.receive([ev], false);
    const p = compile(parseQuery('category:task* -status:complete OR sender:vidas*'), s.queryContext);
    expect(rows(s)).toEqual(s.heldEvents().filter(p).map((e) => e.seq));
    expect(rows(s).length).toBeGreaterThan(0);
  });

  it('a query that does not parse keeps the last list and says why', () => {
    const s = new PanelStore();
    s.receive(CORPUS, false);
    s.setFilter('category:task*');
    const before = rows(s);
    s.setFilter('category:task* (');
    expect(s.queryError?.message).toBe('at column 17: expected a term');
    expect(rows(s)).toEqual(before);
    // Typing back the last query that parsed clears the error.
    s.setFilter('category:task*');
    expect(s.queryError).toBeNull();
    expect(rows(s)).toEqual(before);
    s.setFilter('category:task* dir:out');
    expect(s.queryError).toBeNull();
    expect(rows(s)).toEqual([]);
  });

  it('the tree\'s counts are of the tree\'s query, which may lag the list\'s', () => {
    const s = new PanelStore();
    s.setShowEngine(true);
    s.receive(CORPUS, false);
    const counts = (g: { topics(): { key: string; count: number }[] }): string[] => g.topics().map((t) => `${t.key}:${t.count}`).sort();
    const all = counts(s.facetGroups);
    s.setFilter('category:chat');
    const chat = counts(s.facetGroups);
    expect(chat).not.toEqual(all);
    // The list answers -category:chat; the tree, until it catches up, shows the counts it made for category:chat.
    s.setFilter('-category:chat');
    expect(counts(s.facetGroupsFor('category:chat'))).toEqual(chat);
    expect(counts(s.facetGroupsFor(''))).toEqual(all);
    const notChat = counts(s.facetGroupsFor('-category:chat'));
    expect(notChat).not.toEqual(chat);
    expect(notChat).toEqual(counts(s.facetGroups));
    // Counts not made for the tree's query (those made last are the list's): the list's.
    expect(counts(s.facetGroupsFor('category:chat'))).toEqual(notChat);
  });

  it('a query about files as they are now follows the panel\'s clock, not only its own changes', () => {
    // The corpus without its last event (the ping an hour on): its file in progress is not stuck yet.
    const events = CORPUS.slice(0, -1);
    const s = new PanelStore();
    s.setShowEngine(true);
    s.receive(events, false);
    const last = events[events.length - 1]!.record.t;
    s.tickProblems(last, 120_000, 30_000);
    for (const q of ['convert:stuck', 'category:chat OR has:problem', '-convert:stuck']) {
      s.setFilter(q);
      const before = rows(s);
      const facets = s.facetGroups.topics().map((t) => t.count);
      let notified = 0;
      const off = s.subscribe(() => notified++);
      s.tickProblems(last + 3_600_000, 120_000, 30_000);
      off();
      const p = compile(parseQuery(q), s.queryContext);
      expect(rows(s)).toEqual(s.heldEvents().filter(p).map((e) => e.seq));
      expect(rows(s)).not.toEqual(before);
      expect(s.facetGroups.topics().map((t) => t.count)).not.toEqual(facets);
      expect(notified).toBeGreaterThan(0);
      // back: the clock of the first tick
      s.tickProblems(last, 120_000, 30_000);
      expect(rows(s)).toEqual(before);
    }
  });
});

