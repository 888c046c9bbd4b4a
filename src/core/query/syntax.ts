// The query language of the panel's search box, its saved filters and the CLI: tokenizer and parser.
// Pure. Errors name the column (1-based) and what was expected there; see docs/QUERY.md.

export type Op = ':' | '=' | '>' | '>=' | '<' | '<=';

export type Node =
  | { k: 'and'; items: Node[] }
  | { k: 'or'; items: Node[] }
  | { k: 'not'; item: Node }
  /** A free word or quoted phrase, lower-cased. */
  | { k: 'text'; text: string; col: number }
  /** /source/flags: tested on each lower-cased line, always case-insensitive. */
  | { k: 'regex'; re: RegExp; col: number }
  | { k: 'field'; field: FieldName; op: Op; value: string; col: number }
  /** A payload path (content.status, sender.type, content.data[0].name). */
  | { k: 'path'; path: (string | number)[]; op: Op; value: string; col: number };

export class QueryError extends Error {
  constructor(
    readonly column: number,
    readonly reason: string,
  ) {
    super(`at column ${column}: ${reason}`);
  }
}

export interface FieldSpec {
  name: FieldName;
  help: string;
  /** Fixed values offered by autocomplete. */
  values?: readonly string[];
  /** Compared as a number (>, <, >=, <= allowed). */
  numeric?: boolean;
}

export const CONVERT_KINDS = ['failed', 'retrying', 'stuck', 'complete', 'progress', 'notstarted', 'backwards', 'unknown', 'disappeared', 'outoforder'] as const;
export const HAS_KINDS = ['file', 'problem', 'diff', 'reply', 'error'] as const;

export const FIELDS = [
  { name: 'event', help: 'event name (MESSAGE_SENT, SEND_MESSAGE, ping…); * globs' },
  { name: 'category', help: 'MESSAGE_SENT category; category:task* also takes app.event.task.updated' },
  { name: 'topic', help: 'topic title or id; * globs' },
  { name: 'sender', help: 'sender name, username or id; * globs' },
  { name: 'dir', help: 'in (server → page) or out', values: ['in', 'out'] },
  { name: 'conn', help: 'connection number (conn:2) or its frame (conn:*localhost:8081*)' },
  { name: 'id', help: 'item id (message, idea, task, topic), prefix allowed' },
  { name: 'file', help: 'file id or file name of an attachment; * globs' },
  { name: 'convert', help: 'attachment conversion: failed, retrying, stuck, complete, progress…', values: CONVERT_KINDS },
  { name: 'has', help: 'file, problem, diff, reply or error', values: HAS_KINDS },
  { name: 'status', help: 'content.status (pending, complete) or a reply outcome (echo, failed, ack)' },
  { name: 'rtt', help: 'round trip of a reply in ms (rtt>500, rtt>1s)', numeric: true },
  { name: 'size', help: 'frame size (size>10k)', numeric: true },
  { name: 'version', help: 'version number of its item (version>1)', numeric: true },
  { name: 'seq', help: 'sequence number', numeric: true },
  { name: 'time', help: 'time: time>17:30, time<2024-01-02T03:04:05Z, time:17:30..17:35', numeric: true },
] as const satisfies readonly { name: string; help: string; values?: readonly string[]; numeric?: boolean }[];

export type FieldName = (typeof FIELDS)[number]['name'];

const FIELD_SPECS: ReadonlyMap<string, FieldSpec> = new Map(FIELDS.map((f) => [f.name, f as FieldSpec]));

export function fieldSpec(name: string): FieldSpec | undefined {
  return FIELD_SPECS.get(name);
}

/** Longest query accepted (characters). */
export const MAX_QUERY = 2000;
const MAX_DEPTH = 50;

type Token =
  | { t: '('; col: number }
  | { t: ')'; col: number }
  | { t: 'OR'; col: number }
  | { t: 'AND'; col: number }
  | { t: 'NOT'; col: number }
  | { t: 'term'; node: Node; col: number };

