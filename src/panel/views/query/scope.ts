// What the Changes and Attachments views keep under a query: the events it matches, their items and
// the files they carry.
import type { AttachmentFile } from '../../../core/attachments';
import type { CapturedEvent } from '../../../core/model/event';
import { filesOf } from '../../../core/query';

export interface QueryScope {
  seqs: ReadonlySet<number>;
  items: ReadonlySet<string>;
  files: ReadonlySet<string>;
}

export function queryScope(events: readonly CapturedEvent[]): QueryScope {
  const seqs = new Set<number>();
  const items = new Set<string>();
  const files = new Set<string>();
  for (const ev of events) {
    seqs.add(ev.seq);
    if (ev.spaces?.itemId) items.add(ev.spaces.itemId);
    for (const f of filesOf(ev)) if (f.fileId) files.add(f.fileId);
  }
  return { seqs, items, files };
}

/** The files a matched event carries; every file without a query. */
export function filesInQuery(files: readonly AttachmentFile[], scope: QueryScope | null): readonly AttachmentFile[] {
  return scope ? files.filter((f) => scope.files.has(f.fileId)) : files;
}
