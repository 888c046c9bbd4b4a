// What the panel shows about versions and attachments: a list row's version and badge, a topic's
// timeline of changes, files by item and topic. Pure (no DOM); reads the store's two cores.
import { badgeFor, type AttachmentFile, type AttachmentTracker, type Badge } from '../../core/attachments';
import { summaryAt } from '../../core/versions/diff';
import { isRemoval, versionIndexOf, type ItemHistory, type Version, type VersionIndex } from '../../core/versions/history';
import type { CapturedEvent } from '../../core/model/event';

export interface RowVersion {
  /** 1-based position among the item's kept versions. */
  n: number;
  /** Kept versions of the item. */
  of: number;
  /** Versions seen, kept or dropped. */
  seen: number;
  /** Update summary; empty for the first version (the event's own summary says it). */
  summary: string;
  duplicate: boolean;
  outOfOrder: boolean;
  removal: boolean;
}

/** The version an event is of its item, when it is one that is still kept. */
export function rowVersion(versions: VersionIndex, ev: CapturedEvent): RowVersion | undefined {
  const item = versions.forEvent(ev);
  if (!item) return undefined;
  const i = versionIndexOf(item, ev.seq);
  if (i < 0) return undefined;
  const v = item.versions[i] as Version;
  const first = i === 0 && item.dropped === 0;
  return {
    n: i + 1 + item.dropped,
    of: item.versions.length + item.dropped,
    seen: item.count,
    summary: first && v.duplicateOf === undefined ? '' : summaryAt(item, i),
    duplicate: v.duplicateOf !== undefined,
    outOfOrder: v.outOfOrder === true,
    removal: isRemoval(v.category),
  };
}

export interface TimelineRow {
  item: ItemHistory;
  index: number;
  version: Version;
  summary: string;
}

/**
 * The changes (versions after an item's first) of the items of one topic (or of every topic when
 * topic is null), newest first, at most `max`. Topic keys are those of the grouping (the topicId).
 */
export function topicTimeline(versions: VersionIndex, topic: string | null, max: number, keep?: (seq: number) => boolean): { rows: TimelineRow[]; more: number } {
  const all: TimelineRow[] = [];
  for (const item of versions.items()) {
    if (topic !== null && item.topicId !== topic) continue;
    for (let i = 0; i < item.versions.length; i++) {
      if (i === 0 && item.dropped === 0) continue;
      if (keep && !keep(item.versions[i]!.seq)) continue;
      all.push({ item, index: i, version: item.versions[i] as Version, summary: '' });
    }
  }
  all.sort((a, b) => b.version.seq - a.version.seq);
  const rows = all.slice(0, max);
  for (const r of rows) r.summary = summaryAt(r.item, r.index);
  return { rows, more: all.length - rows.length };
}

/** Files by item and by topic, rebuilt only when the tracker changed. */
export class FileIndex {
  private tracker: AttachmentTracker | undefined;
  private revision = -1;
  private byItem = new Map<string, AttachmentFile[]>();
  private byTopic = new Map<string, AttachmentFile[]>();
  private all: AttachmentFile[] = [];

  private sync(tracker: AttachmentTracker): void {
    if (tracker === this.tracker && tracker.revision === this.revision) return;
    this.tracker = tracker;
    this.revision = tracker.revision;
    this.all = tracker.files();
    this.byItem = new Map();
    this.byTopic = new Map();
    for (const f of this.all) {
      if (f.itemId !== undefined) push(this.byItem, f.itemId, f);
      if (f.topicId !== undefined) push(this.byTopic, f.topicId, f);
    }
  }

  files(tracker: AttachmentTracker): readonly AttachmentFile[] {
    this.sync(tracker);
    return this.all;
  }

  ofItem(tracker: AttachmentTracker, itemId: string): readonly AttachmentFile[] {
    this.sync(tracker);
    return this.byItem.get(itemId) ?? [];
  }

  ofTopic(tracker: AttachmentTracker, topicId: string): readonly AttachmentFile[] {
    this.sync(tracker);
    return this.byTopic.get(topicId) ?? [];
  }

  /** The badge of an item's files, or undefined when nothing is converting or wrong. */
  itemBadge(tracker: AttachmentTracker, itemId: string | undefined, now: number, stuckAfterMs: number): Badge | undefined {
    if (itemId === undefined) return undefined;
    const files = this.ofItem(tracker, itemId);
    return files.length ? nonEmpty(badgeFor(files, now, { stuckAfterMs })) : undefined;
  }

  topicBadge(tracker: AttachmentTracker, topicId: string | null, now: number, stuckAfterMs: number): Badge | undefined {
    const files = topicId === null ? this.files(tracker) : this.ofTopic(tracker, topicId);
    return files.length ? nonEmpty(badgeFor(files, now, { stuckAfterMs })) : undefined;
  }
}

const nonEmpty = (b: Badge): Badge | undefined => (b.text ? b : undefined);

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Stuck threshold read back from prefs: whole seconds from 10 s to 24 h, else the default. */
export function parseStuckAfter(x: unknown, fallback: number): number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 10_000 && x <= 86_400_000 ? x : fallback;
}
