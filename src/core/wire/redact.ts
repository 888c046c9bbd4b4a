// Credential redaction, one rule set for every path: frames in both directions, raw text, binary
// previews, URLs, logs on import and export. Tokens never leave the wire layer.
import { base64ToBytes } from '../base64';

export const REDACTED = '[redacted]';

/** Key names that carry credentials (a meeting's PIN too), compared without case, '-' or '_'. */
const SENSITIVE_KEY = /token|jwt|bearer|secret|passw|^pass$|pin$|apikey|credential|cookie|^auth(?:ori[sz]ation|entication|key|code)?$|^xauth/;

// Payloads repeat the same few hundred key names: each is tested once.
const keyMemo = new Map<string, boolean>();
const KEY_MEMO_MAX = 4096;

export function isSensitiveKey(key: string): boolean {
  let s = keyMemo.get(key);
  if (s === undefined) {
    s = SENSITIVE_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));
    if (key.length <= 64 && keyMemo.size < KEY_MEMO_MAX) keyMemo.set(key, s);
  }
  return s;
}

/**
 * A text the rules below would change contains one of these words (case aside). Tested before any
 * rule, so text without them costs one scan. Keys split inside a word ("to_ken", which isSensitiveKey
 * accepts as a JSON key) are not found in free text.
 */
const HINT = /tok|jwt|bear|secret|pass|pin|api.?key|credential|auth|basic|cookie|eyj/i;

/** False when redactText would keep `text` as is (the shortest text a rule changes is "pin=1"). */
export function mayHoldSecret(text: string): boolean {
  return text.length >= 5 && HINT.test(text);
}

const SCHEME = 'jwt|bearer|basic|oauth';
/** What follows a scheme word: the credential (base64, base64url, JWT, opaque token). */
const CRED = String.raw`[\w.~+/=-]+`;
// A value ends at a delimiter; percent-encoded values (a URL inside a query) end at an encoded '&' or '#'.
const PLAIN = String.raw`(?:[^\s,&#;?={}[\]"'\\%]|%(?!26|23|2526|2523)[0-9A-Fa-f]{2})+`;
const SECRET = new RegExp(
  [
    // 1: a JWT: header and payload, signature optional (a cut frame keeps its start)
    String.raw`(\beyJ[\w-]+\.[\w-]+(?:\.[\w-]*)?)`,
    // 2-3: a Cookie / Set-Cookie header line: the whole value
    String.raw`\b((?:set-)?cookie\s*:[ \t]*)(?!\\*["'])([^\r\n"'\\]+)`,
    // 4-7 (a quoted value may run to the end: a frame cut inside it)
    // key=value, "key": value, key: scheme value, token%3Dvalue (a URL in a URL), \"key\":\"value\"
    String.raw`(\\*["']|)(?<![\w.$-])([\w.$-]{1,64})\4(\s*[:=]\s*|%3[dD]|%253[dD])` +
      String.raw`("(?:[^"\\]|\\.)*(?:"|$)|'[^'\\]*'|\\+"[^"\\]*\\+"|(?:${SCHEME})(?:\s|\+|%20)+${CRED}|${PLAIN})`,
    // 8-10: an auth scheme and its credential inside text ("Bearer …", "jwt …")
    String.raw`\b(${SCHEME})((?:\s|\+|%20)+)(${CRED})`,
  ].join('|'),
  'gi',
);

