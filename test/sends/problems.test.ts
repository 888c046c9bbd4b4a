import { describe, expect, it } from 'vitest';
import { PanelStore } from '../../src/panel/store/state';
import { PROBLEM_KINDS, problemCounts, registerProblemKind } from '../../src/panel/store/problems';
import { sendMark } from '../../src/panel/store/sends';
import { Summarizer, summaryText } from '../../src/core/log/summary';
import { FORBIDDEN, TOPIC_A, TOPIC_B, capture, echo, failed, named, send } from './helpers';

const session = () =>
  capture([
    [900, 'out', 'SUBSCRIBE_CHANNEL', { channel: { _id: TOPIC_A, type: 'topic' } }],
    [910, 'in', 'CHANNEL_SUBSCRIBED', { channel: { _id: TOPIC_A, type: 'topic' } }],
    [1_000, 'out', 'SEND_MESSAGE', send(TOPIC_A, '<p>ok</p>', 'lb-1')],
    [1_020, 'in', 'MESSAGE_SENT', echo(TOPIC_A, '<p>ok</p>', 'lb-1')],
    [1_100, 'out', 'SEND_MESSAGE', send(FORBIDDEN, '<p>no</p>', 'lb-2')],
    [1_130, 'in', 'SEND_MESSAGE_FAILED', failed('You are not a member of this space', 'lb-2')],
    [1_200, 'out', 'SEND_MESSAGE', send(TOPIC_B, '<p>void</p>', 'lb-3')],
    [1_300, 'out', 'SUBSCRIBE_CHANNEL', { channel: { _id: 'nope', type: 'topic' } }],
    [1_310, 'in', 'SUBSCRIBE_CHANNEL_FAILED', { channel: { _id: 'nope', type: 'topic' }, error: 'Topic not found' }],
    // a schema warning: a MESSAGE_SENT whose category is not a string
    [1_400, 'in', 'MESSAGE_SENT', { ...echo(TOPIC_A, '<p>odd</p>'), category: 7 }],
  ]);

describe('problem kinds in the panel store', () => {
  it('lists a failed send with its failure under the topic of the send, and marks the rows', () => {
    const store = new PanelStore();
    store.receive(session(), false);
    store.setFilters({ topic: FORBIDDEN });
    const shown = store.visibleEvents().map((e) => e.spaces?.event);
    expect(shown).toEqual(['SEND_MESSAGE', 'SEND_MESSAGE_FAILED']);
    expect(store.groups.topic(FORBIDDEN)?.problems).toBe(1);
    const req = store.at(0)!;
    expect(sendMark(store.sends, req)).toMatchObject({ text: '✖ failed: You are not a member of this space', level: 'error' });
  });

  it('counts each kind, names it, and "Only problems" shows every kind or one', () => {
    const store = new PanelStore();
    store.receive(session(), false);
    store.tickProblems(5_000, 120_000, 10_000);
    const names = () => problemCounts(store.problemContext).map((k) => k.text);
    expect(names()).toEqual(['1 failed send', '1 failed subscription', '1 schema']);
    store.setFilters({ problems: true });
    const events = () => store.visibleEvents().map((e) => e.spaces?.event);
    expect(events()).toEqual(['SEND_MESSAGE', 'SEND_MESSAGE_FAILED', 'SUBSCRIBE_CHANNEL_FAILED', 'MESSAGE_SENT']);
    // the send to TOPIC_B is flagged once the clock passes its threshold, and the list follows
    store.tickProblems(11_201, 120_000, 10_000);
    expect(names()).toEqual(['1 failed send', '1 unanswered', '1 failed subscription', '1 schema']);
    expect(events()).toEqual(['SEND_MESSAGE', 'SEND_MESSAGE_FAILED', 'SEND_MESSAGE', 'SUBSCRIBE_CHANNEL_FAILED', 'MESSAGE_SENT']);
    store.setFilters({ kind: 'send-unanswered' });
    expect(store.visibleEvents().map((e) => e.spaces?.topicId)).toEqual([TOPIC_B]);
    expect(sendMark(store.sends, store.at(0)!)?.text).toBe('◷ no answer after 10 s');
    store.setFilters({ kind: 'schema' });
    expect(events()).toEqual(['MESSAGE_SENT']);
  });

  it('takes a new kind with one entry (as the connections view will)', () => {
    const store = new PanelStore();
    const evs = session();
    store.receive(evs, false);
    const before = PROBLEM_KINDS.length;
    registerProblemKind({ id: 'test-subscribe', label: (n) => `${n} test`, count: () => 2, has: (ev) => ev.spaces?.event === 'SUBSCRIBE_CHANNEL' });
    try {
      expect(problemCounts(store.problemContext).map((k) => k.text)).toContain('2 test');
      store.setFilters({ problems: true, kind: 'test-subscribe' });
      expect(store.visibleEvents().map((e) => e.seq)).toEqual(named(evs, 'SUBSCRIBE_CHANNEL').map((e) => e.seq));
    } finally {
      PROBLEM_KINDS.splice(before);
    }
  });
});

describe('log summarize', () => {
  it('has the sends: answered, failed, unanswered and the round trip, overall and per topic', () => {
    const s = new Summarizer();
    for (const e of session()) s.add(e);
    const r = s.result(20_000);
    expect(r.sends).toEqual({ ok: 1, failed: 1, waiting: 0, unanswered: 1, roundTrip: { p50: 20, p95: 20, n: 1 } });
    expect(r.topics.find((t) => t.topicId === FORBIDDEN)?.sends).toMatchObject({ failed: 1 });
    expect(r.topics.find((t) => t.topicId === TOPIC_B)?.sends).toMatchObject({ unanswered: 1 });
    const text = summaryText(r);
    expect(text).toContain('sends: ✓ 1 answered · ✖ 1 failed · ◷ 1 unanswered · round trip p50 20 ms / p95 20 ms');
  });
});
