import { describe, expect, it } from 'vitest';
import { createExtensionSource, type PortLike } from '../../src/panel/sources/extension-source';
import type { SourceStatus } from '../../src/panel/sources/source';
import type { CapturedEvent } from '../../src/core/model/event';
import { readPanelMessage } from '../../src/panel/sources/validate';
import { chat, ping, seqs } from './fixtures';

class FakeEvent<F extends (...a: never[]) => void> {
  fns = new Set<F>();
  addListener(fn: F) {
    this.fns.add(fn);
  }
  removeListener(fn: F) {
    this.fns.delete(fn);
  }
}

class FakePort implements PortLike {
  sent: unknown[] = [];
  closed = false;
  onMessage = new FakeEvent<(m: unknown) => void>();
  onDisconnect = new FakeEvent<() => void>();
  postMessage(m: unknown) {
    if (this.closed) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(m);
  }
  disconnect() {
    this.closed = true;
  }
  deliver(m: unknown) {
    for (const fn of this.onMessage.fns) fn(m);
  }
  /** The background went away (service worker stopped). */
  drop() {
    this.closed = true;
    for (const fn of this.onDisconnect.fns) fn();
  }
}

const TAB = 7;
const status = (over: object = {}) => ({
  tabId: TAB,
  count: 3,
  bytes: 100,
  dropped: 0,
  droppedFull: 0,
  lastSeq: 3,
  rejected: 0,
  connections: 1,
  notices: [],
  ...over,
});

