// Pairs requests with their replies: SEND_MESSAGE → MESSAGE_SENT echo / SEND_MESSAGE_FAILED (by loopback
// metadata; without it, as a k6 client sends, by topic, category and content, and a failure by order),
// SUBSCRIBE_CHANNEL → CHANNEL_SUBSCRIBED / SUBSCRIBE_CHANNEL_FAILED and UNSUBSCRIBE_CHANNEL →
// CHANNEL_UNSUBSCRIBED (by channel id), and any event sent with an ack id → its ACK (by id and
// namespace). Use one tracker per connection.
import type { Direction, JsonValue, SocketPacket } from '../wire/types';
import type { PairedBy, ReplyInfo, SpacesInfo } from './types';

export interface SendTrackerOptions {
  /** Requests remembered at most; the oldest is forgotten first (and counted). Default 1000. */
  maxPending?: number;
  /** Requests older than this (by event time) are forgotten (and counted). Default 120 000 ms. */
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
  /** Replies awaited (a send with both a loopback and an ack id counts twice, one without loopback twice too). */
  pending(): number;
  /** Requests forgotten unanswered (too old, or beyond maxPending): a late reply no longer pairs. */
  forgotten(): number;
  clear(): void;
}

interface Request {
  seq: number;
  t: number;
  topicId?: string;
  /** Keys it waits under. */
  keys: string[];
  /** Set once one of its keys was answered: its other keys (ack and echo) no longer count as forgotten. */
  answered?: boolean;
}

const opposite = (dir: Direction): Direction => (dir === 'in' ? 'out' : 'in');

type Obj = { [key: string]: JsonValue };
const asObj = (x: JsonValue | undefined): Obj | undefined => (typeof x === 'object' && x !== null && !Array.isArray(x) ? x : undefined);

/** FNV-1a of a string: content is matched by hash, so a pending send costs a few bytes whatever its text. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${(h >>> 0).toString(36)}.${s.length}`;
}

/** The key a send without loopback and its echo share: topic, category and body text. */
export function contentKey(packet: SocketPacket, spaces: SpacesInfo): string | undefined {
  if (spaces.topicId === undefined) return undefined;
  const body = asObj(asObj(packet.args[0])?.content)?.bodyText;
  return `${spaces.topicId}|${spaces.category ?? ''}|${typeof body === 'string' ? hash(body) : '-'}`;
}

