// Bounded raw text of frames and packets, and binary previews.
import type { BinaryRef, RawText } from './types';
import { MAX_RAW_BYTES, PREVIEW_BYTES } from './limits';
import { base64ToBytes } from '../base64';

/** Parents up to this size may stay pinned by a kept prefix. */
const PIN_LIMIT = 64 * 1024;

/** A prefix of `text`; copied when `text` is large, so that the kept prefix does not pin it in memory. */
function prefix(text: string, max: number): string {
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // do not split a surrogate pair
  const head = text.slice(0, end);
  return text.length > PIN_LIMIT ? (JSON.parse(JSON.stringify(head)) as string) : head;
}

export function rawText(text: string, max: number): RawText {
  if (text.length <= max) return { text, length: text.length, truncated: false };
  return { text: prefix(text, max), length: text.length, truncated: true };
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hex(bytes: Uint8Array, max: number): string {
  const n = Math.min(bytes.length, max);
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[bytes[i] as number];
  return s;
}

export function rawBinary(bytes: Uint8Array): RawText {
  return { text: hex(bytes, MAX_RAW_BYTES), length: bytes.length, truncated: bytes.length > MAX_RAW_BYTES, binary: true };
}

export function binaryRef(bytes: Uint8Array): BinaryRef {
  return { $binary: { length: bytes.length, preview: hex(bytes, PREVIEW_BYTES) } };
}

const B64_SHAPE = /^[A-Za-z0-9+/]*={0,2}$/;

/** The BinaryRef of base64 data, read without decoding all of it; undefined when it is not base64. */
export function base64Ref(s: string): BinaryRef | undefined {
  if (!B64_SHAPE.test(s)) return undefined;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 61 /* = */) end--;
  if (end % 4 === 1) return undefined;
  const head = base64ToBytes(s.slice(0, Math.min(end, Math.ceil(PREVIEW_BYTES / 3) * 4))) as Uint8Array;
  return { $binary: { length: Math.floor((end * 3) / 4), preview: hex(head, PREVIEW_BYTES) } };
}