const FIELD_RE = /^([A-Za-z_][A-Za-z0-9_]*(?:(?:\.[A-Za-z_$][A-Za-z0-9_$-]*)|(?:\[\d{1,6}\]))*)(>=|<=|:|=|>|<)/;
const SPACE = /\s/;
const REGEX_FLAGS = /^[imsu]*$/;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  const col = (at: number): number => at + 1;
  /** A "…" phrase starting at i (the quote); returns its text and the index after it. */
  const phrase = (at: number): [string, number] => {
    let s = '';
    let j = at + 1;
    for (;;) {
      if (j >= n) throw new QueryError(col(at), 'unterminated quote: expected a closing "');
      const c = src[j]!;
      if (c === '\\' && j + 1 < n) {
        s += src[j + 1];
        j += 2;
      } else if (c === '"') return [s, j + 1];
      else {
        s += c;
        j++;
      }
    }
  };
  const bare = (at: number): number => {
    let j = at;
    while (j < n && !SPACE.test(src[j]!) && src[j] !== '(' && src[j] !== ')') j++;
    return j;
  };
  while (i < n) {
    const c = src[i]!;
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ t: c, col: col(i) });
      i++;
      continue;
    }
    if (c === '-' && i + 1 < n && !SPACE.test(src[i + 1]!) && src[i + 1] !== ')') {
      out.push({ t: 'NOT', col: col(i) });
      i++;
      continue;
    }
    if (c === '"') {
      const [text, end] = phrase(i);
      if (text.trim() === '') throw new QueryError(col(i), 'empty phrase: put words between the quotes');
      out.push({ t: 'term', node: { k: 'text', text: text.toLowerCase(), col: col(i) }, col: col(i) });
      i = end;
      continue;
    }
    if (c === '/') {
      let j = i + 1;
      let inClass = false;
      for (;;) {
        if (j >= n) throw new QueryError(col(i), 'unterminated regex: expected a closing /');
        const d = src[j]!;
        if (d === '\\') j += 2;
        else {
          if (d === '[') inClass = true;
          else if (d === ']') inClass = false;
          else if (d === '/' && !inClass) break;
          j++;
        }
      }
      const source = src.slice(i + 1, j);
      const end = bare(j + 1);
      const flags = src.slice(j + 1, end);
      if (!REGEX_FLAGS.test(flags)) throw new QueryError(col(j + 1), `regex flags may be i, m, s or u, not "${flags}"`);
      if (source === '') throw new QueryError(col(i), 'empty regex');
      let re: RegExp;
      try {
        re = new RegExp(source, [...new Set(flags + 'i')].join(''));
      } catch (e) {
        throw new QueryError(col(i + 1), `invalid regex: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
      }
      out.push({ t: 'term', node: { k: 'regex', re, col: col(i) }, col: col(i) });
      i = end;
      continue;
    }
    const m = FIELD_RE.exec(src.slice(i, i + 200));
    if (m) {
      const name = m[1]!;
      const op = m[2] as Op;
      let j = i + m[0].length;
      let value: string;
      if (src[j] === '"') {
        [value] = phrase(j);
        j = phrase(j)[1];
      } else {
        const end = bare(j);
        value = src.slice(j, end);
        j = end;
      }
      if (value === '') throw new QueryError(col(i + m[0].length), `expected a value after "${name}${op}"`);
      out.push({ t: 'term', node: fieldNode(name, op, value, col(i), col(i + m[0].length)), col: col(i) });
      i = j;
      continue;
    }
    const end = bare(i);
    const word = src.slice(i, end);
    if (word === 'OR' || word === '|' || word === '||') out.push({ t: 'OR', col: col(i) });
    else if (word === 'AND' || word === '&&') out.push({ t: 'AND', col: col(i) });
    else if (word === 'NOT') out.push({ t: 'NOT', col: col(i) });
    else out.push({ t: 'term', node: { k: 'text', text: word.toLowerCase(), col: col(i) }, col: col(i) });
    i = end;
  }
  return out;
}

/** Closest known field to a misspelt one, for the error. */
function suggest(name: string): string {
  const lower = name.toLowerCase();
  if (FIELD_SPECS.has(lower)) return ` (field names are lower case: ${lower})`;
  const near = FIELDS.find((f) => f.name.startsWith(lower.slice(0, 2)) || lower.startsWith(f.name.slice(0, 3)));
  return near ? ` (did you mean ${near.name}?)` : '';
}

function fieldNode(name: string, op: Op, value: string, col: number, valueCol: number): Node {
  const spec = FIELD_SPECS.get(name);
  if (!spec) {
    if (name.includes('.') || name.includes('[')) return { k: 'path', path: parsePath(name), op, value, col };
    // A host and port (localhost:8080) or a URL (http://…) is text, as a person searching for it means.
    if (op === ':' && /^(?:\d|\/\/)/.test(value)) return { k: 'text', text: `${name}:${value}`.toLowerCase(), col };
    throw new QueryError(col, `unknown field "${name}"${suggest(name)}; for a payload field write its path (content.${name}), for text put it in quotes`);
  }
  if (op !== ':' && op !== '=' && !spec.numeric) throw new QueryError(col + name.length, `"${name}" takes ${name}:value, not ${op}`);
  if (spec.values && !spec.values.includes(value.toLowerCase()))
    throw new QueryError(valueCol, `${name}: expects ${spec.values.join(', ')}, not "${value}"`);
  if (spec.numeric) checkNumeric(spec.name, op, value, valueCol);
  return { k: 'field', field: spec.name, op, value: spec.values ? value.toLowerCase() : value, col };
}

function parsePath(name: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of name.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** A number with an optional unit: k, m, g (×1024 for size; ×1000 otherwise), s (seconds, for rtt). */
export function parseAmount(field: string, text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(k|kb|m|mb|g|gb|ms|s)?$/i.exec(text);
  if (!m) return undefined;
  const x = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const base = field === 'size' ? 1024 : 1000;
  if (unit === '' || unit === 'ms') return x;
  if (unit === 's') return field === 'rtt' ? x * 1000 : undefined;
  const pow = unit[0] === 'k' ? 1 : unit[0] === 'm' ? 2 : 3;
  return x * base ** pow;
}

/** A moment: epoch ms, an ISO date-time, or a local time of day (HH:MM[:SS[.mmm]]), as a bound to test. */
export type Moment = { abs: number } | { day: number };

export function parseMoment(text: string): Moment | undefined {
  if (/^\d{10,}$/.test(text)) return { abs: Number(text) };
  const tod = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(text);
  if (tod) {
    const [h, mi, s, ms] = [Number(tod[1]), Number(tod[2]), Number(tod[3] ?? 0), Number((tod[4] ?? '0').padEnd(3, '0'))];
    if (h > 23 || mi > 59 || s > 59) return undefined;
    return { day: ((h * 60 + mi) * 60 + s) * 1000 + ms };
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const t = Date.parse(text);
    return Number.isFinite(t) ? { abs: t } : undefined;
  }
  return undefined;
}

function checkNumeric(field: string, op: Op, value: string, col: number): void {
  if (field === 'time') {
    const parts = op === ':' || op === '=' ? value.split('..') : [value];
    if (parts.length > 2 || (op !== ':' && op !== '=' && value.includes('..')))
      throw new QueryError(col, 'a time range is time:FROM..TO');
    for (const p of parts)
      if (p !== '' && !parseMoment(p)) throw new QueryError(col, `"${p}" is not a time (17:30, 17:30:05.250, 2024-01-02T03:04:05Z or epoch ms)`);
    if (parts.every((p) => p === '')) throw new QueryError(col, 'a time range needs a start or an end');
    return;
  }
  if (parseAmount(field, value) === undefined) {
    const example = field === 'size' ? 'size>10k' : field === 'rtt' ? 'rtt>500' : `${field}>1`;
    throw new QueryError(col, `${field} takes a number (${example}), not "${value}"`);
  }
}

/** The parsed query; null for an empty one (everything matches). Throws QueryError. */
export function parseQuery(src: string): Node | null {
  if (src.length > MAX_QUERY) throw new QueryError(MAX_QUERY + 1, `a query is at most ${MAX_QUERY} characters`);
  const toks = tokenize(src);
  let p = 0;
  const end = src.length + 1;
  const peek = (): Token | undefined => toks[p];
  const startsTerm = (t: Token | undefined): boolean => t !== undefined && (t.t === 'term' || t.t === '(' || t.t === 'NOT');
  const orExpr = (depth: number): Node => {
    if (depth > MAX_DEPTH) throw new QueryError(peek()?.col ?? end, 'too deeply nested');
    const items = [andExpr(depth)];
    while (peek()?.t === 'OR') {
      const or = toks[p++]!;
      if (!startsTerm(peek())) throw new QueryError(peek()?.col ?? end, 'expected a term after OR');
      void or;
      items.push(andExpr(depth));
    }
    return items.length === 1 ? items[0]! : { k: 'or', items };
  };
  const andExpr = (depth: number): Node => {
    const items = [unary(depth)];
    for (;;) {
      const t = peek();
      if (t?.t === 'AND') {
        p++;
        if (!startsTerm(peek())) throw new QueryError(peek()?.col ?? end, 'expected a term after AND');
        items.push(unary(depth));
      } else if (startsTerm(t)) items.push(unary(depth));
      else break;
    }
    return items.length === 1 ? items[0]! : { k: 'and', items };
  };
  const unary = (depth: number): Node => {
    const t = peek();
    if (t?.t === 'NOT') {
      p++;
      if (!startsTerm(peek())) throw new QueryError(peek()?.col ?? end, 'expected a term after -');
      return { k: 'not', item: unary(depth + 1) };
    }
    return primary(depth);
  };
  const primary = (depth: number): Node => {
    const t = peek();
    if (!t) throw new QueryError(end, 'expected a term');
    if (t.t === 'term') {
      p++;
      return t.node;
    }
    if (t.t === '(') {
      p++;
      if (peek()?.t === ')') throw new QueryError(peek()!.col, 'expected a term inside ( )');
      const inner = orExpr(depth + 1);
      const close = peek();
      if (close?.t !== ')') throw new QueryError(close?.col ?? end, "expected ')'");
      p++;
      return inner;
    }
    if (t.t === ')') throw new QueryError(t.col, "unexpected ')' (no '(' before it)");
    throw new QueryError(t.col, `${t.t} needs a term before it`);
  };
  if (toks.length === 0) return null;
  const node = orExpr(0);
  const rest = peek();
  if (rest) throw new QueryError(rest.col, rest.t === ')' ? "unexpected ')' (no '(' before it)" : `unexpected ${rest.t}`);
  return node;
}

/** parseQuery without throwing. */
export function tryParse(src: string): { ok: true; node: Node | null } | { ok: false; error: QueryError } {
  try {
    return { ok: true, node: parseQuery(src) };
  } catch (e) {
    if (e instanceof QueryError) return { ok: false, error: e };
    throw e;
  }
}

/** Quotes a value for a term when it needs it (spaces, quotes, parentheses). */
export function quoteValue(v: string): string {
  return v !== '' && !/[\s"()\\]/.test(v) && !v.startsWith('-') ? v : `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The term `field:value` (or its negation) to add to a query. */
export function termOf(field: string, value: string, negate = false): string {
  return `${negate ? '-' : ''}${field}:${quoteValue(value)}`;
}

/** The query with a term added (AND); a time term replaces the time range already there. */
export function addTerm(query: string, term: string): string {
  let q = query.trim();
  if (term.startsWith('time:')) q = q.replace(/(^|\s)time:\S+/g, '').trim();
  if (q === '') return term;
  // A query with OR at its top is kept whole.
  const safe = tryParse(q);
  const wrap = safe.ok && safe.node?.k === 'or' ? `(${q})` : q;
  return `${wrap} ${term}`;
}

const VALUE = String.raw`(?:"(?:[^"\\]|\\.)*"|[^\s()"]+)`;

/**
 * Several values of one field chosen at once: toggles `field:value` in the query's group of such terms,
 * written `(field:a OR field:b)` (one term alone stands bare); the rest of the query is kept.
 */
export function toggleChoice(query: string, field: string, value: string): string {
  const term = termOf(field, value);
  const one = `${field}:${VALUE}`;
  const group = new RegExp(String.raw`(^|\s)(\(${one}(?:\s+OR\s+${one})*\)|${one})(?=\s|$)`);
  const m = group.exec(query);
  if (!m) return addTerm(query, term);
  const terms = [...m[2]!.matchAll(new RegExp(one, 'g'))].map((x) => x[0]);
  const at = terms.findIndex((t) => t.toLowerCase() === term.toLowerCase());
  if (at >= 0) terms.splice(at, 1);
  else terms.push(term);
  const replaced = terms.length === 0 ? '' : terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`;
  const start = m.index + m[1]!.length;
  return `${query.slice(0, start)}${replaced}${query.slice(start + m[2]!.length)}`.replace(/\s{2,}/g, ' ').trim();
}

/**
 * The values of `field` the query chooses as a whole: a `field:value` term, or a group of them joined
 * by OR, standing on its own or as one of the query's AND terms (as toggleChoice writes them). [] when none.
 */
export function chosenValues(query: string, field: 'topic' | 'category'): string[] {
  const parsed = tryParse(query);
  if (!parsed.ok || !parsed.node) return [];
  const node = parsed.node;
  const out: string[] = [];
  for (const n of node.k === 'and' ? node.items : [node]) {
    const items = n.k === 'or' ? n.items : [n];
    if (items.every((x) => x.k === 'field' && x.field === field && (x.op === ':' || x.op === '=')))
      for (const x of items) if (x.k === 'field') out.push(x.value);
  }
  return out;
}
