import { describe, expect, it } from 'vitest';
import { SendOutcomes, outcomeText, quantile } from '../../src/core/spaces/outcomes';
import { createSendTracker } from '../../src/core/spaces/pairing';
import { describeEvent } from '../../src/core/spaces/describe';
import { FORBIDDEN, TOPIC_A, TOPIC_B, capture, echo, failed, named, send } from './helpers';

describe('pairing sends', () => {
  it('pairs k6-style sends (no loopbackMetadata) by topic, category and content, and says so', () => {
    const evs = capture([
      [100, 'out', 'SEND_MESSAGE', send(TOPIC_A, '<p>one</p>')],
      [110, 'out', 'SEND_MESSAGE', send(TOPIC_B, '<p>two</p>')],
      // answered out of order, and an echo of someone else's message pairs with nothing
      [150, 'in', 'MESSAGE_SENT', echo(TOPIC_B, '<p>two</p>')],
      [160, 'in', 'MESSAGE_SENT', echo(TOPIC_A, '<p>not mine</p>')],
      [170, 'in', 'MESSAGE_SENT', echo(TOPIC_A, '<p>one</p>')],
    ]);
    const [s1, s2] = named(evs, 'SEND_MESSAGE');
    const [e2, other, e1] = named(evs, 'MESSAGE_SENT');
    expect(e2!.spaces?.reply).toEqual({ toSeq: s2!.seq, rttMs: 40, outcome: 'echo', by: 'content' });
    expect(other!.spaces?.reply).toBeUndefined();
    expect(e1!.spaces?.reply).toEqual({ toSeq: s1!.seq, rttMs: 70, outcome: 'echo', by: 'content' });
  });

  it('pairs a failure without loopback with the oldest unanswered send without loopback, and gives it that topic', () => {
    const evs = capture([
      [100, 'out', 'SEND_MESSAGE', send(TOPIC_A, '<p>echoed</p>')],
      [120, 'in', 'MESSAGE_SENT', echo(TOPIC_A, '<p>echoed</p>')],
      [130, 'out', 'SEND_MESSAGE', send(FORBIDDEN, '<p>refused</p>')],
      [140, 'in', 'SEND_MESSAGE_FAILED', failed('You are not a member of this space')],
    ]);
    const [, refused] = named(evs, 'SEND_MESSAGE');
    const [f] = named(evs, 'SEND_MESSAGE_FAILED');
    expect(f!.spaces?.reply).toEqual({ toSeq: refused!.seq, rttMs: 10, outcome: 'failed', by: 'order', topicId: FORBIDDEN });
    expect(f!.spaces?.topicId).toBe(FORBIDDEN);
  });

  it('gives a failure paired by loopback the topic of its send', () => {
    const evs = capture([
      [100, 'out', 'SEND_MESSAGE', send(FORBIDDEN, '<p>x</p>', 'lb-9')],
      [125, 'in', 'SEND_MESSAGE_FAILED', failed('denied', 'lb-9')],
    ]);
    const f = named(evs, 'SEND_MESSAGE_FAILED')[0]!;
    expect(f.spaces?.topicId).toBe(FORBIDDEN);
    expect(f.spaces?.reply).toMatchObject({ outcome: 'failed', by: 'loopback' });
  });

  it('counts the requests it forgets unanswered (too old, or beyond its bound), once each', () => {
    const tr = createSendTracker({ maxPending: 2, timeoutMs: 1000 });
    let seq = 0;
    const feed = (t: number, dir: 'in' | 'out', name: string, payload: Parameters<typeof send>[0] extends string ? ReturnType<typeof send> : never, id?: number) => {
      const packet = { type: 'EVENT' as const, nsp: '/chat', event: name, args: [payload], ...(id === undefined ? {} : { id }) };
      return tr.observe({ seq: ++seq, t, dir, packet, spaces: describeEvent(packet, dir) });
    };
    feed(0, 'out', 'SEND_MESSAGE', send(TOPIC_A, 'a', 'A'));
    feed(1, 'out', 'SEND_MESSAGE', send(TOPIC_A, 'b', 'B'));
    feed(2, 'out', 'SEND_MESSAGE', send(TOPIC_A, 'c', 'C'));
    expect(tr.forgotten()).toBe(1); // A, beyond the bound
    expect(feed(5000, 'in', 'MESSAGE_SENT', echo(TOPIC_A, 'b', 'B'))).toBeUndefined();
    expect(tr.forgotten()).toBe(3); // B and C, too old
    // A send answered by its ack whose echo never comes is not forgotten unanswered.
    feed(6000, 'out', 'SEND_MESSAGE', send(TOPIC_A, 'd', 'D'), 4);
    expect(tr.observe({ seq: ++seq, t: 6001, dir: 'in', packet: { type: 'ACK', nsp: '/chat', id: 4, args: [] }, spaces: { event: '', known: false, summary: '', issues: [] } })).toMatchObject({ outcome: 'ack' });
    feed(9000, 'out', 'SEND_MESSAGE', send(TOPIC_A, 'e', 'E'));
    expect(tr.forgotten()).toBe(3);
  });
});

