// A query against one event: the reference evaluator. The panel answers the same questions faster
// with its indexes (src/panel/store/query-index.ts) and is tested against this one. Pure.
import type { CapturedEvent } from '../model/event';
import { categoryKeyOf, isProblem } from '../model/grouping';
import { eventName, filesOf, payloadOf, someAt, type FileRef } from './facts';
import { parseAmount, parseMoment, type Moment, type Node, type Op } from './syntax';

/** What the store around the events knows: texts, versions, file problems, topic titles. */
export interface QueryContext {
  /** Lower-cased lines a person can see for the event: row texts, detail texts, its change text. */
  text(ev: CapturedEvent): string;
  /** The event's version of its item (1-based), when it is one. */
  version(ev: CapturedEvent): { n: number; summary: string } | undefined;
  /** Kinds of the current problems of a file (failed, retrying, stuck, backwards…). */
  fileProblems(fileId: string): readonly string[];
  /** Title of a topic id learned from any event. */
  topicTitle(topicId: string): string | undefined;
}

export type Predicate = (ev: CapturedEvent) => boolean;

/** Case-insensitive match of a value: exact, or a glob when it holds `*`. */
export function valueMatcher(value: string): (s: string) => boolean {
  const v = value.toLowerCase();
  if (!v.includes('*')) return (s) => s.toLowerCase() === v;
  const re = new RegExp(`^${v.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return (s) => re.test(s.toLowerCase());
}

/** A category matches as a whole or from any of its dotted parts on (task* takes app.event.task.updated). */
export function categoryMatcher(value: string): (s: string) => boolean {
  const m = valueMatcher(value);
  return (s) => {
    if (m(s)) return true;
    for (let i = s.indexOf('.'); i >= 0; i = s.indexOf('.', i + 1)) if (m(s.slice(i + 1))) return true;
    return false;
  };
}

function compare(op: Op, x: number, y: number): boolean {
  switch (op) {
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    default:
      return x === y;
  }
}

/** Local time of day (ms since midnight) of an epoch time. */
export function timeOfDay(t: number): number {
  const d = new Date(t);
  return ((d.getHours() * 60 + d.getMinutes()) * 60 + d.getSeconds()) * 1000 + d.getMilliseconds();
}

function momentCmp(t: number, m: Moment): number {
  return 'abs' in m ? t - m.abs : timeOfDay(t) - m.day;
}

/** The time test of a time term. */
export function timeTest(op: Op, value: string): (t: number) => boolean {
  if (op === ':' || op === '=') {
    const [a, b] = value.split('..');
    const from = a ? parseMoment(a) : undefined;
    // A single moment of day matches its whole second or minute as written.
    if (b === undefined) {
      const m = parseMoment(value)!;
      const width = 'abs' in m ? 1 : value.split(':').length === 2 ? 60_000 : value.includes('.') ? 1 : 1000;
      return (t) => {
        const d = momentCmp(t, m);
        return d >= 0 && d < width;
      };
    }
    const to = b ? parseMoment(b) : undefined;
    return (t) => (!from || momentCmp(t, from) >= 0) && (!to || momentCmp(t, to) <= 0);
  }
  const m = parseMoment(value)!;
  return (t) => compare(op, momentCmp(t, m), 0);
}

const STATUS_KIND: Record<number, string> = { 0: 'notstarted', 1: 'progress', 2: 'complete', 3: 'failed', 4: 'retrying', [-1]: 'unknown' };
const PROBLEM_KIND: Record<string, string> = { 'unknown status': 'unknown', 'out of order': 'outoforder' };

/** Whether a file the event carries is in conversion state `kind`: as this event says, or as its file is now. */
function convertIs(f: FileRef, kind: string, ctx: QueryContext): boolean {
  if (f.code !== undefined && STATUS_KIND[f.code] === kind) return true;
  if (f.fileId === undefined) return false;
  return ctx.fileProblems(f.fileId).some((p) => (PROBLEM_KIND[p] ?? p) === kind);
}

function contentStatus(ev: CapturedEvent): unknown {
  const p = payloadOf(ev);
  const content = typeof p === 'object' && p !== null && !Array.isArray(p) ? (p as Record<string, unknown>).content : undefined;
  return typeof content === 'object' && content !== null && !Array.isArray(content) ? (content as Record<string, unknown>).status : undefined;
}

/** Whether a leaf value of a payload path matches `op value`. */
export function leafTest(op: Op, value: string): (leaf: unknown) => boolean {
  const num = Number(value);
  const numeric = value.trim() !== '' && Number.isFinite(num);
  if (op === ':' || op === '=') {
    const m = valueMatcher(value);
    return (x) => {
      if (typeof x === 'number') return numeric ? x === num : m(String(x));
      if (typeof x === 'string' || typeof x === 'boolean') return m(String(x));
      if (x === null) return value === 'null';
      return value === '*';
    };
  }
  return (x) => {
    const n = typeof x === 'number' ? x : typeof x === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(x) ? Number(x) : NaN;
    if (Number.isFinite(n) && numeric) return compare(op, n, num);
    // Dates compare as dates.
    if (typeof x === 'string') {
      const a = Date.parse(x);
      const b = Date.parse(value);
      if (Number.isFinite(a) && Number.isFinite(b)) return compare(op, a, b);
    }
    return false;
  };
}

function fieldPredicate(n: Extract<Node, { k: 'field' }>, ctx: QueryContext): Predicate {
  const { op, value } = n;
  switch (n.field) {
    case 'event': {
      const m = valueMatcher(value);
      return (ev) => m(eventName(ev));
    }
    case 'category': {
      const m = categoryMatcher(value);
      return (ev) => m(categoryKeyOf(ev));
    }
    case 'topic': {
      const m = valueMatcher(value);
      return (ev) => {
        const s = ev.spaces;
        if (!s) return false;
        if (s.topicId !== undefined && m(s.topicId)) return true;
        const title = s.topicTitle ?? (s.topicId !== undefined ? ctx.topicTitle(s.topicId) : undefined);
        return title !== undefined && m(title);
      };
    }
    case 'sender': {
      const m = valueMatcher(value);
      return (ev) => {
        const s = ev.spaces?.sender;
        return !!s && [s.displayName, s.username, s.id].some((x) => x !== undefined && m(x));
      };
    }
    case 'dir':
      return (ev) => ev.record.dir === value;
    case 'conn': {
      const k = /^#?(\d+)$/.exec(value);
      if (k) return (ev) => ev.record.conn === Number(k[1]);
      const m = valueMatcher(value);
      return (ev) => ev.frame !== undefined && m(ev.frame);
    }
    case 'id': {
      const v = value.toLowerCase();
      return (ev) => ev.spaces?.itemId?.toLowerCase().startsWith(v) ?? false;
    }
    case 'file': {
      const m = valueMatcher(value);
      return (ev) => filesOf(ev).some((f) => (f.fileId !== undefined && m(f.fileId)) || (f.name !== undefined && m(f.name)));
    }
    case 'convert':
      return (ev) => filesOf(ev).some((f) => convertIs(f, value, ctx));
    case 'has':
      switch (value) {
        case 'file':
          return (ev) => filesOf(ev).length > 0;
        case 'diff':
          return (ev) => {
            const v = ctx.version(ev);
            return v !== undefined && v.n > 1 && v.summary !== '';
          };
        case 'reply':
          return (ev) => ev.spaces?.reply !== undefined;
        case 'error':
          return (ev) => ev.record.kind === 'error' || ev.spaces?.error !== undefined;
        default:
          return (ev) => isProblem(ev) || filesOf(ev).some((f) => f.fileId !== undefined && ctx.fileProblems(f.fileId).length > 0);
      }
    case 'status': {
      const m = valueMatcher(value);
      return (ev) => {
        const st = contentStatus(ev);
        if ((typeof st === 'string' || typeof st === 'number') && m(String(st))) return true;
        const out = ev.spaces?.reply?.outcome;
        return out !== undefined && m(out);
      };
    }
    case 'rtt': {
      const y = parseAmount('rtt', value)!;
      return (ev) => ev.spaces?.reply !== undefined && compare(op, ev.spaces.reply.rttMs, y);
    }
    case 'size': {
      const y = parseAmount('size', value)!;
      return (ev) => compare(op, ev.record.raw.length, y);
    }
    case 'version': {
      const y = parseAmount('version', value)!;
      return (ev) => {
        const v = ctx.version(ev);
        return v !== undefined && compare(op, v.n, y);
      };
    }
    case 'seq': {
      const y = parseAmount('seq', value)!;
      return (ev) => compare(op, ev.seq, y);
    }
    case 'time': {
      const test = timeTest(op, value);
      return (ev) => test(ev.record.t);
    }
  }
}

/** Whether a lower-cased text has a line holding the needle (free words never span two lines). */
export function textHas(text: string, needle: string): boolean {
  return !needle.includes('\n') && text.includes(needle);
}

/** Whether the title learned elsewhere for the topic of an event that names none holds the needle. */
function learnedTitleHas(ev: CapturedEvent, needle: string, ctx: QueryContext): boolean {
  const s = ev.spaces;
  if (s?.topicId === undefined || s.topicTitle !== undefined) return false;
  return ctx.topicTitle(s.topicId)?.toLowerCase().includes(needle) ?? false;
}

/** Whether one line of a lower-cased text matches the regex. */
export function linesMatch(text: string, re: RegExp): boolean {
  for (const line of text.split('\n')) if (line !== '' && re.test(line)) return true;
  return false;
}

/** The predicate of a term (no and/or/not). */
export function termPredicate(n: Node, ctx: QueryContext): Predicate {
  switch (n.k) {
    case 'text':
      return (ev) => textHas(ctx.text(ev), n.text) || learnedTitleHas(ev, n.text, ctx);
    case 'regex':
      return (ev) => linesMatch(ctx.text(ev), n.re);
    case 'field':
      return fieldPredicate(n, ctx);
    case 'path': {
      const test = leafTest(n.op, n.value);
      return (ev) => someAt(payloadOf(ev), n.path, test);
    }
    default:
      throw new TypeError('not a term');
  }
}

/** The whole query as one predicate; null (an empty query) matches every event. */
export function compile(node: Node | null, ctx: QueryContext): Predicate {
  if (!node) return () => true;
  switch (node.k) {
    case 'and': {
      const ps = node.items.map((x) => compile(x, ctx));
      return (ev) => ps.every((p) => p(ev));
    }
    case 'or': {
      const ps = node.items.map((x) => compile(x, ctx));
      return (ev) => ps.some((p) => p(ev));
    }
    case 'not': {
      const p = compile(node.item, ctx);
      return (ev) => !p(ev);
    }
    default:
      return termPredicate(node, ctx);
  }
}

/** Whether the query's answer can change as the clock moves with no new event: it asks about files as they are now (stuck…). */
export function usesClock(node: Node | null): boolean {
  if (!node) return false;
  switch (node.k) {
    case 'and':
    case 'or':
      return node.items.some(usesClock);
    case 'not':
      return usesClock(node.item);
    case 'field':
      return node.field === 'convert' || (node.field === 'has' && node.value === 'problem');
    default:
      return false;
  }
}
