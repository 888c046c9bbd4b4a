import { describe, expect, it } from 'vitest';
import type { ReadResult } from '../../src/core/log';
import { writeLog } from '../../src/core/log';
import type { CapturedEvent } from '../../src/core/model/event';
import { Handover, readLogFile } from '../../src/panel/sources/log-handover';
import type { FromLogWorker } from '../../src/panel/sources/log-protocol';
import { PanelStore } from '../../src/panel/store/state';
import { generateEvents } from './harness/fake-source';
import { chat, seqs } from './fixtures';

const RESULT = (events: number): ReadResult => ({ layout: 'ndjson', header: null, events, issues: [], issueCount: 0, fatal: null });
const range = (from: number, to: number): CapturedEvent[] => Array.from({ length: to - from + 1 }, (_, i) => chat(from + i));

/** A handover whose posts are recorded; `pull` answers every chunk with `more`, as the panel does. */
function harness(keep: number, chunk: number, credit = 1) {
  const posts: FromLogWorker[] = [];
  const h = new Handover(keep, chunk, credit, (m) => posts.push(m));
  const chunks = () => posts.filter((m): m is Extract<FromLogWorker, { type: 'events' }> => m.type === 'events');
  let answered = 0;
  const pull = (): void => {
    while (answered < chunks().length) {
      answered++;
      h.more();
    }
  };
  return { h, posts, chunks, pull };
}

/** What a panel store of `max` holds after taking every chunk posted, as the log source hands them. */
function storeOf(posts: FromLogWorker[], max: number): PanelStore {
  const s = new PanelStore({ max });
  s.receive([], true);
  for (const m of posts) if (m.type === 'events') s.receive(m.events, false, m.dropped);
  return s;
}

describe('log handover (worker side)', () => {
  it('a log smaller than the bound: every event handed over while reading, in order, a chunk per request', () => {
    const { h, posts, chunks } = harness(100, 4);
    h.position(50, 100); // half the file read, 10 events: the whole file seems to hold 20
    h.add(range(1, 10));
    // one chunk of credit: one chunk, then nothing until the panel asks
    expect(chunks().map((c) => seqs(c.events))).toEqual([[1, 2, 3, 4]]);
    h.more();
    h.more();
    h.more();
    expect(chunks().map((c) => seqs(c.events))).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    h.position(100, 100);
    h.add(range(11, 12)); // the credit left by the third more()
    h.end(RESULT(12));
    expect(posts.slice(-2)).toEqual([
      { type: 'read', events: 12, queued: 0 },
      { type: 'done', result: RESULT(12) },
    ]);
    expect(seqs(chunks().flatMap((c) => c.events))).toEqual(range(1, 12).map((e) => e.seq));
    expect(chunks().every((c) => c.dropped === 0)).toBe(true);
  });

  it('a log larger than the bound: nothing handed while reading, then only the newest `keep`, the rest counted as dropped', () => {
    const { h, posts, chunks, pull } = harness(10, 4, 2);
    for (let i = 0; i < 7; i++) {
      h.position((i + 1) * 10, 100); // 5 events per tenth of the file: about 50 in all
      h.add(range(i * 5 + 1, i * 5 + 5));
    }
    expect(chunks()).toEqual([]);
    expect(h.queued).toBe(10);
    h.end(RESULT(35));
    expect(posts.find((m) => m.type === 'read')).toEqual({ type: 'read', events: 35, queued: 10 });
    pull();
    expect(chunks().map((c) => [seqs(c.events), c.dropped])).toEqual([
      [[26, 27, 28, 29], 25],
      [[30, 31, 32, 33], 0],
      [[34, 35], 0],
    ]);
    expect(posts.at(-1)).toEqual({ type: 'done', result: RESULT(35) });
    expect(posts.filter((m) => m.type === 'done')).toHaveLength(1);
  });

  it('done waits for every queued chunk: the panel has them all when it shows the result', () => {
    const { h, posts } = harness(10, 3, 1);
    h.add(range(1, 9));
    h.end(RESULT(9));
    expect(posts.map((m) => m.type)).toEqual(['events', 'read']);
    h.more();
    h.more();
    expect(posts.map((m) => m.type)).toEqual(['events', 'read', 'events', 'events', 'done']);
  });

  it('whatever the guess about the file, a panel store ends with exactly what it would hold after taking every event', () => {
    // The first batch looks like the whole file, so the live handover starts; then the file may turn out larger.
    for (const [keep, chunk, total] of [
      [50, 7, 40],
      [50, 7, 50],
      [50, 7, 51],
      [50, 7, 140],
      [50, 50, 1000],
      [1, 1, 5],
    ] as const)
      for (const guess of ['small, then large', 'small'] as const) {
        const { h, posts, pull } = harness(keep, chunk, 2);
        const all = range(1, total);
        for (let i = 0; i < total; i += 10) {
          // share 1: the events so far are the whole file; 1e-9: a tiny part of a huge one
          h.position(1, i === 0 || guess === 'small' ? 1 : 1e9);
          h.add(all.slice(i, i + 10));
          pull();
        }
        h.end(RESULT(total));
        pull();
        const direct = new PanelStore({ max: keep });
        direct.receive(all, true);
        const s = storeOf(posts, keep);
        expect(seqs(s.heldEvents())).toEqual(seqs(direct.heldEvents()));
        expect(s.dropped).toBe(Math.max(0, total - keep));
        expect(s.dropped).toBe(direct.dropped);
        expect(posts.at(-1)?.type).toBe('done');
      }
  });

  it('hands over only the newest `keep` events of a large log file read for real, keeping the errors by line', async () => {
    const evs = generateEvents(300, 3, 5).map((e, i) => ({ ...e, seq: i + 1 }));
    const lines = [...writeLog(evs, { tool: { name: 't', version: '0' }, browser: null, filter: null }, { layout: 'ndjson', raw: true, anonymize: false })];
    lines[11] = '{"not an event": true}\n'; // line 12: the 11th event
    lines[201] = 'garbage\n'; // line 202: the 201st event
    const file = new Blob(lines);
    const posts: FromLogWorker[] = [];
    const h = new Handover(100, 32, 1, (m) => {
      posts.push(m);
      if (m.type === 'events') queueMicrotask(() => h.more());
    });
    await readLogFile(file, { name: 't', version: '0' }, h, (m) => posts.push(m));
    await new Promise((r) => setTimeout(r, 0));
    const done = posts.find((m) => m.type === 'done');
    if (done?.type !== 'done') throw new Error('no result');
    expect(done.result.events).toBe(298);
    expect(done.result.issues.map((i) => i.line)).toEqual(expect.arrayContaining([12, 202]));
    expect(posts.at(-1)?.type).toBe('done');
    const s = storeOf(posts, 100);
    const kept = evs.filter((e) => e.seq !== 11 && e.seq !== 201).slice(-100);
    expect(seqs(s.heldEvents())).toEqual(seqs(kept));
    expect(s.dropped).toBe(198);
    // Fewer events than read crossed over: not every one of the 298.
    expect(posts.filter((m) => m.type === 'events').reduce((n, m) => n + (m.type === 'events' ? m.events.length : 0), 0)).toBeLessThan(298);
    expect(posts.find((m) => m.type === 'header')).toBeTruthy();
  });

  it('refuses nonsense bounds', () => {
    expect(() => new Handover(0, 1, 1, () => undefined)).toThrow(RangeError);
    expect(() => new Handover(10, 0, 1, () => undefined)).toThrow(RangeError);
  });
});