export function createSendTracker(opts: SendTrackerOptions = {}): SendTracker {
  const maxPending = Math.max(1, Math.floor(opts.maxPending ?? 1000));
  const timeoutMs = opts.timeoutMs ?? 120_000;
  // Key → requests waiting under it, oldest first. `order` holds every (key, request) in age order.
  const waiting = new Map<string, Request[]>();
  const order: { key: string; req: Request }[] = [];
  let head = 0;
  let size = 0;
  let forgottenCount = 0;
  /** Requests waiting under a content key: while none, an echo's body is not hashed. */
  let byContent = 0;

  const drop = (key: string, req: Request): boolean => {
    const list = waiting.get(key);
    const i = list ? list.indexOf(req) : -1;
    if (i < 0) return false;
    list!.splice(i, 1);
    if (list!.length === 0) waiting.delete(key);
    size--;
    if (key.startsWith('ct|')) byContent--;
    return true;
  };

  const compact = (): void => {
    if (head >= 1024 && head >= order.length / 2) {
      order.splice(0, head);
      head = 0;
    }
  };

  /** Forgets the oldest entry; counts its request once, unless another of its keys was answered. */
  const forgetOldest = (): void => {
    const o = order[head++]!;
    if (drop(o.key, o.req) && !o.req.answered) {
      o.req.answered = true;
      forgottenCount++;
    }
  };

  const remember = (key: string, req: Request): void => {
    req.keys.push(key);
    const list = waiting.get(key);
    if (list) list.push(req);
    else waiting.set(key, [req]);
    order.push({ key, req });
    size++;
    if (key.startsWith('ct|')) byContent++;
    while (size > maxPending) forgetOldest();
    compact();
  };

  const take = (key: string, e: ObservedEvent, outcome: ReplyInfo['outcome'], by: PairedBy): ReplyInfo | undefined => {
    const req = waiting.get(key)?.[0];
    if (!req) return undefined;
    drop(key, req);
    // A send without loopback waits under its content and as the oldest unlabelled send: one answer ends both.
    if (by === 'content' || by === 'order') for (const k of req.keys) if (!k.startsWith('ack|')) drop(k, req);
    req.answered = true;
    const reply: ReplyInfo = { toSeq: req.seq, rttMs: e.t - req.t, outcome, by };
    // A send's failure names no topic: the reply carries its request's.
    if (req.topicId !== undefined && outcome === 'failed' && by !== 'channel') reply.topicId = req.topicId;
    return reply;
  };

  const expire = (now: number): void => {
    if (!Number.isFinite(now)) return;
    while (head < order.length) {
      const o = order[head]!;
      if (!waiting.get(o.key)?.includes(o.req)) {
        head++;
        continue;
      }
      if (now - o.req.t <= timeoutMs) break;
      forgetOldest();
    }
    compact();
  };

  return {
    observe(e) {
      expire(e.t);
      const { packet, spaces, dir } = e;
      const nsp = packet.nsp;
      if (packet.type === 'ACK' || packet.type === 'BINARY_ACK') {
        return typeof packet.id === 'number' ? take(`ack|${opposite(dir)}|${nsp}|${packet.id}`, e, 'ack', 'ack') : undefined;
      }
      if (packet.type !== 'EVENT' && packet.type !== 'BINARY_EVENT') return undefined;
      const req: Request = { seq: e.seq, t: e.t, keys: [] };
      if (spaces.topicId !== undefined) req.topicId = spaces.topicId;
      if (typeof packet.id === 'number') remember(`ack|${dir}|${nsp}|${packet.id}`, req);
      const loopback = spaces.loopback ? `lb|${nsp}|${spaces.loopback}` : undefined;
      const channel = spaces.channel?.id === undefined ? undefined : `ch|${nsp}|${spaces.channel.id}`;
      switch (spaces.event) {
        case 'SEND_MESSAGE': {
          if (dir !== 'out') return undefined;
          if (loopback) remember(loopback, req);
          else {
            const ck = contentKey(packet, spaces);
            if (ck !== undefined) remember(`ct|${nsp}|${ck}`, req);
            // A failure names no content: it answers the oldest send without loopback.
            remember(`nolb|${nsp}`, req);
          }
          return undefined;
        }
        case 'MESSAGE_SENT': {
          if (dir !== 'in') return undefined;
          const byLoopback = loopback ? take(loopback, e, 'echo', 'loopback') : undefined;
          if (byLoopback) return byLoopback;
          const ck = byContent > 0 ? contentKey(packet, spaces) : undefined;
          return ck === undefined ? undefined : take(`ct|${nsp}|${ck}`, e, 'echo', 'content');
        }
        case 'SEND_MESSAGE_FAILED': {
          if (dir !== 'in') return undefined;
          const byLoopback = loopback ? take(loopback, e, 'failed', 'loopback') : undefined;
          if (byLoopback) return byLoopback;
          return take(`nolb|${nsp}`, e, 'failed', 'order');
        }
        case 'SUBSCRIBE_CHANNEL':
          if (dir === 'out' && channel) remember(channel, req);
          return undefined;
        case 'CHANNEL_SUBSCRIBED':
          return dir === 'in' && channel ? take(channel, e, 'subscribed', 'channel') : undefined;
        case 'SUBSCRIBE_CHANNEL_FAILED':
          return dir === 'in' && channel ? take(channel, e, 'failed', 'channel') : undefined;
        case 'UNSUBSCRIBE_CHANNEL':
          if (dir === 'out' && channel) remember(`un${channel}`, req);
          return undefined;
        case 'CHANNEL_UNSUBSCRIBED':
          return dir === 'in' && channel ? take(`un${channel}`, e, 'unsubscribed', 'channel') : undefined;
        default:
          return undefined;
      }
    },
    pending: () => size,
    forgotten: () => forgottenCount,
    clear: () => {
      waiting.clear();
      order.length = 0;
      head = size = byContent = 0;
    },
  };
}

/**
 * A reply's description with its pairing: a failure that names no topic (SEND_MESSAGE_FAILED never
 * does) takes its request's, so it is listed, filtered and counted with the topic it failed in.
 */
export function withReply(spaces: SpacesInfo, reply: ReplyInfo): SpacesInfo {
  const out: SpacesInfo = { ...spaces, reply };
  if (out.topicId === undefined && reply.topicId !== undefined && reply.outcome === 'failed') out.topicId = reply.topicId;
  return out;
}
