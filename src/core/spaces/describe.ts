// Describes one Socket.IO packet as Spaces: event, category, topic, item, sender, one-line summary, issues.
// Arguments come from the page: every shape is narrowed here, nothing is assumed.
import type { Direction, JsonValue, SocketPacket } from '../wire/types';
import { TOPIC_CATEGORIES, checkPayload, isKnownCategory, kindOf, type PayloadMode } from './schema';
import { checkSession, readSession, sessionFamily, sessionSummary, type SessionFamily } from './presence';
import { clip, plainText, preview } from './text';
import type { ChannelInfo, SchemaIssue, SenderInfo, SpacesInfo } from './types';

/** The Spaces socket events this layer describes (`known: true`). */
export const SPACES_EVENTS = [
  'SUBSCRIBE_CHANNEL',
  'CHANNEL_SUBSCRIBED',
  'SUBSCRIBE_CHANNEL_FAILED',
  'UNSUBSCRIBE_CHANNEL',
  'CHANNEL_UNSUBSCRIBED',
  'SEND_MESSAGE',
  'MESSAGE_SENT',
  'SEND_MESSAGE_FAILED',
  'SEND_PRESENCE_EVENT',
  'SEND_MEDIA_SESSION_EVENTS',
  'PRESENCE_EVENT_RESPONSE',
  'MEDIA_SESSION_RESPONSE',
] as const;
export type SpacesEventName = (typeof SPACES_EVENTS)[number];

export function isSpacesEvent(name: string): name is SpacesEventName {
  return (SPACES_EVENTS as readonly string[]).includes(name);
}

const FROM_CLIENT: ReadonlySet<string> = new Set([
  'SUBSCRIBE_CHANNEL',
  'UNSUBSCRIBE_CHANNEL',
  'SEND_MESSAGE',
  'SEND_PRESENCE_EVENT',
  'SEND_MEDIA_SESSION_EVENTS',
]);
const FROM_SERVER: ReadonlySet<string> = new Set([
  'CHANNEL_SUBSCRIBED',
  'SUBSCRIBE_CHANNEL_FAILED',
  'CHANNEL_UNSUBSCRIBED',
  'MESSAGE_SENT',
  'SEND_MESSAGE_FAILED',
  'PRESENCE_EVENT_RESPONSE',
  'MEDIA_SESSION_RESPONSE',
]);

const MAX_SUMMARY = 200;
const MAX_ID = 256;
const MAX_NAME = 80;
/** Loopback metadata is matched exactly (after this cut) to pair a send with its echo. */
const MAX_LOOPBACK = 512;

type Obj = { [key: string]: JsonValue };

function asObj(x: JsonValue | undefined): Obj | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? x : undefined;
}

function field(o: Obj | undefined, key: string): JsonValue | undefined {
  return o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
}

function text(o: Obj | undefined, key: string, max = MAX_ID): string | undefined {
  const x = field(o, key);
  return typeof x === 'string' ? clip(x, max) : undefined;
}

function senderOf(x: JsonValue | undefined): SenderInfo | undefined {
  const o = asObj(x);
  if (!o) return undefined;
  const s: SenderInfo = {};
  const id = text(o, '_id');
  const displayName = text(o, 'displayname', MAX_NAME);
  const username = text(o, 'username', MAX_NAME);
  const type = text(o, 'type', MAX_NAME);
  const pictureUrl = text(o, 'picture_url', 2048);
  if (id !== undefined) s.id = id;
  if (displayName !== undefined) s.displayName = displayName;
  if (username !== undefined) s.username = username;
  if (type !== undefined) s.type = type;
  if (pictureUrl !== undefined) s.pictureUrl = pictureUrl;
  return Object.keys(s).length ? s : undefined;
}

