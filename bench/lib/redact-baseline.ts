// BASELINE ONLY, for `npm run bench -- decode`: the redaction as it was before issue #17 (main's
// src/core/wire/redact.ts), kept to measure the new one against it. Not used by the extension.

export const REDACTED = '[redacted]';

/** Key names that carry credentials, compared without case, '-' or '_'. */
const SENSITIVE_KEY = /token|jwt|bearer|secret|passw|apikey|credential|^auth(?:orization|entication|key|code)?$|^xauth/;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));
}

const BEARER_VALUE = /^\s*(?:bearer|basic)\s+\S/i;
const JWT_VALUE = /^eyJ[\w-]+\.[\w-]+\.[\w-]*$/;

/** A value that is a credential whatever its key: "Bearer …", "Basic …" or a JWT. */
export function isSensitiveValue(value: string): boolean {
  return BEARER_VALUE.test(value) || JWT_VALUE.test(value);
}

function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Redacts the values of sensitive parameters in `a=1&token=x` (no leading '?'). */
export function redactQuery(query: string): string {
  if (query === '') return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      if (eq < 0) return isSensitiveValue(decodeComponent(key)) ? REDACTED : pair;
      const value = decodeComponent(pair.slice(eq + 1));
      return isSensitiveKey(decodeComponent(key)) || isSensitiveValue(value) ? `${key}=${REDACTED}` : pair;
    })
    .join('&');
}

/** Redacts credentials in a URL's query, fragment (OAuth implicit flow) and user info; keeps the rest as is. */
export function redactUrl(url: string): string {
  let rest = url;
  let fragment: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query: string | undefined;
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  // user:password@host
  rest = rest.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@]*?:)[^/@]*@/i, `$1${REDACTED}@`);
  return rest + (query === undefined ? '' : '?' + redactQuery(query)) + (fragment === undefined ? '' : '#' + redactQuery(fragment));
}

/**
 * A redacted copy of a JSON value: sensitive keys get REDACTED whatever their value, and so do
 * credential-like strings. `changed` tells whether anything was replaced. The value must have
 * passed `inspectJson` (bounded depth, no `__proto__` key), so recursion and assignment are safe.
 */
export function redactJson(value: unknown): { value: unknown; changed: boolean } {
  let changed = false;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (isSensitiveValue(v)) {
        changed = true;
        return REDACTED;
      }
      return v;
    }
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) return v.map(walk);
    const out: Record<string, unknown> = {};
    for (const [k, c] of Object.entries(v)) {
      if (isSensitiveKey(k)) {
        changed = true;
        out[k] = REDACTED;
      } else {
        out[k] = walk(c);
      }
    }
    return out;
  };
  const result = walk(value);
  return { value: result, changed };
}

// key=value, "key": value, 'key': value — the value up to a delimiter, or a whole quoted string.
const TEXT_PAIR = /(["']?)(?<![\w.$-])([\w.$-]{1,64})\1(\s*[:=]\s*)("[^"\\]*(?:\\.[^"\\]*)*"|'[^'\\]*'|[^\s,&#;?={}[\]"']+)/g;
const TEXT_BEARER = /\b(bearer|basic)(\s+)[\w.~+/=-]+/gi;
const TEXT_JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]*/g;

// Texts the patterns below would change contain one of these (unless '-'/'_' split a key word).
const TEXT_HINT = /tok|jwt|bear|secret|pass|api.?key|credential|auth|basic|eyJ/i;

/** Best-effort redaction of unparsed text (raw frames that could not be decoded, rebuilt raw text). */
export function redactText(text: string): string {
  if (!TEXT_HINT.test(text)) return text;
  return text
    .replace(TEXT_PAIR, (m: string, quote: string, key: string, sep: string, value: string) => {
      if (!isSensitiveKey(key)) return m;
      const q = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
      return `${quote}${key}${quote}${sep}${q}${REDACTED}${q}`;
    })
    .replace(TEXT_BEARER, `$1$2${REDACTED}`)
    .replace(TEXT_JWT, REDACTED);
}
