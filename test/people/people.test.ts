import { describe, expect, it } from 'vitest';
import { MAX_PER_TOPIC, MAX_TOPICS, SessionIndex, TYPING_MS, meetingsAt, peopleAt, type SessionObs } from '../../src/core/people';
import { PanelStore } from '../../src/panel/store/state';
import { describeEvent } from '../../src/core/spaces/describe';
import type { CapturedEvent } from '../../src/core/model/event';
import type { JsonValue } from '../../src/core/wire/types';
import { CALL_ID, MEETING_ID, PEOPLE, PEOPLE_SCENARIO, PEOPLE_TOPIC } from '../../simulator/people';

const T0 = 1_600_000_000_000;
const TOPIC = PEOPLE_TOPIC._id;

function captured(seq: number, t: number, dir: 'in' | 'out', name: string, payload: JsonValue): CapturedEvent {
  const packet = { type: 'EVENT' as const, nsp: '/chat', event: name, args: [payload] };
  return {
    seq,
    record: { kind: 'socket', conn: 1, t, dir, transport: 'websocket', raw: { text: '', length: 0, truncated: false }, packet },
    spaces: describeEvent(packet, dir),
  };
}

/** The simulator's people scenario, at the times its delays give. */
function scenario(): { index: SessionIndex; times: number[] } {
  const index = new SessionIndex();
  const times: number[] = [];
  let t = T0;
  PEOPLE_SCENARIO.forEach((step, i) => {
    t += step.delayMs;
    times.push(t);
    index.add(captured(i + 1, t, step.dir, step.event, step.payload));
  });
  return { index, times };
}

const typing = (who: { _id: string; displayname: string }): JsonValue => ({ category: 'party.typing', topicId: TOPIC, sender: { _id: who._id, displayname: who.displayname, type: 'user' } });

describe('SessionIndex', () => {
  it('keeps presence and media events per topic, ignoring the rest', () => {
    const { index } = scenario();
    expect(index.topics()).toEqual([TOPIC]);
    expect(index.of(TOPIC)).toHaveLength(PEOPLE_SCENARIO.length);
    const other = new SessionIndex();
    other.add(captured(1, T0, 'in', 'MESSAGE_SENT', { category: 'chat', topicId: TOPIC }));
    other.add(captured(2, T0, 'in', 'PRESENCE_EVENT_RESPONSE', { category: 'party.typing' }));
    expect(other.topics()).toEqual([]);
    expect(other.revision).toBe(0);
  });
});

describe('SessionIndex bounds and the panel store', () => {
  it('keeps the newest MAX_PER_TOPIC events of a topic and counts the rest; forgets the least recent topics beyond MAX_TOPICS', () => {
    const idx = new SessionIndex();
    for (let i = 1; i <= MAX_PER_TOPIC + 3; i++) idx.add(captured(i, T0 + i, 'in', 'PRESENCE_EVENT_RESPONSE', typing(PEOPLE.vidas)));
    expect(idx.of(TOPIC)).toHaveLength(MAX_PER_TOPIC);
    expect(idx.of(TOPIC)[0]?.seq).toBe(4);
    expect(idx.droppedOf(TOPIC)).toBe(3);
    for (let i = 0; i < MAX_TOPICS; i++) idx.add(captured(10_000 + i, T0, 'in', 'PRESENCE_EVENT_RESPONSE', { category: 'party.typing', topicId: `topic-${i}` }));
    expect(idx.topics()).toHaveLength(MAX_TOPICS);
    expect(idx.of(TOPIC)).toEqual([]);
  });

  it('the panel store feeds it every event it appends, and a clear empties it', () => {
    const store = new PanelStore();
    store.receive(PEOPLE_SCENARIO.map((step, i) => captured(i + 1, T0 + i, step.dir, step.event, step.payload)), false);
    expect(store.sessions.of(TOPIC)).toHaveLength(PEOPLE_SCENARIO.length);
    store.clear();
    expect(store.sessions.topics()).toEqual([]);
  });
});

