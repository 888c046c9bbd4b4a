// Follows every attached file's thumbnail conversion across the MESSAGE_SENT versions of its item
// (chat, idea, task and their app.event.*.updated / removed versions). Fed captured events in arrival
// order; keeps per file its details, status timeline, transitions, retries and failures. Bounded.
// Everything read from the payload comes from the page: narrowed and clipped, URLs kept as text only.
import type { CapturedEvent } from '../model/event';
import { classifyTransition, humanSize, parseStatus, sameStatus, type ConvertStatus, type TransitionKind } from './status';

export interface TimelineEntry {
  seq: number;
  /** Event time (epoch ms). */
  t: number;
  status: ConvertStatus;
  convertStart?: string;
  nextSchedule?: string;
  convertFailed?: string;
  /** Later consecutive versions that carried the same values, collapsed into this entry. */
  repeats: number;
  /** `seq` of the last of those versions. */
  lastSeq: number;
}

export interface Transition {
  seq: number;
  t: number;
  from: ConvertStatus;
  to: ConvertStatus;
  kind: TransitionKind;
  /** Time spent in `from` (event time), from the version that first carried it. */
  afterMs: number;
}

/** A 4 → 1: the conversion was tried again. */
export interface Retry {
  seq: number;
  t: number;
  /** Retry time announced by the status-4 version before it. */
  nextSchedule?: string;
  /** convertStart of the retry. */
  convertStart?: string;
}

export interface Failure {
  seq: number;
  t: number;
  reason: string;
  status: ConvertStatus;
}

/** A version older (by `modified`) than one already applied: ignored, not applied. */
export interface OutOfOrder {
  seq: number;
  t: number;
  itemId: string;
  modified: string;
  latest: string;
}

export interface Seen {
  seq: number;
  t: number;
}

export interface StatusTime {
  status: ConvertStatus;
  ms: number;
}

export type Metadata = Record<string, string | number | boolean | null>;

/** Counts of entries dropped by the per-file bounds (oldest first). */
export interface FileDrops {
  timeline: number;
  transitions: number;
  retries: number;
  failures: number;
  backwards: number;
  unknownCodes: number;
  outOfOrder: number;
  spent: number;
}

export interface AttachmentFile {
  fileId: string;
  name?: string;
  fileType?: string;
  providerFileType?: string;
  provider?: string;
  size?: number;
  /** e.g. "2.0 KB". */
  humanSize?: string;
  pages?: number;
  /** Text only: never fetched. */
  previewUrl?: string;
  thumbnailUrl?: string;
  /** fileKey of the thumbnail image. */
  thumbnailFile?: string;
  path?: string;
  metadata?: Metadata;
  topicId?: string;
  topicTitle?: string;
  /** The message, idea or task (its `_id`) that carried the file last. */
  itemId?: string;
  category?: string;
  first: Seen;
  last: Seen;
  /** Applied versions that carried the file. */
  versions: number;
  /** Current status; absent until a version carries `convertStatus`. */
  status?: ConvertStatus;
  /** The version that first carried the current status (of its current run). */
  statusSince?: Seen;
  convertStart?: string;
  nextSchedule?: string;
  convertFailed?: string;
  timeline: TimelineEntry[];
  transitions: Transition[];
  retries: Retry[];
  retryCount: number;
  failures: Failure[];
  /** Transitions classified 'backwards'. */
  backwards: Transition[];
  /** Versions that carried a code outside 0–4, one per distinct code. */
  unknownCodes: Array<Seen & { status: ConvertStatus }>;
  outOfOrder: OutOfOrder[];
  /** Time spent in each status, closed runs only (see timeInStatus for the current one). */
  spent: StatusTime[];
  /** A later version of its item no longer carried the file (cleared when it comes back). */
  missing?: Seen & { itemId: string };
  /** Its item was removed (app.event.*.removed). */
  itemRemoved?: Seen;
  dropped: FileDrops;
}

export interface TopicFiles {
  topicId: string;
  topicTitle?: string;
  files: AttachmentFile[];
}

export interface TrackerLimits {
  maxFiles: number;
  /** Per file, for each of its lists (timeline, transitions, retries, …). */
  maxEntries: number;
}

export const DEFAULT_TRACKER_LIMITS: TrackerLimits = { maxFiles: 2000, maxEntries: 100 };

/** Categories whose `content.data[]` are the item's attachments. */
const ITEM_CATEGORY = /^(?:chat|idea|task|app\.event\.(?:message|idea|task)\.(?:updated|removed))$/;
const MAX_TEXT = 256;
const MAX_URL = 2048;
const MAX_REASON = 500;
const MAX_META_KEYS = 10;
const MAX_SPENT = 16;

type Obj = Record<string, unknown>;

