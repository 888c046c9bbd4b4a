// What the relay forwards, shaped so that the background can always take it: runtime messaging refuses a
// message over 64 MiB (Chrome, as JSON), and the background's validators bound lists and strings. Pure.
import { MAX_BATCH, type HookConnection, type HookFrame, type RelayFrame } from './messages';
import { MAX_DECODED, MAX_RAW_CHARS } from './wire/limits';

/**
 * Most characters of frames and URLs in one message. A character takes at most 6 bytes of JSON
 * (`\u0001`), so a message stays under 64 MiB even when its one frame is as long as a decoded one can be.
 */
export const MAX_MESSAGE_CHARS = 9 * 1024 * 1024;
/** What a frame or connection costs besides its text (its other fields). */
const ITEM_CHARS = 64;

export const frameChars = (f: HookFrame): number => (typeof f.x === 'string' ? f.x.length : f.x.b64.length) + ITEM_CHARS;
export const connChars = (c: HookConnection): number => c.url.length + ITEM_CHARS;

/** Base64 characters of the longest binary frame the decoder decodes. */
const MAX_DECODED_B64 = Math.ceil(MAX_DECODED / 3) * 4;

/**
 * A frame too long to be decoded (the decoder would keep only an error record of it): cut to the start
 * that record keeps, `n` its length (characters; base64 characters for binary).
 */
export function cutFrame(f: HookFrame): RelayFrame {
  if (typeof f.x === 'string') return f.x.length > MAX_DECODED ? { ...f, x: f.x.slice(0, MAX_RAW_CHARS), n: f.x.length } : f;
  return f.x.b64.length > MAX_DECODED_B64 ? { ...f, x: { b64: f.x.b64.slice(0, 1024) }, n: f.x.b64.length } : f;
}

export interface BatchPart {
  conns: HookConnection[];
  frames: RelayFrame[];
}

/**
 * One batch as messages within MAX_MESSAGE_CHARS and MAX_BATCH connections and frames each (a frame over
 * the bound goes alone), in order: the connections first, then the frames.
 */
export function splitBatch(conns: HookConnection[], frames: RelayFrame[]): BatchPart[] {
  const parts: BatchPart[] = [];
  let part: BatchPart = { conns: [], frames: [] };
  let size = 0;
  const add = <K extends keyof BatchPart>(kind: K, item: BatchPart[K][number], cost: number): void => {
    if ((size + cost > MAX_MESSAGE_CHARS || part[kind].length >= MAX_BATCH) && (part.conns.length || part.frames.length)) {
      parts.push(part);
      part = { conns: [], frames: [] };
      size = 0;
    }
    (part[kind] as BatchPart[K][number][]).push(item);
    size += cost;
  };
  for (const c of conns) add('conns', c, connChars(c));
  for (const f of frames) add('frames', f, frameChars(f));
  if (part.conns.length || part.frames.length) parts.push(part);
  return parts;
}
