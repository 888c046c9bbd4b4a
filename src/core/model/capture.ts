// The capture pipeline of one tab: raw frames from the relay → wire records (one decoder per connection)
// → Spaces descriptions, with SEND_MESSAGE / SUBSCRIBE_CHANNEL replies paired. Pure.
import type { HookConnection, HookFrame, HookLife, RelayFrame } from '../messages';
import { base64ToBytes } from '../base64';
import { createConnectionDecoder, type ConnectionDecoder } from '../wire/decoder';
import { MAX_DECODED, MAX_RAW_CHARS } from '../wire/limits';
import { rawText } from '../wire/raw';
import { redactText, redactUrl } from '../wire/redact';
import type { LifeRecord, WireRecord } from '../wire/types';
import { createSendTracker, describeEvent, withReply, type SendTracker } from '../spaces';
import { lifeText } from '../connections/life';
import type { CapturedEvent } from './event';

/** A connection as the background remembers it (persisted, so a restarted worker still knows it). */
export interface KnownConnection {
  pageId: string;
  c: number;
  url: string;
  transport: HookConnection['transport'];
}

export type Unnumbered = Omit<CapturedEvent, 'seq'>;

/**
 * Connections a tab remembers (their records are stored with it, URLs up to 8 KB each): beyond it, the
 * least recently active are forgotten, with their decoders.
 */
export const MAX_CONNECTIONS = 100;

export class TabCapture {
  private readonly decoders = new Map<string, ConnectionDecoder>();
  /** Pairing is per connection: ack ids and loopback strings are the connection's own. */
  private readonly trackers = new Map<string, SendTracker>();

  /** `conns`: kept in order of last activity, the most recent last. */
  constructor(
    private readonly conns: Record<string, KnownConnection> = {},
    private readonly maxConnections = MAX_CONNECTIONS,
  ) {}

  get connections(): Record<string, KnownConnection> {
    return this.conns;
  }

  /**
   * Decodes one batch. `nextSeq` is the seq the first resulting event will get: the pairing of replies
   * names the seq of the request it answers.
   */
  ingest(
    pageId: string,
    conns: HookConnection[],
    frames: RelayFrame[],
    nextSeq: number,
    frame?: string,
    life: readonly HookLife[] = [],
  ): Unnumbered[] {
    for (const c of conns) this.conns[`${pageId}:${c.c}`] = { pageId, c: c.c, url: redactUrl(c.url), transport: c.transport };
    const out: Unnumbered[] = [];
    const active = new Set<string>();
    // Life events in time order among the frames: an open before the frames of its time, the others after.
    const lives = [...life].sort((a, b) => a.t - b.t || (a.e === 'start' ? -1 : b.e === 'start' ? 1 : 0));
    let li = 0;
    const lifeUntil = (t: number): void => {
      for (; li < lives.length && (lives[li]!.t < t || (lives[li]!.t === t && (lives[li]!.e === 'open' || lives[li]!.e === 'start'))); li++) {
        const l = lives[li]!;
        active.add(`${pageId}:${l.c}`);
        const known = this.conns[`${pageId}:${l.c}`];
        const record = lifeRecord(l, known?.transport ?? 'websocket', l.e === 'start' ? known?.url : undefined);
        out.push(frame ? { record, frame } : { record });
      }
    };
    for (const f of frames) {
      lifeUntil(f.t);
      const key = `${pageId}:${f.c}`;
      active.add(key);
      const decoder = this.decoderFor(key, f.c);
      let records: WireRecord[];
      if (f.n !== undefined) records = [cutRecord(f, f.n, this.conns[key]?.transport ?? 'websocket')];
      else if (typeof f.x === 'string') records = decoder.push({ t: f.t, dir: f.d, data: f.x });
      else {
        const bytes = base64ToBytes(f.x.b64);
        records = bytes
          ? decoder.push({ t: f.t, dir: f.d, data: bytes })
          : [errorRecord(f, this.conns[key]?.transport ?? 'websocket', 'binary frame is not valid base64', f.x.b64)];
      }
      for (const record of records) {
        const ev = this.describe(key, record, nextSeq + out.length);
        // Trace: the page code that sent the frame, on what it carried.
        if (f.s && record.dir === 'out') ev.trace = f.s;
        if (f.p && record.dir === 'out') ev.fromPanel = true;
        out.push(frame ? { ...ev, frame } : ev);
      }
    }
    lifeUntil(Infinity);
    // The batch's connections become the most recent.
    for (const key of active) {
      const known = this.conns[key];
      if (!known) continue;
      delete this.conns[key];
      this.conns[key] = known;
    }
    return out;
  }