function asObj(x: unknown): Obj | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Obj) : undefined;
}

function own(o: Obj, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

/** A non-empty string (clipped) or a finite number as text; otherwise undefined. */
function text(x: unknown, max = MAX_TEXT): string | undefined {
  if (typeof x === 'string') return x === '' ? undefined : clip(x, max);
  if (typeof x === 'number' && Number.isFinite(x)) return String(x);
  return undefined;
}

/** A number, or a numeric string. */
function num(x: unknown): number | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? x : undefined;
  if (typeof x === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(x)) return Number(x);
  return undefined;
}

/** Epoch ms of a timestamp: digits are epoch ms, other strings are parsed as dates. */
export function timeOf(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const ms = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  return Number.isFinite(ms) ? ms : undefined;
}

function metadataOf(x: unknown): Metadata | undefined {
  const o = asObj(x);
  if (!o) return undefined;
  const out: Metadata = {};
  for (const key of Object.keys(o).slice(0, MAX_META_KEYS)) {
    const v = o[key];
    const k = clip(key, 40);
    if (typeof v === 'string') out[k] = clip(v, MAX_TEXT);
    else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' || v === null) out[k] = v;
  }
  return out;
}

function push<T>(list: T[], entry: T, max: number, drops: FileDrops, key: keyof FileDrops): void {
  list.push(entry);
  if (list.length > max) {
    list.splice(0, list.length - max);
    drops[key] += 1;
  }
}

interface Item {
  topicId?: string;
  /** Latest applied `modified`, as sent and as epoch ms. */
  modified?: string;
  modifiedMs?: number;
  /** fileIds of the latest applied version that carried `content.data`. */
  fileIds: string[];
  removed?: Seen;
}

interface Version {
  seq: number;
  t: number;
  category: string;
  itemId?: string;
  topicId?: string;
}

export class AttachmentTracker {
  private readonly byId = new Map<string, AttachmentFile>();
  private readonly items = new Map<string, Item>();
  private readonly titles = new Map<string, string>();
  private readonly limits: TrackerLimits;
  private lastSeq = 0;
  /** Files and items dropped by the bounds (oldest first seen first). */
  readonly dropped = { files: 0, items: 0 };
  /** Events skipped because their seq was not after the last one fed. */
  skipped = 0;
  /** Increases whenever anything changes (for memoised views). */
  revision = 0;

  constructor(limits: Partial<TrackerLimits> = {}) {
    this.limits = { ...DEFAULT_TRACKER_LIMITS, ...limits };
  }

  /**
   * Feeds one event; true when it changed anything. Events must come in arrival (seq) order; a seq not
   * after the last one is skipped (a re-sent backlog). After a store reset, start a new tracker.
   */
  add(ev: CapturedEvent): boolean {
    if (ev.seq <= this.lastSeq) {
      this.skipped += 1;
      return false;
    }
    this.lastSeq = ev.seq;
    const { record, spaces } = ev;
    if (record.kind !== 'socket' || record.dir !== 'in' || spaces?.event !== 'MESSAGE_SENT') return false;
    if (spaces.topicId !== undefined && spaces.topicTitle !== undefined) this.titles.set(spaces.topicId, spaces.topicTitle);
    const category = spaces.category;
    if (category === undefined || !ITEM_CATEGORY.test(category)) return false;
    const payload = asObj(record.packet.args[0]);
    if (!payload) return false;
    const v: Version = { seq: ev.seq, t: record.t, category };
    if (spaces.itemId !== undefined) v.itemId = spaces.itemId;
    if (spaces.topicId !== undefined) v.topicId = spaces.topicId;
    const changed = this.apply(v, payload);
    if (changed) this.revision += 1;
    return changed;
  }

  addAll(events: Iterable<CapturedEvent>): void {
    for (const ev of events) this.add(ev);
  }

  /** All files, first seen first. */
  files(): AttachmentFile[] {
    return [...this.byId.values()];
  }

  file(fileId: string): AttachmentFile | undefined {
    return this.byId.get(fileId);
  }

  filesOfItem(itemId: string): AttachmentFile[] {
    return this.files().filter((f) => f.itemId === itemId);
  }

  filesOfTopic(topicId: string): AttachmentFile[] {
    return this.files().filter((f) => f.topicId === topicId);
  }

  topicTitle(topicId: string): string | undefined {
    return this.titles.get(topicId);
  }

  /** Files grouped by topic, in order of each topic's first file; files without a topic are left out. */
  topics(): TopicFiles[] {
    const out = new Map<string, TopicFiles>();
    for (const f of this.byId.values()) {
      if (f.topicId === undefined) continue;
      let group = out.get(f.topicId);
      if (!group) {
        group = { topicId: f.topicId, files: [] };
        const title = this.titles.get(f.topicId);
        if (title !== undefined) group.topicTitle = title;
        out.set(f.topicId, group);
      }
      group.files.push(f);
    }
    return [...out.values()];
  }