/** Error text of a failure payload: a string, or `error` / `message` / `reason` (string or `{message}`). */
function errorOf(x: JsonValue | undefined): string | undefined {
  if (typeof x === 'string') return clip(x, MAX_SUMMARY);
  const o = asObj(x);
  for (const key of ['error', 'message', 'reason']) {
    const v = field(o, key);
    if (typeof v === 'string') return clip(v, MAX_SUMMARY);
    const nested = text(asObj(v), 'message', MAX_SUMMARY);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

function quoted(s: string): string {
  return `"${s}"`;
}

function itemSummary(category: string | undefined, payload: Obj | undefined, content: Obj | undefined, sender?: SenderInfo) {
  let s = category ?? '(no category)';
  const body = plainText(text(content, 'bodyText', 4000) ?? '') || plainText(text(content, 'description', 4000) ?? '');
  if (body) s += ` ${quoted(body)}`;
  const status = text(content, 'status', 40);
  if (status) s += ` ${status}`;
  const data = field(content, 'data');
  const files = Array.isArray(data) ? data.length : 0;
  if (files) s += `, ${files} file${files === 1 ? '' : 's'}`;
  const parent = asObj(field(payload, 'parentMsg'));
  if (parent) s += ` in ${text(parent, 'category', 40) ?? 'a post'}`;
  const who = sender?.displayName || sender?.username || sender?.id;
  if (who) s += ` by ${who}`;
  return s;
}

function topicSummary(category: string, info: SpacesInfo, content: Obj | undefined): string {
  const name = info.topicTitle ? quoted(clip(info.topicTitle, 60)) : (info.topicId ?? '');
  if (category === 'app.event.user.topic.preference.updated') {
    const flags: string[] = [];
    const pinned = field(content, 'isPinned');
    const notification = field(content, 'notification');
    if (typeof pinned === 'boolean') flags.push(pinned ? 'pinned' : 'unpinned');
    if (typeof notification === 'boolean') flags.push(notification ? 'notifications on' : 'notifications off');
    return `${category} ${flags.length ? flags.join(', ') : name}`.trim();
  }
  const archived = field(content, 'status') === 1 ? ' archived' : '';
  return `${category} ${name}${archived}`.trim();
}

/** MESSAGE_SENT (received) and SEND_MESSAGE (send): the documented payload. */
function describeMessage(info: SpacesInfo, first: JsonValue | undefined, mode: PayloadMode): void {
  const p = asObj(first);
  info.issues.push(...checkPayload(first, mode));
  const category = text(p, 'category', MAX_NAME);
  const content = asObj(field(p, 'content'));
  const topicEvent = category !== undefined && TOPIC_CATEGORIES.has(category);
  if (category !== undefined) {
    info.category = category;
    info.knownCategory = isKnownCategory(category);
  }
  const topicId = text(p, 'topicId') ?? (topicEvent ? text(content, '_id') : undefined);
  const topicTitle = (topicEvent ? text(content, 'title', MAX_SUMMARY) : undefined) ?? text(p, 'topicTitle', MAX_SUMMARY);
  const topicType = (topicEvent ? text(content, 'type', MAX_NAME) : undefined) ?? text(p, 'topicType', MAX_NAME);
  const itemId = topicEvent ? (topicId ?? text(content, '_id')) : (text(p, '_id') ?? text(p, 'messageId'));
  const sender = senderOf(field(p, 'sender'));
  const loopback = text(p, 'loopbackMetadata', MAX_LOOPBACK);
  if (topicId !== undefined) info.topicId = topicId;
  if (topicTitle !== undefined) info.topicTitle = topicTitle;
  if (topicType !== undefined) info.topicType = topicType;
  if (itemId !== undefined) info.itemId = itemId;
  if (sender) info.sender = sender;
  if (loopback !== undefined) info.loopback = loopback;
  info.summary =
    topicEvent && category !== undefined
      ? topicSummary(category, info, content)
      : p
        ? itemSummary(category, p, content, sender)
        : preview(first);
}

function describeSendFailed(info: SpacesInfo, first: JsonValue | undefined): void {
  const p = asObj(first);
  const loopback = text(p, 'loopbackMetadata', MAX_LOOPBACK);
  const category = text(p, 'category', MAX_NAME);
  const topicId = text(p, 'topicId');
  const error = errorOf(first);
  // `type: app.event.channel.subscription.required`: sent to a topic the socket is not subscribed to.
  const type = text(p, 'type', MAX_NAME);
  if (loopback !== undefined) info.loopback = loopback;
  if (category !== undefined) {
    info.category = category;
    info.knownCategory = isKnownCategory(category);
  }
  if (topicId !== undefined) info.topicId = topicId;
  if (error !== undefined) info.error = error;
  const why = error ?? (type === 'app.event.channel.subscription.required' ? 'channel subscription required' : type);
  info.summary = `failed${why ? `: ${why}` : ''}${category ? ` (${category})` : ''}`;
}

/** `{channel: {_id, type, password?}}`; replies may carry the channel itself. The password is only marked. */
function describeChannel(info: SpacesInfo, first: JsonValue | undefined, request: boolean): void {
  const p = asObj(first);
  const wrapped = field(p, 'channel');
  const c = asObj(wrapped) ?? (request ? undefined : p);
  if (request) {
    if (!p) info.issues.push({ path: '', message: `expected an object, got ${kindOf(first)}` });
    else if (!asObj(wrapped)) info.issues.push({ path: 'channel', message: `expected an object, got ${kindOf(wrapped)}` });
    else if (typeof field(c, '_id') !== 'string') {
      info.issues.push({ path: 'channel._id', message: `expected a string, got ${kindOf(field(c, '_id'))}` });
    }
  }
  const channel: ChannelInfo = {};
  const id = text(c, '_id');
  const type = text(c, 'type', MAX_NAME);
  const password = field(c, 'password');
  if (id !== undefined) channel.id = id;
  if (type !== undefined) channel.type = type;
  if (password !== undefined && password !== null) channel.password = '[redacted]';
  if (Object.keys(channel).length) info.channel = channel;
  if (id !== undefined && (type === undefined || type === 'topic')) info.topicId = id;
  const error = request ? undefined : errorOf(first);
  if (error !== undefined) info.error = error;
  // CHANNEL_SUBSCRIBED may carry `dtsid` and `sessionId`; SUBSCRIBE_CHANNEL `version: "1.1"`.
  const extra = [
    text(p, 'version', MAX_NAME) && `version ${text(p, 'version', MAX_NAME)}`,
    text(p, 'dtsid', MAX_NAME) && `dtsid ${text(p, 'dtsid', MAX_NAME)}`,
    text(p, 'sessionId') && `session ${text(p, 'sessionId')}`,
  ].filter(Boolean);
  info.summary =
    `${type ?? 'channel'} ${id ?? '?'}` +
    (channel.password ? ' with password' : '') +
    (extra.length ? ` · ${extra.join(' · ')}` : '') +
    (error ? `: ${error}` : '');
}

/** Presence and media-session events (presence.ts): `{category, topicId, content, sender, …}`. */
function describeSession(info: SpacesInfo, first: JsonValue | undefined, family: SessionFamily, dir: Direction): void {
  const s = readSession(first);
  info.issues.push(...checkSession(family, first));
  if (s.category !== undefined) {
    info.category = s.category;
    info.knownCategory = !info.issues.some((i) => i.path === 'category');
  }
  if (s.topicId !== undefined) info.topicId = s.topicId;
  const sender = senderOf(field(asObj(first), 'sender'));
  if (sender) info.sender = sender;
  const loopback = text(asObj(first), 'loopbackMetadata', MAX_LOOPBACK);
  if (loopback !== undefined) info.loopback = loopback;
  info.summary = asObj(first) ? sessionSummary(s, dir === 'out') : preview(first);
}

/**
 * Describes an EVENT / BINARY_EVENT (and, generically, any other packet). Never throws, never drops
 * an event, and never returns a secret: a channel password is only marked "[redacted]", and
 * previews of unknown arguments redact secret-looking keys.
 */
export function describeEvent(packet: SocketPacket, dir: Direction): SpacesInfo {
  const args: JsonValue[] = Array.isArray(packet.args) ? packet.args : [];
  if (packet.type !== 'EVENT' && packet.type !== 'BINARY_EVENT') {
    const isAck = packet.type === 'ACK' || packet.type === 'BINARY_ACK';
    const head = isAck ? `ack ${typeof packet.id === 'number' ? packet.id : '?'}` : `${packet.type} ${packet.nsp}`;
    const body = isAck ? preview(args) : packet.data === undefined ? '' : preview(packet.data);
    return { event: '', known: false, summary: clip(`${head} ${body}`.trim(), MAX_SUMMARY), issues: [] };
  }
  const event = typeof packet.event === 'string' ? clip(packet.event, MAX_NAME) : '';
  const family = sessionFamily(event);
  const known = isSpacesEvent(event) || family !== undefined;
  const info: SpacesInfo = { event, known, summary: '', issues: [] };
  const first = args[0];
  // Shown as sent; one public client emits 'SEND_MEDIA_SESSION_EVENTS ' with a trailing space.
  if (family && event !== event.trim()) info.issues.push({ path: '', message: `the event name has spaces around it: "${event}"` });
  switch (family ? event.trim() : event) {
    case 'MESSAGE_SENT':
      describeMessage(info, first, 'received');
      break;
    case 'SEND_MESSAGE':
      describeMessage(info, first, 'send');
      break;
    case 'SEND_MESSAGE_FAILED':
      describeSendFailed(info, first);
      break;
    case 'SUBSCRIBE_CHANNEL':
    case 'UNSUBSCRIBE_CHANNEL':
      describeChannel(info, first, true);
      break;
    case 'CHANNEL_SUBSCRIBED':
    case 'SUBSCRIBE_CHANNEL_FAILED':
    case 'CHANNEL_UNSUBSCRIBED':
      describeChannel(info, first, false);
      break;
    case 'SEND_PRESENCE_EVENT':
    case 'PRESENCE_EVENT_RESPONSE':
    case 'SEND_MEDIA_SESSION_EVENTS':
    case 'MEDIA_SESSION_RESPONSE':
      describeSession(info, first, family!, dir);
      break;
    default:
      info.summary = args.length ? preview(args.length === 1 ? first : args) : '(no arguments)';
  }
  const name = family ? event.trim() : event;
  const wrongWay: SchemaIssue | undefined =
    dir === 'in' && FROM_CLIENT.has(name)
      ? { path: '', message: `${event} is sent by the client, but came from the server` }
      : dir === 'out' && FROM_SERVER.has(name)
        ? { path: '', message: `${event} is sent by the server, but came from the client` }
        : undefined;
  if (wrongWay) info.issues.push(wrongWay);
  info.summary = clip(info.summary, MAX_SUMMARY);
  return info;
}