describe('SendOutcomes', () => {
  const play = () =>
    capture([
      [1_000, 'out', 'SEND_MESSAGE', send(TOPIC_A, '<p>ok</p>', 'lb-1')],
      [1_020, 'in', 'MESSAGE_SENT', echo(TOPIC_A, '<p>ok</p>', 'lb-1')],
      [1_100, 'out', 'SEND_MESSAGE', send(FORBIDDEN, '<p>no</p>', 'lb-2')],
      [1_130, 'in', 'SEND_MESSAGE_FAILED', failed('You are not a member of this space', 'lb-2')],
      [1_200, 'out', 'SEND_MESSAGE', send(TOPIC_B, '<p>void</p>', 'lb-3')],
      [1_300, 'out', 'SEND_MESSAGE', send(TOPIC_A, '<p>k6</p>')],
      [1_360, 'in', 'MESSAGE_SENT', echo(TOPIC_A, '<p>k6</p>')],
    ]);

  it('gives each send its outcome, and flags the unanswered one once the threshold passed on the clock given', () => {
    const o = new SendOutcomes(10_000);
    const evs = play().map((e) => o.add(e));
    const [ok, no, silent, k6] = named(evs, 'SEND_MESSAGE');
    expect(o.get(ok!.seq)?.state).toBe('ok');
    expect(outcomeText(o.get(ok!.seq)!, o.thresholdMs)).toBe('✓ echoed in 20 ms');
    expect(outcomeText(o.get(no!.seq)!, o.thresholdMs)).toBe('✖ failed: You are not a member of this space');
    expect(outcomeText(o.get(k6!.seq)!, o.thresholdMs)).toBe('✓ echoed in 60 ms · paired by content');
    expect(outcomeText(o.get(silent!.seq)!, o.thresholdMs)).toBe('◷ no answer yet');
    expect(o.counts()).toEqual({ ok: 2, failed: 1, waiting: 1, unanswered: 0 });
    expect(o.advance(11_200)).toBe(false); // exactly the threshold: not yet
    expect(o.advance(11_201)).toBe(true);
    expect(outcomeText(o.get(silent!.seq)!, o.thresholdMs)).toBe('◷ no answer after 10 s');
    expect(o.counts()).toEqual({ ok: 2, failed: 1, waiting: 0, unanswered: 1 });
    expect(o.counts(TOPIC_B)).toEqual({ ok: 0, failed: 0, waiting: 0, unanswered: 1 });
    // The failure counts in the topic of its send.
    expect(o.counts(FORBIDDEN)).toEqual({ ok: 0, failed: 1, waiting: 0, unanswered: 0 });
    // A longer threshold judges it again.
    o.setThreshold(60_000);
    expect(o.counts()).toMatchObject({ waiting: 1, unanswered: 0 });
  });

  it('never lets an unanswered send leave silently: evicted beyond its bound, it stays counted', () => {
    const o = new SendOutcomes(10_000, 2);
    for (const e of play()) o.add(e);
    // Three records kept at most two: the oldest (answered) went; then the waiting ones are pushed out.
    expect(o.counts().ok + o.counts().failed + o.counts().waiting + o.counts().unanswered).toBe(4);
    const more = capture([
      [5_000, 'out', 'SEND_MESSAGE', send(TOPIC_A, 'x', 'x1')],
      [5_001, 'out', 'SEND_MESSAGE', send(TOPIC_A, 'y', 'x2')],
    ]).map((e) => ({ ...e, seq: e.seq + 100 }));
    for (const e of more) o.add(e);
    expect(o.forgotten).toBe(1); // the silent send to TOPIC_B
    expect(o.counts()).toEqual({ ok: 2, failed: 1, waiting: 2, unanswered: 1 });
  });

  it('has round-trip p50 / p95 per topic and overall', () => {
    const o = new SendOutcomes();
    for (const e of play()) o.add(e);
    expect(o.roundTrip()).toEqual({ p50: 20, p95: 60, n: 2 });
    expect(o.roundTrip(TOPIC_A)).toEqual({ p50: 20, p95: 60, n: 2 });
    expect(o.roundTrip(TOPIC_B)).toBeUndefined();
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(sorted, 0.5)).toBe(50);
    expect(quantile(sorted, 0.95)).toBe(95);
    expect(quantile([7], 0.95)).toBe(7);
  });

  it('gives a failure from an older log (no topic, no reply topicId) the topic of its send', () => {
    const o = new SendOutcomes();
    const evs = play().map((e) => {
      const s = e.spaces;
      if (s?.event !== 'SEND_MESSAGE_FAILED') return e;
      const { topicId: _t, ...reply } = s.reply!;
      const { topicId: _u, ...rest } = s;
      return { ...e, spaces: { ...rest, reply } };
    });
    const f = evs.map((e) => o.add(e)).find((e) => e.spaces?.event === 'SEND_MESSAGE_FAILED')!;
    expect(f.spaces?.topicId).toBe(FORBIDDEN);
  });
});

describe('attachment clocks', () => {
  it("sets the server's convertStart beside when the status was seen, with the skew", async () => {
    const { AttachmentTracker, convertStartSkew } = await import('../../src/core/attachments');
    const { describeEvent } = await import('../../src/core/spaces/describe');
    const seen = Date.parse('2020-07-16T11:40:10.000Z');
    const payload = { _id: 'm1', category: 'chat', topicId: TOPIC_A, content: { bodyText: 'x', data: [{ fileId: 'f1', name: 'a.png', convertStatus: 1, convertStart: '2020-07-16T11:40:06.000Z' }] } };
    const packet = { type: 'EVENT' as const, nsp: '/chat', event: 'MESSAGE_SENT', args: [payload] };
    const tr = new AttachmentTracker();
    tr.add({ seq: 1, record: { kind: 'socket', conn: 1, t: seen, dir: 'in', transport: 'websocket', raw: { text: '', length: 0, truncated: false }, packet }, spaces: describeEvent(packet, 'in') });
    expect(convertStartSkew(tr.file('f1')!)).toEqual({ convertStart: seen - 4000, seenAt: seen, skewMs: 4000 });
  });
});
