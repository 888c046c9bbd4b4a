// What a list row and the detail pane say about a send's outcome. Pure.
import type { CapturedEvent } from '../../core/model/event';
import { outcomeText, type Percentiles, type SendOutcomes, type SendCounts } from '../../core/spaces/outcomes';
import { humanDuration } from '../../core/attachments';
import { formatCount } from './row';

export interface SendMark {
  /** "✓ echoed in 120 ms", "✖ failed: …", "◷ no answer yet", "◷ no answer after 10 s". */
  text: string;
  level: 'ok' | 'error' | 'busy' | 'warn';
  title: string;
}

const PAIRING: Record<string, string> = {
  loopback: 'paired by its loopbackMetadata',
  ack: 'paired by its ack id',
  content: 'paired by topic, category and content (no loopbackMetadata): a guess',
  order: 'paired with the oldest send without loopbackMetadata (a failure names no content): a guess',
  channel: 'paired by channel id',
};

export const pairingText = (by: string | undefined): string => (by ? (PAIRING[by] ?? by) : 'paired');

/** The mark of a request's row (its outcome), or of a reply paired by a guess; undefined for other rows. */
export function sendMark(sends: SendOutcomes, ev: CapturedEvent): SendMark | undefined {
  const rec = sends.get(ev.seq);
  if (rec) {
    const text = outcomeText(rec, sends.thresholdMs);
    const level = rec.state === 'ok' ? 'ok' : rec.state === 'failed' ? 'error' : rec.state === 'waiting' ? 'busy' : 'warn';
    const title =
      rec.state === 'ok' || rec.state === 'failed'
        ? `${rec.answer?.outcome === 'failed' ? 'Failed' : rec.answer?.outcome === 'ack' ? 'Acknowledged' : 'Echoed'} by event #${rec.answer?.seq}, ${pairingText(rec.answer?.by)}`
        : rec.state === 'waiting'
          ? `No answer yet; flagged after ${humanDuration(sends.thresholdMs)}`
          : `No answer within ${humanDuration(sends.thresholdMs)}`;
    return { text, level, title };
  }
  const reply = ev.spaces?.reply;
  if (reply && (reply.by === 'content' || reply.by === 'order')) {
    return { text: `≈ paired by ${reply.by}`, level: 'busy', title: `Answers event #${reply.toSeq}, ${pairingText(reply.by)}` };
  }
  return undefined;
}

/** "✓ 4 · ✖ 1 · ◷ 1", or '' when there were no sends. */
export function countsText(c: SendCounts): string {
  const answered = c.ok + c.failed + c.waiting + c.unanswered;
  if (answered === 0) return '';
  const parts = [`✓ ${formatCount(c.ok)}`, `✖ ${formatCount(c.failed)}`, `◷ ${formatCount(c.waiting + c.unanswered)}`];
  return parts.join(' · ');
}

/** "p50 120 ms · p95 340 ms", or '' without samples. */
export function roundTripText(p: Percentiles | undefined): string {
  return p ? `p50 ${Math.round(p.p50)} ms · p95 ${Math.round(p.p95)} ms` : '';
}

/** A topic's line in the tree (null: all topics): "sends ✓ 2 · ✖ 1 · ◷ 0 · p50 12 ms · p95 40 ms", or ''. */
export function topicSendsText(sends: SendOutcomes, topic: string | null): string {
  const c = countsText(sends.counts(topic));
  const rtt = roundTripText(sends.roundTrip(topic));
  return c ? `sends ${c}${rtt ? ` · ${rtt}` : ''}` : '';
}

/** What the detail pane shows of a request's outcome: its mark and the event that answered it. */
export function outcomeView(sends: SendOutcomes, ev: CapturedEvent): { mark: SendMark; answerSeq?: number } | undefined {
  const rec = sends.get(ev.seq);
  const mark = rec && sendMark(sends, ev);
  return mark ? { mark, ...(rec.answer ? { answerSeq: rec.answer.seq } : {}) } : undefined;
}
