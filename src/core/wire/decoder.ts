// Per-connection decoder: Engine.IO 3/4 frames and polling payloads → one WireRecord per Engine.IO
// packet, Socket.IO packets with their binary attachments reassembled per direction. Never throws.
import type { BinaryRef, Direction, EnginePacketType, EngineRecord, Handshake, RawText, SocketPacket, Transport, WireRecord } from './types';
import type { PlaceholderSlot } from './json';
import { MAX_DECODED, MAX_ENGINE_DATA_CHARS, MAX_RAW_CHARS, MAX_REJECT_RAW_CHARS } from './limits';
import { base64Ref, binaryRef, rawBase64, rawBinary, rawText } from './raw';
import { redactText } from './redact';
import { parseSocketPacket } from './socket';

export interface ConnectionInfo {
  conn: number;
  url: string;
  transport: Transport;
}

export interface FrameInput {
  t: number;
  dir: Direction;
  data: string | Uint8Array | ArrayBuffer;
}

export interface ConnectionDecoder {
  /** Engine.IO version, from the URL or sniffed from the first Engine.IO-looking frame. */
  readonly eio: 3 | 4 | undefined;
  /**
   * Records for the frame, in order. Returns [] only while a BINARY_EVENT / BINARY_ACK waits for
   * more attachments: its record comes with the last one.
   */
  push(frame: FrameInput): WireRecord[];
}

