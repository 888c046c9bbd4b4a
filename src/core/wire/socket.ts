// Socket.IO packet text (protocol 4 = socket.io 2.x, protocol 5 = socket.io 3/4), after the Engine.IO type.
import type { JsonValue, SocketPacket, SocketPacketType } from './types';
import { inspectJson, type PlaceholderSlot } from './json';
import { MAX_ATTACHMENTS, MAX_ID_DIGITS } from './limits';
import { redactJson, redactQuery, redactText } from './redact';

const TYPES: readonly SocketPacketType[] = [
  'CONNECT',
  'DISCONNECT',
  'EVENT',
  'ACK',
  'CONNECT_ERROR',
  'BINARY_EVENT',
  'BINARY_ACK',
];

export interface ParsedSocket {
  packet: SocketPacket;
  /** Placeholders to fill when the packet's attachments arrive (binary packets only). */
  placeholders: PlaceholderSlot[];
  /**
   * The packet text rebuilt with its tokens redacted, when it had any. Without it the text holds
   * none: every key and string of the payload passed redactJson (the text rules included), and the
   * namespace and its query were redacted, so the raw text needs no scan of its own.
   */
  redactedText?: string;
}

export type SocketParse = ParsedSocket | { error: string };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses `s` from index `i` (the Socket.IO type digit) to its end. */
export function parseSocketPacket(s: string, i: number): SocketParse {
  const n = s.length;
  if (i >= n) return { error: 'empty Socket.IO packet (Engine.IO message with no data)' };
  const code = s.charCodeAt(i) - 48;
  const type = TYPES[code];
  if (type === undefined) return { error: `unknown Socket.IO packet type ${JSON.stringify(s.charAt(i))}` };
  const typeStart = i;
  i++;
  const binary = code === 5 || code === 6;

  let attachments: number | undefined;
  if (binary) {
    const start = i;
    while (i < n && i - start <= 4 && isDigit(s.charCodeAt(i))) i++;
    if (i === start || s.charCodeAt(i) !== 45 /* - */) return { error: `${type} without a valid attachment count` };
    attachments = Number(s.slice(start, i));
    if (attachments > MAX_ATTACHMENTS) return { error: `${type} announces ${attachments} attachments (limit ${MAX_ATTACHMENTS})` };
    i++;
  }

  let nsp = '/';
  let query: string | undefined;
  let hadComma = false;
  let queryChanged = false;
  if (s.charCodeAt(i) === 47 /* / */) {
    const comma = s.indexOf(',', i);
    const end = comma < 0 ? n : comma;
    nsp = s.slice(i, end);
    i = comma < 0 ? n : comma + 1;
    hadComma = comma >= 0;
    const q = nsp.indexOf('?');
    if (q >= 0) {
      const rawQuery = nsp.slice(q + 1);
      query = redactQuery(rawQuery);
      queryChanged = query !== rawQuery;
      nsp = nsp.slice(0, q);
    }
    const name = redactText(nsp);
    if (name !== nsp) {
      nsp = name;
      queryChanged = true;
    }
  }

  let id: number | undefined;
  const idStart = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  if (i > idStart) {
    if (i - idStart > MAX_ID_DIGITS) return { error: `${type} ack id longer than ${MAX_ID_DIGITS} digits` };
    id = Number(s.slice(idStart, i));
  }

  const payloadStart = i;
  let data: unknown;
  if (i < n) {
    try {
      data = JSON.parse(s.slice(i));
    } catch (e) {
      return { error: `${type} payload is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  const invalid = checkPayload(type, data);
  if (invalid) return { error: invalid };
  let inspection = inspectJson(data, binary);
  if ('error' in inspection) return { error: `${type}: ${inspection.error}` };
  // Both directions, every argument: what the server sends carries credentials too. The inspection
  // told whether anything may need it, so a frame that holds none is walked once.
  const redacted = inspection.secrets ? redactJson(data) : data;
  const payloadChanged = redacted !== data;
  if (payloadChanged) {
    data = redacted;
    // the copies along the changed paths are the placeholders' parents now
    if (binary) inspection = inspectJson(data, true) as { placeholders: PlaceholderSlot[]; secrets: boolean };
  }
  const placeholders = inspection.placeholders;
  if (attachments !== undefined) {
    for (const p of placeholders) {
      if (p.num >= attachments) {
        return { error: `${type}: placeholder num ${p.num} without its binary frame (${attachments} announced)` };
      }
    }
  }

  const packet: SocketPacket = { type, nsp, args: [] };
  if (query !== undefined) packet.query = query;
  if (id !== undefined) packet.id = id;
  if (attachments !== undefined) packet.attachments = attachments;

  if (code === 2 || code === 5) {
    const arr = data as JsonValue[];
    if (typeof arr[0] === 'string') {
      packet.event = arr[0];
      packet.args = arr.slice(1);
      // placeholders that were direct arguments now sit one place earlier in args
      for (const p of placeholders) {
        if (p.parent === arr) {
          p.parent = packet.args;
          p.key = (p.key as number) - 1;
        }
      }
    } else {
      packet.args = arr;
    }
  } else if (code === 3 || code === 6) {
    packet.args = data as JsonValue[];
  } else if (data !== undefined) {
    packet.data = data as JsonValue;
  }
  const parsed: ParsedSocket = { packet, placeholders };
  if (queryChanged || payloadChanged) {
    const payload = payloadChanged ? JSON.stringify(data) : s.slice(payloadStart);
    parsed.redactedText = rebuild(s.slice(0, typeStart + 1), packet, hadComma, payload);
  }
  return parsed;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function checkPayload(type: SocketPacketType, data: unknown): string | undefined {
  switch (type) {
    case 'CONNECT':
      return data === undefined || isPlainObject(data) ? undefined : 'CONNECT payload is not an object';
    case 'DISCONNECT':
      return data === undefined ? undefined : 'DISCONNECT carries a payload';
    case 'CONNECT_ERROR':
      return data === undefined || typeof data === 'string' || isPlainObject(data)
        ? undefined
        : 'CONNECT_ERROR payload is neither a string nor an object';
    case 'EVENT':
    case 'BINARY_EVENT':
      if (!Array.isArray(data)) return `${type} payload is not an array`;
      return typeof data[0] === 'string' || typeof data[0] === 'number'
        ? undefined
        : `${type} has no event name (first element must be a string or number)`;
    case 'ACK':
    case 'BINARY_ACK':
      return Array.isArray(data) ? undefined : `${type} payload is not an array`;
  }
}

/**
 * A decoded packet with its credentials redacted (a log read or written: the decoder redacts as it
 * parses). The event name counts as the arguments' first element, as on the wire. The same object
 * when nothing changed.
 */
export function redactPacket(p: SocketPacket): SocketPacket {
  const wire = typeof p.event === 'string' ? [p.event, ...p.args] : p.args;
  const args = redactJson(wire);
  const data = p.data === undefined ? undefined : redactJson(p.data);
  const query = p.query === undefined ? undefined : redactQuery(p.query);
  if (args === wire && data === p.data && query === p.query) return p;
  const out: SocketPacket = { ...p };
  if (args !== wire) {
    if (typeof p.event === 'string') {
      out.event = args[0] as string;
      out.args = args.slice(1);
    } else out.args = args;
  }
  if (data !== undefined) out.data = data;
  if (query !== undefined) out.query = query;
  return out;
}

/** The Engine.IO message text of a decoded packet ("42/chat,1[…]"), binary attachments shown as their refs. */
export function packetText(p: SocketPacket): string {
  const payload =
    p.type === 'EVENT' || p.type === 'BINARY_EVENT'
      ? JSON.stringify(typeof p.event === 'string' ? [p.event, ...p.args] : p.args)
      : p.type === 'ACK' || p.type === 'BINARY_ACK'
        ? JSON.stringify(p.args)
        : p.data === undefined
          ? ''
          : JSON.stringify(p.data);
  return rebuild(`4${TYPES.indexOf(p.type)}`, p, p.nsp !== '/' && (payload !== '' || p.id !== undefined), payload);
}

/** The packet text again, from its prefix (up to the type digit), with the redacted query and payload. */
function rebuild(prefix: string, p: SocketPacket, hadComma: boolean, payload: string): string {
  let out = prefix;
  if (p.attachments !== undefined) out += `${p.attachments}-`;
  if (p.nsp !== '/' || p.query !== undefined) out += p.nsp;
  if (p.query !== undefined) out += '?' + p.query;
  if (hadComma) out += ',';
  if (p.id !== undefined) out += String(p.id);
  return out + payload;
}
