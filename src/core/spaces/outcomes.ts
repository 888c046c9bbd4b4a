// The outcome of every request the page (or the server) sent expecting an answer: a SEND_MESSAGE, or any
// event emitted with an ack id. Fed events in order (the replies carry `spaces.reply`, see pairing.ts);
// indexed by the request's seq, so a row finds its outcome in O(1). A request with no answer is waiting
// until `thresholdMs` has passed on the clock it is advanced with (live: the wall clock; a log: its own
// event times), then unanswered. None leaves silently: one evicted beyond the bound while unanswered stays
// counted as unanswered. Pure.
import type { CapturedEvent } from '../model/event';
import { topicKeyOf } from '../model/grouping';
import type { PairedBy, ReplyInfo } from './types';

export type SendState = 'ok' | 'failed' | 'waiting' | 'unanswered';

export interface SendAnswer {
  seq: number;
  outcome: ReplyInfo['outcome'];
  rttMs: number;
  by?: PairedBy;
  /** The server's reason, for a failure. */
  error?: string;
}

export interface SendRecord {
  seq: number;
  t: number;
  /** Event name (SEND_MESSAGE, or the emitted event's). */
  event: string;
  /** Group key of its topic (grouping.ts), and its topicId when it names one. */
  topic: string;
  topicId?: string;
  state: SendState;
  /** The answer that decided it: a failure or an echo over an ack. */
  answer?: SendAnswer;
}

export interface SendCounts {
  ok: number;
  failed: number;
  waiting: number;
  /** Of which `forgotten`: evicted beyond the bound before any answer. */
  unanswered: number;
}

export interface Percentiles {
  p50: number;
  p95: number;
  /** Samples they were taken over (the newest, up to the bound). */
  n: number;
}

export const DEFAULT_UNANSWERED_MS = 10_000;
/** Requests remembered; beyond it the oldest is dropped (an unanswered one stays counted). */
const MAX_RECORDS = 20_000;
/** Round-trip samples kept per topic, and overall. */
const MAX_SAMPLES = 1000;

const emptyCounts = (): SendCounts => ({ ok: 0, failed: 0, waiting: 0, unanswered: 0 });

/** Whether an event is a request the outcomes track. */
export function isRequest(ev: CapturedEvent): boolean {
  const r = ev.record;
  if (r.kind !== 'socket' || (r.packet.type !== 'EVENT' && r.packet.type !== 'BINARY_EVENT')) return false;
  return typeof r.packet.id === 'number' || (r.dir === 'out' && ev.spaces?.event === 'SEND_MESSAGE');
}

