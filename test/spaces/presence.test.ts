import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/core/spaces/describe';
import { MEDIA_CATEGORIES, PRESENCE_CATEGORIES, checkSession, readSession } from '../../src/core/spaces/presence';
import { createConnectionDecoder } from '../../src/core/wire/decoder';
import type { JsonValue } from '../../src/core/wire/types';
import { event } from './fixtures';

const TOPIC = '5f06c25e574ca36b54cb4cdf';
const VIDAS = { _id: '5ef9b678aa4a347af983c74c', type: 'user', username: 'vidas@example.com', displayname: 'Vidas', picture_url: '', phone_numbers: [] };
const SERVER = { _id: 'spaceserver', type: 'spaceserver' };

const online = {
  category: 'app.event.presence.party.online',
  topicId: TOPIC,
  content: {
    offline: false,
    idle: true,
    desktop: true,
    role: 'admin',
    subscribeTime: '2020-07-16T11:40:00.000Z',
    joinedSessionIds: ['s1'],
    sessionId: 's2',
    attendee: { attendeeType: 'user', attendee: VIDAS._id },
    mediaSession: { audio: true, video: false, connected: true, phone: false, selfMuted: true, screenshare: true, joinTime: 1594899600000 },
  },
  receivers: ['5f04251caa4a347af9946e06'],
  sender: VIDAS,
  version: '1.1',
  loopbackMetadata: 'lb-9',
};

const started = {
  category: 'app.event.meeting.started',
  topicId: TOPIC,
  content: {
    mediaSession: { audio: true, video: true, isCollabOnly: false, mdsrvSessionId: 'md-1' },
    streamId: 'st-1',
    subscribeTime: null,
    endTime: null,
    virtualEndTime: null,
    mediaMode: 'video',
    meetingStatus: 'active',
    attendees: [],
    attendee: { _id: VIDAS._id, displayname: 'Vidas', username: 'vidas@example.com' },
    startTime: '2020-07-16T11:40:00.000Z',
    recordings: [{ _id: 'rec-1' }],
    exclude: [],
    targetId: 'x',
  },
  sender: SERVER,
  spaceCallId: 'c1',
  meetingId: 'm1',
};

const ev = (name: string, payload: JsonValue, dir: 'in' | 'out' = 'in') => describeEvent(event(name, payload), dir);

