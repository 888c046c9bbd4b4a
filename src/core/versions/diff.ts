// What changed between two versions of a Spaces item: a jsondiffpatch delta configured for Spaces
// identities, a flat change list for the UI, word-level text diffs and a one-line summary.
//
// Identities: array items are matched by `fileId` (attachments in content.data), `member` (topic
// members), `_id` (assignees, most objects), `id`, `recordingId`; items without one by position.
// Arrays whose items carry an identity, and content.assignees (user ids), are sets: reordering them
// is not a change ("moved" is reported only for other arrays).
// Noise, never in the delta: top-level `modified` (the version's own time, shown by the version),
// top-level `category` (the version's kind: create, update, removal) and a topic's `content.modified`.
import { diff_match_patch } from '@dmsnell/diff-match-patch';
import { create, type Delta, type DiffContext, type Options } from 'jsondiffpatch';
import { clip, plainText, preview } from '../spaces/text';
import type { JsonValue } from '../wire/types';
import { isRemoval, isTopicCategory, type ItemHistory, type Version } from './history';
import { isObj, jsonEqual, own, type Obj } from './json';

export type ChangeKind = 'changed' | 'added' | 'removed' | 'moved';

/** One step of a change's path: a key, an array index, or an array item's identity. */
export type PathKey = string | number | { field: string; value: string };

