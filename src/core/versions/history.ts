// Versions of Spaces items. Spaces sends an item again (MESSAGE_SENT) whenever it changes; each such
// payload is one version of the item it names:
// - messages, ideas and tasks by `_id` (chat, idea, task and their app.event.*.updated / .removed),
// - topics by `topicId` (topic.updated, topic.markread, app.event.topic.new,
//   app.event.user.topic.preference.updated, and other app.event.topic.* / app.event.user.topic.*).
// The index is fed CapturedEvents in arrival order. It flags duplicates (same content delivered
// again) and out-of-order versions (a `modified` older than one already seen), and is bounded:
// versions per item, items, versions and bytes in all; what it drops is counted.
import type { CapturedEvent } from '../model/event';
import { TOPIC_CATEGORIES } from '../spaces/schema';
import type { JsonValue } from '../wire/types';
import { isObj, jsonEqual, own } from './json';

export type ItemKind = 'message' | 'idea' | 'task' | 'topic' | 'item';

export interface Version {
  /** `seq` of the captured event. */
  seq: number;
  /** Capture time, epoch ms. */
  t: number;
  category: string;
  /** The payload's `modified` (a topic's `content.modified`), as sent. */
  modified?: string | number;
  /** The MESSAGE_SENT payload (`args[0]`): the event's own object, not a copy. */
  payload: JsonValue;
  /** Size of the frame it came in (characters), for the byte bound. */
  bytes: number;
  /** `seq` of an earlier kept version of this item with the same payload: delivered twice, not a change. */
  duplicateOf?: number;
  /** Its `modified` is older than the newest `modified` already seen for this item. */
  outOfOrder?: boolean;
}

export interface ItemHistory {
  /** "item:<_id>" or "topic:<topicId>". */
  key: string;
  kind: ItemKind;
  id: string;
  topicId?: string;
  /** Kept versions, in arrival order. */
  versions: Version[];
  /** Versions seen, kept or dropped. */
  count: number;
  /** Oldest versions dropped by the bounds. */
  dropped: number;
  /** A removal was seen. The item stays, with the versions (and content) it had. */
  removed: boolean;
  /** Newest `modified` seen, epoch ms. */
  newestModified?: number;
}

export interface VersionLimits {
  maxVersionsPerItem: number;
  maxItems: number;
  maxVersions: number;
  maxBytes: number;
}

export const DEFAULT_VERSION_LIMITS: VersionLimits = {
  maxVersionsPerItem: 2_000,
  maxItems: 5_000,
  maxVersions: 20_000,
  maxBytes: 16 * 1024 * 1024,
};

/** Kept versions compared for a duplicate (newest first, same category and `modified`). */
const DUPLICATE_CANDIDATES = 16;

const ITEM_KIND: Readonly<Record<string, ItemKind>> = {
  chat: 'message',
  'app.event.message.updated': 'message',
  idea: 'idea',
  'app.event.idea.updated': 'idea',
  task: 'task',
  'app.event.task.updated': 'task',
};

const TOPIC_EVENT = /^app\.event\.(?:user\.)?topic\./;
const ITEM_EVENT = /^app\.event\.[\w.]+\.(?:updated|removed)$/;

export function isTopicCategory(category: string): boolean {
  return TOPIC_CATEGORIES.has(category) || TOPIC_EVENT.test(category);
}

export function isRemoval(category: string): boolean {
  return category.startsWith('app.event.') && category.endsWith('.removed');
}

/** The MESSAGE_SENT payload and category of an event the server sent, or undefined. */
function messageSent(ev: CapturedEvent): { payload: JsonValue; category: string } | undefined {
  const { record, spaces } = ev;
  if (record.kind !== 'socket' || record.dir !== 'in' || spaces?.event !== 'MESSAGE_SENT') return undefined;
  const payload = record.packet.args[0];
  const category = spaces.category;
  if (!isObj(payload) || category === undefined) return undefined;
  return { payload, category };
}

