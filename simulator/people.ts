// The people scenario (issue #22, `?scenario=people`): in "Project Falcon", the page asks who is here,
// Vidas and Ann answer, a video meeting starts, both join it, Vidas types, a recording runs, the page
// calls Ann, who does not answer, then the meeting ends. Shapes follow public Spaces clients.
// `in` steps the server emits; `out` steps it hands to the page (SIM_PEOPLE_SEND), which sends them,
// so both directions are on the wire, the media send under its trailing-space name as one client sends it.
import { TOPICS, type JsonObject } from './scenario';

export interface PeopleStep {
  /** Wait before this step, ms. */
  delayMs: number;
  dir: 'in' | 'out';
  event: string;
  payload: JsonObject;
}

export const PEOPLE_TOPIC = TOPICS.falcon;
export const PEOPLE = {
  me: { _id: '5f04251caa4a347af9946e06', displayname: 'Test user', username: '', type: 'user', picture_url: '' },
  vidas: { _id: '5ef9b678aa4a347af983c74c', displayname: 'Vidas Andrijaitis', username: 'vidas@example.com', type: 'user', picture_url: '' },
  ann: { _id: '5ef9b678aa4a347af983c7a1', displayname: 'Ann Lee', username: 'ann@example.com', type: 'user', picture_url: '' },
} as const;
const SERVER = { _id: 'spaceserver', type: 'spaceserver', displayname: 'Spaces' };
export const MEETING_ID = '5f10aa00aa4a347af9946e99';
export const CALL_ID = '5f10cc00aa4a347af9946e42';
/** The page's event name for media-session sends, trailing space included. */
export const MEDIA_SEND_AS_SENT = 'SEND_MEDIA_SESSION_EVENTS ';

const BASE = Date.parse('2020-07-16T11:50:00.000Z');
const at = (seconds: number): string => new Date(BASE + seconds * 1000).toISOString();
const topicId = PEOPLE_TOPIC._id;

function presence(sender: JsonObject, category: string, content: JsonObject, receivers: string[] = []): JsonObject {
  return { category, topicId, content, receivers, sender, version: '1.1' };
}

function media(category: string, content: JsonObject, extra: JsonObject = {}): JsonObject {
  return { category, topicId, content, sender: SERVER, meetingId: MEETING_ID, ...extra };
}

const attendee = (p: { _id: string; displayname: string; username: string }): JsonObject => ({ _id: p._id, displayname: p.displayname, username: p.username });
const idle = { audio: false, video: false, connected: false, phone: false, selfMuted: false, screenshare: false };

