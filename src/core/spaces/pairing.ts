// Pairs requests with their replies: SEND_MESSAGE → MESSAGE_SENT echo / SEND_MESSAGE_FAILED (by loopback
// metadata), SUBSCRIBE_CHANNEL → CHANNEL_SUBSCRIBED / SUBSCRIBE_CHANNEL_FAILED (by channel id),
// UNSUBSCRIBE_CHANNEL → CHANNEL_UNSUBSCRIBED (by channel id), and any
// event sent with an ack id → its ACK (by id and namespace). Use one tracker per connection.
import type { Direction, SocketPacket } from '../wire/types';
import type { ReplyInfo, SpacesInfo } from './types';

export interface SendTrackerOptions {
  /** Requests remembered at most; the oldest is forgotten first. Default 1000. */
  maxPending?: number;
  /** Requests older than this (by event time) are forgotten. Default 120 000 ms. */
  timeoutMs?: number;
}

export interface ObservedEvent {
  seq: number;
  t: number;
  dir: Direction;
  packet: SocketPacket;
  spaces: SpacesInfo;
}

export interface SendTracker {
  /** Remembers a request, or returns the pairing when `e` answers one (to set as `spaces.reply`). */
  observe(e: ObservedEvent): ReplyInfo | undefined;
  /** Requests waiting for a reply (a send with both a loopback and an ack id counts twice). */
  pending(): number;
  clear(): void;
}

interface Request {
  seq: number;
  t: number;
}

const opposite = (dir: Direction): Direction => (dir === 'in' ? 'out' : 'in');

export function createSendTracker(opts: SendTrackerOptions = {}): SendTracker {
  const maxPending = Math.max(1, Math.floor(opts.maxPending ?? 1000));
  const timeoutMs = opts.timeoutMs ?? 120_000;
  // Insertion order is age order: the first entry is the oldest.
  const waiting = new Map<string, Request>();

  const remember = (key: string, e: ObservedEvent): void => {
    waiting.delete(key);
    waiting.set(key, { seq: e.seq, t: e.t });
    for (const oldest of waiting.keys()) {
      if (waiting.size <= maxPending) break;
      waiting.delete(oldest);
    }
  };

  const take = (key: string, e: ObservedEvent, outcome: ReplyInfo['outcome']): ReplyInfo | undefined => {
    const req = waiting.get(key);
    if (!req) return undefined;
    waiting.delete(key);
    return { toSeq: req.seq, rttMs: e.t - req.t, outcome };
  };

  const expire = (now: number): void => {
    if (!Number.isFinite(now)) return;
    for (const [key, req] of waiting) {
      if (now - req.t <= timeoutMs) break;
      waiting.delete(key);
    }
  };

  return {
    observe(e) {
      expire(e.t);
      const { packet, spaces, dir } = e;
      const nsp = packet.nsp;
      if (packet.type === 'ACK' || packet.type === 'BINARY_ACK') {
        return typeof packet.id === 'number' ? take(`ack|${opposite(dir)}|${nsp}|${packet.id}`, e, 'ack') : undefined;
      }
      if (packet.type !== 'EVENT' && packet.type !== 'BINARY_EVENT') return undefined;
      if (typeof packet.id === 'number') remember(`ack|${dir}|${nsp}|${packet.id}`, e);
      const loopback = spaces.loopback === undefined ? undefined : `lb|${nsp}|${spaces.loopback}`;
      const channel = spaces.channel?.id === undefined ? undefined : `ch|${nsp}|${spaces.channel.id}`;
      switch (spaces.event) {
        case 'SEND_MESSAGE':
          if (dir === 'out' && loopback) remember(loopback, e);
          return undefined;
        case 'MESSAGE_SENT':
          return dir === 'in' && loopback ? take(loopback, e, 'echo') : undefined;
        case 'SEND_MESSAGE_FAILED':
          return dir === 'in' && loopback ? take(loopback, e, 'failed') : undefined;
        case 'SUBSCRIBE_CHANNEL':
          if (dir === 'out' && channel) remember(channel, e);
          return undefined;
        case 'CHANNEL_SUBSCRIBED':
          return dir === 'in' && channel ? take(channel, e, 'subscribed') : undefined;
        case 'SUBSCRIBE_CHANNEL_FAILED':
          return dir === 'in' && channel ? take(channel, e, 'failed') : undefined;
        case 'UNSUBSCRIBE_CHANNEL':
          if (dir === 'out' && channel) remember(`un${channel}`, e);
          return undefined;
        case 'CHANNEL_UNSUBSCRIBED':
          return dir === 'in' && channel ? take(`un${channel}`, e, 'unsubscribed') : undefined;
        default:
          return undefined;
      }
    },
    pending: () => waiting.size,
    clear: () => waiting.clear(),
  };
}
