// A log's summary for people and CI: events by topic and category, problems, attachment problems.
import { AttachmentTracker, problemsOf } from '../attachments';
import type { CapturedEvent } from '../model/event';
import { Grouping, NO_TOPIC } from '../model/grouping';
import { SendOutcomes, type Percentiles, type SendCounts } from '../spaces/outcomes';

export interface LogSummary {
  events: number;
  /** Socket.IO events by name. */
  byEvent: Record<string, number>;
  decodeErrors: number;
  schemaIssues: number;
  sendFailures: number;
  topics: { topicId: string; title?: string; events: number; problems: number; categories: Record<string, number>; sends?: SendsSummary }[];
  /** Sends (and emits with an ack): outcomes, as of the last event, and round trip p50 / p95. */
  sends: SendsSummary;
  categories: { category: string; events: number; known: boolean; problems: number }[];
  attachments: { files: number; problems: { fileId: string; name?: string; topicId?: string; kind: string; seq: number; text: string }[] };
  start: number | null;
  end: number | null;
}

export interface SendsSummary extends SendCounts {
  /** Round trip (request → echo or ack) in ms; null without an answered send. */
  roundTrip: Percentiles | null;
}

/** Summarizes events fed in order; `add` them, then `result()`. Bounded by the grouping and the tracker's own bounds. */
export class Summarizer {
  private readonly groups = new Grouping();
  private readonly files = new AttachmentTracker();
  private readonly sends: SendOutcomes;
  private readonly byEvent: Record<string, number> = Object.create(null) as Record<string, number>;
  private count = 0;
  private decodeErrors = 0;
  private schemaIssues = 0;
  private sendFailures = 0;
  private start: number | null = null;
  private end: number | null = null;

  /** `unansweredMs`: a send with no answer this long before the last event is unanswered. */
  constructor(unansweredMs?: number) {
    this.sends = new SendOutcomes(unansweredMs);
  }

  add(ev: CapturedEvent): void {
    this.count++;
    // A failure takes the topic of the send it answers.
    ev = this.sends.add(ev);
    this.groups.add(ev);
    this.files.add(ev);
    const t = ev.record.t;
    if (this.start === null || t < this.start) this.start = t;
    if (this.end === null || t > this.end) this.end = t;
    if (ev.record.kind === 'error') this.decodeErrors++;
    const s = ev.spaces;
    if (s) {
      const name = s.event || (ev.record.kind === 'socket' ? ev.record.packet.type : ev.record.kind);
      this.byEvent[name] = (this.byEvent[name] ?? 0) + 1;
      if (s.issues.length) this.schemaIssues++;
      if (s.event === 'SEND_MESSAGE_FAILED' || s.event === 'SUBSCRIBE_CHANNEL_FAILED') this.sendFailures++;
    }
  }

  /** `now`: the time attachment problems are judged at (stuck conversions); the last event's time by default. */
  result(now = this.end ?? 0): LogSummary {
    this.sends.advance(now);
    const sendsOf = (key: string | null): SendsSummary => ({ ...this.sends.counts(key), roundTrip: this.sends.roundTrip(key) ?? null });
    const topics = this.groups.topics().map((g) => ({
      topicId: g.key === NO_TOPIC ? '' : g.key,
      ...(g.title !== undefined ? { title: g.title } : {}),
      events: g.count,
      problems: g.problems,
      categories: Object.fromEntries([...g.categories.values()].map((c) => [c.key, c.count])),
      ...(hasSends(this.sends.counts(g.key)) ? { sends: sendsOf(g.key) } : {}),
    }));
    const cats = new Map<string, { category: string; events: number; known: boolean; problems: number }>();
    for (const c of this.groups.categories(null)) {
      const prev = cats.get(c.key);
      if (prev) {
        prev.events += c.count;
        prev.problems += c.problems;
      } else cats.set(c.key, { category: c.key, events: c.count, known: c.known, problems: c.problems });
    }
    const files = this.files.files();
    const problems = files.flatMap((f) =>
      problemsOf(f, now).map((p) => ({
        fileId: f.fileId,
        ...(f.name !== undefined ? { name: f.name } : {}),
        ...(f.topicId !== undefined ? { topicId: f.topicId } : {}),
        kind: p.kind,
        seq: p.seq,
        text: p.text,
      })),
    );
    return {
      events: this.count,
      byEvent: { ...this.byEvent },
      decodeErrors: this.decodeErrors,
      schemaIssues: this.schemaIssues,
      sendFailures: this.sendFailures,
      topics,
      sends: sendsOf(null),
      categories: [...cats.values()].sort((a, b) => b.events - a.events || a.category.localeCompare(b.category)),
      attachments: { files: files.length, problems },
      start: this.start,
      end: this.end,
    };
  }
}


const hasSends = (c: SendCounts): boolean => c.ok + c.failed + c.waiting + c.unanswered > 0;

/** "✓ 4 · ✖ 1 · ◷ 2 unanswered · p50 12 ms / p95 40 ms". */
function sendsText(s: SendsSummary): string {
  const rtt = s.roundTrip ? ` · round trip p50 ${Math.round(s.roundTrip.p50)} ms / p95 ${Math.round(s.roundTrip.p95)} ms` : '';
  return `✓ ${s.ok} answered · ✖ ${s.failed} failed · ◷ ${s.unanswered} unanswered${s.waiting ? ` · ${s.waiting} waiting` : ''}${rtt}`;
}

/** The summary as text, for a terminal. */
export function summaryText(s: LogSummary): string {
  const out: string[] = [];
  const time = (t: number | null): string => (t === null ? '?' : new Date(t).toISOString());
  out.push(`${s.events} events, ${time(s.start)} → ${time(s.end)}`);
  out.push(`problems: ${s.decodeErrors} decode errors, ${s.schemaIssues} events with schema issues, ${s.sendFailures} failures answered`);
  if (hasSends(s.sends)) out.push(`sends: ${sendsText(s.sends)}`);
  out.push('', 'Events:');
  for (const [name, n] of Object.entries(s.byEvent).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) out.push(`  ${String(n).padStart(6)}  ${name}`);
  out.push('', 'Topics:');
  for (const t of s.topics) {
    const label = t.topicId === '' ? '(no topic)' : `${t.title ?? '(untitled)'} [${t.topicId}]`;
    out.push(`  ${String(t.events).padStart(6)}  ${label}${t.problems ? `  (${t.problems} problems)` : ''}`);
    if (t.sends) out.push(`  ${''.padStart(6)}    sends: ${sendsText(t.sends)}`);
    for (const [c, n] of Object.entries(t.categories)) out.push(`  ${''.padStart(6)}    ${String(n).padStart(5)}  ${c}`);
  }
  out.push('', 'Categories:');
  for (const c of s.categories) out.push(`  ${String(c.events).padStart(6)}  ${c.category}${c.known ? '' : '  (unknown category)'}${c.problems ? `  (${c.problems} problems)` : ''}`);
  out.push('', `Attachments: ${s.attachments.files} files, ${s.attachments.problems.length} problems`);
  for (const p of s.attachments.problems) out.push(`  ${p.kind}: ${p.name ?? p.fileId} (event ${p.seq}): ${p.text}`);
  return out.join('\n') + '\n';
}
