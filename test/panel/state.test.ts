import { describe, expect, it } from 'vitest';
import { PanelStore, heldBytes, parseFilters } from '../../src/panel/store/state';
import type { CapturedEvent } from '../../src/core/model/event';
import { chat, ping, seqs } from './fixtures';
import { connectionLabel, searchText } from '../../src/panel/store/row';

const visible = (s: PanelStore): number[] => Array.from({ length: s.size }, (_, i) => s.at(i)!.seq);

describe('PanelStore', () => {
  it('keeps arrival order and ignores seqs already seen', () => {
    const s = new PanelStore();
    s.receive([chat(1), chat(2)], false);
    s.receive([chat(2), chat(1), chat(3)], false);
    expect(visible(s)).toEqual([1, 2, 3]);
    expect(s.last).toBe(3);
    expect(s.total).toBe(3);
  });

  it('reset replaces the list and accepts lower seqs again', () => {
    const s = new PanelStore();
    s.receive([chat(5), chat(6)], false);
    s.select(s.at(0)!);
    s.receive([chat(1)], true);
    expect(visible(s)).toEqual([1]);
    expect(s.selected).toBeNull();
    s.receive([], true);
    expect(s.size).toBe(0);
  });

  it('drops the oldest beyond max and counts them', () => {
    const s = new PanelStore({ max: 3 });
    s.receive([chat(1), chat(2)], false);
    s.receive([chat(3), chat(4), chat(5)], false);
    expect(visible(s)).toEqual([3, 4, 5]);
    expect(s.dropped).toBe(2);
    expect(s.total).toBe(3);
    expect(s.findSeq(2)).toBeUndefined();
    expect(s.findSeq(4)?.seq).toBe(4);
  });

  it('stays bounded and correct across many single-event batches (compaction)', () => {
    const s = new PanelStore({ max: 1000 });
    s.setFilter('hello');
    for (let i = 1; i <= 10_000; i++) s.receive([chat(i)], false);
    expect(s.total).toBe(1000);
    expect(s.size).toBe(1000);
    expect(s.dropped).toBe(9000);
    expect(s.at(0)!.seq).toBe(9001);
    expect(s.at(999)!.seq).toBe(10_000);
    expect(s.indexOfSeq(9500)).toBe(499);
  });

  it('counts the events a source left out for its bound as dropped, paused or not', () => {
    const s = new PanelStore({ max: 3 });
    s.receive([chat(1), chat(2)], true);
    s.receive([chat(8), chat(9)], false, 5); // 3..7 never handed over
    expect(visible(s)).toEqual([2, 8, 9]);
    expect(s.dropped).toBe(6); // 3..7, and 1 by the store itself
    s.setPaused(true);
    s.receive([chat(15)], false, 5);
    expect(s.dropped).toBe(11);
    // a reset while paused: what is dropped after it counts once the reset is applied
    s.receive([chat(1)], true);
    s.receive([chat(5)], false, 3);
    expect(s.dropped).toBe(11);
    s.setPaused(false);
    expect(visible(s)).toEqual([1, 5]);
    expect(s.dropped).toBe(3);
  });

  it('buffers while paused and shows on resume', () => {
    const s = new PanelStore();
    s.receive([chat(1)], false);
    s.setPaused(true);
    s.receive([chat(2), chat(3)], false);
    s.receive([chat(3)], false);
    expect(visible(s)).toEqual([1]);
    expect(s.pendingCount).toBe(2);
    s.setPaused(false);
    expect(visible(s)).toEqual([1, 2, 3]);
    expect(s.pendingCount).toBe(0);
  });

  it('applies a reset received while paused on resume', () => {
    const s = new PanelStore();
    s.receive([chat(7), chat(8)], false);
    s.setPaused(true);
    s.receive([chat(1)], true);
    expect(visible(s)).toEqual([7, 8]);
    s.setPaused(false);
    expect(visible(s)).toEqual([1]);
  });

  it('bounds what it buffers while paused', () => {
    const s = new PanelStore({ max: 10 });
    s.setPaused(true);
    for (let i = 1; i <= 25; i++) s.receive([chat(i)], false);
    expect(s.pendingCount).toBeLessThan(20);
    s.setPaused(false);
    expect(visible(s)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(s.dropped).toBe(15);
  });

  it('filters on event, category, topic, sender and summary, case-insensitively', () => {
    const s = new PanelStore();
    s.receive(
      [chat(1, { topic: 'Budget' }), chat(2, { sender: 'Grace Hopper' }), chat(3, { summary: 'Deploy done' })],
      false,
    );
    s.setFilter('budget');
    expect(visible(s)).toEqual([1]);
    s.setFilter('HOPPER');
    expect(visible(s)).toEqual([2]);
    s.setFilter('deploy');
    expect(visible(s)).toEqual([3]);
    s.setFilter('message_sent');
    expect(visible(s)).toEqual([1, 2, 3]);
    s.setFilter('chat');
    expect(visible(s)).toEqual([1, 2, 3]);
    s.setFilter('nothing like this');
    expect(s.size).toBe(0);
    s.setFilter('');
    expect(s.size).toBe(3);
    // new events are tested against the current filter
    s.setFilter('grace');
    s.receive([chat(4, { sender: 'Grace Hopper' }), chat(5)], false);
    expect(visible(s)).toEqual([2, 4]);
  });

  it('hides engine keep-alives by default but keeps open/close', () => {
    const s = new PanelStore();
    s.receive([ping(1, 'open'), ping(2, 'ping'), ping(3, 'pong'), chat(4), ping(5, 'close')], false);
    expect(visible(s)).toEqual([1, 4, 5]);
    s.setShowEngine(true);
    expect(visible(s)).toEqual([1, 2, 3, 4, 5]);
    s.setShowEngine(false);
    expect(visible(s)).toEqual([1, 4, 5]);
  });

  it('moves the selection through visible rows, from the nearest when the selected one is hidden', () => {
    const s = new PanelStore();
    s.receive([chat(1), chat(2, { sender: 'Grace' }), chat(3), chat(4, { sender: 'Grace' })], false);
    s.moveSelection(1);
    expect(s.selected?.seq).toBe(1);
    s.moveSelection(1);
    s.moveSelection(1);
    expect(s.selected?.seq).toBe(3);
    s.setFilter('grace');
    expect(s.selectedIndex).toBe(-1);
    expect(s.selected?.seq).toBe(3); // kept for the detail pane
    s.moveSelection(1);
    expect(s.selected?.seq).toBe(4);
    s.moveSelection(1);
    expect(s.selected?.seq).toBe(4); // clamped at the end
    s.moveSelection(-5);
    expect(s.selected?.seq).toBe(2);
  });

  it('clear forgets events but keeps the last seq', () => {
    const s = new PanelStore({ max: 2 });
    s.receive([chat(1), chat(2), chat(3)], false);
    s.clear();
    expect(s.total).toBe(0);
    expect(s.dropped).toBe(0);
    s.receive([chat(3), chat(4)], false);
    expect(visible(s)).toEqual([4]);
  });

  it('dropBefore: the events of an earlier page load go, and are not taken later, even after a reset', () => {
    const s = new PanelStore();
    s.receive([chat(1), chat(2), chat(3), chat(4)], false);
    s.dropBefore(3);
    expect(visible(s)).toEqual([3, 4]);
    expect(s.drops.total).toBe(0);
    s.receive([chat(2), chat(5)], false);
    expect(visible(s)).toEqual([3, 4, 5]);
    s.receive([chat(1), chat(2), chat(3)], true);
    expect(visible(s)).toEqual([3]);
    // Told before the events come (the status first): they are taken from that seq on.
    const t = new PanelStore();
    t.dropBefore(10);
    t.receive([chat(8), chat(9), chat(10), chat(11)], false);
    expect(visible(t)).toEqual([10, 11]);
  });

  it('learns topic titles from events that carry them', () => {
    const s = new PanelStore();
    const bare = chat(2);
    delete bare.spaces!.topicTitle;
    s.receive([chat(1, { topic: 'Budget' }), bare], false);
    expect(s.topicTitle('t1')).toBe('Budget');
    expect(s.topicTitle('t2')).toBeUndefined();
  });

  it('notifies subscribers on change', () => {
    const s = new PanelStore();
    let calls = 0;
    const off = s.subscribe(() => calls++);
    s.receive([chat(1)], false);
    s.setFilter('x');
    off();
    s.receive([chat(2)], false);
    expect(calls).toBe(2);
  });

  // Timings are in bench/panel.ts; this checks the result at that scale.
  it('takes 100,000 events in small batches and filters them', { timeout: 60_000 }, () => {
    const s = new PanelStore({ max: 100_000, maxBytes: Infinity });
    const evs = Array.from({ length: 100_000 }, (_, i) => chat(i + 1, { summary: i % 100 === 0 ? 'needle' : 'hay' }));
    for (let i = 0; i < evs.length; i += 50) s.receive(evs.slice(i, i + 50), false);
    s.setFilter('needle');
    expect(s.size).toBe(1000);
    expect(s.at(999)?.seq).toBe(99_901);
  });
});

describe('PanelStore memory bound', () => {
  const big = (seq: number, chars: number): CapturedEvent => {
    const ev = chat(seq);
    return { ...ev, record: { ...ev.record, raw: { text: 'x'.repeat(chars), length: chars, truncated: false } } };
  };

  it('drops the oldest events beyond maxBytes, counts them, and keeps the newest even when it alone is over', () => {
    const per = heldBytes(big(1, 1000));
    const s = new PanelStore({ max: 1000, maxBytes: per * 10 });
    s.receive(Array.from({ length: 25 }, (_, i) => big(i + 1, 1000)), false);
    expect(s.total).toBe(10);
    expect(s.dropped).toBe(15);
    expect(s.heldEvents().map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 16 + i));
    s.receive([big(26, 1_000_000)], false);
    expect(s.heldEvents().map((e) => e.seq)).toEqual([26]);
    expect(s.dropped).toBe(25);
    s.receive([big(27, 1000)], false);
    expect(s.heldEvents().map((e) => e.seq)).toEqual([27]);
  });

  it('a huge frame kept as a short error record costs its raw text, not the original: the history stays', () => {
    const per = heldBytes(big(1, 1000));
    const s = new PanelStore({ max: 1000, maxBytes: per * 10 });
    s.receive(Array.from({ length: 5 }, (_, i) => big(i + 1, 1000)), false);
    const ev = chat(6);
    const text = 'x'.repeat(1000);
    s.receive([{ ...ev, record: { kind: 'error', conn: 1, t: 0, dir: 'in', transport: 'websocket', error: 'frame too long', raw: { text, length: 10_000_000, truncated: true } } }], false);
    expect(s.heldEvents().map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('bounds what waits while paused by memory too', () => {
    const per = heldBytes(big(1, 1000));
    const s = new PanelStore({ max: 1000, maxBytes: per * 10 });
    s.setPaused(true);
    for (let i = 1; i <= 100; i++) {
      s.receive([big(i, 1000)], false);
      expect(s.pendingCount).toBeLessThan(20);
    }
    s.setPaused(false);
    expect(s.heldEvents().map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 91 + i));
    expect(s.dropped).toBe(90);
  });
});

describe('PanelStore filters and groups', () => {
  it('filters by topic, category, direction and problems, and keeps group counts to the events held', () => {
    const s = new PanelStore({ max: 4 });
    const a = chat(1, { topic: 'Design review' });
    const b = { ...chat(2), spaces: { ...chat(2).spaces!, topicId: 't2', topicTitle: 'Ops', issues: [{ path: 'content', message: 'bad' }] } };
    const c = { ...chat(3), record: { ...chat(3).record, dir: 'out' as const } };
    s.receive([a, b, c], false);
    s.setFilters({ topic: 't2' });
    expect(seqs(Array.from({ length: s.size }, (_, i) => s.at(i)!))).toEqual([2]);
    s.setFilters({ topic: null, problems: true });
    expect(s.size).toBe(1);
    s.setFilters({ problems: false, dir: 'out' });
    expect(s.at(0)?.seq).toBe(3);
    s.setFilters({ dir: 'all', category: 'chat' });
    expect(s.size).toBe(3);
    expect(s.groups.topic('t1')?.count).toBe(2);
    // Dropping the oldest events takes them out of the groups.
    s.receive([chat(4), chat(5), chat(6)], false);
    expect(s.total).toBe(4);
    expect(s.groups.topic('t2')).toBeUndefined();
    expect(s.groups.topic('t1')?.count).toBe(4);
  });

  it('reads stored filters back defensively', () => {
    expect(parseFilters({ text: 'x', topic: 7, dir: 'sideways', problems: 'yes' })).toEqual({ text: 'x', topic: null, category: null, dir: 'all', problems: false, kind: null });
    expect(parseFilters(null)).toEqual({ text: '', topic: null, category: null, dir: 'all', problems: false, kind: null });
  });

  it('says when its events came by more than one socket (connection or frame), until a clear', () => {
    const s = new PanelStore();
    s.receive([chat(1), chat(2)], false);
    expect(s.severalConnections).toBe(false);
    const second = chat(3);
    second.record.conn = 2;
    s.receive([second], false);
    expect(s.severalConnections).toBe(true);
    s.clear();
    expect(s.severalConnections).toBe(false);
    s.receive([chat(4), { ...chat(5), frame: 'http://localhost:8080/f.html' }], false);
    expect(s.severalConnections).toBe(true);
  });
});

describe('connection labels', () => {
  it('names the socket, with the host of a sub-frame; search finds the frame', () => {
    expect(connectionLabel(chat(1))).toBe('#1');
    const framed = { ...chat(2), frame: 'http://localhost:8080/pages/frame.html' };
    expect(connectionLabel(framed)).toBe('#1 · localhost:8080');
    expect(connectionLabel({ ...chat(3), frame: 'about:blank' })).toBe('#1 · about:blank');
    expect(searchText(framed)).toContain('http://localhost:8080/pages/frame.html');
  });
});

