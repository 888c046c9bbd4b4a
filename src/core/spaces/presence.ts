// Presence and media-session events: SEND_PRESENCE_EVENT / PRESENCE_EVENT_RESPONSE and
// SEND_MEDIA_SESSION_EVENTS / MEDIA_SESSION_RESPONSE, as public Spaces clients send them (issue #22).
// One reader (`readSession`) narrows a payload to typed fields for both the list and the People and
// Meetings models; `checkSession` says where a payload leaves that contract (types, unknown categories
// and fields). Payloads come from the page: every shape is narrowed, nothing is assumed.
import * as v from 'valibot';
import type { JsonValue } from '../wire/types';
import { MAX_ISSUES, formatPath, kindOf } from './schema';
import { clip } from './text';
import type { SchemaIssue } from './types';

export const PRESENCE_EVENTS = ['SEND_PRESENCE_EVENT', 'PRESENCE_EVENT_RESPONSE'] as const;
export const MEDIA_EVENTS = ['SEND_MEDIA_SESSION_EVENTS', 'MEDIA_SESSION_RESPONSE'] as const;
export type SessionFamily = 'presence' | 'media';

export const PRESENCE_CATEGORIES = [
  'app.event.presence.party.online',
  'app.event.presence.party.leaves',
  'app.event.presence.request.parties',
  'party.typing',
  'media.session.invalid',
] as const;

export const CALL_CATEGORIES = [
  'space.call.offer',
  'space.call.offer.sent',
  'space.call.offer.accepted',
  'space.call.accepted',
  'space.call.rejected',
  'space.call.cancelled',
  'space.call.ended',
  'space.call.not.answered',
  'space.call.failed',
  'space.call.no.capability',
  'space.call.offer.failed',
] as const;

export const MEDIA_CATEGORIES = [
  'tracksstatus',
  // A misspelling clients send too.
  'trackstatus',
  'video.end',
  'app.event.meeting.started',
  'app.event.meeting.ended',
  'app.event.attendee.added',
  'app.event.attendee.left',
  'app.event.recording.started',
  'app.event.recording.stopped',
  'app.event.recording.ended',
  'app.event.all.parties.muted',
  'app.event.meeting.permission.requested',
  ...CALL_CATEGORIES,
] as const;

/** The family of a session event name, trimmed: one public client sends 'SEND_MEDIA_SESSION_EVENTS '. */
export function sessionFamily(event: string): SessionFamily | undefined {
  const name = event.trim();
  if ((PRESENCE_EVENTS as readonly string[]).includes(name)) return 'presence';
  if ((MEDIA_EVENTS as readonly string[]).includes(name)) return 'media';
  return undefined;
}

export function isSessionCategory(family: SessionFamily, category: string): boolean {
  return ((family === 'presence' ? PRESENCE_CATEGORIES : MEDIA_CATEGORIES) as readonly string[]).includes(category);
}

// ---- the contract ----

const str = v.optional(v.string());
const bool = v.optional(v.boolean());
const time = v.nullish(v.union([v.string(), v.number()]));
const role = v.picklist(['admin', 'member', 'guest'], (i) => `role must be admin, member or guest, got ${kindOf(i.input)}`);
const senderType = v.picklist(
  ['user', 'anonymous', 'phone', 'spaceserver'],
  (i) => `sender type must be user, anonymous, phone or spaceserver, got ${kindOf(i.input)}`,
);
const mediaMode = v.picklist(['audio', 'video'], (i) => `media mode must be audio or video, got ${kindOf(i.input)}`);
const meetingStatus = v.picklist(['active', 'inactive'], (i) => `meeting status must be active or inactive, got ${kindOf(i.input)}`);

const mediaSession = v.looseObject({
  audio: bool,
  video: bool,
  connected: bool,
  phone: bool,
  selfMuted: bool,
  screenshare: bool,
  joinTime: time,
  isCollabOnly: bool,
  mdsrvSessionId: str,
});

const person = v.looseObject({ _id: str, displayname: str, username: str });

