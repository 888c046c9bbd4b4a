// Short, safe text for the event list: HTML reduced to text, values previewed with secrets redacted.
import { isSensitiveKey, redactText } from '../wire/redact';
import type { JsonValue } from '../wire/types';

/** Cuts to `max` characters (ending in "…"), never between the halves of a surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - 1);
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return s.slice(0, end) + '…';
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntity(whole: string, name: string): string {
  if (name[0] === '#') {
    const n = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : whole;
  }
  return NAMED[name.toLowerCase()] ?? whole;
}

/** Message body HTML ("<p>asd</p>") as one line of text, at most `max` characters. */
export function plainText(html: string, max = 60): string {
  const text = html
    .slice(0, 4000)
    .replace(/<\/?(?:br|p|div|li|ul|ol|h[1-6]|tr|td|th|blockquote|pre)\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, decodeEntity)
    .replace(/\s+/g, ' ')
    .trim();
  return clip(text, max);
}

const MAX_DEPTH = 3;

/** A compact, bounded rendering of decoded arguments; secret-looking keys show "[redacted]", strings pass redactText. */
export function preview(value: JsonValue | undefined, max = 160): string {
  let out = '';
  const full = () => out.length > max;
  const walk = (x: unknown, depth: number): void => {
    if (full()) return;
    if (x === null || typeof x === 'number' || typeof x === 'boolean') out += String(x);
    else if (typeof x === 'string') out += JSON.stringify(clip(redactText(x), 40));
    else if (Array.isArray(x)) {
      if (depth >= MAX_DEPTH) {
        out += x.length ? '[…]' : '[]';
        return;
      }
      out += '[';
      for (let i = 0; i < x.length && !full(); i++) {
        if (i) out += ',';
        walk(x[i], depth + 1);
      }
      out += ']';
    } else if (typeof x === 'object') {
      const o = x as Record<string, unknown>;
      const bin = Object.hasOwn(o, '$binary') ? o.$binary : undefined;
      if (typeof bin === 'object' && bin !== null && typeof (bin as { length?: unknown }).length === 'number') {
        out += `<binary ${(bin as { length: number }).length} bytes>`;
        return;
      }
      const keys = Object.keys(o);
      if (depth >= MAX_DEPTH) {
        out += keys.length ? '{…}' : '{}';
        return;
      }
      out += '{';
      for (let i = 0; i < keys.length && !full(); i++) {
        const k = keys[i] as string;
        if (i) out += ',';
        out += `${clip(k, 40)}:`;
        if (isSensitiveKey(k)) out += '"[redacted]"';
        else walk(o[k], depth + 1);
      }
      out += '}';
    } else out += String(x);
  };
  walk(value, 0);
  return clip(out, max);
}
