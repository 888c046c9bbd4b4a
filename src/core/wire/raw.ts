// Bounded raw text of frames and packets, and binary previews, redacted before they are bounded.
import type { BinaryRef, RawText } from './types';
import { MAX_RAW_BYTES, PREVIEW_BYTES } from './limits';
import { base64ToBytes, bytesToBase64 } from '../base64';
import { redactBytes, redactText } from './redact';

/** Parents up to this size may stay pinned by a kept prefix. */
const PIN_LIMIT = 64 * 1024;
/**
 * Text (or bytes) past the kept prefix that is redacted with it: a credential the cut splits is still
 * found by what comes before it (a key of up to 64 characters and its separator, an auth scheme, a
 * JWT's header and dot), and its part in the kept prefix is replaced. A quoted value cut short and a
 * JWT without its signature match as they are.
 */
const REDACT_MARGIN = 80;

/** A prefix of `text`; copied when it comes from a large frame, so that it does not pin the frame in memory. */
function prefix(text: string, max: number, large: boolean): string {
  let end = Math.min(max, text.length);
  const last = text.charCodeAt(end - 1);
  if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--; // do not split a surrogate pair
  const head = text.slice(0, end);
  return large ? (JSON.parse(JSON.stringify(head)) as string) : head;
}

/**
 * The text redacted and cut to `max` characters; `length` is the original's. `redacted`: the caller
 * redacted every part of it already (a parsed packet: socket.ts), so it is not scanned again.
 */
export function rawText(text: string, max: number, redacted = false): RawText {
  const whole = text.length <= max + REDACT_MARGIN;
  const head = whole ? text : text.slice(0, max + REDACT_MARGIN);
  const red = redacted ? head : redactText(head);
  if (whole && red.length <= max) return { text: red, length: text.length, truncated: false };
  return { text: prefix(red, max, text.length > PIN_LIMIT), length: text.length, truncated: true };
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hex(bytes: Uint8Array, max: number): string {
  const n = Math.min(bytes.length, max);
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[bytes[i] as number];
  return s;
}

/** The first `max` bytes, with the credentials they (and the margin after them) hold overwritten. */
function redactedHead(bytes: Uint8Array, max: number): Uint8Array {
  return redactBytes(bytes.subarray(0, max + REDACT_MARGIN));
}

export function rawBinary(bytes: Uint8Array): RawText {
  return { text: hex(redactedHead(bytes, MAX_RAW_BYTES), MAX_RAW_BYTES), length: bytes.length, truncated: bytes.length > MAX_RAW_BYTES, binary: true };
}

export function binaryRef(bytes: Uint8Array): BinaryRef {
  return { $binary: { length: bytes.length, preview: hex(redactedHead(bytes, PREVIEW_BYTES), PREVIEW_BYTES) } };
}

const B64_SHAPE = /^[A-Za-z0-9+/]*={0,2}$/;

/** The BinaryRef of base64 data, read without decoding all of it; undefined when it is not base64. */
export function base64Ref(s: string): BinaryRef | undefined {
  if (!B64_SHAPE.test(s)) return undefined;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 61 /* = */) end--;
  if (end % 4 === 1) return undefined;
  const head = base64ToBytes(s.slice(0, Math.min(end, Math.ceil((PREVIEW_BYTES + REDACT_MARGIN) / 3) * 4))) as Uint8Array;
  return { $binary: { length: Math.floor((end * 3) / 4), preview: hex(redactBytes(head), PREVIEW_BYTES) } };
}

/**
 * Raw text of a base64 packet (`lead` + base64, e.g. "b4…"): when the bytes hold a credential, the
 * kept base64 is that of the redacted bytes.
 */
export function rawBase64(lead: string, b64: string, max: number): RawText {
  const n = Math.floor((max + REDACT_MARGIN) / 4) * 4;
  const bytes = base64ToBytes(b64.slice(0, Math.min(b64.length, n)));
  const red = bytes && redactBytes(bytes);
  if (red === undefined || red === bytes) return rawText(lead + b64, max);
  const kept = rawText(lead + bytesToBase64(red), max);
  return { ...kept, length: lead.length + b64.length, truncated: kept.truncated || b64.length > n };
}

const HEX_SHAPE = /^(?:[0-9a-f]{2})*$/;

/**
 * A kept raw frame redacted again (a log read or written): its text, or the bytes its hex shows. The
 * same object when nothing changed.
 */
export function redactRaw(raw: RawText, max: number): RawText {
  if (raw.binary) {
    if (!HEX_SHAPE.test(raw.text)) return raw;
    const bytes = new Uint8Array(raw.text.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(raw.text.slice(2 * i, 2 * i + 2), 16);
    const red = redactBytes(bytes);
    return red === bytes ? raw : { ...raw, text: hex(red, bytes.length) };
  }
  const text = redactText(raw.text);
  if (text === raw.text) return raw;
  return text.length <= max ? { ...raw, text } : { ...raw, text: prefix(text, max, false), truncated: true };
}
