// What the relay forwards, shaped so that the background can always take it: runtime messaging refuses a
// message over 64 MiB (Chrome, as JSON), and the background's validators bound lists and strings. Pure.
import { FRAME_BINARY, FRAME_OUT, MAX_BATCH, type FlatFrames, type HookConnection, type RelayFrame } from './messages';
import { MAX_DECODED, MAX_RAW_CHARS } from './wire/limits';

/**
 * Most characters of frames and URLs in one message. A character takes at most 6 bytes of JSON
 * (`\u0001`), so a message stays under 64 MiB even when its one frame is as long as a decoded one can be.
 */
export const MAX_MESSAGE_CHARS = 9 * 1024 * 1024;
/** What a frame or connection costs besides its text (its other fields). */
const ITEM_CHARS = 64;

export const connChars = (c: HookConnection): number => c.url.length + ITEM_CHARS;

/** Characters a message's connections and frames count for. */
export function batchChars(conns: readonly HookConnection[], data: readonly string[]): number {
  let n = 0;
  for (const c of conns) n += connChars(c);
  for (const x of data) n += x.length + ITEM_CHARS;
  return n;
}

/** Base64 characters of the longest binary frame the decoder decodes. */
const MAX_DECODED_B64 = Math.ceil(MAX_DECODED / 3) * 4;

/** A relay message's connections and frames; `cut` pairs a frame's index with its length before it was cut. */
export interface BatchPart extends FlatFrames {
  conns: HookConnection[];
  cut: number[];
}

const emptyPart = (): BatchPart => ({ conns: [], meta: [], data: [], cut: [] });

/**
 * One batch as messages within MAX_MESSAGE_CHARS and MAX_BATCH connections and frames each (a frame over
 * the bound goes alone), in order: the connections first, then the frames. A frame too long to be decoded
 * (the decoder would keep only an error record of it) is cut to the start that record keeps. Frames of a
 * connection `skip` names are left out and counted.
 */
export function splitBatch(conns: readonly HookConnection[], frames: FlatFrames, skip?: (c: number) => boolean): { parts: BatchPart[]; skipped: number } {
  const parts: BatchPart[] = [];
  let part = emptyPart();
  let size = 0;
  let skipped = 0;
  const room = (cost: number, items: number): void => {
    if ((size + cost > MAX_MESSAGE_CHARS || items >= MAX_BATCH) && (part.conns.length || part.data.length)) {
      parts.push(part);
      part = emptyPart();
      size = 0;
    }
    size += cost;
  };
  for (const c of conns) {
    room(connChars(c), part.conns.length);
    part.conns.push(c);
  }
  const { meta, data } = frames;
  const traced = frames.traces?.length ? new Map(frames.traces.map((t) => [t.i, t.s])) : undefined;
  const marked = frames.panel?.length ? new Set(frames.panel) : undefined;
  for (let i = 0, j = 0; i < data.length; i++, j += 3) {
    const c = meta[j]!;
    if (skip?.(c)) {
      skipped++;
      continue;
    }
    const kind = meta[j + 2]!;
    let x = data[i]!;
    const binary = (kind & FRAME_BINARY) !== 0;
    const n = x.length;
    const cut = n > (binary ? MAX_DECODED_B64 : MAX_DECODED);
    if (cut) x = x.slice(0, binary ? 1024 : MAX_RAW_CHARS);
    room(x.length + ITEM_CHARS, part.data.length);
    if (cut) part.cut.push(part.data.length, n);
    const s = traced?.get(i);
    if (s !== undefined) (part.traces ??= []).push({ i: part.data.length, s });
    if (marked?.has(i)) (part.panel ??= []).push(part.data.length);
    part.meta.push(c, meta[j + 1]!, kind);
    part.data.push(x);
  }
  if (part.conns.length || part.data.length) parts.push(part);
  return { parts, skipped };
}

/** Flat frames as the model takes them, one object each (in the background, off the page's thread). */
export function toFrames({ meta, data, cut, traces, panel }: FlatFrames & { cut: readonly number[] }): RelayFrame[] {
  const out: RelayFrame[] = [];
  for (let i = 0, j = 0; i < data.length; i++, j += 3) {
    const kind = meta[j + 2]!;
    out.push({ c: meta[j]!, t: meta[j + 1]!, d: kind & FRAME_OUT ? 'out' : 'in', x: kind & FRAME_BINARY ? { b64: data[i]! } : data[i]! });
  }
  for (let k = 0; k < cut.length; k += 2) out[cut[k]!]!.n = cut[k + 1]!;
  for (const t of traces ?? []) out[t.i]!.s = t.s;
  for (const i of panel ?? []) out[i]!.p = true;
  return out;
}
