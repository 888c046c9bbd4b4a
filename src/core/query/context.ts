// A QueryContext fed events in order (the CLI, tests): versions, attachments and topic titles as they
// stand after the events fed so far. The panel builds its own from its store. Pure.
import type { CapturedEvent } from '../model/event';
import { AttachmentTracker, DEFAULT_STUCK_AFTER_MS, problemsOf } from '../attachments';
import { summaryAt } from '../versions/diff';
import { VersionIndex, versionIndexOf } from '../versions/history';
import { detailLines } from './facts';
import type { QueryContext } from './evaluate';

/** The event's version of its item (1-based, counting dropped ones) and its change text. */
export function versionOf(versions: VersionIndex, ev: CapturedEvent): { n: number; summary: string } | undefined {
  const item = versions.forEvent(ev);
  if (!item) return undefined;
  const i = versionIndexOf(item, ev.seq);
  if (i < 0) return undefined;
  const first = i === 0 && item.dropped === 0 && item.versions[i]!.duplicateOf === undefined;
  return { n: i + 1 + item.dropped, summary: first ? '' : summaryAt(item, i) };
}

/** The full search text: the row's text (lower-cased, from `rowText`), the detail's lines and the change text. */
export function fullText(rowSearchText: string, ev: CapturedEvent, change: string | undefined): string {
  const more = detailLines(ev);
  if (change) more.push(change);
  return more.length ? `${rowSearchText}\n${more.join('\n').toLowerCase()}` : rowSearchText;
}

export class TrackedContext implements QueryContext {
  readonly versions = new VersionIndex();
  readonly attachments = new AttachmentTracker();
  private readonly titles = new Map<string, string>();
  private now = 0;

  /** rowSearchText: the lower-cased text of an event's row (the panel's searchText). */
  constructor(
    private readonly rowSearchText: (ev: CapturedEvent) => string,
    private readonly stuckAfterMs = DEFAULT_STUCK_AFTER_MS,
  ) {}

  /** Feeds one event (in seq order); "now" for stuck files becomes its time. */
  add(ev: CapturedEvent): void {
    this.versions.add(ev);
    this.attachments.add(ev);
    const s = ev.spaces;
    if (s?.topicId !== undefined && s.topicTitle) this.titles.set(s.topicId, s.topicTitle);
    if (ev.record.t > this.now) this.now = ev.record.t;
  }

  text(ev: CapturedEvent): string {
    return fullText(this.rowSearchText(ev), ev, this.version(ev)?.summary);
  }

  version(ev: CapturedEvent): { n: number; summary: string } | undefined {
    return versionOf(this.versions, ev);
  }

  fileProblems(fileId: string): readonly string[] {
    const f = this.attachments.file(fileId);
    return f ? problemsOf(f, this.now, { stuckAfterMs: this.stuckAfterMs }).map((p) => p.kind) : [];
  }

  topicTitle(topicId: string): string | undefined {
    return this.titles.get(topicId);
  }
}