  private apply(v: Version, payload: Obj): boolean {
    const item = v.itemId !== undefined ? this.items.get(v.itemId) : undefined;
    const modified = text(own(payload, 'modified'));
    const modifiedMs = timeOf(modified);
    const data = own(asObj(own(payload, 'content')) ?? {}, 'data');
    const entries = Array.isArray(data) ? data.map(asObj).filter((e): e is Obj => e !== undefined) : undefined;

    if (item && v.itemId !== undefined && modified !== undefined && modifiedMs !== undefined && item.modifiedMs !== undefined && modifiedMs < item.modifiedMs) {
      return this.recordOutOfOrder(v, v.itemId, modified, item.modified ?? '', entries ?? []);
    }
    if (v.category.endsWith('.removed')) {
      if (!item || item.removed) return false;
      item.removed = { seq: v.seq, t: v.t };
      for (const id of item.fileIds) {
        const f = this.byId.get(id);
        if (f && f.itemId === v.itemId) f.itemRemoved = { seq: v.seq, t: v.t };
      }
      return true;
    }
    if (item && modifiedMs !== undefined && (item.modifiedMs === undefined || modifiedMs > item.modifiedMs)) {
      item.modified = modified;
      item.modifiedMs = modifiedMs;
    }
    if (!entries) return false;

    let changed = false;

    const ids = new Set<string>();
    for (const entry of entries) {
      const fileId = text(own(entry, 'fileId'));
      if (fileId === undefined || ids.has(fileId)) continue;
      ids.add(fileId);
      this.applyFile(this.fileFor(fileId, v), entry, v);
      changed = true;
    }
    if (v.itemId === undefined) return changed;
    if (item) {
      for (const id of item.fileIds) {
        const f = this.byId.get(id);
        if (ids.has(id) || !f || f.itemId !== v.itemId || f.missing) continue;
        f.missing = { seq: v.seq, t: v.t, itemId: v.itemId };
        changed = true;
      }
      item.fileIds = [...ids];
    } else if (ids.size) {
      const created: Item = { fileIds: [...ids] };
      if (v.topicId !== undefined) created.topicId = v.topicId;
      if (modified !== undefined && modifiedMs !== undefined) {
        created.modified = modified;
        created.modifiedMs = modifiedMs;
      }
      this.items.set(v.itemId, created);
      if (this.items.size > this.limits.maxFiles) {
        const oldest = this.items.keys().next().value;
        if (oldest !== undefined) this.items.delete(oldest);
        this.dropped.items += 1;
      }
    }
    return changed;
  }

  private recordOutOfOrder(v: Version, itemId: string, modified: string, latest: string, entries: Obj[]): boolean {
    let changed = false;
    for (const entry of entries) {
      const fileId = text(own(entry, 'fileId'));
      const f = fileId !== undefined ? this.byId.get(fileId) : undefined;
      if (!f || f.outOfOrder.some((o) => o.seq === v.seq)) continue;
      push(f.outOfOrder, { seq: v.seq, t: v.t, itemId, modified, latest }, this.limits.maxEntries, f.dropped, 'outOfOrder');
      changed = true;
    }
    return changed;
  }

  private fileFor(fileId: string, v: Version): AttachmentFile {
    const known = this.byId.get(fileId);
    if (known) return known;
    const f: AttachmentFile = {
      fileId,
      first: { seq: v.seq, t: v.t },
      last: { seq: v.seq, t: v.t },
      versions: 0,
      timeline: [],
      transitions: [],
      retries: [],
      retryCount: 0,
      failures: [],
      backwards: [],
      unknownCodes: [],
      outOfOrder: [],
      spent: [],
      dropped: { timeline: 0, transitions: 0, retries: 0, failures: 0, backwards: 0, unknownCodes: 0, outOfOrder: 0, spent: 0 },
    };
    this.byId.set(fileId, f);
    if (this.byId.size > this.limits.maxFiles) {
      const oldest = this.byId.keys().next().value;
      if (oldest !== undefined) this.byId.delete(oldest);
      this.dropped.files += 1;
    }
    return f;
  }

