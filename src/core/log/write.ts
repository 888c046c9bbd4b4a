// Writing a log: header from what the capture knows, events redacted again (and anonymized on
// request), as one JSON document laid out one event per line (so a reader can stream it) or NDJSON.
import type { CapturedEvent } from '../model/event';
import { describeEvent } from '../spaces';
import { MAX_RAW_CHARS } from '../wire/limits';
import { rawText, redactRaw } from '../wire/raw';
import { redactJson, redactText, redactUrl } from '../wire/redact';
import { packetText, redactPacket } from '../wire/socket';
import { Anonymizer } from './anonymize';
import { LOG_FORMAT, LOG_VERSION, isoTime, toLogEvent, type LogConnection, type LogEvent, type LogFilter, type LogHeader } from './format';

export type LogLayout = 'json' | 'ndjson';

export interface ExportOptions {
  layout: LogLayout;
  /** Include each event's raw frame text (never with anonymize). */
  raw: boolean;
  anonymize: boolean;
}

export interface ExportMeta {
  tool: { name: string; version: string };
  browser: string | null;
  /** Page URL or origin; only the origin is written. */
  page?: string | null;
  /** The filter the events were chosen by, null for all. */
  filter: LogFilter | null;
  dropped?: number;
  connections?: LogConnection[];
  /** Capture bounds when known; else the first and last event times. */
  start?: number;
  end?: number;
  /** Export time (epoch ms); now by default. */
  now?: number;
}

function originOf(page: string | null | undefined): string | null {
  if (!page) return null;
  try {
    const o = new URL(page).origin;
    return o === 'null' ? null : o;
  } catch {
    return null;
  }
}

/**
 * The capture's redaction applied again (a log from elsewhere, or from an older version, may hold
 * what today's rules redact), in both directions: arguments, CONNECT payload, namespace query, raw
 * text or the bytes of its hex, engine data, error text and the Spaces description. Idempotent; the
 * same object when nothing changed.
 */
export function redactEvent(e: LogEvent): LogEvent {
  const raw = e.raw && redactRaw(e.raw, MAX_RAW_CHARS);
  if (e.kind === 'socket') {
    const packet = redactPacket(e.packet);
    let spaces = e.spaces && redactJson(e.spaces);
    if (packet !== e.packet && e.spaces) {
      // described again from what is kept; the pairing is not in the packet
      spaces = describeEvent(packet, e.dir);
      if (e.spaces.reply) spaces.reply = e.spaces.reply;
    }
    if (packet === e.packet && raw === e.raw && spaces === e.spaces) return e;
    const out: LogEvent = { ...e, packet };
    if (spaces) out.spaces = spaces;
    // the raw text rebuilt from the redacted packet: text rules alone miss structure (header pairs)
    if (raw) out.raw = packet === e.packet || raw.binary ? raw : { ...rawText(packetText(packet), MAX_RAW_CHARS), length: raw.length };
    return out;
  }
  if (e.kind === 'engine') {
    const data = e.data === undefined ? undefined : redactText(e.data);
    const handshake = e.handshake && redactJson(e.handshake);
    if (raw === e.raw && data === e.data && handshake === e.handshake) return e;
    const out: LogEvent = { ...e };
    if (raw) out.raw = raw;
    if (data !== undefined) out.data = data;
    if (handshake) out.handshake = handshake;
    return out;
  }
  if (e.kind === 'life') {
    const reason = e.reason === undefined ? undefined : redactText(e.reason);
    if (raw === e.raw && reason === e.reason) return e;
    const out: LogEvent = { ...e };
    if (raw) out.raw = raw;
    if (reason !== undefined) out.reason = reason;
    return out;
  }
  const error = redactText(e.error);
  if (raw === e.raw && error === e.error) return e;
  const out: LogEvent = { ...e, error };
  if (raw) out.raw = raw;
  return out;
}

/** The header for `events` exported with `opts`. */
export function logHeader(events: readonly CapturedEvent[], meta: ExportMeta, opts: ExportOptions): LogHeader {
  const first = events[0]?.record.t;
  const last = events[events.length - 1]?.record.t;
  const h: LogHeader = {
    format: LOG_FORMAT,
    version: LOG_VERSION,
    tool: meta.tool,
    browser: meta.browser,
    origin: opts.anonymize ? null : originOf(meta.page),
    capture: { start: isoTime(meta.start ?? first), end: isoTime(meta.end ?? last) },
    exported: isoTime(meta.now ?? Date.now()) ?? new Date(0).toISOString(),
    redacted: true,
    anonymized: opts.anonymize,
    raw: opts.raw && !opts.anonymize,
    filter: meta.filter,
    eventCount: events.length,
  };
  if (meta.dropped) h.dropped = meta.dropped;
  if (meta.connections?.length) h.connections = meta.connections.map((c) => ({ ...c, url: opts.anonymize ? '' : redactUrl(c.url) }));
  return h;
}

/** The log as text chunks (a header, then one chunk per event), to join or to stream to a file. */
export function* writeLog(events: readonly CapturedEvent[], meta: ExportMeta, opts: ExportOptions): Generator<string> {
  const header = logHeader(events, meta, opts);
  yield* writeEvents(header, events.map((ev) => toLogEvent(ev, header.raw)), opts);
}

/** Writes already converted log events under header (CLI convert / anonymize). */
export function* writeEvents(header: LogHeader, events: Iterable<LogEvent>, opts: Pick<ExportOptions, 'layout' | 'anonymize'>): Generator<string> {
  const anon = opts.anonymize ? new Anonymizer() : null;
  const head = JSON.stringify(header);
  if (opts.layout === 'ndjson') yield head + '\n';
  else yield head.slice(0, -1) + ',"events":[\n';
  let first = true;
  for (const e of events) {
    let out = redactEvent(e);
    if (!header.raw && out.raw) {
      out = { ...out };
      delete out.raw;
    }
    if (anon) out = anon.event(out);
    const line = JSON.stringify(out);
    if (opts.layout === 'ndjson') yield line + '\n';
    else {
      yield (first ? '' : ',\n') + line;
      first = false;
    }
  }
  if (opts.layout === 'json') yield (first ? '' : '\n') + ']}\n';
}

/** File name for an export: spaces-<host>-<time>.json|ndjson. */
export function logFileName(header: LogHeader, layout: LogLayout): string {
  const host = header.origin ? header.origin.replace(/^[a-z]+:\/\//, '').replace(/[^\w.-]+/g, '_') : 'log';
  const time = header.exported.replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
  return `spaces-${host}-${time}${header.anonymized ? '-anon' : ''}.${layout}`;
}