describe('presence and media-session events', () => {
  it('accepts every documented field with its type, and attributes the event to its topic', () => {
    expect(checkSession('presence', online)).toEqual([]);
    expect(checkSession('media', started)).toEqual([]);
    const info = ev('PRESENCE_EVENT_RESPONSE', online);
    expect(info).toMatchObject({ event: 'PRESENCE_EVENT_RESPONSE', known: true, category: online.category, knownCategory: true, topicId: TOPIC, issues: [] });
    expect(info.sender).toMatchObject({ id: VIDAS._id, displayName: 'Vidas', type: 'user' });
    expect(info.summary).toBe('Vidas is idle · admin · audio, screen share, muted (to 1)');
  });

  it('knows every category the issue lists', () => {
    for (const c of PRESENCE_CATEGORIES) expect(checkSession('presence', { category: c, topicId: TOPIC })).toEqual([]);
    for (const c of MEDIA_CATEGORIES) expect(checkSession('media', { category: c, topicId: TOPIC })).toEqual([]);
    expect(MEDIA_CATEGORIES).toContain('trackstatus');
    expect(MEDIA_CATEGORIES).toHaveLength(12 + 11);
  });

  it('warns of unknown categories, unknown fields and wrong types, never quoting a value', () => {
    const issues = checkSession('presence', {
      category: 'party.dancing',
      topicId: TOPIC,
      extra: 'secret-ish',
      content: { role: 'owner', idle: 'yes', mediaSession: { audio: 1, hologram: true } },
      sender: { type: 'robot', shoe: 1 },
      version: '2',
    });
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['category', 'extra', 'content.role', 'content.idle', 'content.mediaSession.audio', 'content.mediaSession.hologram', 'sender.type', 'sender.shoe', 'version']),
    );
    expect(issues.find((i) => i.path === 'category')?.message).toBe('unknown presence category');
    expect(issues.find((i) => i.path === 'extra')?.message).toBe('unknown field');
    expect(issues.find((i) => i.path === 'content.role')?.message).toMatch(/admin, member or guest/);
    expect(JSON.stringify(issues)).not.toContain('secret-ish');
    const info = ev('SEND_PRESENCE_EVENT', { category: 'party.dancing', topicId: TOPIC }, 'out');
    expect(info.knownCategory).toBe(false);
    expect(checkSession('media', { category: 'app.event.meeting.started' })).toEqual([{ path: 'topicId', message: 'required, missing' }]);
    expect(checkSession('media', 'x')).toEqual([{ path: '', message: 'expected an object, got a string' }]);
  });

  it('shows the trailing-space event name as sent, and flags it', () => {
    const info = ev('SEND_MEDIA_SESSION_EVENTS ', { category: 'space.call.offer', topicId: TOPIC, content: { attendee: { _id: 'a', displayname: 'Ann' } }, spaceCallId: 'c1' }, 'out');
    expect(info.event).toBe('SEND_MEDIA_SESSION_EVENTS ');
    expect(info.known).toBe(true);
    expect(info.summary).toBe('call offered to Ann');
    expect(info.topicId).toBe(TOPIC);
    expect(info.issues).toEqual([{ path: '', message: 'the event name has spaces around it: "SEND_MEDIA_SESSION_EVENTS "' }]);
    expect(ev('SEND_MEDIA_SESSION_EVENTS', { category: 'space.call.offer', topicId: TOPIC }, 'out').issues).toEqual([]);
  });

  it('says which way each goes', () => {
    expect(ev('SEND_PRESENCE_EVENT', { category: 'party.typing', topicId: TOPIC }, 'in').issues.map((i) => i.message)).toEqual([
      'SEND_PRESENCE_EVENT is sent by the client, but came from the server',
    ]);
    expect(ev('MEDIA_SESSION_RESPONSE', started, 'out').issues.map((i) => i.message)).toEqual(['MEDIA_SESSION_RESPONSE is sent by the server, but came from the client']);
  });

  it.each([
    ['PRESENCE_EVENT_RESPONSE', { category: 'party.typing', topicId: TOPIC, sender: VIDAS }, 'in', 'Vidas is typing'],
    ['SEND_PRESENCE_EVENT', { category: 'party.typing', topicId: TOPIC }, 'out', 'You are typing'],
    ['PRESENCE_EVENT_RESPONSE', { category: 'app.event.presence.party.leaves', topicId: TOPIC, sender: VIDAS }, 'in', 'Vidas left'],
    ['SEND_PRESENCE_EVENT', { category: 'app.event.presence.request.parties', topicId: TOPIC }, 'out', 'You ask who is here'],
    ['PRESENCE_EVENT_RESPONSE', { category: 'media.session.invalid', topicId: TOPIC }, 'in', 'media session invalid'],
    ['MEDIA_SESSION_RESPONSE', started, 'in', 'meeting started · video'],
    ['MEDIA_SESSION_RESPONSE', { category: 'app.event.attendee.added', topicId: TOPIC, content: { attendee: { _id: 'a', displayname: 'Ann' } }, sender: SERVER }, 'in', 'Ann joined the meeting'],
    ['MEDIA_SESSION_RESPONSE', { category: 'tracksstatus', topicId: TOPIC, content: { mediaSession: { audio: true, phone: true } }, sender: VIDAS }, 'in', 'Vidas: audio, phone'],
    ['MEDIA_SESSION_RESPONSE', { category: 'space.call.not.answered', topicId: TOPIC, spaceCallId: 'c1' }, 'in', 'call not answered'],
    ['MEDIA_SESSION_RESPONSE', { category: 'app.event.all.parties.muted', topicId: TOPIC, sender: VIDAS }, 'in', 'everyone muted by Vidas'],
  ] as const)('%s %j reads "%s"', (name, payload, dir, summary) => {
    expect(ev(name, payload, dir).summary).toBe(summary);
  });

  it('reads the typed fields the models use, and drops wrong types', () => {
    const s = readSession(started);
    expect(s).toMatchObject({ category: 'app.event.meeting.started', topicId: TOPIC, mediaMode: 'video', meetingStatus: 'active', recordings: ['rec-1'], spaceCallId: 'c1', meetingId: 'm1', targetId: 'x' });
    expect(s.attendee).toEqual({ id: VIDAS._id, name: 'Vidas' });
    const p = readSession(online);
    expect(p).toMatchObject({ idle: true, offline: false, role: 'admin', receivers: ['5f04251caa4a347af9946e06'], attendee: { id: VIDAS._id } });
    expect(p.media).toEqual({ audio: true, video: false, connected: true, phone: false, selfMuted: true, screenshare: true, joinTime: 1594899600000 });
    expect(readSession({ content: { idle: 'yes', mediaSession: { audio: 'on' } }, receivers: [1, 'a'] })).toMatchObject({ receivers: ['a'], media: {} });
  });
});

describe('channel and send-failure fields', () => {
  it('SEND_MESSAGE_FAILED type app.event.channel.subscription.required', () => {
    const info = ev('SEND_MESSAGE_FAILED', { type: 'app.event.channel.subscription.required', topicId: TOPIC, loopbackMetadata: 'lb-1' });
    expect(info.summary).toBe('failed: channel subscription required');
    expect(info.topicId).toBe(TOPIC);
  });

  it('CHANNEL_SUBSCRIBED dtsid and sessionId; SUBSCRIBE_CHANNEL version "1.1" and a password only marked', () => {
    expect(ev('CHANNEL_SUBSCRIBED', { channel: { _id: TOPIC, type: 'topic' }, dtsid: '7', sessionId: 'sess-1' }).summary).toBe(`topic ${TOPIC} · dtsid 7 · session sess-1`);
    const sub = ev('SUBSCRIBE_CHANNEL', { channel: { _id: TOPIC, type: 'topic', password: 'hunter2' }, version: '1.1' }, 'out');
    expect(sub.summary).toBe(`topic ${TOPIC} with password · version 1.1`);
    expect(sub.channel).toEqual({ id: TOPIC, type: 'topic', password: '[redacted]' });
    expect(JSON.stringify(sub)).not.toContain('hunter2');
  });

  it('a SUBSCRIBE_CHANNEL channel.password never reaches the stored record', () => {
    const d = createConnectionDecoder({ conn: 1, url: 'wss://h/socket.io/?EIO=3&transport=websocket', transport: 'websocket' });
    const [r] = d.push({ t: 0, dir: 'out', data: `42/chat,["SUBSCRIBE_CHANNEL",{"channel":{"_id":"${TOPIC}","type":"topic","password":"hunter2"},"version":"1.1"}]` });
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(r?.kind === 'socket' && r.packet.args[0]).toEqual({ channel: { _id: TOPIC, type: 'topic', password: '[redacted]' }, version: '1.1' });
  });
});
