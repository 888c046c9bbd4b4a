import { describe, expect, it } from 'vitest';
import { ConnectionTracker, RESUBSCRIBE_GRACE_MS } from '../../src/core/connections/model';
import { connectionProblems } from '../../src/core/connections/problems';
import type { CapturedEvent } from '../../src/core/model/event';
import type { Direction, LifeRecord, Transport, WireRecord } from '../../src/core/wire/types';
import { describeEvent, createSendTracker } from '../../src/core/spaces';

const raw = { text: 'x', length: 10, truncated: false };
let seq = 0;
const ev = (record: WireRecord): CapturedEvent => {
  const e: CapturedEvent = { seq: ++seq, record };
  if (record.kind === 'socket') e.spaces = describeEvent(record.packet, record.dir);
  return e;
};
const life = (conn: number, t: number, l: LifeRecord['life'], more: Partial<LifeRecord> = {}, transport: Transport = 'websocket') =>
  ev({ kind: 'life', conn, t, dir: 'in', transport, raw, life: l, ...more });
const handshake = (conn: number, t: number, sid: string, transport: Transport = 'websocket') =>
  ev({ kind: 'engine', conn, t, dir: 'in', transport, raw, type: 'open', handshake: { sid, upgrades: [], pingInterval: 1000, pingTimeout: 500 } });
const engine = (conn: number, t: number, type: 'ping' | 'pong' | 'upgrade' | 'close', dir: Direction) =>
  ev({ kind: 'engine', conn, t, dir, transport: 'websocket', raw, type });
const emit = (conn: number, t: number, dir: Direction, event: string, arg: unknown) =>
  ev({ kind: 'socket', conn, t, dir, transport: 'websocket', raw, packet: { type: 'EVENT', nsp: '/', event, args: [arg as never] } });
const URL1 = 'ws://localhost:1/socket.io/?EIO=4&transport=websocket';

