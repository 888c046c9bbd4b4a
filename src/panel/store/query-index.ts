// The query language answered over the panel's events with indexes, not one test per event: postings
// per field value (event name, category, topic id and title, sender, connection, direction), the text
// index for words, phrases and regexes, and set operations (sorted arrays of absolute indices) for
// AND, OR and NOT; only terms no index knows (payload paths, sizes, versions…) test events one by one,
// and inside an AND only the events the other terms left. Agrees with the reference evaluator
// (src/core/query/evaluate.ts; test/query/panel-index.test.ts). Pure.
import type { CapturedEvent } from '../../core/model/event';
import { categoryKeyOf } from '../../core/model/grouping';
import { categoryMatcher, eventName, filesOf, linesMatch, termPredicate, textHas, valueMatcher, type Node, type QueryContext } from '../../core/query';
import type { TextIndex } from './search';

type Postings = Map<string, number[]>;

function post(m: Postings, key: string, abs: number): void {
  const list = m.get(key);
  if (!list) m.set(key, [abs]);
  else if (list[list.length - 1] !== abs) list.push(abs);
}

/** Field values of the events held, each with the (increasing) absolute indices of its events. */
export class FieldIndex {
  readonly events: Postings = new Map();
  readonly categories: Postings = new Map();
  /** Topic ids and the topic titles events carry, lower-cased. */
  readonly topicIds: Postings = new Map();
  readonly topicTitles: Postings = new Map();
  /** Events of a topic id that carry no title of their own (a title learned elsewhere names them). */
  readonly untitled: Postings = new Map();
  /** Sender display names, usernames and ids, lower-cased. */
  readonly senders: Postings = new Map();
  readonly conns: Postings = new Map();
  readonly dirs: Postings = new Map();
  /** Events that carry files, under '' (file and convert terms test only those). */
  readonly withFiles: Postings = new Map();
  private prunedAt = 0;

  add(abs: number, ev: CapturedEvent): void {
    post(this.events, eventName(ev).toLowerCase(), abs);
    post(this.categories, categoryKeyOf(ev), abs);
    post(this.conns, String(ev.record.conn), abs);
    post(this.dirs, ev.record.dir, abs);
    if (filesOf(ev).length) post(this.withFiles, '', abs);
    const s = ev.spaces;
    if (!s) return;
    if (s.topicId !== undefined) post(this.topicIds, s.topicId.toLowerCase(), abs);
    if (s.topicTitle !== undefined) post(this.topicTitles, s.topicTitle.toLowerCase(), abs);
    else if (s.topicId !== undefined) post(this.untitled, s.topicId, abs);
    const snd = s.sender;
    if (snd) for (const v of [snd.displayName, snd.username, snd.id]) if (v !== undefined) post(this.senders, v.toLowerCase(), abs);
  }

  /** Forgets the indices before first, now and then (amortised): lookups skip them meanwhile. */
  prune(first: number): void {
    if (first - this.prunedAt < 16_384) return;
    this.prunedAt = first;
    for (const m of [this.events, this.categories, this.topicIds, this.topicTitles, this.untitled, this.senders, this.conns, this.dirs, this.withFiles]) {
      for (const [k, list] of m) {
        const from = lowerBound(list, first);
        if (from === list.length) m.delete(k);
        else if (from > 0) m.set(k, list.slice(from));
      }
    }
  }
}

/** What the evaluation reads from the store. */
export interface QueryEnv {
  /** Absolute indices of the live events: [first, end). */
  first: number;
  end: number;
  event(abs: number): CapturedEvent;
  fields: FieldIndex;
  text: TextIndex;
  ctx: QueryContext;
  /** Topic ids and their titles, as learned from every event held. */
  titles(): Iterable<[string, string | undefined]>;
}

function lowerBound(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Merges two sorted lists, without duplicates. */
function merge(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x <= y) i++;
    if (y <= x) j++;
    out.push(x < y ? x : y);
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

function union(lists: readonly (readonly number[])[]): number[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 0) return [];
  if (nonEmpty.length === 1) return nonEmpty[0]!.slice();
  if (nonEmpty.length === 2) return merge(nonEmpty[0]!, nonEmpty[1]!);
  // Many lists (a glob over 500 topics): marks over the range they span, swept in order, no sort.
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of nonEmpty) {
    if (l[0]! < lo) lo = l[0]!;
    if (l[l.length - 1]! > hi) hi = l[l.length - 1]!;
  }
  const marks = new Uint8Array(hi - lo + 1);
  for (const l of nonEmpty) for (let i = 0; i < l.length; i++) marks[l[i]! - lo] = 1;
  const out: number[] = [];
  for (let x = 0; x < marks.length; x++) if (marks[x] === 1) out.push(x + lo);
  return out;
}

function intersect(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out.push(a[i]!);
      i++;
      j++;
    }
  }
  return out;
}

