// Reading logs in tests, and the model a person sees (groups, versions, diffs, attachment timelines).
import { AttachmentTracker } from '../../src/core/attachments';
import { LogReader, writeLog, type ExportOptions, type LogHeader, type ReadResult } from '../../src/core/log';
import { Grouping } from '../../src/core/model/grouping';
import type { CapturedEvent } from '../../src/core/model/event';
import { VersionIndex } from '../../src/core/versions/history';
import { versionDiff } from '../../src/core/versions/diff';

export const TOOL = { name: 'spaces-devtools', version: '0.1.0' };
export const META = { tool: TOOL, browser: 'Chrome 131', page: 'http://127.0.0.1:8084/?transport=websocket', filter: null, now: Date.parse('2024-01-02T03:04:05.000Z') };

export function exportText(events: readonly CapturedEvent[], opts: Partial<ExportOptions> = {}): string {
  return [...writeLog(events, META, { layout: 'json', raw: true, anonymize: false, ...opts })].join('');
}

/** Reads text in chunks of `chunk` characters (the reader must not care where chunks split). */
export function read(text: string, chunk = 977, opts: { maxDocumentChars?: number } = {}): { result: ReadResult; events: CapturedEvent[]; header: LogHeader | null } {
  const events: CapturedEvent[] = [];
  let header: LogHeader | null = null;
  const r = new LogReader({ header: (h) => (header = h), events: (b) => events.push(...b) }, { tool: TOOL, batch: 7, ...opts });
  for (let i = 0; i < text.length; i += chunk) r.push(text.slice(i, i + chunk));
  return { result: r.end(), events, header };
}

/** What the panel builds from events: topic/category groups, item versions and their diffs, attachment timelines. */
export function model(events: readonly CapturedEvent[]) {
  const g = new Grouping();
  const v = new VersionIndex();
  const a = new AttachmentTracker();
  for (const ev of events) {
    g.add(ev);
    v.add(ev);
    a.add(ev);
  }
  return {
    groups: g.topics().map((t) => ({ key: t.key, title: t.title, count: t.count, problems: t.problems, categories: [...t.categories.values()].map((c) => [c.key, c.count, c.problems]) })),
    versions: [...v.items()].map((item) => ({
      key: item.key,
      kind: item.kind,
      seqs: item.versions.map((x) => [x.seq, x.duplicateOf ?? null, x.outOfOrder ?? false]),
      diffs: item.versions.map((_, i) => versionDiff(item, i).changes.map((c) => ({ path: c.path, kind: c.kind, old: c.old, new: c.new }))),
    })),
    attachments: a.files().map((f) => ({
      fileId: f.fileId,
      name: f.name,
      itemId: f.itemId,
      timeline: f.timeline.map((e) => [e.seq, e.status.code, e.repeats]),
      transitions: f.transitions.map((t) => [t.seq, t.kind]),
      retries: f.retryCount,
      failures: f.failures.map((x) => x.reason),
    })),
  };
}