describe('ConnectionTracker', () => {
  it('a close packet from a polling page followed by a failed request is a drop; one that went through stays a close', () => {
    const t = new ConnectionTracker();
    t.add(life(1, 0, 'start', { url: URL1 }, 'polling'));
    t.add(handshake(1, 1, 'a', 'polling'));
    t.add(engine(1, 100, 'close', 'out'));
    expect(t.get(' 1')).toMatchObject({ closeReason: 'Engine.IO close from the page', abnormal: false });
    t.add(life(1, 120, 'error', { status: 0 }, 'polling'));
    expect(t.get(' 1')).toMatchObject({ closeReason: 'polling request failed (no response)', abnormal: true, closedAt: 120 });

    t.add(life(2, 200, 'start', { url: URL1 }, 'polling'));
    t.add(handshake(2, 201, 'b', 'polling'));
    t.add(engine(2, 300, 'close', 'out'));
    expect(t.get(' 2')).toMatchObject({ closeReason: 'Engine.IO close from the page', abnormal: false });
  });

  it('takes a MESSAGE_SENT on a topic never subscribed as a problem, unless it announces a space just joined', () => {
    const t = new ConnectionTracker();
    t.add(life(1, 0, 'start', { url: URL1 }));
    t.add(life(1, 1, 'open'));
    t.add(handshake(1, 2, 'a'));
    t.add(emit(1, 10, 'in', 'MESSAGE_SENT', { topicId: 'T3', category: 'app.event.topic.new', content: {} }));
    expect(t.unsubscribedMessages).toEqual([]);
    const chat = emit(1, 20, 'in', 'MESSAGE_SENT', { topicId: 'T3', category: 'chat', content: {} });
    t.add(chat);
    expect(t.unsubscribedMessages).toEqual([{ session: expect.any(String), topicId: 'T3', seq: chat.seq, count: 1 }]);
  });

  it('follows a drop, the reconnect, the outage and a subscription not taken again', () => {
    const t = new ConnectionTracker();
    const all: CapturedEvent[] = [];
    const add = (e: CapturedEvent) => (all.push(e), t.add(e), e);
    add(life(1, 0, 'start', { url: URL1 }));
    add(life(1, 1, 'open'));
    add(handshake(1, 2, 'a'));
    add(engine(1, 900, 'ping', 'in'));
    add(engine(1, 905, 'pong', 'out'));
    add(emit(1, 950, 'out', 'SUBSCRIBE_CHANNEL', { channel: { _id: 'T1', type: 'topic' } }));
    add(emit(1, 960, 'in', 'CHANNEL_SUBSCRIBED', { _id: 'T1', type: 'topic' }));
    add(emit(1, 970, 'in', 'MESSAGE_SENT', { topicId: 'T2', category: 'chat', content: {} }));
    const close = add(life(1, 1000, 'close', { code: 1006, clean: false }));
    const during = add(emit(1, 1001, 'out', 'SEND_MESSAGE', { topicId: 'T1', category: 'chat', content: {} }));
    add(life(2, 5000, 'start', { url: URL1 }));
    const reopen = add(life(2, 5001, 'open'));
    add(handshake(2, 5002, 'b'));
    const after = add(engine(2, 5003, 'ping', 'in'));

    const c1 = t.get(' 1')!;
    expect(c1.closeReason).toBe('1006 abnormal closure (not clean)');
    expect(c1.abnormal).toBe(true);
    expect(c1.eio).toBe(4);
    expect(c1.rttLast).toBe(5);
    expect(c1.messages).toEqual({ in: 2, out: 2 });
    expect(t.get(' 2')!.reconnectOf).toBe(' 1');
    expect(t.outageAt(during.seq)).toMatchObject({ fromSeq: close.seq, toSeq: reopen.seq });
    expect(t.outageAt(after.seq)).toBeUndefined();
    expect(t.outageAt(close.seq)).toBeUndefined();

    expect(t.subscriptions(5100).map((s) => s.state)).toEqual(['lost']);
    const later = 5001 + RESUBSCRIBE_GRACE_MS + 1;
    expect(t.subscriptions(later).map((s) => s.state)).toEqual(['not re-subscribed']);
    const kinds = connectionProblems(t, later).map((p) => p.kind).sort();
    expect(kinds).toEqual(['abnormal-close', 'not-resubscribed', 'ping-gap', 'unsubscribed-message']);
    expect(connectionProblems(t, later).find((p) => p.kind === 'abnormal-close')).toMatchObject({ seq: close.seq, connection: ' 1' });
  });

  it('takes a re-subscription on the new session as making the loss good', () => {
    const t = new ConnectionTracker();
    for (const e of [
      life(1, 0, 'start', { url: URL1 }),
      life(1, 1, 'open'),
      emit(1, 2, 'out', 'SUBSCRIBE_CHANNEL', { channel: { _id: 'T1' } }),
      emit(1, 3, 'in', 'CHANNEL_SUBSCRIBED', { _id: 'T1' }),
      life(1, 4, 'close', { code: 1006, clean: false }),
      life(2, 5, 'start', { url: URL1 }),
      life(2, 6, 'open'),
      emit(2, 7, 'out', 'SUBSCRIBE_CHANNEL', { channel: { _id: 'T1' } }),
      emit(2, 8, 'in', 'CHANNEL_SUBSCRIBED', { _id: 'T1' }),
    ]) t.add(e);
    expect(t.subscriptions(100_000).map((s) => `${s.session}:${s.state}`)).toEqual([' 1:resubscribed', ' 2:subscribed']);
    expect(connectionProblems(t, 100_000).map((p) => p.kind)).toEqual(['abnormal-close']);
  });

  it('tells a refused subscription with its reason, and an unsubscription', () => {
    const t = new ConnectionTracker();
    for (const e of [
      life(1, 0, 'start', { url: URL1 }),
      emit(1, 2, 'out', 'SUBSCRIBE_CHANNEL', { channel: { _id: 'T9' } }),
      emit(1, 3, 'in', 'SUBSCRIBE_CHANNEL_FAILED', { _id: 'T9', error: 'not a member' }),
      emit(1, 4, 'out', 'SUBSCRIBE_CHANNEL', { channel: { _id: 'T1' } }),
      emit(1, 5, 'in', 'CHANNEL_SUBSCRIBED', { _id: 'T1' }),
      emit(1, 6, 'out', 'UNSUBSCRIBE_CHANNEL', { channel: { _id: 'T1' } }),
      emit(1, 7, 'in', 'CHANNEL_UNSUBSCRIBED', { _id: 'T1' }),
    ]) t.add(e);
    const subs = t.subscriptions();
    expect(subs.map((s) => [s.channel, s.state, s.reason])).toEqual([
      ['T9', 'failed', 'not a member'],
      ['T1', 'unsubscribed', undefined],
    ]);
    expect(connectionProblems(t).map((p) => p.label)).toEqual(['Subscription to channel T9 failed: not a member']);
  });

  it('links a WebSocket to the polling session it upgraded, and a clean close is no problem', () => {
    const t = new ConnectionTracker();
    for (const e of [
      life(1, 0, 'start', { url: 'http://h/socket.io/?EIO=3&transport=polling' }, 'polling'),
      handshake(1, 1, 'S1', 'polling'),
      life(2, 2, 'start', { url: 'ws://h/socket.io/?EIO=3&transport=websocket&sid=S1' }),
      life(2, 3, 'open'),
      engine(2, 4, 'upgrade', 'out'),
      engine(2, 5, 'ping', 'out'),
      engine(2, 7, 'pong', 'in'),
      life(2, 8, 'close', { code: 1000, clean: true }),
    ]) t.add(e);
    const [p, w] = [t.get(' 1')!, t.get(' 2')!];
    expect(p.upgradedTo).toBe(' 2');
    expect(p.closeReason).toBe('upgraded to websocket');
    expect(w.upgradeOf).toBe(' 1');
    expect(w.reconnectOf).toBeUndefined();
    expect(w.rttLast).toBe(2);
    expect(w.pingInterval).toBe(1000);
    expect(connectionProblems(t)).toEqual([]);
  });

  it('counts a polling request that failed as the session ending', () => {
    const t = new ConnectionTracker();
    t.add(life(1, 0, 'start', { url: 'http://h/socket.io/?EIO=4&transport=polling' }, 'polling'));
    t.add(handshake(1, 1, 'S', 'polling'));
    t.add(life(1, 2, 'error', { status: 400, reason: 'Session ID unknown' }, 'polling'));
    expect(t.get(' 1')).toMatchObject({ closeReason: 'polling request got HTTP 400: Session ID unknown', abnormal: true, errors: 1 });
  });
});