const content = v.looseObject({
  offline: bool,
  idle: bool,
  desktop: bool,
  role: v.optional(role),
  subscribeTime: time,
  joinedSessionIds: v.optional(v.array(v.string())),
  sessionId: str,
  // Presence: {attendeeType, attendee}; meetings: {_id, displayname, username}.
  attendee: v.optional(v.looseObject({ attendeeType: str, attendee: v.optional(v.union([v.string(), person])), _id: str, displayname: str, username: str })),
  mediaSession: v.optional(mediaSession),
  streamId: str,
  endTime: time,
  virtualEndTime: time,
  mediaMode: v.optional(mediaMode),
  meetingStatus: v.optional(meetingStatus),
  attendees: v.optional(v.array(v.unknown())),
  startTime: time,
  recordings: v.optional(v.array(v.looseObject({ _id: str }))),
  exclude: v.optional(v.array(v.unknown())),
  targetId: str,
});

const payload = v.looseObject({
  category: v.string(),
  topicId: v.string(),
  content: v.optional(content),
  receivers: v.optional(v.array(v.string())),
  sender: v.optional(
    v.looseObject({ _id: str, type: v.optional(senderType), username: str, displayname: str, picture_url: str, phone_numbers: v.optional(v.array(v.unknown())) }),
  ),
  version: v.optional(v.literal('1.1', (i) => `version must be "1.1", got ${kindOf(i.input)}`)),
  loopbackMetadata: str,
  spaceCallId: str,
  meetingId: str,
});

/** Fields the clients' code and docs name, per object: anything else is flagged (never refused). */
const KNOWN_KEYS: Record<string, ReadonlySet<string>> = {
  '': new Set(['category', 'topicId', 'content', 'receivers', 'sender', 'version', 'loopbackMetadata', 'spaceCallId', 'meetingId']),
  content: new Set(Object.keys(content.entries)),
  'content.mediaSession': new Set(Object.keys(mediaSession.entries)),
  'content.attendee': new Set(['attendeeType', 'attendee', '_id', 'displayname', 'username']),
  sender: new Set(['_id', 'type', 'username', 'displayname', 'picture_url', 'phone_numbers']),
};

type Obj = { [key: string]: JsonValue };
const asObj = (x: JsonValue | undefined): Obj | undefined => (typeof x === 'object' && x !== null && !Array.isArray(x) ? x : undefined);
const field = (o: Obj | undefined, key: string): JsonValue | undefined => (o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined);

function unknownFields(p: Obj, issues: SchemaIssue[]): void {
  for (const [path, known] of Object.entries(KNOWN_KEYS)) {
    let o: Obj | undefined = p;
    for (const key of path ? path.split('.') : []) o = asObj(field(o, key));
    if (!o) continue;
    for (const key of Object.keys(o)) {
      if (issues.length >= MAX_ISSUES) return;
      if (!known.has(key)) issues.push({ path: path ? `${path}.${clip(key, 40)}` : clip(key, 40), message: 'unknown field' });
    }
  }
}

/**
 * Checks a presence or media-session payload: types of the documented fields, an unknown category,
 * unknown fields. Issue paths are relative to the payload.
 */
export function checkSession(family: SessionFamily, first: JsonValue | undefined): SchemaIssue[] {
  const p = asObj(first);
  if (!p) return [{ path: '', message: `expected an object, got ${kindOf(first)}` }];
  const result = v.safeParse(payload, p);
  const issues: SchemaIssue[] = result.success
    ? []
    : result.issues.slice(0, MAX_ISSUES).map((i) => ({
        path: formatPath(i.path),
        message: i.kind === 'schema' && i.input === undefined ? 'required, missing' : i.message.startsWith('Invalid') ? `expected ${i.expected ?? 'another type'}, got ${kindOf(i.input)}` : i.message,
      }));
  const category = field(p, 'category');
  if (typeof category === 'string' && !isSessionCategory(family, category)) {
    issues.push({ path: 'category', message: `unknown ${family === 'presence' ? 'presence' : 'media session'} category` });
  }
  unknownFields(p, issues);
  return issues.slice(0, MAX_ISSUES);
}

// ---- the typed reading ----

export interface MediaState {
  audio?: boolean;
  video?: boolean;
  connected?: boolean;
  phone?: boolean;
  selfMuted?: boolean;
  screenshare?: boolean;
  joinTime?: string | number;
  isCollabOnly?: boolean;
}