  private applyFile(f: AttachmentFile, e: Obj, v: Version): void {
    const at: Seen = { seq: v.seq, t: v.t };
    f.versions += 1;
    f.last = at;
    f.category = v.category;
    if (v.itemId !== undefined) {
      if (f.missing && f.missing.itemId === v.itemId) delete f.missing;
      if (f.itemId !== v.itemId) delete f.itemRemoved;
      f.itemId = v.itemId;
    }
    if (v.topicId !== undefined) f.topicId = v.topicId;
    const title = f.topicId !== undefined ? this.titles.get(f.topicId) : undefined;
    if (title !== undefined) f.topicTitle = title;

    const name = text(own(e, 'name'));
    const fileType = text(own(e, 'fileType'), 40);
    const providerFileType = text(own(e, 'providerFileType'), 100);
    const provider = text(own(e, 'provider'), 40);
    const size = num(own(e, 'fileSize'));
    const pages = num(own(e, 'pages'));
    const previewUrl = text(own(e, 'previewUrl'), MAX_URL);
    const thumbnailUrl = text(own(e, 'thumbnailUrl'), MAX_URL);
    const thumbnailFile = text(own(e, 'thumbnailFile'), MAX_URL);
    const path = text(own(e, 'path'), MAX_URL);
    const metadata = metadataOf(own(e, 'metadata') ?? own(e, 'metaData'));
    if (name !== undefined) f.name = name;
    if (fileType !== undefined) f.fileType = fileType;
    if (providerFileType !== undefined) f.providerFileType = providerFileType;
    if (provider !== undefined) f.provider = provider;
    if (size !== undefined) {
      f.size = size;
      f.humanSize = humanSize(size);
    }
    if (pages !== undefined) f.pages = pages;
    if (previewUrl !== undefined) f.previewUrl = previewUrl;
    if (thumbnailUrl !== undefined) f.thumbnailUrl = thumbnailUrl;
    if (thumbnailFile !== undefined) f.thumbnailFile = thumbnailFile;
    if (path !== undefined) f.path = path;
    if (metadata !== undefined) f.metadata = metadata;

    // Conversion fields: a key present with null (or '') clears the current value.
    for (const key of ['convertStart', 'nextSchedule', 'convertFailed'] as const) {
      if (!Object.hasOwn(e, key)) continue;
      const value = text(e[key], key === 'convertFailed' ? MAX_REASON : MAX_TEXT);
      if (value === undefined) delete f[key];
      else f[key] = value;
    }
    const status = parseStatus(own(e, 'convertStatus'));
    if (status === undefined) return;
    this.record(f, status, at);
  }

  private record(f: AttachmentFile, status: ConvertStatus, at: Seen): void {
    const max = this.limits.maxEntries;
    const last = f.timeline[f.timeline.length - 1];
    if (
      last &&
      sameStatus(last.status, status) &&
      last.convertStart === f.convertStart &&
      last.nextSchedule === f.nextSchedule &&
      last.convertFailed === f.convertFailed
    ) {
      last.repeats += 1;
      last.lastSeq = at.seq;
      return;
    }
    const entry: TimelineEntry = { seq: at.seq, t: at.t, status, repeats: 0, lastSeq: at.seq };
    if (f.convertStart !== undefined) entry.convertStart = f.convertStart;
    if (f.nextSchedule !== undefined) entry.nextSchedule = f.nextSchedule;
    if (f.convertFailed !== undefined) entry.convertFailed = f.convertFailed;
    push(f.timeline, entry, max, f.dropped, 'timeline');

    if (f.convertFailed !== undefined && f.failures[f.failures.length - 1]?.reason !== f.convertFailed) {
      push(f.failures, { ...at, reason: f.convertFailed, status }, max, f.dropped, 'failures');
    }
    if (!status.known && !f.unknownCodes.some((u) => sameStatus(u.status, status))) {
      push(f.unknownCodes, { ...at, status }, max, f.dropped, 'unknownCodes');
    }
    const from = f.status;
    const since = f.statusSince;
    if (from && since && sameStatus(from, status)) return;
    if (from && since) {
      const afterMs = Math.max(0, at.t - since.t);
      const tr: Transition = { ...at, from, to: status, kind: classifyTransition(from, status), afterMs };
      push(f.transitions, tr, max, f.dropped, 'transitions');
      if (tr.kind === 'backwards') push(f.backwards, tr, max, f.dropped, 'backwards');
      if (tr.kind === 'retry') {
        const retry: Retry = { ...at };
        if (last?.nextSchedule !== undefined) retry.nextSchedule = last.nextSchedule;
        if (f.convertStart !== undefined) retry.convertStart = f.convertStart;
        push(f.retries, retry, max, f.dropped, 'retries');
        f.retryCount += 1;
      }
      const spent = f.spent.find((s) => sameStatus(s.status, from));
      if (spent) spent.ms += afterMs;
      else if (f.spent.length < MAX_SPENT) f.spent.push({ status: from, ms: afterMs });
      else f.dropped.spent += 1;
    }
    f.status = status;
    f.statusSince = at;
  }
}
