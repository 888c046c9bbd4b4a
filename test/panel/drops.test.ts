// The panel's "dropped by the buffer" figure: the events of the capture since the last clear that the panel
// does not hold, each counted once, whether the background's buffer dropped it first, this list did, or both.
import { describe, expect, it } from 'vitest';
import { PanelStore } from '../../src/panel/store/state';
import type { TabStatus } from '../../src/core/messages';
import type { SourceStatus } from '../../src/panel/sources/source';
import { chat } from './fixtures';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => chat(from + i));

/** The background's status: it holds `count` events, the newest `lastSeq`, and dropped `dropped` since its clear. */
const bg = (count: number, dropped: number, lastSeq: number, droppedFull = 0): SourceStatus => {
  const tab: TabStatus = { tabId: 1, count, bytes: 0, dropped, droppedFull, lastSeq, rejected: 0, connections: 1, notices: [] };
  return { connection: 'open', tab, malformed: 0 };
};

const figures = (s: PanelStore) => {
  const d = s.drops;
  return { held: s.total, dropped: d.total, unreceived: d.unreceived, list: d.list, full: d.full };
};

describe('PanelStore drops', () => {
  it('open from the start, the background and the list both dropping: each event counted once', () => {
    const s = new PanelStore({ max: 3 });
    s.setStatus(bg(0, 0, 0));
    for (let i = 1; i <= 10; i++) {
      s.receive([chat(i)], false);
      // The background keeps 4 and drops the rest, after the panel got them live.
      s.setStatus(bg(Math.min(i, 4), Math.max(0, i - 4), i));
    }
    expect(figures(s)).toEqual({ held: 3, dropped: 7, unreceived: 0, list: 7, full: { lo: 0, hi: 0 } });
    expect(s.total + s.drops.total).toBe(10);
  });

  it('opened late after the background dropped: the seqs it never got, with the storage-full part exact', () => {
    const s = new PanelStore();
    // The backlog comes first, the status after it.
    s.receive(range(7, 10), false);
    expect(s.drops.total).toBe(0);
    s.setStatus(bg(4, 6, 10, 2));
    expect(figures(s)).toEqual({ held: 4, dropped: 6, unreceived: 6, list: 0, full: { lo: 2, hi: 2 } });
    // Live events later dropped by the background (storage full) were received: not counted.
    s.receive(range(11, 14), false);
    s.setStatus(bg(4, 10, 14, 6));
    expect(figures(s)).toEqual({ held: 8, dropped: 6, unreceived: 6, list: 0, full: { lo: 2, hi: 6 } });
  });

  it('opened when the tab holds nothing, after it dropped 1,002 events for a full storage: says so', () => {
    const s = new PanelStore();
    s.receive([], false);
    s.setStatus(bg(0, 1_002, 1_002, 1_002));
    expect(figures(s)).toEqual({ held: 0, dropped: 1_002, unreceived: 1_002, list: 0, full: { lo: 1_002, hi: 1_002 } });
    // Events after it, live: the drops before them stay counted once.
    s.receive(range(1_003, 1_004), false);
    s.setStatus(bg(2, 1_002, 1_004, 1_002));
    expect(figures(s)).toMatchObject({ held: 2, dropped: 1_002, unreceived: 1_002 });
    // The background drops what the panel had not got (it fell behind): counted; what it had got, not again.
    s.setStatus(bg(1, 1_010, 1_011, 1_002));
    expect(figures(s)).toMatchObject({ held: 2, dropped: 1_008, unreceived: 1_008 });
    s.receive(range(1_011, 1_011), false);
    expect(figures(s)).toMatchObject({ held: 3, dropped: 1_008, unreceived: 1_008 });
  });

  it('frames the page’s relay dropped before the background got them count as dropped', () => {
    const s = new PanelStore();
    s.receive(range(1, 2), false);
    s.setStatus({ ...bg(2, 0, 2), tab: { ...bg(2, 0, 2).tab!, relayDropped: 5 } });
    expect(s.drops).toMatchObject({ total: 5, relay: 5, unreceived: 0 });
  });

  it('a reconnect after a restarted worker dropped events meanwhile: the gap is counted, what it re-sends is not', () => {
    const s = new PanelStore();
    s.receive(range(1, 5), false);
    s.setStatus(bg(5, 0, 5));
    // The restarted worker lost 4 and 5 (not written yet): the relay re-sends them and they get 4 and 5 again.
    s.setStatus(bg(3, 0, 3));
    s.receive(range(4, 5), false);
    s.setStatus(bg(5, 0, 5));
    expect(figures(s)).toMatchObject({ held: 5, dropped: 0 });
    // Disconnected while 6..20 came and 1..12 went: the backlog from 5 starts at 13.
    s.receive(range(13, 20), false);
    s.setStatus(bg(8, 12, 20));
    expect(figures(s)).toMatchObject({ held: 13, dropped: 7, unreceived: 7, list: 0 });
    // A worker whose numbering went back behind the panel resets it: the figures start from its status.
    s.receive(range(9, 12), true);
    expect(s.drops.total).toBe(0);
    s.setStatus(bg(4, 8, 12));
    expect(figures(s)).toMatchObject({ held: 4, dropped: 8, unreceived: 8 });
  });

  it('clear: the panel and the background start again at the seq they had', () => {
    const s = new PanelStore({ max: 3 });
    s.receive(range(7, 10), false);
    s.setStatus(bg(4, 6, 10));
    expect(s.drops.total).toBe(7);
    s.clear();
    expect(figures(s)).toMatchObject({ held: 0, dropped: 0 });
    // The background's reset, then its status after the clear.
    s.receive([], true);
    expect(s.drops.total).toBe(0);
    s.setStatus(bg(0, 0, 10));
    s.receive(range(11, 12), false);
    s.setStatus(bg(2, 0, 12));
    expect(figures(s)).toMatchObject({ held: 2, dropped: 0 });
    // The status of before the clear, still held when the reset comes, is not taken for the new one.
    s.setStatus(bg(2, 0, 12));
    s.receive(range(20, 21), true);
    expect(s.drops.total).toBe(0);
    s.setStatus(bg(2, 3, 21));
    expect(figures(s)).toMatchObject({ held: 2, dropped: 3, unreceived: 3 });
  });

  it('a page load without "Preserve log" clears the panel alone: the earlier page drops no longer count', () => {
    const s = new PanelStore();
    s.receive(range(7, 10), false);
    s.setStatus(bg(4, 6, 10));
    expect(s.drops.total).toBe(6);
    s.clear(); // the background keeps its events and counts
    expect(figures(s)).toMatchObject({ held: 0, dropped: 0 });
    s.receive(range(11, 12), false);
    s.setStatus(bg(6, 6, 12));
    expect(figures(s)).toMatchObject({ held: 2, dropped: 0 });
    // The new page's events the background dropped before the panel got them (a reconnect) still count.
    s.receive(range(16, 17), false);
    s.setStatus(bg(4, 13, 17));
    expect(figures(s)).toMatchObject({ held: 4, dropped: 3, unreceived: 3 });
  });

  it('"Preserve log" across page loads: every event of the tab since its clear', () => {
    const s = new PanelStore({ max: 5 });
    s.receive(range(4, 8), false); // first page; 1..3 dropped by the background before the panel opened
    s.setStatus(bg(5, 3, 8));
    s.receive(range(9, 12), false); // second page
    s.setStatus(bg(9, 3, 12));
    expect(figures(s)).toEqual({ held: 5, dropped: 7, unreceived: 3, list: 4, full: { lo: 0, hi: 0 } });
    expect(s.total + s.drops.total).toBe(12);
  });

  it('paused: pending events are not dropped; a reset while paused keeps the figures of what is shown', () => {
    const s = new PanelStore({ max: 4 });
    s.receive(range(3, 4), false);
    s.setStatus(bg(2, 2, 4));
    s.setPaused(true);
    s.receive(range(5, 7), false);
    s.setStatus(bg(5, 2, 7));
    expect(figures(s)).toMatchObject({ held: 2, dropped: 2, unreceived: 2 });
    expect(s.pendingCount).toBe(3);
    s.receive(range(20, 21), true);
    s.setStatus(bg(2, 9, 21));
    expect(figures(s)).toMatchObject({ held: 2, dropped: 2, unreceived: 2 });
    s.setPaused(false);
    expect(figures(s)).toMatchObject({ held: 2, dropped: 9, unreceived: 9, list: 0 });
    s.setPaused(true);
    s.receive(range(22, 25), false);
    s.setPaused(false);
    expect(figures(s)).toMatchObject({ held: 4, dropped: 11, unreceived: 9, list: 2 });
  });

  it('an imported log: its own dropped count, and what the panel left out for its bound; seq gaps are not drops', () => {
    const s = new PanelStore({ max: 3 });
    s.setStatus({ connection: 'connecting', tab: null, malformed: 0, lost: 40 });
    s.receive([chat(41), chat(50), chat(60)], true, 0);
    s.receive([chat(70), chat(80)], false, 5);
    expect(s.drops).toEqual({ total: 47, unreceived: 0, list: 7, before: 40, relay: 0, full: { lo: 0, hi: 0 } });
  });
});
