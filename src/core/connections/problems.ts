// The connection problems the panel knows, as items the toolbar's problems count and "Only problems" use:
// abnormal closes, heartbeat gaps, failed / lost / not re-subscribed subscriptions, and MESSAGE_SENT for
// a topic the socket never subscribed. Pure.
import { ongoingGap, type ConnectionTracker } from './model';

export type ConnectionProblemKind = 'abnormal-close' | 'ping-gap' | 'subscription-failed' | 'subscription-lost' | 'not-resubscribed' | 'unsubscribed-message';

export interface ConnectionProblem {
  kind: ConnectionProblemKind;
  label: string;
  /** The event the problem points at (a list row). */
  seq?: number;
  /** Connection key (frame label and number), as the event list's connection filter takes it. */
  connection?: string;
}

/** Labels of the kinds, for a count that names each. */
export const CONNECTION_PROBLEM_LABELS: Record<ConnectionProblemKind, string> = {
  'abnormal-close': 'abnormal socket close',
  'ping-gap': 'heartbeat gap',
  'subscription-failed': 'subscription failed',
  'subscription-lost': 'subscription lost',
  'not-resubscribed': 'not re-subscribed after reconnect',
  'unsubscribed-message': 'MESSAGE_SENT without subscription',
};

const secs = (ms: number): string => `${Math.round(ms / 100) / 10} s`;
const num = (key: string): string => `#${key.trim().split(' ').pop()}`;

export function connectionProblems(t: ConnectionTracker, now = t.latest): ConnectionProblem[] {
  const out: ConnectionProblem[] = [];
  for (const c of t.list) {
    if (c.abnormal) out.push({ kind: 'abnormal-close', label: `Socket ${num(c.key)} closed: ${c.closeReason ?? 'closed'}`, seq: c.closeSeq, connection: c.key });
    const limit = (c.pingInterval ?? 0) + (c.pingTimeout ?? 0);
    const gaps = [...c.gaps];
    const ongoing = ongoingGap(c, now);
    if (ongoing) gaps.push(ongoing);
    for (const g of gaps) {
      out.push({
        kind: 'ping-gap',
        label: `Socket ${num(c.key)}: no heartbeat for ${secs(g.to - g.from)}${g.seq === undefined ? ' (ongoing)' : ''} (limit ${secs(limit)})`,
        ...(g.seq !== undefined ? { seq: g.seq } : {}),
        connection: c.key,
      });
    }
  }
  for (const s of t.subscriptions(now)) {
    const ch = `${s.type ?? 'channel'} ${s.channel}`;
    if (s.state === 'failed') out.push({ kind: 'subscription-failed', label: `Subscription to ${ch} failed: ${s.reason ?? 'no reason given'}`, seq: s.changedSeq, connection: s.session });
    else if (s.state === 'lost') out.push({ kind: 'subscription-lost', label: `Subscription to ${ch} lost when socket ${num(s.session)} closed`, seq: s.changedSeq, connection: s.session });
    else if (s.state === 'not re-subscribed') out.push({ kind: 'not-resubscribed', label: `Subscription to ${ch} lost after reconnect: not subscribed again`, seq: s.seq, connection: s.session });
  }
  for (const u of t.unsubscribedMessages) {
    out.push({
      kind: 'unsubscribed-message',
      label: `MESSAGE_SENT for topic ${u.topicId} that socket ${num(u.session)} never subscribed${u.count > 1 ? ` (${u.count}×)` : ''}`,
      seq: u.seq,
      connection: u.session,
    });
  }
  return out;
}