const EIO_PARAM = /[?&]EIO=([34])(?=[&#]|$)/;

/** True when the URL carries EIO=3 or EIO=4 (what the page hook tests before listening to a socket). */
export function isSocketIoUrl(url: string): boolean {
  return EIO_PARAM.test(url);
}

export function createConnectionDecoder(info: ConnectionInfo): ConnectionDecoder {
  return new Decoder(info);
}

interface Pending {
  t: number;
  raw: RawText;
  packet: SocketPacket;
  announced: number;
  placeholders: PlaceholderSlot[];
  refs: BinaryRef[];
}

interface Ctx {
  t: number;
  dir: Direction;
  out: WireRecord[];
}

const ENGINE_TYPES: readonly EnginePacketType[] = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];
const UTF8 = new TextDecoder();

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class Decoder implements ConnectionDecoder {
  eio: 3 | 4 | undefined;
  private readonly conn: number;
  private readonly transport: Transport;
  private pendingIn: Pending | undefined;
  private pendingOut: Pending | undefined;

  constructor(info: ConnectionInfo) {
    this.conn = info.conn;
    this.transport = info.transport;
    const m = EIO_PARAM.exec(info.url);
    this.eio = m ? (m[1] === '3' ? 3 : 4) : undefined;
  }

  push(frame: FrameInput): WireRecord[] {
    const ctx: Ctx = { t: frame.t, dir: frame.dir, out: [] };
    try {
      this.frame(frame.data, ctx);
    } catch (e) {
      // Not expected; a bug here must still not lose the frame nor escape to the caller.
      this.error(ctx, fallbackRaw(frame.data), `decoder failure: ${describe(e)}`);
    }
    return ctx.out;
  }

  private frame(data: unknown, ctx: Ctx): void {
    if (typeof data === 'string') {
      if (data.length > MAX_DECODED) {
        return this.error(ctx, rawText(data, MAX_RAW_CHARS), `frame of ${data.length} characters exceeds the ${MAX_DECODED} limit`);
      }
      if (this.eio === undefined && !this.sniffText(data)) {
        return this.reject(ctx, data, 'not an Engine.IO frame (the URL has no EIO= and the frame does not look like one)');
      }
      return this.transport === 'polling' ? this.textPayload(data, ctx) : this.textPacket(data, ctx);
    }
    const bytes = data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : undefined;
    if (bytes === undefined) return this.error(ctx, fallbackRaw(data), 'frame is neither text nor binary');
    if (bytes.length > MAX_DECODED) {
      return this.error(ctx, rawBinary(bytes), `frame of ${bytes.length} bytes exceeds the ${MAX_DECODED} limit`);
    }
    const b0 = bytes[0];
    if (this.transport === 'polling') {
      // XHR polling with responseType arraybuffer: EIO3 binary payload, or text payload as UTF-8
      if (this.eio === undefined && (b0 === 0 || b0 === 1)) this.eio = 3;
      if (this.eio === 3 && (b0 === 0 || b0 === 1)) return this.binaryPayload(bytes, ctx);
      return this.frame(UTF8.decode(bytes), ctx);
    }
    if (this.eio === undefined) {
      return this.error(ctx, rawBinary(bytes), 'binary frame before any Engine.IO frame, and the URL has no EIO=');
    }
    if (this.eio === 4) return this.attachment(binaryRef(bytes), rawBinary(bytes), ctx);
    // EIO3 WebSocket binary frame: the first byte is the Engine.IO packet type
    if (b0 !== 4) return this.error(ctx, rawBinary(bytes), `binary Engine.IO packet of type ${String(b0)} (only message is binary)`);
    return this.attachment(binaryRef(bytes.subarray(1)), rawBinary(bytes), ctx);
  }

  /** Guesses the version from a frame when the URL had none; false when it does not look like Engine.IO. */
  private sniffText(s: string): boolean {
    if (this.transport === 'polling') {
      let i = 0;
      while (i < s.length && i < 10 && isDigit(s.charCodeAt(i))) i++;
      if (i > 0 && s.charCodeAt(i) === 58 /* : */) {
        this.eio = 3;
        return true;
      }
    }
    const c = s.charCodeAt(0);
    if (c < 48 || c > 54) return false;
    // the open handshake of EIO4 servers (engine.io ≥ 6) carries maxPayload, EIO3 ones never do
    this.eio = c === 48 && s.charCodeAt(1) === 123 && !s.includes('"maxPayload"') ? 3 : 4;
    return true;
  }

  private textPayload(s: string, ctx: Ctx): void {
    if (s.length === 0) return this.error(ctx, rawText(s, MAX_RAW_CHARS), 'empty polling payload');
    if (s === 'ok') {
      // the server's answer to a polling POST: not a packet
      return this.engine(ctx, 'noop', rawText(s, MAX_RAW_CHARS), 'ok');
    }
    return this.eio === 3 ? this.eio3Payload(s, ctx) : this.eio4Payload(s, ctx);
  }

  /** `<length>:<packet>` repeated, the length in UTF-16 code units. */
  private eio3Payload(s: string, ctx: Ctx): void {
    const n = s.length;
    let i = 0;
    while (i < n) {
      let j = i;
      let len = 0;
      while (j < n && j - i < 10 && isDigit(s.charCodeAt(j))) len = len * 10 + (s.charCodeAt(j++) - 48);
      if (j === i || s.charCodeAt(j) !== 58 /* : */) {
        return this.error(ctx, rawText(s.slice(i), MAX_RAW_CHARS), 'EIO3 payload: expected <length>: before the packet');
      }
      const start = j + 1;
      const end = start + len;
      if (end > n) {
        return this.error(
          ctx,
          rawText(s.slice(i), MAX_RAW_CHARS),
          `EIO3 payload: length prefix says ${len} characters but ${n - start} remain`,
        );
      }
      this.textPacket(s.slice(start, end), ctx);
      i = end;
    }
  }

  /** Packets separated by \x1e. */
  private eio4Payload(s: string, ctx: Ctx): void {
    let start = 0;
    for (;;) {
      const sep = s.indexOf('\x1e', start);
      this.textPacket(sep < 0 ? (start === 0 ? s : s.slice(start)) : s.slice(start, sep), ctx);
      if (sep < 0) return;
      start = sep + 1;
    }
  }

  private textPacket(p: string, ctx: Ctx): void {
    const c = p.charCodeAt(0);
    if (c === 52 /* 4: message */) return this.message(p, ctx);
    if (p.length === 0) return this.error(ctx, rawText(p, MAX_RAW_CHARS), 'empty Engine.IO packet');
    if (c === 98 /* b: base64 binary */) return this.base64Packet(p, ctx);
    const type = ENGINE_TYPES[c - 48];
    if (type === undefined) return this.reject(ctx, p, unknownTypeMessage(c));
    const raw = rawText(p, MAX_RAW_CHARS);
    if (type === 'open') return this.open(p, raw, ctx);
    if (type === 'close') this.flushPending(ctx, 'the connection closed');
    return this.engine(ctx, type as Exclude<EnginePacketType, 'message'>, raw, p.length > 1 ? p.slice(1, 1 + MAX_ENGINE_DATA_CHARS) : undefined);
  }

  private base64Packet(p: string, ctx: Ctx): void {
    // EIO3: b<type><base64>; EIO4: b<base64>, always a message
    const lead = this.eio === 3 ? 2 : 1;
    const raw = rawBase64(p.slice(0, lead), p.slice(lead), MAX_RAW_CHARS);
    if (this.eio === 3 && p.charAt(1) !== '4') {
      return this.error(ctx, raw, `base64 Engine.IO packet of type ${JSON.stringify(p.charAt(1))} (only message is binary)`);
    }
    const ref = base64Ref(p.slice(lead));
    if (ref === undefined) return this.error(ctx, raw, 'binary packet is not valid base64');
    return this.attachment(ref, raw, ctx);
  }

  private open(p: string, raw: RawText, ctx: Ctx): void {
    let value: unknown;
    try {
      value = JSON.parse(p.slice(1));
    } catch (e) {
      return this.error(ctx, raw, `open handshake is not valid JSON: ${describe(e)}`);
    }
    const handshake = toHandshake(value);
    if (typeof handshake === 'string') return this.error(ctx, raw, `open handshake: ${handshake}`);
    ctx.out.push({ kind: 'engine', conn: this.conn, t: ctx.t, dir: ctx.dir, transport: this.transport, raw, type: 'open', handshake });
  }

  /** `<length digits as bytes 0-9><0xFF><packet>` repeated; marker 0 = text (UTF-8), 1 = binary. */
  private binaryPayload(bytes: Uint8Array, ctx: Ctx): void {
    const n = bytes.length;
    let i = 0;
    while (i < n) {
      const marker = bytes[i];
      if (marker !== 0 && marker !== 1) {
        return this.error(ctx, rawBinary(bytes.subarray(i)), `EIO3 binary payload: packet marker ${String(marker)} is neither 0 nor 1`);
      }
      let j = i + 1;
      let len = 0;
      while (j < n && j - i <= 10 && (bytes[j] as number) <= 9) len = len * 10 + (bytes[j++] as number);
      if (j === i + 1 || bytes[j] !== 255) {
        return this.error(ctx, rawBinary(bytes.subarray(i)), 'EIO3 binary payload: expected length digits ended by 0xFF');
      }
      const start = j + 1;
      const end = start + len;
      if (end > n) {
        return this.error(
          ctx,
          rawBinary(bytes.subarray(i)),
          `EIO3 binary payload: length says ${len} bytes but ${n - start} remain`,
        );
      }
      const body = bytes.subarray(start, end);
      if (marker === 0) {
        this.textPacket(UTF8.decode(body), ctx);
      } else if (body[0] !== 4) {
        this.error(ctx, rawBinary(body), `binary Engine.IO packet of type ${String(body[0])} (only message is binary)`);
      } else {
        this.attachment(binaryRef(body.subarray(1)), rawBinary(body), ctx);
      }
      i = end;
    }
  }

  private message(p: string, ctx: Ctx): void {
    if (this.getPending(ctx.dir) !== undefined) this.flushPendingDir(ctx, ctx.dir, 'another packet came first');
    const r = parseSocketPacket(p, 1);
    if ('error' in r) return this.error(ctx, rawText(p, MAX_RAW_CHARS), r.error);
    // parseSocketPacket redacted every part of the packet (the rebuilt text when something changed)
    const raw = r.redactedText === undefined ? rawText(p, MAX_RAW_CHARS, true) : { ...rawText(r.redactedText, MAX_RAW_CHARS, true), length: p.length };
    const announced = r.packet.attachments ?? 0;
    if (announced > 0) {
      this.setPending(ctx.dir, { t: ctx.t, raw, packet: r.packet, announced, placeholders: r.placeholders, refs: [] });
      return;
    }
    this.socket(ctx, ctx.t, raw, r.packet);
  }

  private socket(ctx: Ctx, t: number, raw: RawText, packet: SocketPacket): void {
    ctx.out.push({ kind: 'socket', conn: this.conn, t, dir: ctx.dir, transport: this.transport, raw, packet });
  }

  private attachment(ref: BinaryRef, raw: RawText, ctx: Ctx): void {
    const pending = this.getPending(ctx.dir);
    if (pending === undefined) {
      return this.error(ctx, raw, 'binary frame with no BINARY_EVENT or BINARY_ACK awaiting it');
    }
    pending.refs.push(ref);
    if (pending.refs.length < pending.announced) return;
    this.setPending(ctx.dir, undefined);
    for (const s of pending.placeholders) {
      (s.parent as Record<string, unknown>)[s.key] = pending.refs[s.num];
    }
    this.socket(ctx, pending.t, pending.raw, pending.packet);
  }

  private getPending(dir: Direction): Pending | undefined {
    return dir === 'in' ? this.pendingIn : this.pendingOut;
  }

  private setPending(dir: Direction, p: Pending | undefined): void {
    if (dir === 'in') this.pendingIn = p;
    else this.pendingOut = p;
  }

  private flushPending(ctx: Ctx, why: string): void {
    this.flushPendingDir(ctx, 'in', why);
    this.flushPendingDir(ctx, 'out', why);
  }

  /** A binary packet whose attachments stopped coming becomes an error record. */
  private flushPendingDir(ctx: Ctx, dir: Direction, why: string): void {
    const p = this.getPending(dir);
    if (p === undefined) return;
    this.setPending(dir, undefined);
    const error = `${p.packet.type} announced ${p.announced} attachments but ${why} after ${p.refs.length}`;
    ctx.out.push({ kind: 'error', conn: this.conn, t: p.t, dir, transport: this.transport, raw: p.raw, error });
  }

  private engine(ctx: Ctx, type: Exclude<EnginePacketType, 'message'>, raw: RawText, data: string | undefined): void {
    const rec: EngineRecord = { kind: 'engine', conn: this.conn, t: ctx.t, dir: ctx.dir, transport: this.transport, raw, type };
    if (data !== undefined) rec.data = redactText(data);
    ctx.out.push(rec);
  }

  /** `raw` is redacted already (raw.ts); the message may quote the frame (JSON.parse's errors do). */
  private error(ctx: Ctx, raw: RawText, error: string): void {
    ctx.out.push({ kind: 'error', conn: this.conn, t: ctx.t, dir: ctx.dir, transport: this.transport, raw, error: redactText(error) });
  }

  /** A frame that is not Engine.IO at all: cheap, and keeps only a short prefix. */
  private reject(ctx: Ctx, text: string, error: string): void {
    this.error(ctx, rawText(text, MAX_REJECT_RAW_CHARS), error);
  }
}

function toHandshake(v: unknown): Handshake | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object';
  const o = v as Record<string, unknown>;
  const { sid, upgrades, pingInterval, pingTimeout, maxPayload } = o;
  if (typeof sid !== 'string') return 'sid is not a string';
  if (!Array.isArray(upgrades) || !upgrades.every((u) => typeof u === 'string')) return 'upgrades is not a list of strings';
  if (typeof pingInterval !== 'number' || !Number.isFinite(pingInterval)) return 'pingInterval is not a number';
  if (typeof pingTimeout !== 'number' || !Number.isFinite(pingTimeout)) return 'pingTimeout is not a number';
  const h: Handshake = { sid, upgrades: upgrades as string[], pingInterval, pingTimeout };
  if (maxPayload !== undefined) {
    if (typeof maxPayload !== 'number' || !Number.isFinite(maxPayload)) return 'maxPayload is not a number';
    h.maxPayload = maxPayload;
  }
  return h;
}

/** Raw text of a frame of unexpected shape, for the error record. */
function fallbackRaw(data: unknown): RawText {
  if (typeof data === 'string') return rawText(data, MAX_RAW_CHARS);
  if (data instanceof Uint8Array) return rawBinary(data);
  if (data instanceof ArrayBuffer) return rawBinary(new Uint8Array(data));
  return { text: '', length: 0, truncated: false };
}

/** Rejecting must stay cheap (most of it is not Socket.IO): its messages are made once per first character. */
const unknownTypeMessages = new Map<number, string>();
function unknownTypeMessage(code: number): string {
  let m = unknownTypeMessages.get(code);
  if (m === undefined) {
    m = `unknown Engine.IO packet type ${JSON.stringify(String.fromCharCode(code))}`;
    if (unknownTypeMessages.size < 256) unknownTypeMessages.set(code, m);
  }
  return m;
}
