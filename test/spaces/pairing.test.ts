import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/core/spaces/describe';
import { createSendTracker, type SendTracker } from '../../src/core/spaces/pairing';
import type { ReplyInfo } from '../../src/core/spaces/types';
import type { Direction, SocketPacket } from '../../src/core/wire/types';
import { event, seed } from './fixtures';

let seq = 0;
function feed(tracker: SendTracker, t: number, dir: Direction, packet: SocketPacket): { seq: number; reply?: ReplyInfo } {
  seq += 1;
  return { seq, reply: tracker.observe({ seq, t, dir, packet, spaces: describeEvent(packet, dir) }) };
}
const send = (lb: string, id?: number): SocketPacket => ({
  ...event('SEND_MESSAGE', { content: { bodyText: lb }, category: 'chat', topicId: 'T1', version: '1.1', loopbackMetadata: lb }),
  ...(id === undefined ? {} : { id }),
});
const echo = (lb: string) => event('MESSAGE_SENT', { ...seed('chat.json'), loopbackMetadata: lb });
const failed = (lb: string) => event('SEND_MESSAGE_FAILED', { loopbackMetadata: lb, error: 'denied' });

describe('createSendTracker', () => {
  it('pairs a SEND_MESSAGE with its MESSAGE_SENT echo by loopback', () => {
    const tr = createSendTracker();
    const s = feed(tr, 1000, 'out', send('lb-1'));
    expect(s.reply).toBeUndefined();
    expect(tr.pending()).toBe(1);
    expect(feed(tr, 1250, 'in', echo('lb-1')).reply).toEqual({ toSeq: s.seq, rttMs: 250, outcome: 'echo', by: 'loopback' });
    expect(tr.pending()).toBe(0);
    // A second echo, or one for a message this client did not send, pairs with nothing.
    expect(feed(tr, 1300, 'in', echo('lb-1')).reply).toBeUndefined();
    expect(feed(tr, 1300, 'in', echo('someone-else')).reply).toBeUndefined();
  });

  it('pairs a SEND_MESSAGE_FAILED by loopback', () => {
    const tr = createSendTracker();
    const s = feed(tr, 10, 'out', send('lb-f'));
    expect(feed(tr, 40, 'in', failed('lb-f')).reply).toEqual({ toSeq: s.seq, rttMs: 30, outcome: 'failed', by: 'loopback', topicId: 'T1' });
    expect(tr.pending()).toBe(0);
  });

  it('pairs an ACK by ack id and namespace, in the opposite direction', () => {
    const tr = createSendTracker();
    const s = feed(tr, 0, 'out', send('lb-a', 7));
    expect(tr.pending()).toBe(2);
    expect(feed(tr, 5, 'in', { type: 'ACK', nsp: '/', id: 7, args: [] }).reply).toBeUndefined();
    expect(feed(tr, 5, 'out', { type: 'ACK', nsp: '/chat', id: 7, args: [] }).reply).toBeUndefined();
    expect(feed(tr, 9, 'in', { type: 'ACK', nsp: '/chat', id: 7, args: [true] }).reply).toEqual({
      toSeq: s.seq,
      rttMs: 9,
      outcome: 'ack',
      by: 'ack',
    });
    // The loopback pairing is still waiting for the echo.
    expect(tr.pending()).toBe(1);
    expect(feed(tr, 20, 'in', echo('lb-a')).reply).toEqual({ toSeq: s.seq, rttMs: 20, outcome: 'echo', by: 'loopback' });
  });

  it('pairs replies that arrive out of order', () => {
    const tr = createSendTracker();
    const a = feed(tr, 100, 'out', send('A'));
    const b = feed(tr, 200, 'out', send('B'));
    const c = feed(tr, 300, 'out', send('C'));
    expect(feed(tr, 400, 'in', echo('C')).reply).toEqual({ toSeq: c.seq, rttMs: 100, outcome: 'echo', by: 'loopback' });
    expect(feed(tr, 450, 'in', failed('A')).reply).toEqual({ toSeq: a.seq, rttMs: 350, outcome: 'failed', by: 'loopback', topicId: 'T1' });
    expect(feed(tr, 500, 'in', echo('B')).reply).toEqual({ toSeq: b.seq, rttMs: 300, outcome: 'echo', by: 'loopback' });
    expect(tr.pending()).toBe(0);
  });

  it('evicts the oldest pending request when full', () => {
    const tr = createSendTracker({ maxPending: 2 });
    feed(tr, 1, 'out', send('A'));
    const b = feed(tr, 2, 'out', send('B'));
    const c = feed(tr, 3, 'out', send('C'));
    expect(tr.pending()).toBe(2);
    expect(feed(tr, 4, 'in', echo('A')).reply).toBeUndefined();
    expect(feed(tr, 5, 'in', echo('C')).reply?.toSeq).toBe(c.seq);
    expect(feed(tr, 6, 'in', echo('B')).reply?.toSeq).toBe(b.seq);
  });

  it('forgets requests older than timeoutMs', () => {
    const tr = createSendTracker({ timeoutMs: 1000 });
    feed(tr, 0, 'out', send('A'));
    const b = feed(tr, 900, 'out', send('B'));
    expect(feed(tr, 1500, 'in', echo('A')).reply).toBeUndefined();
    expect(tr.pending()).toBe(1);
    expect(feed(tr, 1600, 'in', echo('B')).reply).toEqual({ toSeq: b.seq, rttMs: 700, outcome: 'echo', by: 'loopback' });
  });

  it('pairs SUBSCRIBE_CHANNEL with CHANNEL_SUBSCRIBED or SUBSCRIBE_CHANNEL_FAILED by channel id', () => {
    const tr = createSendTracker();
    const s1 = feed(tr, 0, 'out', event('SUBSCRIBE_CHANNEL', { channel: { _id: 'T1', type: 'topic', password: 'pw' } }));
    const s2 = feed(tr, 1, 'out', event('SUBSCRIBE_CHANNEL', { channel: { _id: 'T2', type: 'topic' } }));
    expect(feed(tr, 30, 'in', event('SUBSCRIBE_CHANNEL_FAILED', { channel: { _id: 'T2' }, error: 'no' })).reply).toEqual({
      toSeq: s2.seq,
      rttMs: 29,
      outcome: 'failed',
      by: 'channel',
    });
    expect(feed(tr, 40, 'in', event('CHANNEL_SUBSCRIBED', { channel: { _id: 'T1', type: 'topic' } })).reply).toEqual({
      toSeq: s1.seq,
      rttMs: 40,
      outcome: 'subscribed',
      by: 'channel',
    });
    expect(feed(tr, 50, 'in', event('CHANNEL_SUBSCRIBED', { channel: { _id: 'T1' } })).reply).toBeUndefined();
  });

  it('ignores requests seen in the wrong direction, and clear() forgets everything', () => {
    const tr = createSendTracker();
    feed(tr, 0, 'in', send('A'));
    expect(tr.pending()).toBe(0);
    feed(tr, 0, 'out', send('B', 1));
    expect(tr.pending()).toBe(2);
    tr.clear();
    expect(tr.pending()).toBe(0);
  });
});