export const PEOPLE_SCENARIO: readonly PeopleStep[] = [
  { delayMs: 50, dir: 'out', event: 'SEND_PRESENCE_EVENT', payload: { category: 'app.event.presence.request.parties', topicId, content: {}, version: '1.1', loopbackMetadata: 'presence-1' } },
  {
    delayMs: 80,
    dir: 'in',
    event: 'PRESENCE_EVENT_RESPONSE',
    payload: presence(PEOPLE.vidas, 'app.event.presence.party.online', { offline: false, idle: false, desktop: true, role: 'admin', subscribeTime: at(0), joinedSessionIds: [], sessionId: 'sess-vidas', mediaSession: idle }, [PEOPLE.me._id]),
  },
  {
    delayMs: 80,
    dir: 'in',
    event: 'PRESENCE_EVENT_RESPONSE',
    payload: presence(PEOPLE.ann, 'app.event.presence.party.online', { offline: false, idle: true, desktop: false, role: 'guest', subscribeTime: at(1), joinedSessionIds: [], sessionId: 'sess-ann', mediaSession: idle }, [PEOPLE.me._id]),
  },
  {
    delayMs: 80,
    dir: 'out',
    event: 'SEND_PRESENCE_EVENT',
    payload: { category: 'app.event.presence.party.online', topicId, content: { offline: false, idle: false, desktop: true, role: 'member', subscribeTime: at(2), joinedSessionIds: [], sessionId: 'sess-me' }, version: '1.1' },
  },
  { delayMs: 120, dir: 'in', event: 'MEDIA_SESSION_RESPONSE', payload: media('app.event.meeting.started', { mediaMode: 'video', meetingStatus: 'active', startTime: at(5), attendees: [], recordings: [] }) },
  { delayMs: 80, dir: 'in', event: 'MEDIA_SESSION_RESPONSE', payload: media('app.event.attendee.added', { attendee: attendee(PEOPLE.vidas) }) },
  {
    delayMs: 80,
    dir: 'in',
    event: 'PRESENCE_EVENT_RESPONSE',
    payload: presence(PEOPLE.vidas, 'app.event.presence.party.online', { offline: false, idle: false, desktop: true, role: 'admin', joinedSessionIds: [MEETING_ID], sessionId: 'sess-vidas', mediaSession: { ...idle, audio: true, video: true, connected: true, joinTime: at(6) } }),
  },
  {
    delayMs: 80,
    dir: 'in',
    event: 'PRESENCE_EVENT_RESPONSE',
    payload: presence(PEOPLE.ann, 'app.event.presence.party.online', { offline: false, idle: false, desktop: false, role: 'guest', joinedSessionIds: [], sessionId: 'sess-ann', mediaSession: idle }),
  },
  { delayMs: 80, dir: 'in', event: 'MEDIA_SESSION_RESPONSE', payload: media('app.event.attendee.added', { attendee: attendee(PEOPLE.ann) }) },
  { delayMs: 80, dir: 'in', event: 'MEDIA_SESSION_RESPONSE', payload: { category: 'tracksstatus', topicId, content: { mediaSession: { ...idle, audio: true, connected: true, selfMuted: true, phone: true, screenshare: false } }, sender: PEOPLE.ann, meetingId: MEETING_ID } },
  { delayMs: 80, dir: 'in', event: 'PRESENCE_EVENT_RESPONSE', payload: presence(PEOPLE.vidas, 'party.typing', {}) },
  { delayMs: 150, dir: 'in', event: 'PRESENCE_EVENT_RESPONSE', payload: presence(PEOPLE.vidas, 'party.typing', {}) },
  { delayMs: 80, dir: 'in', event: 'MEDIA_SESSION_RESPONSE', payload: media('app.event.recording.started', { recordings: [{ _id: 'rec-1' }] }) },
  {
    delayMs: 80,
    dir: 'out',
    event: MEDIA_SEND_AS_SENT,
    payload: { category: 'space.call.offer', topicId, content: { targetId: PEOPLE.ann._id, attendee: attendee(PEOPLE.ann), mediaMode: 'audio' }, spaceCallId: CALL_ID },
  },
  { delayMs: 80, dir: 'in', event: 'MEDIA_SESSION_RESPONSE', payload: { category: 'space.call.offer.sent', topicId, content: { targetId: PEOPLE.ann._id }, sender: SERVER, spaceCallId: CALL_ID } },
  { delayMs: 400, dir: 'in', event: 'MEDIA_SESSION_RESPONSE', payload: { category: 'space.call.not.answered', topicId, content: { targetId: PEOPLE.ann._id }, sender: SERVER, spaceCallId: CALL_ID } },
  { delayMs: 80, dir: 'in', event: 'MEDIA_SESSION_RESPONSE', payload: media('app.event.recording.stopped', { recordings: [{ _id: 'rec-1' }] }) },
  { delayMs: 80, dir: 'in', event: 'MEDIA_SESSION_RESPONSE', payload: media('app.event.attendee.left', { attendee: attendee(PEOPLE.ann) }) },
  { delayMs: 80, dir: 'in', event: 'MEDIA_SESSION_RESPONSE', payload: media('app.event.meeting.ended', { mediaMode: 'video', meetingStatus: 'inactive', startTime: at(5), endTime: at(40) }) },
];