/** Indices of `within` (or every live one) not in `minus` (a sorted subset). */
function difference(env: QueryEnv, within: readonly number[] | null, minus: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  const take = (x: number): void => {
    while (j < minus.length && minus[j]! < x) j++;
    if (minus[j] !== x) out.push(x);
  };
  if (within) for (const x of within) take(x);
  else for (let x = env.first; x < env.end; x++) take(x);
  return out;
}

/** The postings of every key that matches. */
function lookup(m: Postings, match: (key: string) => boolean): number[][] {
  const out: number[][] = [];
  for (const [k, list] of m) if (match(k)) out.push(list);
  return out;
}

/** Terms an index answers: tried first in an AND, so later terms test fewer events. */
function indexed(n: Node): boolean {
  if (n.k === 'text' || n.k === 'regex') return true;
  if (n.k !== 'field') return false;
  return n.field === 'event' || n.field === 'category' || n.field === 'topic' || n.field === 'sender' || n.field === 'dir' || (n.field === 'conn' && /^#?\d+$/.test(n.value));
}

/** Events not indexed for text yet, tested one by one. */
function tailTest(env: QueryEnv, found: number[], test: (ev: CapturedEvent) => boolean): number[] {
  const from = Math.max(env.first, env.text.end);
  for (let abs = from; abs < env.end; abs++) if (test(env.event(abs))) found.push(abs);
  return found;
}

function termSet(env: QueryEnv, n: Node, within: readonly number[] | null): number[] {
  const f = env.fields;
  if (n.k === 'text') {
    const found = tailTest(env, env.text.find(n.text, env.first), (ev) => textHas(env.ctx.text(ev), n.text));
    // Events named by a topic title learned from another event.
    const more: number[][] = [];
    for (const [id, title] of env.titles()) {
      if (title === undefined || !title.toLowerCase().includes(n.text)) continue;
      const list = f.untitled.get(id);
      if (list) more.push(list.slice(lowerBound(list, env.first)));
    }
    const all = more.length ? union([found, ...more]) : found;
    return within ? intersect(within, all) : all;
  }
  if (n.k === 'regex') {
    const found = tailTest(env, env.text.findRegex(n.re, env.first), (ev) => linesMatch(env.ctx.text(ev), n.re));
    return within ? intersect(within, found) : found;
  }
  if (n.k === 'field') {
    let lists: number[][] | undefined;
    switch (n.field) {
      case 'event': {
        const m = valueMatcher(n.value);
        lists = lookup(f.events, m);
        break;
      }
      case 'category':
        lists = lookup(f.categories, categoryMatcher(n.value));
        break;
      case 'sender':
        lists = lookup(f.senders, valueMatcher(n.value));
        break;
      case 'dir':
        lists = lookup(f.dirs, (k) => k === n.value);
        break;
      case 'conn': {
        const k = /^#?(\d+)$/.exec(n.value);
        if (k) lists = lookup(f.conns, (c) => c === k[1]);
        break;
      }
      case 'topic': {
        const m = valueMatcher(n.value);
        lists = [...lookup(f.topicIds, m), ...lookup(f.topicTitles, m)];
        for (const [id, title] of env.titles()) {
          const list = f.untitled.get(id);
          if (list && title !== undefined && m(title)) lists.push(list);
        }
        break;
      }
    }
    if (lists) {
      const live = lists.map((l) => (l.length && l[0]! >= env.first ? l : l.slice(lowerBound(l, env.first))));
      const all = union(live);
      return within ? intersect(within, all) : all;
    }
  }
  // Terms about files: only events that carry one.
  if (n.k === 'field' && (n.field === 'file' || n.field === 'convert' || (n.field === 'has' && n.value === 'file'))) {
    const list = f.withFiles.get('') ?? [];
    const carrying = within ? intersect(within, list) : list.slice(lowerBound(list, env.first));
    if (n.field === 'has') return carrying;
    within = carrying;
  }
  // No index: test each candidate.
  const test = termPredicate(n, env.ctx);
  const out: number[] = [];
  if (within) {
    for (const abs of within) if (test(env.event(abs))) out.push(abs);
  } else for (let abs = env.first; abs < env.end; abs++) if (test(env.event(abs))) out.push(abs);
  return out;
}

/** The live events (absolute indices, increasing) that match the query, among `within` when given. */
export function evaluateSet(env: QueryEnv, node: Node | null, within: readonly number[] | null = null): number[] {
  if (!node) return within ? within.slice() : difference(env, null, []);
  switch (node.k) {
    case 'and': {
      const order = [...node.items].sort((a, b) => Number(indexed(b)) - Number(indexed(a)));
      let cur: readonly number[] | null = within;
      for (const item of order) {
        cur = evaluateSet(env, item, cur);
        if (cur.length === 0) break;
      }
      return cur ? cur.slice() : [];
    }
    case 'or':
      return union(node.items.map((x) => evaluateSet(env, x, within)));
    case 'not':
      return difference(env, within, evaluateSet(env, node.item, within));
    default:
      return termSet(env, node, within);
  }
}