describe('peopleAt', () => {
  it('the scenario at its end: who is online, idle, their roles and media', () => {
    const { index, times } = scenario();
    const state = peopleAt(index.of(TOPIC), times.at(-1)!);
    const byName = Object.fromEntries(state.people.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(['Ann Lee', 'Vidas Andrijaitis', 'You']);
    expect(byName['Vidas Andrijaitis']).toMatchObject({ state: 'online', role: 'admin', media: { audio: true, video: true, connected: true } });
    expect(byName['Ann Lee']).toMatchObject({ state: 'online', role: 'guest', media: { audio: true, selfMuted: true, phone: true } });
    expect(byName.You).toMatchObject({ state: 'online', role: 'member', key: '' });
    // Vidas typed ~1 s before the end: typing shows for TYPING_MS after the last party.typing
    expect(times.at(-1)! - times[11]!).toBeLessThan(TYPING_MS);
    expect(byName['Vidas Andrijaitis']?.typingSince).toBe(times[10]);
    expect(state.problems).toEqual([]);
  });

  it('replays any moment: before the answers, idle Ann, typing, and typing expired', () => {
    const { index, times } = scenario();
    const obs = index.of(TOPIC);
    expect(peopleAt(obs, times[0]!).people.map((p) => [p.name, p.state])).toEqual([['You', 'offline']]);
    const atAnn = peopleAt(obs, times[2]!);
    expect(atAnn.people.find((p) => p.name === 'Ann Lee')?.state).toBe('idle');
    expect(atAnn.people.find((p) => p.name === 'Vidas Andrijaitis')?.typingSince).toBeUndefined();
    expect(peopleAt(obs, times[10]!).people.find((p) => p.name === 'Vidas Andrijaitis')?.typingSince).toBe(times[10]);
    const later = peopleAt(obs, times[11]! + TYPING_MS + 1);
    expect(later.people.find((p) => p.name === 'Vidas Andrijaitis')?.typingSince).toBeUndefined();
    expect(later.history.filter((h) => h.name === 'Vidas Andrijaitis').map((h) => h.what)).toEqual(['joined', 'audio on, video on', 'started typing', 'stopped typing']);
    expect(later.history.find((h) => h.what === 'stopped typing')?.t).toBe(times[11]! + TYPING_MS);
    expect(later.history.filter((h) => h.name === 'Ann Lee').map((h) => h.what)).toEqual(['joined (idle)', 'is back', 'audio on, muted, joined by phone']);
  });

  it('a new typing run after a pause starts again; a leave ends typing; offline and media.session.invalid', () => {
    const vidas = PEOPLE.vidas;
    const obs: SessionObs[] = [];
    const add = (t: number, payload: JsonValue): void => {
      const idx = new SessionIndex();
      idx.add(captured(obs.length + 1, t, 'in', 'PRESENCE_EVENT_RESPONSE', payload));
      obs.push(...idx.of(TOPIC));
    };
    add(T0, typing(vidas));
    add(T0 + TYPING_MS + 10, typing(vidas));
    expect(peopleAt(obs, T0 + TYPING_MS + 20).people[0]?.typingSince).toBe(T0 + TYPING_MS + 10);
    add(T0 + TYPING_MS + 30, { category: 'app.event.presence.party.leaves', topicId: TOPIC, sender: { _id: vidas._id, displayname: 'V' } });
    const left = peopleAt(obs, T0 + TYPING_MS + 40);
    expect(left.people[0]).toMatchObject({ name: 'V', state: 'offline', leftAt: T0 + TYPING_MS + 30 });
    expect(left.people[0]?.typingSince).toBeUndefined();
    expect(left.history.map((h) => h.what)).toEqual(['started typing', 'stopped typing', 'started typing', 'left']);
    add(T0 + 50_000, { category: 'media.session.invalid', topicId: TOPIC });
    expect(peopleAt(obs, T0 + 60_000).problems.map((p) => p.text)).toEqual(['media session invalid']);
  });
});

describe('meetingsAt', () => {
  it('the scenario: one video meeting, two attendees, a recording, and a call not answered', () => {
    const { index, times } = scenario();
    const state = meetingsAt(index.of(TOPIC), times.at(-1)!);
    expect(state.meetings).toHaveLength(1);
    const m = state.meetings[0]!;
    expect(m).toMatchObject({ id: MEETING_ID, start: times[4], end: times.at(-1), mediaMode: 'video', problems: [] });
    expect(m.attendees).toEqual([
      { name: 'Vidas Andrijaitis', id: PEOPLE.vidas._id, joinedAt: times[5], leftAt: times.at(-1), present: true },
      { name: 'Ann Lee', id: PEOPLE.ann._id, joinedAt: times[8], leftAt: times[17], present: false },
    ]);
    expect(m.recordings).toEqual([{ id: 'rec-1', start: times[12], stop: times[16], seq: 13 }]);
    expect(state.calls).toEqual([
      { id: CALL_ID, offeredAt: times[13], offerSeq: 14, from: 'You', to: 'Ann Lee', outcome: 'not answered', outcomeCategory: 'space.call.not.answered', ms: times[15]! - times[13]!, problem: `not answered after ${times[15]! - times[13]!} ms` },
    ]);
    expect(state.problems.map((p) => p.text)).toEqual([`call to Ann Lee: not answered after ${times[15]! - times[13]!} ms`]);
  });

  it('mid-scenario: the meeting has no end yet, the call rings, the recording runs', () => {
    const { index, times } = scenario();
    const state = meetingsAt(index.of(TOPIC), times[14]!);
    expect(state.meetings[0]?.end).toBeUndefined();
    expect(state.meetings[0]?.problems).toEqual(['no end seen']);
    expect(state.meetings[0]?.recordings[0]?.stop).toBeUndefined();
    expect(state.calls[0]).toMatchObject({ to: 'Ann Lee' });
    expect(state.calls[0]?.outcome).toBeUndefined();
    expect(state.calls[0]?.problem).toBeUndefined();
    expect(meetingsAt(index.of(TOPIC), times[13]! + 61_000).calls[0]?.outcome).toBe('not answered');
  });

  it('problems: a recording never stopped, an offer never answered, a meeting begun before the capture', () => {
    const idx = new SessionIndex();
    let seq = 0;
    const add = (t: number, payload: Record<string, JsonValue>): void => idx.add(captured(++seq, t, 'in', 'MEDIA_SESSION_RESPONSE', { topicId: TOPIC, ...payload }));
    add(T0, { category: 'app.event.attendee.added', content: { attendee: { _id: 'a', displayname: 'Ann' } } });
    add(T0 + 10, { category: 'app.event.recording.started', content: { recordings: [{ _id: 'r' }] } });
    add(T0 + 20, { category: 'app.event.all.parties.muted', sender: { _id: 'v', displayname: 'Vidas' } });
    add(T0 + 30, { category: 'app.event.meeting.permission.requested', sender: { _id: 'a', displayname: 'Ann' } });
    add(T0 + 40, { category: 'app.event.meeting.ended' });
    add(T0 + 50, { category: 'space.call.offer', content: { targetId: 't9' }, spaceCallId: 'c9' });
    add(T0 + 60, { category: 'space.call.offer', content: { targetId: 't8' }, spaceCallId: 'c8' });
    add(T0 + 90, { category: 'space.call.accepted', spaceCallId: 'c8' });
    const state = meetingsAt(idx.of(TOPIC), T0 + 100_000);
    expect(state.meetings[0]?.problems).toEqual(['started before the capture', 'a recording never stopped']);
    expect(state.meetings[0]?.entries.map((e) => e.text)).toEqual(['Ann joined', 'recording started', 'everyone muted by Vidas', 'Ann asked permission', 'meeting ended']);
    expect(state.calls.map((c) => [c.to, c.outcome, c.ms, c.problem])).toEqual([
      ['t9', undefined, undefined, 'no answer seen'],
      ['t8', 'accepted', 30, undefined],
    ]);
    expect(state.problems.map((p) => p.text)).toEqual(['meeting: started before the capture', 'meeting: a recording never stopped', 'call to t9: no answer seen']);
  });
});