describe('pairing', () => {
  it('pairs CHANNEL_UNSUBSCRIBED with its UNSUBSCRIBE_CHANNEL', () => {
    const tr = createSendTracker();
    const pk = (event: string, arg: unknown) => ({ type: 'EVENT' as const, nsp: '/', event, args: [arg as never] });
    const req = pk('UNSUBSCRIBE_CHANNEL', { channel: { _id: 'T1' } });
    expect(tr.observe({ seq: 1, t: 10, dir: 'out', packet: req, spaces: describeEvent(req, 'out') })).toBeUndefined();
    const rep = pk('CHANNEL_UNSUBSCRIBED', { _id: 'T1' });
    const s = describeEvent(rep, 'in');
    expect(s.known).toBe(true);
    expect(s.issues).toEqual([]);
    expect(tr.observe({ seq: 2, t: 15, dir: 'in', packet: rep, spaces: s })).toEqual({ toSeq: 1, rttMs: 5, outcome: 'unsubscribed', by: 'channel' });
  });
});

describe('TabCapture and life events', () => {
  it('makes life records in time order among the frames, the start with its redacted URL, the reason redacted', async () => {
    const { TabCapture } = await import('../../src/core/model/capture');
    const cap = new TabCapture();
    const url = 'ws://h/socket.io/?EIO=4&transport=websocket&token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlMTIzNDU2';
    const out = cap.ingest(
      'p',
      [{ c: 1, url, transport: 'websocket' }],
      [{ c: 1, t: 5, d: 'in', x: '0{"sid":"s","upgrades":[],"pingInterval":1,"pingTimeout":1}' }],
      1,
      undefined,
      [
        { c: 1, t: 9, e: 'close', code: 4000, reason: 'Bearer abc.def.ghi', clean: true },
        { c: 1, t: 5, e: 'open' },
        { c: 1, t: 4, e: 'start' },
      ],
    );
    expect(out.map((e) => (e.record.kind === 'life' ? e.record.life : e.record.kind))).toEqual(['start', 'open', 'engine', 'close']);
    const [start, , , close] = out.map((e) => e.record as LifeRecord);
    expect(start!.url).toContain('token=');
    expect(start!.url).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(close!.reason).not.toContain('abc.def.ghi');
    expect(close!.raw.text).toMatch(/^close 4000: /);
  });
});

describe('foldAttempts (the Connections view)', () => {
  it('folds three or more failed attempts in a row to one endpoint; two stay apart, as does an attempt that opened', async () => {
    const { foldAttempts } = await import('../../src/panel/views/connections/connections');
    const t = new ConnectionTracker();
    const URL2 = 'ws://other:2/socket.io/?EIO=4&transport=websocket';
    t.add(life(1, 0, 'start', { url: URL1 }));
    t.add(life(1, 1, 'open'));
    t.add(life(1, 10, 'close', { code: 1006, clean: false }));
    // Four failed attempts to the endpoint, then one to another endpoint, two more to the first, one that opens.
    for (let c = 2; c <= 5; c++) {
      t.add(life(c, c * 100, 'start', { url: URL1 }));
      t.add(life(c, c * 100 + 5, 'close', { code: 1006, clean: false }));
    }
    t.add(life(6, 600, 'start', { url: URL2 }));
    t.add(life(6, 605, 'close', { code: 1006, clean: false }));
    for (let c = 7; c <= 8; c++) {
      t.add(life(c, c * 100, 'start', { url: URL1 }));
      t.add(life(c, c * 100 + 5, 'close', { code: 1006, clean: false }));
    }
    t.add(life(9, 900, 'start', { url: URL1 }));
    t.add(life(9, 901, 'open'));
    const runs = foldAttempts(t.list).map((run) => run.map((c) => c.conn));
    expect(runs).toEqual([[1], [2, 3, 4, 5], [6], [7], [8], [9]]);
  });
});