export interface TextSegment {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface Change {
  /** e.g. "content.data[fileId=abc].convertStatus", "content.keywords[2]". */
  path: string;
  keys: PathKey[];
  kind: ChangeKind;
  /** Value before (absent when added); for "moved", the index before. */
  old?: JsonValue;
  /** Value after (absent when removed); for "moved", the index after. */
  new?: JsonValue;
  /** content.bodyText / content.description: word-level diff of the text (HTML reduced to text). */
  text?: TextSegment[];
  /** The text diff covers only the first TEXT_MAX characters of the HTML. */
  textTruncated?: true;
}

export interface PayloadDiff {
  /** jsondiffpatch delta, undefined when nothing but noise differs. */
  delta: Delta;
  /** Changed fields only; unchanged ones are simply absent. */
  changes: Change[];
}

const ID_FIELDS = ['fileId', 'member', '_id', 'id', 'recordingId'] as const;
/** Arrays of plain ids that are sets (order not meaningful). */
const SET_PATHS: ReadonlySet<string> = new Set(['content.assignees']);
const TEXT_PATHS: ReadonlySet<string> = new Set(['content.bodyText', 'content.description']);
/** HTML characters given to the word diff (plainText's own input bound). */
export const TEXT_MAX = 4000;
const SUMMARY_MAX = 200;

function identity(x: unknown): { field: string; value: string } | undefined {
  if (!isObj(x)) return undefined;
  for (const field of ID_FIELDS) {
    const v = own(x, field);
    if (typeof v === 'string' || typeof v === 'number') return { field, value: String(v) };
  }
  return undefined;
}

function isNoise(name: string, ctx: DiffContext): boolean {
  if (ctx.parent === undefined) return name === 'modified' || name === 'category';
  return name === 'modified' && ctx.childName === 'content' && ctx.parent.parent === undefined;
}

const OPTIONS: Options = {
  objectHash: (o, index) => {
    const id = identity(o);
    return id ? `${id.field}=${id.value}` : `#${index ?? ''}`;
  },
  arrays: { detectMove: true, includeValueOnMove: false },
  propertyFilter: (name, ctx) => !isNoise(name, ctx),
};
/** Long strings as text patches (diff-match-patch passed in: no eval, bundles as plain ESM). */
const differ = create({ ...OPTIONS, textDiff: { diffMatchPatch: diff_match_patch, minLength: 60 } });
/** For summaries: same delta shape, long strings as [old, new] (no patch text to build). */
const fastDiffer = create(OPTIONS);

const dmp = new diff_match_patch();
dmp.Diff_Timeout = 0.25;

/**
 * Copies of a and b without the keys whose values are equal, so jsondiffpatch only walks what
 * differs; the delta is the same as for a and b. Undefined when they are equal. Objects are
 * null-prototype so no key ("constructor"…) is inherited.
 */
function prune(a: Obj, b: Obj): [Obj, Obj] | undefined {
  let pa: Obj | undefined;
  let pb: Obj | undefined;
  for (const k of Object.keys(a)) {
    const x = a[k];
    const hasY = Object.hasOwn(b, k);
    const y = hasY ? b[k] : undefined;
    if (x === y && hasY) continue;
    let px = x;
    let py = y;
    if (hasY && isObj(x) && isObj(y)) {
      const p = prune(x, y);
      if (!p) continue;
      [px, py] = p;
    } else if (hasY && Array.isArray(x) && Array.isArray(y)) {
      const p = pruneArrays(x, y);
      if (!p) continue;
      [px, py] = p;
    } else if (hasY && jsonEqual(x, y)) continue;
    pa ??= Object.create(null) as Obj;
    pb ??= Object.create(null) as Obj;
    pa[k] = px;
    if (hasY) pb[k] = py;
  }
  for (const k of Object.keys(b)) {
    if (Object.hasOwn(a, k)) continue;
    pa ??= Object.create(null) as Obj;
    pb ??= Object.create(null) as Obj;
    pb[k] = b[k];
  }
  return pa && pb ? [pa, pb] : undefined;
}

/**
 * Arrays a and b with each pair of matching object items (same identity, or same index without one)
 * pruned: equal pairs become one shared reference, differing pairs keep their identity field and
 * what differs. Unmatched items stay as they are. Undefined when the arrays are equal.
 */
function pruneArrays(a: readonly unknown[], b: readonly unknown[]): [unknown[], unknown[]] | undefined {
  const aligned = pruneAligned(a, b);
  return aligned === null ? undefined : (aligned ?? pruneMatched(a, b));
}

function sameIdentity(x: Obj, y: Obj): boolean {
  for (const f of ID_FIELDS) {
    const vx = x[f];
    const vy = y[f];
    const hx = Object.hasOwn(x, f) && (typeof vx === 'string' || typeof vx === 'number');
    const hy = Object.hasOwn(y, f) && (typeof vy === 'string' || typeof vy === 'number');
    if (hx || hy) return hx && hy && String(vx) === String(vy);
  }
  return true;
}

/**
 * The common case without allocating maps: items at the same index with the same identity (or
 * both without one). Null when the arrays are equal; undefined when they are not aligned so.
 */
function pruneAligned(a: readonly unknown[], b: readonly unknown[]): [unknown[], unknown[]] | null | undefined {
  let pa: unknown[] | undefined;
  let pb: unknown[] | undefined;
  let changed = a.length !== b.length;
  const n = Math.min(a.length, b.length);
  for (let j = 0; j < n; j++) {
    const x = a[j];
    const y = b[j];
    if (x === y) continue;
    if (!isObj(x) || !isObj(y)) {
      if (jsonEqual(x, y)) continue;
      if (typeof x === 'object' || typeof y === 'object') return undefined;
      changed = true;
      continue;
    }
    if (!sameIdentity(x, y)) return undefined;
    const p = prune(x, y);
    pb ??= b.slice();
    if (!p) {
      pb[j] = x;
      continue;
    }
    changed = true;
    pa ??= a.slice();
    for (const f of ID_FIELDS) {
      if (Object.hasOwn(x, f)) p[0][f] = x[f];
      if (Object.hasOwn(y, f)) p[1][f] = y[f];
    }
    pa[j] = p[0];
    pb[j] = p[1];
  }
  return changed ? [pa ?? a.slice(), pb ?? b.slice()] : null;
}

function pruneMatched(a: readonly unknown[], b: readonly unknown[]): [unknown[], unknown[]] | undefined {
  const pa = a.slice();
  const pb = b.slice();
  let same = a.length === b.length;
  // Identity → index in a; -1 when the identity is not unique there (such items are not paired).
  const byId = new Map<string, number>();
  for (let i = 0; i < a.length; i++) {
    const id = identity(a[i]);
    if (id) {
      const k = `${id.field}=${id.value}`;
      byId.set(k, byId.has(k) ? -1 : i);
    }
  }
  const used = new Set<number>();
  for (let j = 0; j < b.length; j++) {
    const y = b[j];
    if (!isObj(y)) {
      if (same && y !== a[j]) same = false;
      continue;
    }
    const id = identity(y);
    const i = id ? byId.get(`${id.field}=${id.value}`) : j;
    const x = i === undefined ? undefined : a[i];
    if (i === undefined || i < 0 || used.has(i) || !isObj(x) || (!id && identity(x))) {
      same = false;
      continue;
    }
    used.add(i);
    if (i !== j) same = false;
    const p = prune(x, y);
    if (!p) {
      pb[j] = x;
      continue;
    }
    same = false;
    if (id) {
      p[0][id.field] = x[id.field];
      p[1][id.field] = y[id.field];
    }
    pa[i] = p[0];
    pb[j] = p[1];
  }
  return same ? undefined : [pa, pb];
}

function pathOf(keys: readonly PathKey[]): string {
  let s = '';
  for (const k of keys) {
    if (typeof k === 'number') s += `[${k}]`;
    else if (typeof k === 'object') s += `[${k.field}=${k.value}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(k)) s += s ? `.${k}` : k;
    else s += `[${JSON.stringify(k)}]`;
  }
  return s;
}

function keyOf(x: unknown, index: number): PathKey {
  return identity(x) ?? index;
}

interface Walk {
  out: Change[];
  words: boolean;
}

function push(w: Walk, keys: PathKey[], kind: ChangeKind, old: unknown, neu: unknown): void {
  const c: Change = { path: pathOf(keys), keys, kind };
  if (old !== undefined) c.old = old as JsonValue;
  if (neu !== undefined) c.new = neu as JsonValue;
  if (w.words && TEXT_PATHS.has(c.path) && kind !== 'moved') {
    const before = typeof old === 'string' ? old : '';
    const after = typeof neu === 'string' ? neu : '';
    if (typeof old === 'string' || typeof neu === 'string') {
      c.text = htmlWordDiff(before, after);
      if (before.length > TEXT_MAX || after.length > TEXT_MAX) c.textTruncated = true;
    }
  }
  w.out.push(c);
}

function walk(w: Walk, delta: Delta, left: unknown, right: unknown, keys: PathKey[]): void {
  if (delta === undefined) return;
  if (Array.isArray(delta)) {
    if (delta.length === 1) push(w, keys, 'added', undefined, delta[0]);
    else if (delta.length === 2) push(w, keys, 'changed', delta[0], delta[1]);
    else if (delta[2] === 0) push(w, keys, 'removed', delta[0], undefined);
    else if (delta[2] === 2) push(w, keys, 'changed', left, right);
    return;
  }
  if (own(delta, '_t') === 'a') {
    walkArray(w, delta as Obj, Array.isArray(left) ? left : [], Array.isArray(right) ? right : [], keys);
    return;
  }
  for (const k of Object.keys(delta)) walk(w, (delta as Obj)[k] as Delta, own(left, k), own(right, k), [...keys, k]);
}

function walkArray(w: Walk, delta: Obj, left: readonly unknown[], right: readonly unknown[], keys: PathKey[]): void {
  const path = pathOf(keys);
  const isSet =
    SET_PATHS.has(path) || (left.length + right.length > 0 && left.every((x) => identity(x)) && right.every((x) => identity(x)));
  const leftById = new Map<string, unknown>();
  for (const x of left) {
    const id = identity(x);
    if (id) leftById.set(`${id.field}=${id.value}`, x);
  }
  for (const k of Object.keys(delta)) {
    if (k === '_t') continue;
    const d = delta[k] as Delta;
    if (k.startsWith('_')) {
      const from = Number(k.slice(1));
      const item = left[from];
      if (!Array.isArray(d)) continue;
      if (d[2] === 3) {
        if (!isSet) push(w, [...keys, keyOf(item, from)], 'moved', from, d[1]);
      } else push(w, [...keys, keyOf(item, from)], 'removed', d[0], undefined);
    } else {
      const at = Number(k);
      const item = right[at];
      const id = identity(item);
      const before = id ? leftById.get(`${id.field}=${id.value}`) : left[at];
      walk(w, d, before, item, [...keys, keyOf(item, at)]);
    }
  }
}

/**
 * Diffs two payloads (before undefined: everything is added). `words` adds word-level text diffs of
 * content.bodyText / content.description; `textPatches` keeps long strings as text patches in the delta.
 */
export function diffPayloads(before: JsonValue | undefined, after: JsonValue, opts: { words?: boolean; textPatches?: boolean } = {}): PayloadDiff {
  const words = opts.words ?? true;
  const d = (opts.textPatches ?? true) ? differ : fastDiffer;
  let delta: Delta;
  if (isObj(before) && isObj(after)) {
    const p = prune(before, after);
    delta = p ? d.diff(p[0], p[1]) : undefined;
  } else delta = d.diff(before, after);
  const w: Walk = { out: [], words };
  walk(w, delta, before, after, []);
  return { delta, changes: w.out };
}

const TOKEN = /[\p{L}\p{N}_]+|\s+|[^\p{L}\p{N}_\s]/gu;

/** Word-level diff of two plain texts: words, runs of space and single marks are the units. */
export function wordDiff(before: string, after: string): TextSegment[] {
  const codes = new Map<string, string>();
  const tokens: string[] = [];
  const encode = (s: string): string => {
    let out = '';
    for (const t of s.match(TOKEN) ?? []) {
      let c = codes.get(t);
      if (c === undefined) {
        // One UTF-16 unit per distinct token, never a surrogate (input is bounded well below that range).
        const n = 0x100 + tokens.length;
        c = String.fromCharCode(n < 0xd800 ? n : n + 0x800);
        codes.set(t, c);
        tokens.push(t);
      }
      out += c;
    }
    return out;
  };
  const a = encode(before);
  const b = encode(after);
  const diffs = dmp.diff_main(a, b, false);
  dmp.diff_cleanupSemantic(diffs);
  const out: TextSegment[] = [];
  for (const [op, chars] of diffs) {
    let text = '';
    for (let i = 0; i < chars.length; i++) {
      const n = chars.charCodeAt(i);
      text += tokens[(n < 0xd800 ? n : n - 0x800) - 0x100] ?? '';
    }
    if (!text) continue;
    const kind = op === 0 ? 'equal' : op === 1 ? 'insert' : 'delete';
    const last = out[out.length - 1];
    if (last && last.op === kind) last.text += text;
    else out.push({ op: kind, text });
  }
  return out;
}

/** Word diff of two HTML (or plain) texts, reduced to text first. */
export function htmlWordDiff(before: string, after: string): TextSegment[] {
  return wordDiff(plainText(before, Infinity), plainText(after, Infinity));
}

/** Topic versions of one family diff against each other: the topic, its preferences, its read marks. */
function family(category: string): string {
  if (!isTopicCategory(category)) return 'item';
  return category === 'topic.updated' || category === 'app.event.topic.new' ? 'topic' : category;
}

/**
 * Index of the version `i` is diffed against: for a duplicate, the version it repeats; otherwise the
 * newest earlier version of its family that is not a duplicate. Undefined for the first.
 */
export function baseIndex(item: ItemHistory, i: number): number | undefined {
  const v = item.versions[i];
  if (!v) return undefined;
  if (v.duplicateOf !== undefined) {
    for (let k = i - 1; k >= 0; k--) if (item.versions[k]?.seq === v.duplicateOf) return k;
  }
  const f = family(v.category);
  for (let k = i - 1; k >= 0; k--) {
    const w = item.versions[k] as Version;
    if (w.duplicateOf === undefined && family(w.category) === f) return k;
  }
  return undefined;
}

/** Version `i` against its base (see baseIndex), with word diffs. */
export function versionDiff(item: ItemHistory, i: number): PayloadDiff & { base?: number } {
  const v = item.versions[i];
  if (!v) return { delta: undefined, changes: [] };
  const base = baseIndex(item, i);
  const d = diffPayloads(base === undefined ? undefined : item.versions[base]?.payload, v.payload);
  return base === undefined ? d : { ...d, base };
}

/** Any two versions of an item, `a` before `b`. */
export function compareVersions(item: ItemHistory, a: number, b: number): PayloadDiff {
  const va = item.versions[a];
  const vb = item.versions[b];
  if (!va || !vb) return { delta: undefined, changes: [] };
  return diffPayloads(va.payload, vb.payload);
}

const summaryCache = new WeakMap<Version, { base: Version | undefined; text: string }>();

/** The one-line summary of every kept version (cached per version and base). */
export function versionSummaries(item: ItemHistory): string[] {
  const lastOf = new Map<string, Version>();
  const bySeq = new Map<number, Version>();
  return item.versions.map((v) => {
    const f = family(v.category);
    const base = v.duplicateOf !== undefined ? (bySeq.get(v.duplicateOf) ?? lastOf.get(f)) : lastOf.get(f);
    if (v.duplicateOf === undefined) {
      lastOf.set(f, v);
      bySeq.set(v.seq, v);
    }
    const hit = summaryCache.get(v);
    if (hit && hit.base === base) return hit.text;
    const text = versionSummary(v, base);
    summaryCache.set(v, { base, text });
    return text;
  });
}

/** The summary of version `i` alone (same cache as versionSummaries): for one list row. */
export function summaryAt(item: ItemHistory, i: number): string {
  const v = item.versions[i];
  if (!v) return '';
  const b = baseIndex(item, i);
  const base = b === undefined ? undefined : item.versions[b];
  const hit = summaryCache.get(v);
  if (hit && hit.base === base) return hit.text;
  const text = versionSummary(v, base);
  summaryCache.set(v, { base, text });
  return text;
}

function versionSummary(v: Version, base: Version | undefined): string {
  if (v.duplicateOf !== undefined) return `duplicate of #${v.duplicateOf}`;
  const changes = base ? diffPayloads(base.payload, v.payload, { words: false, textPatches: false }).changes : [];
  return summarize(v.category, changes, v.payload, base?.payload);
}

function fmt(x: JsonValue | undefined, quote = false): string {
  if (x === undefined) return '(none)';
  if (typeof x === 'string') return quote ? `"${clip(x, 40)}"` : clip(x, 40);
  return preview(x, 40);
}

function fileName(key: PathKey | undefined, after: JsonValue, before: JsonValue | undefined): string {
  if (typeof key !== 'object' || key === undefined) return `#${String(key)}`;
  for (const p of [after, before]) {
    const data = own(own(p, 'content'), 'data');
    if (!Array.isArray(data)) continue;
    for (const f of data) {
      const id = identity(f);
      const name = own(f, 'name');
      if (id && id.field === key.field && id.value === key.value && typeof name === 'string' && name) return clip(name, 40);
    }
  }
  return clip(key.value, 40);
}

/** Order of the parts of a summary. */
const RANKS = ['status', 'title', 'isPinned', 'notification', 'body', 'description', 'attachments', 'file ', 'assignees', 'members'];

function rank(part: string): number {
  const i = RANKS.findIndex((r) => part.startsWith(r));
  return i < 0 ? RANKS.length : i;
}

function counted(adds: number, removes: number): string {
  return [adds ? `+${adds}` : '', removes ? `−${removes}` : ''].filter(Boolean).join(' ');
}

/**
 * One line for the version list, e.g. `status pending → complete, +1 attachment, body edited`,
 * `title "a" → "b"`, `archived`, `removed`, `assignees +1 −1`, `file x.pdf convertStatus 1 → 2`.
 * `before` is the base payload (undefined for the first version seen).
 */
export function summarize(category: string, changes: readonly Change[], after: JsonValue, before?: JsonValue): string {
  if (isRemoval(category)) return 'removed';
  if (category === 'topic.markread') return 'marked read';
  const content = own(after, 'content');
  const flag = (key: string): string | undefined => {
    const x = own(content, key);
    if (typeof x !== 'boolean') return undefined;
    return key === 'isPinned' ? (x ? 'pinned' : 'unpinned') : x ? 'notifications on' : 'notifications off';
  };
  if (before === undefined) {
    if (category === 'chat' || category === 'idea' || category === 'task') return 'created';
    if (category === 'app.event.topic.new') return 'joined';
    const flags = [flag('isPinned'), flag('notification')].filter((x) => x !== undefined);
    return category === 'app.event.user.topic.preference.updated' && flags.length ? flags.join(', ') : 'first seen';
  }
  const topic = isTopicCategory(category);
  const parts = new Map<string, string>();
  const counts = new Map<string, [number, number]>();
  const count = (label: string, adds: number, removes: number): void => {
    const c = counts.get(label) ?? [0, 0];
    c[0] += adds;
    c[1] += removes;
    counts.set(label, c);
    parts.set(label, '');
  };
  const other: string[] = [];
  const converted = new Set<string>();
  for (const c of changes) {
    const inContent = c.keys[0] === 'content';
    const field = inContent ? c.keys[1] : c.keys[0];
    const depth = c.keys.length - (inContent ? 1 : 0);
    const size = (x: JsonValue | undefined): number => (Array.isArray(x) ? x.length : 0);
    if (inContent && field === 'status' && depth === 1) {
      if (topic && (c.new === 1 || c.new === 0)) parts.set('status', c.new === 1 ? 'archived' : 'unarchived');
      else parts.set('status', `status ${fmt(c.old)} → ${fmt(c.new)}`);
    } else if (inContent && field === 'title' && depth === 1) parts.set('title', `title ${fmt(c.old, true)} → ${fmt(c.new, true)}`);
    else if (inContent && (field === 'isPinned' || field === 'notification') && depth === 1 && flag(field)) {
      parts.set(field, flag(field) as string);
    }
    else if (inContent && field === 'bodyText') parts.set('body', 'body edited');
    else if (inContent && field === 'description') parts.set('description', 'description edited');
    else if (inContent && (field === 'data' || field === 'assignees' || field === 'members') && (depth <= 2 || field !== 'data')) {
      const label = field === 'data' ? 'attachments' : field;
      if (depth === 1 && c.kind === 'added') count(label, size(c.new), 0);
      else if (depth === 1 && c.kind === 'removed') count(label, 0, size(c.old));
      else if (depth === 2 && c.kind === 'added') count(label, 1, 0);
      else if (depth === 2 && c.kind === 'removed') count(label, 0, 1);
      else if (c.kind !== 'moved') parts.set(`${label} edited`, `${label} edited`);
    } else if (inContent && field === 'data') {
      const file = fileName(c.keys[2], after, before);
      const fileField = c.keys[3];
      // A file's convertStatus is named with its values; its other fields only as "edited".
      if (fileField === 'convertStatus' && depth === 3) {
        parts.set(`file ${file}`, `file ${file} convertStatus ${fmt(c.old)} → ${fmt(c.new)}`);
        converted.add(file);
      } else if (!converted.has(file)) parts.set(`file ${file}`, `file ${file} edited`);
    } else {
      const name = typeof field === 'string' ? field : pathOf(c.keys);
      if (!other.includes(name)) other.push(name);
    }
  }
  const line: string[] = [];
  const ordered = [...parts].sort(([a], [b]) => rank(a) - rank(b));
  for (const [key, text] of ordered) {
    const c = counts.get(key);
    if (!c) line.push(text);
    else if (key === 'attachments') {
      const n = c[0] + c[1];
      line.push(`${counted(c[0], c[1])} attachment${n === 1 ? '' : 's'}`);
    } else line.push(`${key} ${counted(c[0], c[1])}`);
  }
  if (other.length) line.push(`${other.join(', ')} changed`);
  return clip(line.join(', ') || 'no change', SUMMARY_MAX);
}
