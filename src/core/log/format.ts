// The Spaces DevTools event log: a versioned JSON document (or NDJSON: header line, then one event per
// line). docs/LOG-FORMAT.md documents it, docs/log-format.schema.json is its JSON Schema.
// An event is the wire record flattened with its seq and Spaces description; raw text is optional.
import type { CapturedEvent } from '../model/event';
import type { SpacesInfo } from '../spaces/types';
import type { RawText, WireRecord } from '../wire/types';

export const LOG_FORMAT = 'spaces-devtools-log';
/** The version this tool writes. */
export const LOG_VERSION = 1;
/** Every version this tool reads. */
export const LOG_VERSIONS_READ: readonly number[] = [1];

export interface LogFilter {
  text: string;
  topic: string | null;
  category: string | null;
  dir: 'all' | 'in' | 'out';
  problems: boolean;
}

export interface LogConnection {
  conn: number;
  /** Redacted. */
  url: string;
  transport: 'websocket' | 'polling';
}

export interface LogHeader {
  format: typeof LOG_FORMAT;
  version: number;
  tool: { name: string; version: string };
  /** "Chrome 131", "Firefox 140", or what produced the log ("HAR: …"); null when unknown. */
  browser: string | null;
  /** Origin of the captured page, null when unknown. */
  origin: string | null;
  /** Capture start and end (ISO 8601): the first and last event, or the capture session's bounds. */
  capture: { start: string | null; end: string | null };
  /** When the log was written (ISO 8601). */
  exported: string;
  /** Always true: credentials are redacted before an event is stored, and again on export. */
  redacted: true;
  /** Names, usernames, e-mails, avatars and message text replaced by stable placeholders. */
  anonymized: boolean;
  /** Raw frame text is included in events. */
  raw: boolean;
  /** The panel filter the events were chosen by; null: every event held. */
  filter: LogFilter | null;
  /** Number of events in the log. */
  eventCount: number;
  /** Events lost before export (buffer bounds). */
  dropped?: number;
  connections?: LogConnection[];
}

/** A wire record (kind socket | engine | error) with its seq, Spaces description and optional raw text. */
export type LogEvent = DistributiveOmit<WireRecord, 'raw'> & { seq: number; raw?: RawText; spaces?: SpacesInfo };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface LogDocument extends LogHeader {
  events: LogEvent[];
}

/** Raw text of an event read without it: empty, marked truncated, length unknown (0). */
export const NO_RAW: RawText = Object.freeze({ text: '', length: 0, truncated: true });

export function toLogEvent(ev: CapturedEvent, withRaw: boolean): LogEvent {
  const { raw, ...rest } = ev.record;
  const out = { seq: ev.seq, ...rest } as LogEvent;
  if (withRaw) out.raw = raw;
  if (ev.spaces) out.spaces = ev.spaces;
  return out;
}

/** The captured event a log event stands for (fields copied one by one: this is the import's hot path). */
export function fromLogEvent(e: LogEvent): CapturedEvent {
  const raw = e.raw ?? NO_RAW;
  let record: WireRecord;
  if (e.kind === 'socket') record = { kind: 'socket', conn: e.conn, t: e.t, dir: e.dir, transport: e.transport, raw, packet: e.packet };
  else if (e.kind === 'engine') {
    record = { kind: 'engine', conn: e.conn, t: e.t, dir: e.dir, transport: e.transport, raw, type: e.type };
    if (e.data !== undefined) record.data = e.data;
    if (e.handshake !== undefined) record.handshake = e.handshake;
  } else if (e.kind === 'life') {
    const { seq: _seq, raw: _raw, spaces: _spaces, ...life } = e;
    record = { ...life, raw };
  }
  else record = { kind: 'error', conn: e.conn, t: e.t, dir: e.dir, transport: e.transport, raw, error: e.error };
  const spaces = e.kind === 'socket' ? e.spaces : undefined;
  return spaces ? { seq: e.seq, record, spaces } : { seq: e.seq, record };
}

/** "Chrome 131" / "Firefox 140" from a user agent string; null when neither. */
export function browserName(userAgent: string): string | null {
  const ff = /Firefox\/(\d+)/.exec(userAgent);
  if (ff) return `Firefox ${ff[1]}`;
  const edge = /Edg\/(\d+)/.exec(userAgent);
  if (edge) return `Edge ${edge[1]}`;
  const cr = /(?:Chrome|Chromium|HeadlessChrome)\/(\d+)/.exec(userAgent);
  return cr ? `Chrome ${cr[1]}` : null;
}

export const isoTime = (t: number | undefined | null): string | null =>
  typeof t === 'number' && Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? new Date(t).toISOString() : null;