/** The value at quantile q of sorted values (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

class Samples {
  private ring: number[] = [];
  private next = 0;
  private cache: Percentiles | undefined;
  add(ms: number): void {
    if (this.ring.length < MAX_SAMPLES) this.ring.push(ms);
    else this.ring[this.next] = ms;
    this.next = (this.next + 1) % MAX_SAMPLES;
    this.cache = undefined;
  }
  percentiles(): Percentiles | undefined {
    if (this.ring.length === 0) return undefined;
    if (!this.cache) {
      const s = [...this.ring].sort((a, b) => a - b);
      this.cache = { p50: quantile(s, 0.5), p95: quantile(s, 0.95), n: s.length };
    }
    return this.cache;
  }
}

export class SendOutcomes {
  /** Bumped when an outcome or a count changes. */
  revision = 0;
  private records = new Map<number, SendRecord>();
  /** Waiting requests by seq, oldest first; the ones past the threshold move to `late`. */
  private waiting = new Map<number, SendRecord>();
  private late = new Map<number, SendRecord>();
  private all = emptyCounts();
  private topics = new Map<string, SendCounts>();
  private rtt = new Samples();
  private topicRtt = new Map<string, Samples>();
  private forgottenCount = 0;
  private now = -Infinity;

  constructor(
    private threshold = DEFAULT_UNANSWERED_MS,
    private readonly maxRecords = MAX_RECORDS,
  ) {}

  get thresholdMs(): number {
    return this.threshold;
  }

  /**
   * Takes one event. Returns it, or a copy whose failure names the topic of the send it answers (a
   * SEND_MESSAGE_FAILED names none; a log from before the capture set it).
   */
  add(ev: CapturedEvent): CapturedEvent {
    const reply = ev.spaces?.reply;
    if (reply) {
      const rec = this.records.get(reply.toSeq);
      if (rec && ev.spaces!.topicId === undefined && rec.topicId !== undefined && reply.outcome === 'failed') {
        ev = { ...ev, spaces: { ...ev.spaces!, topicId: rec.topicId } };
      }
      if (rec) this.answer(rec, ev, reply);
      return ev;
    }
    if (!isRequest(ev)) return ev;
    const rec: SendRecord = { seq: ev.seq, t: ev.record.t, event: ev.spaces?.event || (ev.record.kind === 'socket' ? (ev.record.packet.event ?? '') : ''), topic: topicKeyOf(ev), state: 'waiting' };
    if (ev.spaces?.topicId !== undefined) rec.topicId = ev.spaces.topicId;
    this.records.set(rec.seq, rec);
    this.waiting.set(rec.seq, rec);
    this.bump(rec.topic, 'waiting', 1);
    if (this.records.size > this.maxRecords) this.evictOldest();
    this.revision++;
    return ev;
  }

  /** The outcome of the request with this seq. */
  get(seq: number): SendRecord | undefined {
    return this.records.get(seq);
  }

  /** Counts over every topic, or one topic's (by group key). */
  counts(topic: string | null = null): SendCounts {
    return topic === null ? this.all : (this.topics.get(topic) ?? emptyCounts());
  }

  /** Unanswered requests no longer remembered (counted among `unanswered`). */
  get forgotten(): number {
    return this.forgottenCount;
  }

  /** Round trip (request → its echo or ack) p50 / p95 overall or of one topic; undefined without samples. */
  roundTrip(topic: string | null = null): Percentiles | undefined {
    return (topic === null ? this.rtt : this.topicRtt.get(topic))?.percentiles();
  }

  /** Moves the clock: requests waiting longer than the threshold become unanswered. True when one did. */
  advance(now: number): boolean {
    if (!Number.isFinite(now)) return false;
    this.now = Math.max(this.now, now);
    let changed = false;
    for (const rec of this.waiting.values()) {
      if (this.now - rec.t <= this.threshold) break;
      this.waiting.delete(rec.seq);
      this.late.set(rec.seq, rec);
      this.setState(rec, 'unanswered');
      changed = true;
    }
    if (changed) this.revision++;
    return changed;
  }

  /** A new threshold: the late ones are judged again (rare, O(late + waiting)). */
  setThreshold(ms: number): void {
    if (ms === this.threshold) return;
    this.threshold = ms;
    const back = [...this.late.values(), ...this.waiting.values()].sort((a, b) => a.seq - b.seq);
    this.late.clear();
    this.waiting.clear();
    for (const rec of back) {
      this.waiting.set(rec.seq, rec);
      if (rec.state === 'unanswered') this.setState(rec, 'waiting');
    }
    this.revision++;
    const now = this.now;
    this.now = -Infinity;
    this.advance(now);
  }

  clear(): void {
    this.records.clear();
    this.waiting.clear();
    this.late.clear();
    this.all = emptyCounts();
    this.topics.clear();
    this.rtt = new Samples();
    this.topicRtt.clear();
    this.forgottenCount = 0;
    this.revision++;
  }

  private answer(rec: SendRecord, ev: CapturedEvent, reply: ReplyInfo): void {
    const failed = reply.outcome === 'failed';
    // An echo or a failure decides over an ack; the first of them stays.
    if (rec.answer && (rec.answer.outcome !== 'ack' || reply.outcome === 'ack')) return;
    const answer: SendAnswer = { seq: ev.seq, outcome: reply.outcome, rttMs: reply.rttMs };
    if (reply.by) answer.by = reply.by;
    if (failed && ev.spaces?.error !== undefined) answer.error = ev.spaces.error;
    const firstOk = rec.state !== 'ok' && !failed;
    rec.answer = answer;
    this.waiting.delete(rec.seq);
    this.late.delete(rec.seq);
    this.setState(rec, failed ? 'failed' : 'ok');
    if (firstOk) {
      this.rtt.add(reply.rttMs);
      let s = this.topicRtt.get(rec.topic);
      if (!s) this.topicRtt.set(rec.topic, (s = new Samples()));
      s.add(reply.rttMs);
    }
    this.revision++;
  }

  private setState(rec: SendRecord, state: SendState): void {
    if (rec.state === state) return;
    this.bump(rec.topic, rec.state, -1);
    this.bump(rec.topic, state, 1);
    rec.state = state;
  }

  private bump(topic: string, state: SendState, d: number): void {
    this.all[state] += d;
    let c = this.topics.get(topic);
    if (!c) this.topics.set(topic, (c = emptyCounts()));
    c[state] += d;
  }

  /** Drops the oldest record; one still unanswered (or waiting) is counted as unanswered and forgotten. */
  private evictOldest(): void {
    const oldest = this.records.values().next().value as SendRecord;
    this.records.delete(oldest.seq);
    if (oldest.state === 'waiting' || oldest.state === 'unanswered') {
      this.waiting.delete(oldest.seq);
      this.late.delete(oldest.seq);
      this.setState(oldest, 'unanswered');
      this.forgottenCount++;
    }
  }
}

/** "✓ echoed in 120 ms", "✖ failed: not a member", "◷ no answer yet", "no answer after 10 s"; "· paired by content". */
export function outcomeText(rec: SendRecord, thresholdMs: number): string {
  const a = rec.answer;
  const by = a?.by === 'content' ? ' · paired by content' : a?.by === 'order' ? ' · paired by order' : '';
  switch (rec.state) {
    case 'ok':
      return `✓ ${a?.outcome === 'ack' ? 'acked' : 'echoed'} in ${Math.round(a?.rttMs ?? 0)} ms${by}`;
    case 'failed':
      return `✖ failed${a?.error ? `: ${a.error}` : ''}${by}`;
    case 'waiting':
      return '◷ no answer yet';
    case 'unanswered':
      return `◷ no answer after ${Math.round(thresholdMs / 1000)} s`;
  }
}
