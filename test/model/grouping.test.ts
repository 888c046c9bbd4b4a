import { describe, expect, it } from 'vitest';
import type { CapturedEvent } from '../../src/core/model/event';
import type { Direction, JsonValue, SocketPacket } from '../../src/core/wire/types';
import { describeEvent } from '../../src/core/spaces';
import { Grouping, NO_TOPIC, OTHER_CATEGORY, isProblem } from '../../src/core/model/grouping';
import { SCENARIO, TOPICS, UNKNOWN_TOPIC_ID } from '../../simulator/scenario';

let seq = 0;
function event(name: string, args: JsonValue[], dir: Direction = 'in', t = 1000 + seq): CapturedEvent {
  const packet: SocketPacket = { type: 'EVENT', nsp: '/', event: name, args };
  const text = `42${JSON.stringify([name, ...args])}`;
  return {
    seq: ++seq,
    record: { kind: 'socket', conn: 1, t, dir, transport: 'websocket', raw: { text, length: text.length, truncated: false }, packet },
    spaces: describeEvent(packet, dir),
  };
}

const decodeError = (): CapturedEvent => ({
  seq: ++seq,
  record: { kind: 'error', conn: 1, t: 5, dir: 'in', transport: 'websocket', raw: { text: '4Z', length: 2, truncated: false }, error: 'bad' },
});

describe('Grouping', () => {
  it('groups the simulator scenario by topic and category, with titles, types, members and archive status', () => {
    const g = new Grouping();
    for (const step of SCENARIO) g.add(event(step.event, [step.payload]));
    const falcon = g.topic(TOPICS.falcon._id)!;
    expect(falcon.title).toBe('Project Falcon');
    expect(falcon.type).toBe('group');
    const falconCount = SCENARIO.filter((s) => s.payload.topicId === TOPICS.falcon._id).length;
    expect(falcon.count).toBe(falconCount);
    expect(falcon.categories.get('chat')!.count).toBe(2);
    // An undocumented category keeps its own group, marked unknown.
    expect(falcon.categories.get('app.event.reaction.added')).toMatchObject({ count: 1, known: false });
    // The retro space was renamed and archived by topic.updated, whose content lists 2 members.
    const retro = g.topic(TOPICS.retro._id)!;
    expect(retro).toMatchObject({ title: 'Q3 retrospective', members: 2, archived: true, count: 2 });
    expect(g.topic(TOPICS.joined._id)).toMatchObject({ title: 'Design reviews', members: 2, archived: false });
    // Every event is counted once.
    const total = g.topics().reduce((a, t) => a + t.count, 0);
    expect(total).toBe(SCENARIO.length);
    for (const t of g.topics()) expect([...t.categories.values()].reduce((a, c) => a + c.count, 0)).toBe(t.count);
    // Across topics: every category of the scenario, with its count.
    const byCategory = new Map<string, number>();
    for (const s of SCENARIO) byCategory.set(String(s.payload.category), (byCategory.get(String(s.payload.category)) ?? 0) + 1);
    expect(new Map(g.categories(null).map((c) => [c.key, c.count]))).toEqual(byCategory);
  });

  it('gives unknown topics, topic-less events and category-less events a home', () => {
    const g = new Grouping();
    g.add(event('SUBSCRIBE_CHANNEL', [{ channel: { _id: UNKNOWN_TOPIC_ID, type: 'topic' } }], 'out'));
    g.add(event('SUBSCRIBE_CHANNEL_FAILED', [{ channel: { _id: UNKNOWN_TOPIC_ID, type: 'topic' }, error: 'no such topic' }]));
    g.add(event('GET_UNREAD_COUNT', [{}], 'out'));
    g.add(decodeError());
    const unknown = g.topic(UNKNOWN_TOPIC_ID)!;
    expect(unknown.title).toBeUndefined();
    expect(unknown).toMatchObject({ count: 2, problems: 1 });
    expect(unknown.categories.get(OTHER_CATEGORY)!.count).toBe(2);
    expect(g.topic(NO_TOPIC)).toMatchObject({ count: 2, problems: 1 });
    // "No topic" sorts last whatever its activity.
    expect(g.topics().at(-1)!.key).toBe(NO_TOPIC);
  });

  it('learns a title from one event and keeps it for events that carry only the id', () => {
    const g = new Grouping();
    g.add(event('SEND_MESSAGE', [{ category: 'chat', topicId: TOPICS.release._id, content: { bodyText: 'x' } }], 'out'));
    expect(g.titleOf(TOPICS.release._id)).toBeUndefined();
    g.add(event('MESSAGE_SENT', [{ _id: 'm1', category: 'chat', topicId: TOPICS.release._id, topicTitle: 'Release planning', content: { bodyText: 'x' } }]));
    g.add(event('SEND_MESSAGE', [{ category: 'chat', topicId: TOPICS.release._id, content: { bodyText: 'y' } }], 'out'));
    expect(g.titleOf(TOPICS.release._id)).toBe('Release planning');
    expect(g.topic(TOPICS.release._id)!.count).toBe(3);
  });

  it('counts problems: decode errors, schema issues, send failures', () => {
    expect(isProblem(decodeError())).toBe(true);
    expect(isProblem(event('SEND_MESSAGE_FAILED', [{ error: 'nope' }]))).toBe(true);
    expect(isProblem(event('MESSAGE_SENT', [{ category: 'chat', content: 7 }]))).toBe(true);
    expect(isProblem(event('MESSAGE_SENT', [SCENARIO[0]!.payload]))).toBe(false);
  });

  it('remove() undoes add() and drops empty groups; last activity orders topics', () => {
    const g = new Grouping();
    const a = event('MESSAGE_SENT', [{ ...SCENARIO[0]!.payload }], 'in', 100);
    const b = event('MESSAGE_SENT', [{ ...SCENARIO[1]!.payload }], 'in', 200);
    g.add(a);
    g.add(b);
    expect(g.topics().map((t) => t.key)).toEqual([TOPICS.direct._id, TOPICS.falcon._id]);
    g.remove(a);
    expect(g.topic(TOPICS.falcon._id)).toBeUndefined();
    expect(g.categories(null)).toMatchObject([{ key: 'chat', count: 1 }]);
    expect(g.size).toBe(1);
    g.clear();
    expect(g.size).toBe(0);
  });

  // Timings are in the panel benchmark; this checks the counts at that scale.
  it('takes 100,000 events across 500 topics', { timeout: 60_000 }, () => {
    const events: CapturedEvent[] = [];
    for (let i = 0; i < 100_000; i++) {
      events.push(
        event('MESSAGE_SENT', [{ _id: `m${i}`, category: i % 7 === 0 ? 'idea' : 'chat', topicId: `topic-${i % 500}`, topicTitle: `Topic ${i % 500}`, content: { bodyText: 'hi' } }]),
      );
    }
    const g = new Grouping();
    for (const ev of events) g.add(ev);
    expect(g.size).toBe(500);
    expect(g.topic('topic-7')).toMatchObject({ count: 200, title: 'Topic 7' });
    // topic-0 holds i = 0, 500, 1000, …: one in seven of them (multiples of 3500) is an idea.
    expect(g.categories('topic-0').map((c) => [c.key, c.count])).toEqual([['chat', 171], ['idea', 29]]);
  });
});