function setup(opts: { failConnects?: number } = {}) {
  const ports: FakePort[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  let failures = opts.failConnects ?? 0;
  const batches: { events: CapturedEvent[]; reset: boolean }[] = [];
  const statuses: SourceStatus[] = [];
  const source = createExtensionSource({
    tabId: TAB,
    connect: () => {
      if (failures-- > 0) throw new Error('Could not establish connection');
      const p = new FakePort();
      ports.push(p);
      return p;
    },
    setTimeout: (fn, ms) => timers.push({ fn, ms }),
    clearTimeout: () => {},
  });
  source.subscribe({
    events: (events, reset) => batches.push({ events: [...events], reset }),
    status: (s) => statuses.push(s),
  });
  const runTimer = () => timers.shift()!.fn();
  return { source, ports, timers, batches, statuses, runTimer, last: () => statuses[statuses.length - 1]! };
}

describe('extension source', () => {
  it('subscribes for the tab from seq 0 and delivers events', () => {
    const t = setup();
    expect(t.ports).toHaveLength(1);
    expect(t.ports[0]!.sent).toEqual([{ type: 'panel/subscribe', tabId: TAB, since: 0 }]);
    t.ports[0]!.deliver({ type: 'bg/events', tabId: TAB, events: [chat(1), ping(2)], reset: true });
    t.ports[0]!.deliver({ type: 'bg/status', status: status() });
    expect(t.batches).toEqual([{ events: [chat(1), ping(2)], reset: true }]);
    expect(t.last().connection).toBe('open');
    expect(t.last().tab?.count).toBe(3);
    expect(t.source.lastSeq).toBe(2);
  });

  it('ignores malformed messages and events, counting them', () => {
    const t = setup();
    const p = t.ports[0]!;
    const bad = chat(3) as unknown as { record: { raw: unknown } };
    bad.record.raw = '<img src=x>';
    p.deliver(null);
    p.deliver('bg/events');
    p.deliver({ type: 'bg/unknown' });
    p.deliver({ type: 'bg/events', tabId: TAB + 1, events: [chat(1)], reset: false }); // another tab
    p.deliver({ type: 'bg/events', tabId: TAB, events: 'nope', reset: false });
    p.deliver({ type: 'bg/status', status: status({ count: -1 }) });
    expect(t.batches).toEqual([]);
    expect(t.last().malformed).toBe(6);
    p.deliver({ type: 'bg/events', tabId: TAB, events: [chat(1), bad, { seq: 2 }, chat(4)], reset: false });
    expect(t.batches.map((b) => seqs(b.events))).toEqual([[1, 4]]);
    expect(t.last().malformed).toBe(8);
  });

  it('skips events it already delivered', () => {
    const t = setup();
    const p = t.ports[0]!;
    p.deliver({ type: 'bg/events', tabId: TAB, events: [chat(1), chat(2)], reset: false });
    p.deliver({ type: 'bg/events', tabId: TAB, events: [chat(2), chat(3)], reset: false });
    p.deliver({ type: 'bg/events', tabId: TAB, events: [chat(1)], reset: false });
    expect(t.batches.map((b) => seqs(b.events))).toEqual([[1, 2], [3]]);
  });

  it('reconnects after the service worker stops and re-subscribes from the last seq', () => {
    const t = setup();
    t.ports[0]!.deliver({ type: 'bg/events', tabId: TAB, events: [chat(1), chat(2)], reset: false });
    t.ports[0]!.drop();
    expect(t.last().connection).toBe('reconnecting');
    expect(t.timers).toHaveLength(1);
    t.runTimer();
    expect(t.ports).toHaveLength(2);
    expect(t.ports[1]!.sent).toEqual([{ type: 'panel/subscribe', tabId: TAB, since: 2 }]);
    // the new background resends an overlap: only the new ones go through
    t.ports[1]!.deliver({ type: 'bg/events', tabId: TAB, events: [chat(2), chat(3)], reset: false });
    expect(t.batches.map((b) => seqs(b.events))).toEqual([[1, 2], [3]]);
    expect(t.last().connection).toBe('open');
    // a reset starts over, whatever the seqs
    t.ports[1]!.deliver({ type: 'bg/events', tabId: TAB, events: [chat(1)], reset: true });
    expect(t.batches[2]).toEqual({ events: [chat(1)], reset: true });
    expect(t.source.lastSeq).toBe(1);
  });

  it('backs off while connecting fails, then resets the delay once the background answers', () => {
    const t = setup({ failConnects: 3 });
    expect(t.ports).toHaveLength(0);
    const delays: number[] = [];
    while (t.ports.length === 0) {
      delays.push(t.timers[0]!.ms);
      t.runTimer();
    }
    expect(delays).toEqual([250, 500, 1000]);
    t.ports[0]!.deliver({ type: 'bg/status', status: status() });
    t.ports[0]!.drop();
    expect(t.timers[0]!.ms).toBe(250);
  });

  it('clear posts panel/clear; dispose stops reconnecting', () => {
    const t = setup();
    t.source.clear();
    expect(t.ports[0]!.sent[1]).toEqual({ type: 'panel/clear', tabId: TAB });
    t.source.dispose();
    expect(t.ports[0]!.closed).toBe(true);
    expect(t.timers).toHaveLength(0);
    expect(t.last().connection).toBe('offline');
  });
});

describe('readPanelMessage', () => {
  it('takes a frame label on an event and a workers count in a status, and refuses them malformed', () => {
    const framed = { ...chat(1), frame: 'http://localhost:8080/pages/frame.html' };
    expect(readPanelMessage({ type: 'bg/events', tabId: TAB, events: [framed], reset: false }, TAB)).toEqual({ type: 'events', events: [framed], reset: false, malformed: 0 });
    expect(readPanelMessage({ type: 'bg/status', status: status({ workers: 2 }) }, TAB)).toEqual({ type: 'status', status: status({ workers: 2 }) });
    for (const workers of [-1, 1.5, '2', null]) expect(readPanelMessage({ type: 'bg/status', status: status({ workers }) }, TAB)).toBeNull();
  });

  it('accepts well-formed events of every record kind', () => {
    const err: CapturedEvent = {
      seq: 3,
      record: { kind: 'error', error: 'bad packet', conn: 1, t: 1, dir: 'in', transport: 'polling', raw: { text: '9x', length: 2, truncated: false } },
    };
    const echo = chat(4);
    echo.spaces!.reply = { toSeq: 1, rttMs: 45, outcome: 'echo' };
    echo.spaces!.channel = { id: 'c1', type: 'topic', password: '[redacted]' };
    const evs = [chat(1), ping(2, 'open'), err, echo];
    const m = readPanelMessage({ type: 'bg/events', tabId: TAB, events: evs, reset: false }, TAB);
    expect(m).toEqual({ type: 'events', events: evs, reset: false, malformed: 0 });
  });

  it('rejects wrong field types the UI would read', () => {
    const cases: ((e: Record<string, any>) => void)[] = [
      (e) => (e.seq = 0),
      (e) => (e.seq = '1'),
      (e) => (e.record.dir = 'sideways'),
      (e) => (e.record.t = Number.NaN),
      (e) => (e.record.packet.args = {}),
      (e) => (e.record.raw.truncated = 'no'),
      (e) => (e.spaces.summary = 5),
      (e) => (e.spaces.issues = [{ path: 1, message: 'x' }]),
      (e) => (e.spaces.sender = { displayName: {} }),
      (e) => (e.spaces.reply = { toSeq: 'x', rttMs: 1, outcome: 'echo' }),
      (e) => (e.spaces.reply = { toSeq: 1, rttMs: 1, outcome: 'maybe' }),
      (e) => (e.spaces.channel = { id: 'c', password: 'hunter2' }),
      (e) => (e.record.kind = 'other'),
      (e) => (e.frame = 5),
      (e) => (e.frame = 'x'.repeat(1001)),
    ];
    for (const mutate of cases) {
      const e = structuredClone(chat(1)) as Record<string, any>;
      mutate(e);
      const m = readPanelMessage({ type: 'bg/events', tabId: TAB, events: [e], reset: false }, TAB);
      expect(m, mutate.toString()).toEqual({ type: 'events', events: [], reset: false, malformed: 1 });
    }
  });
});

describe('extension source: the panel\'s emit', () => {
  it('posts panel/emit and resolves with the background\'s answer of the same id and tab only', async () => {
    const t = setup();
    const p = t.ports[0]!;
    const a = t.source.emit!(3, '42/chat,["x"]');
    const b = t.source.emit!(3, '42/chat,["y"]');
    expect(p.sent.slice(1)).toEqual([
      { type: 'panel/emit', id: 1, conn: 3, packet: '42/chat,["x"]' },
      { type: 'panel/emit', id: 2, conn: 3, packet: '42/chat,["y"]' },
    ]);
    p.deliver({ type: 'bg/emitted', tabId: TAB + 1, id: 2, ok: true }); // another tab's: ignored
    p.deliver({ type: 'bg/emitted', tabId: TAB, id: 2, ok: false, error: 'the WebSocket is not open' });
    p.deliver({ type: 'bg/emitted', tabId: TAB, id: 1, ok: true });
    expect(await a).toEqual({ ok: true });
    expect(await b).toEqual({ ok: false, error: 'the WebSocket is not open' });
    expect(t.last().malformed).toBe(1);
  });

  it('fails an emit the background never answers, and one without a port', async () => {
    const t = setup();
    const a = t.source.emit!(1, '42["x"]');
    t.timers.find((x) => x.ms === 15_000)!.fn();
    expect(await a).toEqual({ ok: false, error: 'no answer from the page' });
    t.ports[0]!.drop();
    expect(await t.source.emit!(1, '42["x"]')).toEqual({ ok: false, error: 'not connected to the extension' });
  });

  it('reads bg/emitted strictly', () => {
    expect(readPanelMessage({ type: 'bg/emitted', tabId: TAB, id: 1, ok: 'yes' }, TAB)).toBeNull();
    expect(readPanelMessage({ type: 'bg/emitted', tabId: TAB, id: -1, ok: true }, TAB)).toBeNull();
    expect(readPanelMessage({ type: 'bg/emitted', tabId: TAB, id: 1, ok: false, error: 5 }, TAB)).toBeNull();
    expect(readPanelMessage({ type: 'bg/emitted', tabId: TAB, id: 1, ok: false }, TAB)).toEqual({ type: 'emitted', id: 1, ok: false, error: 'failed' });
  });
});