const JSON_OBJECT_START = /^\s*\{/;

/**
 * A JWT's header is a base64url JSON object ("eyJ" is base64 for '{"'). Ids, file names or base64
 * data that only start like one, and whose first segment does not decode to a JSON object, are kept.
 */
function isJwt(token: string): boolean {
  const head = token.slice(0, token.indexOf('.')).replace(/-/g, '+').replace(/_/g, '/');
  const bytes = base64ToBytes(head);
  if (bytes === undefined) return false;
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  if (!JSON_OBJECT_START.test(text)) return false;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/**
 * Text after an auth scheme that is a credential, not a word: "Basic plan" and "bearer tokens" stay,
 * "Bearer 9f8e…", "Basic dXNlcjpwYXNz" go. A value that is only a Bearer scheme and one word is
 * redacted whatever the word.
 */
function looksLikeCredential(s: string): boolean {
  return s.length >= 24 || (s.length >= 6 && (/[\d._~+/=-]/.test(s) || /[A-Z]/.test(s.slice(1))));
}

/** Values kept under a credential's key, as redactJson keeps them (with '' and null): they say nothing. */
const FLAG = /^(?:true|false|null)$/;

function quoteOf(value: string): string {
  if (value.startsWith('"')) return '"';
  if (value.startsWith("'")) return "'";
  const m = /^\\+"/.exec(value);
  return m ? m[0] : '';
}

/**
 * Redacts credentials in any text: JWTs, values of credential keys (`token=`, `"password": …`,
 * `Authorization: jwt …`, `;token=`, `token%3D…` inside an encoded URL), Cookie header values, and
 * credentials after an auth scheme (jwt, Bearer, Basic, OAuth). Idempotent.
 */
export function redactText(text: string): string {
  if (!mayHoldSecret(text)) return text;
  return text.replace(SECRET, (m: string, ...g: unknown[]) => {
    const [jwt, cookieHead, , quote, key, sep, value, scheme, space, cred] = g as (string | undefined)[];
    if (jwt !== undefined) return isJwt(jwt) ? REDACTED : m;
    if (cookieHead !== undefined) return cookieHead + REDACTED;
    if (key !== undefined && value !== undefined) {
      const head = `${quote}${key}${quote}${sep}`;
      const q = quoteOf(value);
      if (isSensitiveKey(key)) return value === `${q}${REDACTED}${q}` || FLAG.test(value) || value === q + q ? m : `${head}${q}${REDACTED}${q}`;
      // another key: its value may still hold one (a URL with ?token=, a JWT)
      const end = q !== '' && value.length > q.length && value.endsWith(q) ? q : '';
      const inner = value.slice(q.length, value.length - end.length);
      const red = redactText(inner);
      return red === inner ? m : `${head}${q}${red}${end}`;
    }
    if (cred !== undefined && scheme !== undefined) {
      const whole = m.length === text.trim().length && /^bearer$/i.test(scheme);
      return whole || looksLikeCredential(cred) ? `${scheme}${space ?? ' '}${REDACTED}` : m;
    }
    return m;
  });
}

function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Redacts the values of sensitive parameters in `a=1&token=x` (no leading '?'), and values that hold a credential. */
export function redactQuery(query: string): string {
  if (query === '' || (!HINT.test(query) && !query.includes('%'))) return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? key : pair.slice(eq + 1);
      if (eq >= 0 && isSensitiveKey(decodeComponent(key))) return `${key}=${REDACTED}`;
      const decoded = decodeComponent(value);
      if (redactText(decoded) === decoded && !/^\s*(?:bearer|basic)\s+\S/i.test(decoded)) return pair;
      return eq < 0 ? REDACTED : `${key}=${REDACTED}`;
    })
    .join('&');
}

/** Redacts credentials in a URL's path, query, fragment (OAuth implicit flow) and user info. */
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
  // user:password@host; then a JWT or ;token= in the path
  rest = redactText(rest.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@]*?:)[^/@]*@/i, `$1${REDACTED}@`));
  return rest + (query === undefined ? '' : '?' + redactQuery(query)) + (fragment === undefined ? '' : '#' + redactQuery(fragment));
}

const KEY_NAME = /^[\w.$-]{1,64}$/;

/** A string that names a credential: in an array, the element after it is one (`["Cookie", "sid=…"]`). */
export function namesSecret(s: string): boolean {
  return s.length <= 64 && KEY_NAME.test(s) && isSensitiveKey(s);
}

/**
 * A credential's value as kept: a flag, null or '' says nothing (`passwordRequired: false`);
 * anything else goes. FLAG keeps the same in text.
 */
function hidden(v: unknown): unknown {
  return v === null || typeof v === 'boolean' || v === '' ? v : REDACTED;
}

/**
 * The value with credentials redacted: values of sensitive keys (flags aside), the element after a
 * sensitive name in an array (header pairs `["Authorization", "jwt …"]`), every string through redactText.
 * Copy on write: what did not change is returned as is (the same object), so `changed` is
 * `result !== value`. The value must have passed `inspectJson` (bounded depth, no `__proto__` key).
 */
export function redactJson<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v);
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const c: unknown = v[i];
        const prev: unknown = i > 0 ? v[i - 1] : undefined;
        const r = typeof c === 'string' && typeof prev === 'string' && namesSecret(prev) ? hidden(c) : walk(c);
        if (r !== c) (out ??= v.slice())[i] = r;
      }
      return out ?? v;
    }
    let out: Record<string, unknown> | undefined;
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const c = o[k];
      const r = isSensitiveKey(k) ? hidden(c) : walk(c);
      if (r !== c) (out ??= { ...o })[k] = r;
    }
    return out ?? v;
  };
  return walk(value) as T;
}

/**
 * Bytes with the credentials they hold overwritten, read as Latin-1 text (a JWT, or a JSON body in
 * UTF-8, shows as it is); the same array when there is none.
 */
export function redactBytes(bytes: Uint8Array): Uint8Array {
  let text = '';
  for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  const red = redactText(text);
  if (red === text) return bytes;
  const out = new Uint8Array(red.length);
  for (let i = 0; i < red.length; i++) out[i] = red.charCodeAt(i) & 0xff;
  return out;
}
