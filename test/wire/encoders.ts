// The real encoders, as the servers and clients use them: socket.io 2.x (socket.io-parser 3.4 +
// engine.io-parser 2.2, EIO3) and socket.io 4 (socket.io-parser 4.2.4 + engine.io-parser 5.2.3, EIO4).
// The v2-era packages are CommonJS without types: loaded with createRequire and typed here.
import { createRequire } from 'node:module';
import { Encoder as EncoderV5 } from 'socket.io-parser';
import * as eioV4 from 'engine.io-parser';

const require = createRequire(import.meta.url);

export interface SioPacket {
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
}
export type Part = string | Buffer;
export interface EnginePacket {
  type: 'message';
  data: Part;
}

interface ParserV3 {
  Encoder: new () => { encode(p: SioPacket, cb: (parts: Part[]) => void): void };
}
interface EngineParserV2 {
  encodePacket(p: EnginePacket, supportsBinary: boolean, utf8encode: boolean, cb: (e: Part) => void): void;
  encodePayload(ps: EnginePacket[], supportsBinary: boolean, cb: (e: Part) => void): void;
}

const parserV3 = require('socket.io-parser-v3') as ParserV3;
const eioV3 = require('engine.io-parser-v2') as EngineParserV2;

/** socket.io 2.x: BINARY_EVENT / BINARY_ACK types must be set by the caller (as socket.io 2 does). */
export function encodeSioV4(p: SioPacket): Part[] {
  let out: Part[] = [];
  new parserV3.Encoder().encode(p, (parts) => {
    out = parts;
  });
  return out;
}

/** socket.io 4: EVENT / ACK with binary become BINARY_* by themselves. */
export function encodeSioV5(p: SioPacket): Part[] {
  return new EncoderV5().encode(p as Parameters<EncoderV5['encode']>[0]) as Part[];
}

function sync<T>(f: (cb: (v: T) => void) => void): T {
  let out: T | undefined;
  let done = false;
  f((v) => {
    out = v;
    done = true;
  });
  if (!done) throw new Error('encoder did not call back synchronously');
  return out as T;
}

export function eio3Packet(p: EnginePacket, supportsBinary: boolean): Part {
  return sync((cb) => eioV3.encodePacket(p, supportsBinary, false, cb));
}
export function eio3Payload(ps: EnginePacket[], supportsBinary: boolean): Part {
  return sync((cb) => eioV3.encodePayload(ps, supportsBinary, cb));
}
export function eio4Packet(p: EnginePacket): Part {
  return sync((cb) => eioV4.encodePacket(p, true, (e) => cb(e as Part)));
}
export function eio4Payload(ps: EnginePacket[]): string {
  return sync((cb) => eioV4.encodePayload(ps, cb));
}