export interface Party {
  id?: string;
  name?: string;
  type?: string;
}

/** What the models and the list read of one session payload; every field as sent, when of its type. */
export interface SessionPayload {
  category?: string;
  topicId?: string;
  sender?: Party;
  receivers: string[];
  offline?: boolean;
  idle?: boolean;
  desktop?: boolean;
  role?: string;
  sessionId?: string;
  media?: MediaState;
  /** Presence `attendee.attendee`, or a meeting's `attendee`. */
  attendee?: Party;
  attendees: Party[];
  mediaMode?: string;
  meetingStatus?: string;
  startTime?: string | number;
  endTime?: string | number;
  recordings: string[];
  targetId?: string;
  spaceCallId?: string;
  meetingId?: string;
}

const MAX_ID = 256;
const MAX_NAME = 80;
const MAX_LIST = 200;

function text(o: Obj | undefined, key: string, max = MAX_ID): string | undefined {
  const x = field(o, key);
  return typeof x === 'string' ? clip(x, max) : undefined;
}
function flag(o: Obj | undefined, key: string): boolean | undefined {
  const x = field(o, key);
  return typeof x === 'boolean' ? x : undefined;
}
function when(o: Obj | undefined, key: string): string | number | undefined {
  const x = field(o, key);
  return typeof x === 'string' ? clip(x, MAX_NAME) : typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

function partyOf(x: JsonValue | undefined): Party | undefined {
  if (typeof x === 'string') return { id: clip(x, MAX_ID) };
  const o = asObj(x);
  if (!o) return undefined;
  const p: Party = {};
  const id = text(o, '_id');
  const name = text(o, 'displayname', MAX_NAME) || text(o, 'username', MAX_NAME);
  const type = text(o, 'type', MAX_NAME);
  if (id !== undefined) p.id = id;
  if (name) p.name = name;
  if (type !== undefined) p.type = type;
  return Object.keys(p).length ? p : undefined;
}

function mediaOf(x: JsonValue | undefined): MediaState | undefined {
  const o = asObj(x);
  if (!o) return undefined;
  const m: MediaState = {};
  for (const key of ['audio', 'video', 'connected', 'phone', 'selfMuted', 'screenshare', 'isCollabOnly'] as const) {
    const b = flag(o, key);
    if (b !== undefined) m[key] = b;
  }
  const join = when(o, 'joinTime');
  if (join !== undefined) m.joinTime = join;
  return m;
}

function set<K extends keyof SessionPayload>(out: SessionPayload, key: K, value: SessionPayload[K] | undefined): void {
  if (value !== undefined) out[key] = value;
}

export function readSession(first: JsonValue | undefined): SessionPayload {
  const p = asObj(first);
  const c = asObj(field(p, 'content'));
  const out: SessionPayload = { receivers: [], attendees: [], recordings: [] };
  set(out, 'category', text(p, 'category', MAX_NAME));
  set(out, 'topicId', text(p, 'topicId'));
  set(out, 'sender', partyOf(field(p, 'sender')));
  const receivers = field(p, 'receivers');
  if (Array.isArray(receivers)) out.receivers = receivers.slice(0, MAX_LIST).flatMap((r) => (typeof r === 'string' ? [clip(r, MAX_ID)] : []));
  set(out, 'offline', flag(c, 'offline'));
  set(out, 'idle', flag(c, 'idle'));
  set(out, 'desktop', flag(c, 'desktop'));
  set(out, 'role', text(c, 'role', MAX_NAME));
  set(out, 'sessionId', text(c, 'sessionId'));
  set(out, 'media', mediaOf(field(c, 'mediaSession')));
  const attendee = asObj(field(c, 'attendee'));
  set(out, 'attendee', field(attendee, 'attendee') !== undefined ? partyOf(field(attendee, 'attendee')) : partyOf(attendee));
  const attendees = field(c, 'attendees');
  if (Array.isArray(attendees)) out.attendees = attendees.slice(0, MAX_LIST).flatMap((a) => partyOf(a) ?? []);
  set(out, 'mediaMode', text(c, 'mediaMode', MAX_NAME));
  set(out, 'meetingStatus', text(c, 'meetingStatus', MAX_NAME));
  set(out, 'startTime', when(c, 'startTime'));
  set(out, 'endTime', when(c, 'endTime'));
  const recordings = field(c, 'recordings');
  if (Array.isArray(recordings)) out.recordings = recordings.slice(0, MAX_LIST).flatMap((r) => text(asObj(r), '_id') ?? []);
  set(out, 'targetId', text(c, 'targetId'));
  set(out, 'spaceCallId', text(p, 'spaceCallId'));
  set(out, 'meetingId', text(p, 'meetingId'));
  return out;
}

// ---- one line for the list ----

/** "Vidas", or "You" for what this page sends without a sender. */
export function whoOf(s: SessionPayload, outgoing: boolean): string {
  return s.sender?.name ?? s.sender?.id ?? (outgoing ? 'You' : 'Someone');
}

/** Media flags in words: "audio, video, screen share, muted, phone". */
export function mediaWords(m: MediaState | undefined): string {
  if (!m) return '';
  const on: string[] = [];
  if (m.audio) on.push('audio');
  if (m.video) on.push('video');
  if (m.screenshare) on.push('screen share');
  if (m.selfMuted) on.push('muted');
  if (m.phone) on.push('phone');
  return on.join(', ');
}

const CALL_WORDS: Record<string, string> = {
  'space.call.offer.accepted': 'call offer accepted',
  'space.call.accepted': 'call accepted',
  'space.call.rejected': 'call rejected',
  'space.call.cancelled': 'call cancelled',
  'space.call.ended': 'call ended',
  'space.call.not.answered': 'call not answered',
  'space.call.failed': 'call failed',
  'space.call.no.capability': 'call impossible: no capability',
  'space.call.offer.failed': 'call offer failed',
};

/** "Vidas is typing", "call offered to Ann", "meeting started · video". */
export function sessionSummary(s: SessionPayload, outgoing: boolean): string {
  const who = whoOf(s, outgoing);
  const is = who === 'You' ? 'are' : 'is';
  const target = s.attendee?.name ?? s.attendee?.id ?? s.targetId;
  switch (s.category) {
    case 'party.typing':
      return `${who} ${is} typing`;
    case 'app.event.presence.party.online': {
      const state = s.offline ? 'offline' : s.idle ? 'idle' : 'online';
      return [`${who} ${is} ${state}`, s.role, mediaWords(s.media)].filter(Boolean).join(' · ') + (s.receivers.length ? ` (to ${s.receivers.length})` : '');
    }
    case 'app.event.presence.party.leaves':
      return `${who} left`;
    case 'app.event.presence.request.parties':
      return `${who} ${who === 'You' ? 'ask' : 'asks'} who is here`;
    case 'media.session.invalid':
      return `media session invalid${s.sender ? ` for ${who}` : ''}`;
    case 'tracksstatus':
    case 'trackstatus':
      return `${who}: ${mediaWords(s.media) || 'no tracks'}`;
    case 'video.end':
      return `${who} ended video`;
    case 'app.event.meeting.started':
      return ['meeting started', s.mediaMode].filter(Boolean).join(' · ');
    case 'app.event.meeting.ended':
      return 'meeting ended';
    case 'app.event.attendee.added':
      return `${target ?? who} joined the meeting`;
    case 'app.event.attendee.left':
      return `${target ?? who} left the meeting`;
    case 'app.event.recording.started':
      return 'recording started';
    case 'app.event.recording.stopped':
      return 'recording stopped';
    case 'app.event.recording.ended':
      return 'recording ended';
    case 'app.event.all.parties.muted':
      return `everyone muted by ${who}`;
    case 'app.event.meeting.permission.requested':
      return `${who} ${who === 'You' ? 'ask' : 'asks'} permission`;
    case 'space.call.offer':
    case 'space.call.offer.sent':
      return `call offered${target ? ` to ${target}` : ''}`;
    default: {
      const words = s.category === undefined ? undefined : CALL_WORDS[s.category];
      if (words) return words;
      return s.category ?? '(no category)';
    }
  }
}
