// The composer's pure part: payload templates, completions from what the capture saw, checking the
// typed JSON, and the production check. No browser API: tested in Node.
import type { CapturedEvent } from '../../../core/model/event';
import { eventPacket } from '../../../core/compose/frame';

/** Event names offered (any other may be typed). */
export const COMPOSE_EVENTS = ['SEND_MESSAGE', 'SUBSCRIBE_CHANNEL', 'UNSUBSCRIBE_CHANNEL', 'SEND_PRESENCE_EVENT', 'SEND_MEDIA_SESSION_EVENTS'] as const;

/** A fresh loopbackMetadata: the echo of a SEND_MESSAGE carries it back, which pairs the two. */
export const freshLoopback = (): string => `devtools-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Fields the Spaces doc names for a client event's payload (seed MESSAGE_SENT.txt), for completion. */
export const SCHEMA_FIELDS: Record<string, readonly string[]> = {
  SEND_MESSAGE: ['category', 'topicId', 'content', 'content.bodyText', 'content.description', 'content.data', 'content.assignees', 'content.status', 'content.dueDate', 'sender', 'version', 'loopbackMetadata', 'chatMessages'],
  SUBSCRIBE_CHANNEL: ['channel', 'channel._id', 'channel.type', 'channel.password'],
  UNSUBSCRIBE_CHANNEL: ['channel', 'channel._id', 'channel.type'],
  SEND_PRESENCE_EVENT: ['category', 'topicId', 'content', 'version', 'loopbackMetadata'],
  SEND_MEDIA_SESSION_EVENTS: ['category', 'topicId', 'content', 'version', 'loopbackMetadata'],
};

export interface Seen {
  /** Topic ids with their titles when known, the most recently seen first. */
  topics: { id: string; title?: string }[];
  /** The user's own sender object, as the page sent it in a SEND_MESSAGE (redacted as shown). */
  sender?: Record<string, unknown>;
}

const MAX_SCAN = 5000;
const MAX_TOPICS = 50;

/** What the last MAX_SCAN events tell for completion. */
export function seenValues(events: { size: number; at(i: number): CapturedEvent | undefined }): Seen {
  const topics = new Map<string, string | undefined>();
  let sender: Record<string, unknown> | undefined;
  for (let i = events.size - 1; i >= Math.max(0, events.size - MAX_SCAN); i--) {
    const ev = events.at(i);
    const s = ev?.spaces;
    if (!ev || !s) continue;
    const id = s.topicId ?? s.channel?.id;
    if (id && (!topics.has(id) || (!topics.get(id) && s.topicTitle)) && (topics.size < MAX_TOPICS || topics.has(id))) topics.set(id, s.topicTitle ?? topics.get(id));
    if (!sender && ev.record.kind === 'socket' && ev.record.dir === 'out' && s.event === 'SEND_MESSAGE') {
      const p = ev.record.packet.args[0];
      const own = typeof p === 'object' && p !== null ? (p as Record<string, unknown>).sender : undefined;
      if (typeof own === 'object' && own !== null && !Array.isArray(own)) sender = own as Record<string, unknown>;
    }
  }
  return { topics: [...topics].map(([id, title]) => (title ? { id, title } : { id })), ...(sender ? { sender } : {}) };
}

/** A starting payload for an event, filled from what was seen. */
export function template(event: string, seen: Seen): unknown {
  const topicId = seen.topics[0]?.id ?? '';
  switch (event) {
    case 'SEND_MESSAGE':
      return {
        category: 'chat',
        topicId,
        content: { bodyText: '', description: '', data: [], assignees: [] },
        ...(seen.sender ? { sender: seen.sender } : {}),
        version: '1.1',
        loopbackMetadata: freshLoopback(),
      };
    case 'SUBSCRIBE_CHANNEL':
    case 'UNSUBSCRIBE_CHANNEL':
      return { channel: { _id: topicId, type: 'topic' } };
    case 'SEND_PRESENCE_EVENT':
      return { category: 'app.event.presence.request.parties', topicId, content: {}, version: '1.1' };
    default:
      return {};
  }
}

/**
 * Where JSON text stops being JSON: the offset of the first character a JSON parser cannot take (the
 * text's length when it ends too early), with what was expected there.
 */
export function jsonErrorAt(text: string): { at: number; expected: string } | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (expected: string): never => {
    throw { at: i, expected };
  };
  const value = (depth: number): void => {
    ws();
    const c = text[i];
    if (depth > 500) fail('less nesting');
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a property name in double quotes');
        str();
        ws();
        if (text[i] !== ':') fail("':'");
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail("',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail("',' or ']'");
      }
    }
    if (c === '"') return str();
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!lit) fail('a value');
    i += lit![0].length;
  };
  const str = (): void => {
    i++;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (c === '"') return void i++;
      if (c < ' ') fail('no control character in a string (write \\n)');
      if (c === '\\') {
        const e = text[++i];
        if (e === 'u' ? !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5)) : !e || !'"\\/bfnrt'.includes(e)) fail('a valid escape');
        if (e === 'u') i += 4;
      }
    }
    fail('the closing \'"\'');
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail('the end of the payload (one JSON value)');
    return undefined;
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'at' in e) return e as { at: number; expected: string };
    throw e;
  }
}

export type Parsed = { ok: true; args: unknown[] } | { ok: false; error: string };

/** The typed payload as the event's arguments: a JSON value (one argument), or empty (none). */
export function parsePayload(text: string): Parsed {
  if (text.trim() === '') return { ok: true, args: [] };
  try {
    return { ok: true, args: [JSON.parse(text) as unknown] };
  } catch (e) {
    const where = jsonErrorAt(text);
    if (!where) return { ok: false, error: `Not JSON: ${e instanceof Error ? e.message : String(e)}` };
    const before = text.slice(0, where.at).split('\n');
    const found = where.at < text.length ? JSON.stringify(text[where.at]) : 'the end';
    return { ok: false, error: `Not JSON at line ${before.length}, column ${before[before.length - 1]!.length + 1}: expected ${where.expected}, found ${found}` };
  }
}

/** A SEND_MESSAGE's payload with a fresh loopbackMetadata (an object payload only). */
export function withFreshLoopback(event: string, args: unknown[]): unknown[] {
  const p = args[0];
  if (event !== 'SEND_MESSAGE' || typeof p !== 'object' || p === null || Array.isArray(p)) return args;
  return [{ ...(p as Record<string, unknown>), loopbackMetadata: freshLoopback() }, ...args.slice(1)];
}

/** What a captured send holds to emit again: its connection, namespace, event and payload text. */
export interface Draft {
  conn?: number;
  nsp: string;
  event: string;
  payload: string;
}

/** The draft of a captured outgoing EVENT (undefined for anything else, or one in a sub-frame). */
export function draftOf(ev: CapturedEvent): Draft | undefined {
  const r = ev.record;
  if (r.kind !== 'socket' || r.dir !== 'out' || r.packet.type !== 'EVENT' || !r.packet.event || ev.frame !== undefined) return undefined;
  const args = r.packet.args;
  return { conn: r.conn, nsp: r.packet.nsp, event: r.packet.event, payload: args.length === 0 ? '' : JSON.stringify(args.length === 1 ? args[0] : args, null, 2) };
}

/** The packet of a draft's arguments (a several-argument draft is a JSON array of them). */
export function draftPacket(d: Draft, args: unknown[]): string {
  return eventPacket(d.nsp, d.event, args);
}

/** A production Spaces origin (*.avayacloud.com): emitting there asks for a confirmation first. */
export function isProduction(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === 'avayacloud.com' || host.endsWith('.avayacloud.com');
  } catch {
    return false;
  }
}