/** The key of the item an event is a version of ("item:<_id>", "topic:<topicId>"), or undefined. */
export function itemKey(ev: CapturedEvent): string | undefined {
  const m = messageSent(ev);
  if (!m) return undefined;
  const spaces = ev.spaces;
  if (isTopicCategory(m.category)) {
    const id = spaces?.topicId ?? spaces?.itemId;
    return id === undefined ? undefined : `topic:${id}`;
  }
  if (!(m.category in ITEM_KIND) && !ITEM_EVENT.test(m.category)) return undefined;
  const id = spaces?.itemId;
  return id === undefined ? undefined : `item:${id}`;
}

function modifiedOf(payload: JsonValue, topic: boolean): string | number | undefined {
  const own1 = (x: unknown): string | number | undefined => (typeof x === 'string' || typeof x === 'number' ? x : undefined);
  return (topic ? own1(own(own(payload, 'content'), 'modified')) : undefined) ?? own1(own(payload, 'modified'));
}

function toMs(m: string | number | undefined): number | undefined {
  const ms = typeof m === 'number' ? m : m === undefined ? NaN : Date.parse(m);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The newest kept version that carries content: a removal without content shows the one before. */
export function currentVersion(item: ItemHistory): Version | undefined {
  for (let i = item.versions.length - 1; i >= 0; i--) {
    const v = item.versions[i] as Version;
    if (v.duplicateOf !== undefined) continue;
    const content = own(v.payload, 'content');
    if (!isRemoval(v.category) || (isObj(content) && Object.keys(content).length > 1)) return v;
  }
  return undefined;
}

/** Index of the kept version with this seq (versions are in seq order), or -1. */
export function versionIndexOf(item: ItemHistory, seq: number): number {
  const vs = item.versions;
  let lo = 0;
  let hi = vs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((vs[mid] as Version).seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return vs[lo]?.seq === seq ? lo : -1;
}

export interface VersionStats {
  items: number;
  versions: number;
  bytes: number;
  droppedItems: number;
  droppedVersions: number;
}

/** An entry of the update order; stale once its item was updated again (a newer stamp) or evicted. */
interface Touch {
  item: ItemHistory;
  stamp: number;
}

export class VersionIndex {
  private readonly limits: VersionLimits;
  private readonly byKey = new Map<string, ItemHistory>();
  /**
   * Least recently updated first, kept lazily: an update appends a new entry and leaves the old one
   * stale. (Deleting and re-inserting Map keys instead leaves holes that make finding the oldest
   * entry O(holes) in V8: costly when items are evicted all the time, as in a long chat.)
   */
  private order: Touch[] = [];
  private orderHead = 0;
  private readonly stamps = new Map<ItemHistory, number>();
  private stampCount = 0;
  private versionCount = 0;
  private bytes = 0;
  private droppedItems = 0;
  private droppedVersions = 0;
  private lastSeq = -Infinity;

  constructor(limits: Partial<VersionLimits> = {}) {
    this.limits = { ...DEFAULT_VERSION_LIMITS, ...limits };
  }

  /**
   * Adds one event (in arrival order). Returns the item it is a version of, or undefined when it is
   * not one (or its `seq` is not newer than the last event fed: fed twice).
   */
  add(ev: CapturedEvent): ItemHistory | undefined {
    if (ev.seq <= this.lastSeq) return undefined;
    this.lastSeq = ev.seq;
    const key = itemKey(ev);
    const m = messageSent(ev);
    if (key === undefined || !m) return undefined;
    const topic = key.startsWith('topic:');
    let item = this.byKey.get(key);
    if (!item) {
      item = { key, kind: topic ? 'topic' : 'item', id: key.slice(key.indexOf(':') + 1), versions: [], count: 0, dropped: 0, removed: false };
      const topicId = ev.spaces?.topicId;
      if (topicId !== undefined) item.topicId = topicId;
      this.byKey.set(key, item);
    }
    this.touch(item);
    const kind = ITEM_KIND[m.category];
    if (kind && item.kind === 'item') item.kind = kind;

    const v: Version = { seq: ev.seq, t: ev.record.t, category: m.category, payload: m.payload, bytes: ev.record.raw.length };
    const modified = modifiedOf(m.payload, topic);
    if (modified !== undefined) v.modified = modified;
    const ms = toMs(modified);
    if (ms !== undefined) {
      if (item.newestModified !== undefined && ms < item.newestModified) v.outOfOrder = true;
      if (item.newestModified === undefined || ms > item.newestModified) item.newestModified = ms;
    }
    const dup = findDuplicate(item.versions, v);
    if (dup !== undefined) v.duplicateOf = dup;
    if (isRemoval(m.category)) item.removed = true;

    item.versions.push(v);
    item.count++;
    this.versionCount++;
    this.bytes += v.bytes;
    if (item.versions.length > this.limits.maxVersionsPerItem) this.dropOldest(item);
    this.enforce(item);
    return item;
  }

  addAll(events: Iterable<CapturedEvent>): void {
    for (const ev of events) this.add(ev);
  }

  get(key: string): ItemHistory | undefined {
    return this.byKey.get(key);
  }

  /** The item an event is a version of. */
  forEvent(ev: CapturedEvent): ItemHistory | undefined {
    const key = itemKey(ev);
    return key === undefined ? undefined : this.byKey.get(key);
  }

  /** All items, least recently updated first. */
  *items(): IterableIterator<ItemHistory> {
    for (let i = this.orderHead; i < this.order.length; i++) {
      const t = this.order[i] as Touch;
      if (this.stamps.get(t.item) === t.stamp) yield t.item;
    }
  }

  stats(): VersionStats {
    return {
      items: this.byKey.size,
      versions: this.versionCount,
      bytes: this.bytes,
      droppedItems: this.droppedItems,
      droppedVersions: this.droppedVersions,
    };
  }

  clear(): void {
    this.byKey.clear();
    this.order = [];
    this.orderHead = 0;
    this.stamps.clear();
    this.versionCount = 0;
    this.bytes = 0;
    this.droppedItems = 0;
    this.droppedVersions = 0;
    this.lastSeq = -Infinity;
  }

  private dropOldest(item: ItemHistory): void {
    const v = item.versions.shift();
    if (!v) return;
    item.dropped++;
    this.versionCount--;
    this.bytes -= v.bytes;
    this.droppedVersions++;
  }

  private touch(item: ItemHistory): void {
    const stamp = ++this.stampCount;
    this.stamps.set(item, stamp);
    this.order.push({ item, stamp });
    // Drop consumed and stale entries (they would keep evicted items alive) once they are the
    // majority: amortised O(1) per update.
    const pending = this.order.length - this.orderHead;
    if (this.orderHead >= 1024 && this.orderHead >= pending) {
      this.order = this.order.slice(this.orderHead);
      this.orderHead = 0;
    }
    if (this.order.length > 2 * this.byKey.size + 1024) {
      this.order = this.order.slice(this.orderHead).filter((t) => this.stamps.get(t.item) === t.stamp);
      this.orderHead = 0;
    }
  }

  /** The least recently updated item (skipping stale entries). */
  private oldest(): ItemHistory | undefined {
    while (this.orderHead < this.order.length) {
      const t = this.order[this.orderHead] as Touch;
      if (this.stamps.get(t.item) === t.stamp) return t.item;
      this.orderHead++;
    }
    return undefined;
  }

  /** Evicts the least recently updated items; the item just updated only loses its oldest versions. */
  private enforce(current: ItemHistory): void {
    const { maxItems, maxVersions, maxBytes } = this.limits;
    while (this.byKey.size > maxItems || this.versionCount > maxVersions || this.bytes > maxBytes) {
      const oldest = this.oldest();
      if (!oldest) break;
      if (oldest !== current) {
        this.byKey.delete(oldest.key);
        this.stamps.delete(oldest);
        this.orderHead++;
        this.versionCount -= oldest.versions.length;
        for (const v of oldest.versions) this.bytes -= v.bytes;
        this.droppedVersions += oldest.versions.length;
        this.droppedItems++;
      } else if (current.versions.length > 1) this.dropOldest(current);
      else break;
    }
  }
}

function findDuplicate(versions: readonly Version[], v: Version): number | undefined {
  let compared = 0;
  for (let i = versions.length - 1; i >= 0 && compared < DUPLICATE_CANDIDATES; i--) {
    const w = versions[i] as Version;
    if (w.modified !== v.modified || w.category !== v.category) continue;
    compared++;
    if (jsonEqual(w.payload, v.payload)) return w.duplicateOf ?? w.seq;
  }
  return undefined;
}
