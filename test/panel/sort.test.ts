import { describe, expect, it } from 'vitest';
import { PanelStore } from '../../src/panel/store/state';
import { nextSort, parseSort, type Sort } from '../../src/panel/store/sort';
import { eventLabel, frameSize } from '../../src/panel/store/columns';
import { rowText } from '../../src/panel/store/row';
import type { CapturedEvent } from '../../src/core/model/event';
import { chat, ping, seqs } from './fixtures';

const SENDERS = ['Cy', 'ada', 'Bo', 'dee', ''];

/** A chat from one of SENDERS, with a payload of varying length. */
function ev(seq: number): CapturedEvent {
  const e = chat(seq, { sender: SENDERS[(seq * 7) % SENDERS.length]!, topic: `T${(seq * 3) % 4}` });
  if (SENDERS[(seq * 7) % SENDERS.length] === '') e.spaces!.sender = undefined;
  const text = `42["MESSAGE_SENT",{"category":"chat","pad":"${'x'.repeat((seq * 13) % 50)}"}]`;
  e.record.raw = { text, length: text.length, truncated: false };
  return e;
}

function rows(s: PanelStore): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.size; i++) out.push(s.at(i)!.seq);
  return out;
}

/** What the list must show: the visible events in key order, empty keys last, ties by arrival. */
function expected(s: PanelStore, sort: Sort): number[] {
  const key = (e: CapturedEvent): string | number => {
    switch (sort.col) {
      case 'size':
        return frameSize(e);
      case 'sender':
        return rowText(e).sender.toLowerCase();
      case 'event':
        return eventLabel(rowText(e)).toLowerCase();
      case 'topic':
        return (e.spaces?.topicTitle ?? '').toLowerCase();
      case 'dir':
        return e.record.dir;
      default:
        return e.record.t;
    }
  };
  return [...s.visibleEvents()]
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      if (x === y) return a.seq - b.seq;
      if (x === '') return 1;
      if (y === '') return -1;
      return (x < y ? -1 : 1) * (sort.desc ? -1 : 1);
    })
    .map((e) => e.seq);
}

describe('sorting the list', () => {
  it('cycles a header: ascending, descending, arrival order', () => {
    expect(nextSort(null, 'size')).toEqual({ col: 'size', desc: false });
    expect(nextSort({ col: 'size', desc: false }, 'size')).toEqual({ col: 'size', desc: true });
    expect(nextSort({ col: 'size', desc: true }, 'size')).toBeNull();
    expect(nextSort({ col: 'size', desc: true }, 'time')).toEqual({ col: 'time', desc: false });
    expect(parseSort({ col: 'constructor' })).toBeNull();
    expect(parseSort({ col: 'dir', desc: 'yes' })).toEqual({ col: 'dir', desc: false });
  });

  it('sorts by sender, reverses, and returns to arrival order', () => {
    const s = new PanelStore();
    s.receive([1, 2, 3, 4, 5].map(ev), false);
    s.setSort({ col: 'sender', desc: false });
    expect(rows(s).map((q) => rowText(s.findSeq(q)!).sender)).toEqual(['ada', 'Bo', 'Cy', 'dee', '']);
    s.setSort({ col: 'sender', desc: true });
    expect(rows(s).map((q) => rowText(s.findSeq(q)!).sender)).toEqual(['dee', 'Cy', 'Bo', 'ada', '']);
    s.setSort(null);
    expect(rows(s)).toEqual([1, 2, 3, 4, 5]);
  });

  it('places live arrivals by their key, drops the oldest, and follows filters (against a fresh sort)', () => {
    const s = new PanelStore({ max: 300 });
    let seq = 0;
    const batch = (n: number): CapturedEvent[] => Array.from({ length: n }, () => (++seq % 9 === 0 ? ping(seq) : ev(seq)));
    s.receive(batch(120), false);
    for (const sort of [
      { col: 'size', desc: true },
      { col: 'sender', desc: false },
      { col: 'topic', desc: true },
      { col: 'time', desc: true },
    ] as Sort[]) {
      s.setSort(sort);
      expect(rows(s)).toEqual(expected(s, sort));
      for (let k = 0; k < 8; k++) {
        s.receive(batch(1 + ((k * 37) % 60)), false);
        expect(rows(s)).toEqual(expected(s, sort));
      }
      s.setFilters({ text: 'topic:t1 OR topic:t2' });
      expect(rows(s)).toEqual(expected(s, sort));
      s.receive(batch(40), false);
      expect(rows(s)).toEqual(expected(s, sort));
      s.setFilters({ text: '' });
      s.setShowEngine(true);
      s.receive(batch(10), false);
      expect(rows(s)).toEqual(expected(s, sort));
      s.setShowEngine(false);
    }
    expect(s.size).toBeGreaterThan(200);
  });

  it('places rows again by topic when a title is learned after the sort', () => {
    const s = new PanelStore();
    // Titles not carried: each row sorts by its topic id until a later event names the topic.
    const bare = (seq: number, topicId: string): CapturedEvent => {
      const e = chat(seq, { topic: topicId });
      e.spaces!.topicTitle = undefined;
      e.spaces!.topicId = topicId;
      return e;
    };
    s.receive([bare(1, 'z-id'), bare(2, 'y-id'), bare(3, 'x-id')], false);
    s.setSort({ col: 'topic', desc: false });
    expect(rows(s)).toEqual([3, 2, 1]);
    // "z-id" is "Alpha": its row goes first, beside the event that named it.
    const named = chat(4, { topic: 'Alpha' });
    named.spaces!.topicId = 'z-id';
    s.receive([named, bare(5, 'y-id')], false);
    expect(rows(s)).toEqual([1, 4, 3, 2, 5]);
  });

  it('moves the selection and finds rows in the sorted order', () => {
    const s = new PanelStore();
    s.receive([1, 2, 3, 4, 5].map(ev), false);
    s.setSort({ col: 'sender', desc: false });
    const order = rows(s);
    s.select(s.findSeq(order[1]!)!);
    expect(s.selectedIndex).toBe(1);
    s.moveSelection(1);
    expect(s.selected!.seq).toBe(order[2]);
    expect(s.indexOfSeq(order[4]!)).toBe(4);
    // The selected row filtered out: the keys go on from where it would be.
    s.setFilters({ text: `-sender:"${rowText(s.findSeq(order[2]!)!).sender}"` });
    expect(s.indexOfSeq(order[2]!)).toBe(-1);
    s.moveSelection(1);
    expect(s.selected!.seq).toBe(order[3]);
  });

  it('keeps the order of 50,000 events in step', () => {
    const s = new PanelStore();
    s.receive(Array.from({ length: 50_000 }, (_, i) => ev(i + 1)), false);
    s.setSort({ col: 'size', desc: false });
    s.receive(Array.from({ length: 100 }, (_, i) => ev(50_001 + i)), false);
    expect(s.size).toBe(50_000);
    expect(rows(s)).toEqual(expected(s, { col: 'size', desc: false }));
    expect(seqs(s.visibleEvents()).slice(0, 2)).toEqual([101, 102]);
  });
});