  /** Forgets the least recently active connections beyond the bound; returns how many it forgot. */
  prune(): number {
    const keys = Object.keys(this.conns);
    const gone = keys.slice(0, Math.max(0, keys.length - this.maxConnections));
    for (const key of gone) {
      delete this.conns[key];
      this.decoders.delete(key);
      this.trackers.delete(key);
    }
    return gone.length;
  }

  private decoderFor(key: string, c: number): ConnectionDecoder {
    let d = this.decoders.get(key);
    if (!d) {
      const known = this.conns[key];
      d = createConnectionDecoder({ conn: c, url: known?.url ?? '', transport: known?.transport ?? 'websocket' });
      this.decoders.set(key, d);
    }
    return d;
  }

  private describe(key: string, record: WireRecord, seq: number): Unnumbered {
    if (record.kind !== 'socket') return { record };
    const spaces = describeEvent(record.packet, record.dir);
    let tracker = this.trackers.get(key);
    if (!tracker) this.trackers.set(key, (tracker = createSendTracker()));
    const reply = tracker.observe({ seq, t: record.t, dir: record.dir, packet: record.packet, spaces });
    return { record, spaces: reply ? withReply(spaces, reply) : spaces };
  }
}

/** A frame the relay cut (too long to decode): its length, and its start as the raw text. */
function cutRecord(f: HookFrame, n: number, transport: HookConnection['transport']): WireRecord {
  const bytes = Math.floor((n * 3) / 4);
  const [what, raw] =
    typeof f.x === 'string'
      ? [`frame of ${n} characters`, { ...rawText(f.x, MAX_RAW_CHARS), length: n, truncated: true }]
      : [`binary frame of about ${bytes} bytes`, { text: '', length: bytes, truncated: true, binary: true }];
  return { kind: 'error', conn: f.c, t: f.t, dir: f.d, transport, error: `${what} exceeds the ${MAX_DECODED} limit`, raw };
}

/** A life event as a record: its reason redacted (a page may put anything in it), its raw text a summary. */
export function lifeRecord(l: HookLife, transport: HookConnection['transport'], url?: string): LifeRecord {
  const rec: LifeRecord = { kind: 'life', conn: l.c, t: l.t, dir: 'in', transport, life: l.e, raw: { text: '', length: 0, truncated: false } };
  if (url !== undefined) rec.url = url;
  if (l.code !== undefined) rec.code = l.code;
  if (l.reason !== undefined) rec.reason = redactText(l.reason);
  if (l.clean !== undefined) rec.clean = l.clean;
  if (l.status !== undefined) rec.status = l.status;
  rec.raw.text = lifeText(rec);
  rec.raw.length = rec.raw.text.length;
  return rec;
}

function errorRecord(f: HookFrame, transport: HookConnection['transport'], error: string, text: string): WireRecord {
  return { kind: 'error', conn: f.c, t: f.t, dir: f.d, transport, error, raw: rawText(text, 1024) };
}

/** Longest frame label kept: the origin and the start of the path are what tell frames apart. */
const MAX_FRAME_LABEL = 300;

/**
 * The label of a frame's connections: origin and path of the frame's URL (as the browser gave it, never
 * as the page said), without query or fragment, which may carry credentials. Undefined for no URL.
 */
export function frameLabel(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let label: string;
  try {
    const u = new URL(url);
    label = u.origin === 'null' ? `${u.protocol}${u.pathname}` : `${u.origin}${u.pathname}`;
  } catch {
    label = url.replace(/[?#][\s\S]*$/, '');
  }
  return label.length > MAX_FRAME_LABEL ? `${label.slice(0, MAX_FRAME_LABEL - 1)}…` : label;
}
