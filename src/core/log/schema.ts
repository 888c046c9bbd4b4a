// Validation of log headers and events read from a file (valibot: no eval). The file is untrusted:
// every field the panel or the CLI reads is checked; payloads are JSON by construction (JSON.parse)
// and bounded in depth by inspectJson. docs/log-format.schema.json says the same in JSON Schema.
import * as v from 'valibot';
import { inspectJson } from '../wire/json';
import { LOG_FORMAT, type LogEvent, type LogHeader } from './format';

// Event strings are bounded by the line (or document) they come in; header strings by `short`.
const str = v.string();
const short = v.pipe(v.string(), v.maxLength(8192));
const uint = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const finite = v.pipe(v.number(), v.finite());
const dir = v.picklist(['in', 'out']);
const transport = v.picklist(['websocket', 'polling']);
const iso = v.nullable(v.pipe(v.string(), v.isoTimestamp()));

const RawSchema = v.object({ text: str, length: uint, truncated: v.boolean(), binary: v.optional(v.boolean()) });

const HandshakeSchema = v.object({
  sid: short,
  upgrades: v.pipe(v.array(short), v.maxLength(16)),
  pingInterval: finite,
  pingTimeout: finite,
  maxPayload: v.optional(finite),
});

const PacketSchema = v.object({
  type: v.picklist(['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK']),
  nsp: short,
  query: v.optional(short),
  id: v.optional(uint),
  event: v.optional(str),
  args: v.array(v.unknown()),
  data: v.optional(v.unknown()),
  attachments: v.optional(uint),
});

const SpacesSchema = v.object({
  event: str,
  known: v.boolean(),
  category: v.optional(str),
  knownCategory: v.optional(v.boolean()),
  topicId: v.optional(str),
  topicTitle: v.optional(str),
  topicType: v.optional(str),
  itemId: v.optional(str),
  sender: v.optional(
    v.object({
      id: v.optional(str),
      displayName: v.optional(str),
      username: v.optional(str),
      type: v.optional(str),
      pictureUrl: v.optional(str),
    }),
  ),
  summary: str,
  issues: v.array(v.object({ path: str, message: str })),
  loopback: v.optional(str),
  channel: v.optional(v.object({ id: v.optional(str), type: v.optional(str), password: v.optional(v.literal('[redacted]')) })),
  error: v.optional(str),
  reply: v.optional(
    v.object({
      toSeq: uint,
      rttMs: finite,
      outcome: v.picklist(['echo', 'failed', 'ack', 'subscribed', 'unsubscribed']),
      by: v.optional(v.picklist(['loopback', 'ack', 'channel', 'content', 'order'])),
      topicId: v.optional(str),
    }),
  ),
});

const base = {
  seq: v.pipe(uint, v.minValue(1)),
  t: finite,
  dir,
  conn: uint,
  transport,
  raw: v.optional(RawSchema),
};

export const EventSchemaV1 = v.variant('kind', [
  v.object({ ...base, kind: v.literal('socket'), packet: PacketSchema, spaces: v.optional(SpacesSchema) }),
  v.object({
    ...base,
    kind: v.literal('engine'),
    type: v.picklist(['open', 'close', 'ping', 'pong', 'upgrade', 'noop']),
    data: v.optional(str),
    handshake: v.optional(HandshakeSchema),
  }),
  v.object({ ...base, kind: v.literal('error'), error: str }),
  v.object({
    ...base,
    kind: v.literal('life'),
    life: v.picklist(['start', 'open', 'close', 'error']),
    url: v.optional(short),
    code: v.optional(uint),
    reason: v.optional(short),
    clean: v.optional(v.boolean()),
    status: v.optional(uint),
  }),
]);

const FilterSchema = v.object({
  text: short,
  topic: v.nullable(short),
  category: v.nullable(short),
  dir: v.picklist(['all', 'in', 'out']),
  problems: v.boolean(),
});

export const HeaderSchemaV1 = v.object({
  format: v.literal(LOG_FORMAT),
  version: v.literal(1),
  tool: v.object({ name: short, version: short }),
  browser: v.nullable(short),
  origin: v.nullable(short),
  capture: v.object({ start: iso, end: iso }),
  exported: v.pipe(v.string(), v.isoTimestamp()),
  redacted: v.literal(true),
  anonymized: v.boolean(),
  raw: v.boolean(),
  filter: v.nullable(FilterSchema),
  eventCount: uint,
  dropped: v.optional(uint),
  connections: v.optional(v.pipe(v.array(v.object({ conn: uint, url: short, transport })), v.maxLength(10_000))),
});

export type Checked<T> = { ok: true; value: T } | { ok: false; path: string; message: string };

/** A JSON path ("$.packet.args[0]") from valibot's issue path, prefixed by `at`. */
function jsonPath(at: string, path: readonly { key: unknown }[] | undefined): string {
  let out = at;
  for (const p of path ?? []) out += typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`;
  return out;
}

function check<T>(schema: v.GenericSchema<unknown, unknown>, input: unknown, at: string): Checked<T> {
  const r = v.safeParse(schema, input, { abortEarly: true });
  if (!r.success) {
    const issue = r.issues[0];
    return { ok: false, path: jsonPath(at, issue.path), message: issue.message };
  }
  return { ok: true, value: r.output as T };
}

/** A header of a version this tool reads. `version` outside LOG_VERSIONS_READ is refused with a clear message. */
export function checkHeader(input: unknown, at = '$'): Checked<LogHeader> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, path: at, message: 'not a JSON object' };
  const o = input as Record<string, unknown>;
  if (o.format !== LOG_FORMAT)
    return { ok: false, path: `${at}.format`, message: `expected "${LOG_FORMAT}", got ${JSON.stringify(o.format ?? null).slice(0, 80)}` };
  if (o.version !== 1) {
    const newer = typeof o.version === 'number' && o.version > 1;
    return {
      ok: false,
      path: `${at}.version`,
      message: newer ? `format version ${o.version} is newer than this tool reads (1); update Spaces DevTools` : `unknown format version ${JSON.stringify(o.version ?? null).slice(0, 40)}`,
    };
  }
  return check<LogHeader>(HeaderSchemaV1, input, at);
}

/** One event of a version-1 log; payloads bounded in depth, no `__proto__`/`constructor` keys. */
export function checkEvent(input: unknown, at = '$'): Checked<LogEvent> {
  const r = check<LogEvent>(EventSchemaV1, input, at);
  if (!r.ok) return r;
  const ins = inspectJson(input, false);
  if ('error' in ins) return { ok: false, path: at, message: ins.error };
  return r;
}
