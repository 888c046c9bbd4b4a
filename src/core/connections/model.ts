// Each socket's life from the captured events: endpoint, transport and upgrade, generation, namespaces,
// open / close and why, heartbeat (interval, measured round trip, gaps), counts; the outages between a
// close and the next open of the same endpoint; and each channel's subscription state per session.
// Pure and incremental: fed events in arrival order, O(1) per event, bounded.
import type { CapturedEvent } from '../model/event';
import type { Transport } from '../wire/types';

/** Connections kept (the oldest forgotten first), and subscriptions per session. */
export const MAX_TRACKED = 500;
const MAX_SUBS = 1000;
const MAX_GAPS = 100;
/** Time a reopened endpoint has to subscribe again to what its closed session lost. */
export const RESUBSCRIBE_GRACE_MS = 10_000;

export interface PingGap {
  /** Last heartbeat (or the open) before the gap, and what ended it (a heartbeat, the close, or now). */
  from: number;
  to: number;
  /** Seq of the event that ended it (undefined: still going on). */
  seq?: number;
}

export type NamespaceState = 'connecting' | 'connected' | 'refused' | 'disconnected';

export interface Connection {
  /** Frame label and connection number: the event list's connection key. */
  key: string;
  conn: number;
  frame?: string;
  /** Redacted URL the page opened; undefined for events captured without it. */
  url?: string;
  /** Host and path, no query: what reconnects share. */
  endpoint: string;
  transport: Transport;
  /** Engine.IO protocol from the URL (EIO=3|4). */
  eio?: 3 | 4;
  sid?: string;
  /** Polling session this WebSocket upgraded (same sid), and the WebSocket a polling session upgraded to. */
  upgradeOf?: string;
  upgradedTo?: string;
  /** An earlier session of the same endpoint that had closed when this one started. */
  reconnectOf?: string;
  namespaces: Map<string, NamespaceState>;
  startedAt: number;
  openedAt?: number;
  closedAt?: number;
  /** Why it ended: "1006 abnormal closure (not clean)", "upgraded to websocket", "HTTP 400: …". */
  closeReason?: string;
  abnormal: boolean;
  closeSeq?: number;
  firstSeq: number;
  lastSeq: number;
  pingInterval?: number;
  pingTimeout?: number;
  /** Heartbeat round trips measured (ms): Engine.IO 3 the page's ping to the server's pong; 4 the server's ping to the page's pong. */
  rttLast?: number;
  rttSum: number;
  rttCount: number;
  gaps: PingGap[];
  lastBeat?: number;
  pendingPing?: number;
  messages: { in: number; out: number };
  bytes: { in: number; out: number };
  errors: number;
  /** Its first event was its start or its handshake: nothing of it came before the capture. */
  fromStart: boolean;
}

const NEW_TOPIC = 'app.event.topic.new';
const PAGE_CLOSE = 'Engine.IO close from the page';
/** A failed polling request this soon after the page's close packet: the packet was not delivered. */
const PAGE_CLOSE_FAILED_MS = 5_000;

export type SubscriptionState = 'subscribing' | 'subscribed' | 'failed' | 'unsubscribed' | 'lost' | 'not re-subscribed' | 'resubscribed';

export interface Subscription {
  /** Connection key of the session's first transport (the polling one an upgrade came from). */
  session: string;
  channel: string;
  type?: string;
  state: SubscriptionState;
  reason?: string;
  /** Seq of the request (or of the first reply when the server subscribed on its own), and of the latest change. */
  seq: number;
  changedSeq: number;
  lostAt?: number;
  /** The endpoint opened again at this time after the loss (the re-subscribe clock starts). */
  reopenedAt?: number;
}

export interface UnsubscribedMessage {
  session: string;
  topicId: string;
  /** First MESSAGE_SENT for it, and how many came. */
  seq: number;
  count: number;
}

export interface Outage {
  endpoint: string;
  /** Seq of the close that began it, and of the open that ended it. */
  fromSeq: number;
  toSeq?: number;
  from: number;
  to?: number;
}

const CLOSE_CODES: Record<number, string> = {
  1000: 'normal closure',
  1001: 'going away',
  1002: 'protocol error',
  1005: 'no status',
  1006: 'abnormal closure',
  1011: 'server error',
  1012: 'service restart',
};

/** Host and path of a URL, without query or fragment ("localhost:8080/socket.io/"). */
export function endpointOf(url: string | undefined, frame: string | undefined): string {
  if (!url) return '';
  const m = /^[a-z]+:\/\/([^?#]*)/i.exec(url);
  return `${frame ?? ''} ${m ? m[1] : url.replace(/[?#][\s\S]*$/, '')}`;
}

const param = (url: string | undefined, name: string): string | undefined => (url ? new RegExp(`[?&]${name}=([^&#]*)`).exec(url)?.[1] : undefined);

const keyOf = (ev: CapturedEvent): string => `${ev.frame ?? ''} ${ev.record.conn}`;

export class ConnectionTracker {
  private readonly conns = new Map<string, Connection>();
  /** Sessions (by their first connection's key) and their subscriptions by channel. */
  private readonly subs = new Map<string, Map<string, Subscription>>();
  private readonly unsubscribed = new Map<string, UnsubscribedMessage>();
  readonly outages: Outage[] = [];
  /** Polling connections by sid, for the WebSocket that upgrades them. */
  private readonly bySid = new Map<string, string>();
  /** Newest event time seen: a log's "now". */
  latest = 0;
  /** Changes with each event that changes what the views show. */
  revision = 0;
  /** Changes when a problem may have come or gone (a close, a gap, a subscription's state, …). */
  problemRev = 0;

  get list(): Connection[] {
    return [...this.conns.values()];
  }

  get(key: string): Connection | undefined {
    return this.conns.get(key);
  }

  /** The session a connection belongs to: the connection an upgrade started from. */
  sessionOf(key: string): string {
    let c = this.conns.get(key);
    for (let i = 0; c?.upgradeOf && i < 4; i++) c = this.conns.get(c.upgradeOf);
    return c?.key ?? key;
  }

  subscriptions(now = this.latest): Subscription[] {
    const out: Subscription[] = [];
    for (const m of this.subs.values()) for (const s of m.values()) out.push(this.judged(s, now));
    return out;
  }

  get unsubscribedMessages(): UnsubscribedMessage[] {
    return [...this.unsubscribed.values()];
  }

  /** Whether the event came while its endpoint (or another) was down: after a close, before the next open. */
  outageAt(seq: number): Outage | undefined {
    for (let i = this.outages.length - 1; i >= 0; i--) {
      const o = this.outages[i]!;
      if (seq > o.fromSeq && (o.toSeq === undefined || seq < o.toSeq)) return o;
    }
    return undefined;
  }

  /** A lost subscription not taken again within the grace after its endpoint reopened is "not re-subscribed". */
  private judged(s: Subscription, now: number): Subscription {
    if (s.state === 'lost' && s.reopenedAt !== undefined && now - s.reopenedAt > RESUBSCRIBE_GRACE_MS) return { ...s, state: 'not re-subscribed' };
    return s;
  }

  add(ev: CapturedEvent): void {
    const rec = ev.record;
    if (rec.t > this.latest) this.latest = rec.t;
    const key = keyOf(ev);
    let c = this.conns.get(key);
    if (!c) c = this.start(ev, key);
    c.lastSeq = ev.seq;
    this.revision++;
    if (rec.kind === 'life') {
      if (rec.life === 'open') this.opened(c, ev);
      else if (rec.life === 'close') {
        const what = rec.code !== undefined ? `${rec.code}${CLOSE_CODES[rec.code] ? ` ${CLOSE_CODES[rec.code]}` : ''}` : 'closed';
        const abnormal = rec.clean === false || (rec.code !== undefined && rec.code !== 1000 && rec.code !== 1001 && rec.code !== 1005);
        this.closed(c, ev, `${what}${rec.clean === false ? ' (not clean)' : ''}${rec.reason ? `: ${rec.reason}` : ''}`, abnormal);
      } else if (rec.life === 'error') {
        c.errors++;
        if (rec.status !== undefined) {
          const why = rec.status === 0 ? 'polling request failed (no response)' : `polling request got HTTP ${rec.status}${rec.reason ? `: ${rec.reason.slice(0, 120)}` : ''}`;
          // A polling client that lost its server writes a close packet on its way out (engine.io-client closes
          // its transport on a failed request): that close was never delivered, the session was dropped.
          if (c.closeReason === PAGE_CLOSE && c.closedAt !== undefined && rec.t - c.closedAt <= PAGE_CLOSE_FAILED_MS) this.reopenForDrop(c);
          this.closed(c, ev, why, true);
        }
      }
      return;
    }
    const dir = rec.dir;
    if (rec.kind !== 'error') {
      c.bytes[dir] += rec.raw.length;
    }
    if (rec.kind === 'engine') {
      if (rec.type === 'open' && rec.handshake) {
        c.sid = rec.handshake.sid;
        c.pingInterval = rec.handshake.pingInterval;
        c.pingTimeout = rec.handshake.pingTimeout;
        if (c.transport === 'polling') this.bySid.set(rec.handshake.sid, key);
        this.opened(c, ev);
      } else if (rec.type === 'ping' || rec.type === 'pong') this.beat(c, ev, rec.type);
      else if (rec.type === 'upgrade' && c.upgradeOf) {
        const from = this.conns.get(c.upgradeOf);
        if (from && from.closedAt === undefined) {
          from.closedAt = rec.t;
          from.closeReason = 'upgraded to websocket';
          from.closeSeq = ev.seq;
        }
      } else if (rec.type === 'close') this.closed(c, ev, dir === 'in' ? 'Engine.IO close from the server' : PAGE_CLOSE, false);
      return;
    }
    if (rec.kind !== 'socket') return;
    c.messages[dir]++;
    const p = rec.packet;
    if (p.type === 'CONNECT') {
      if (dir === 'out') c.namespaces.set(p.nsp, 'connecting');
      else c.namespaces.set(p.nsp, 'connected');
    } else if (p.type === 'CONNECT_ERROR') c.namespaces.set(p.nsp, 'refused');
    else if (p.type === 'DISCONNECT') c.namespaces.set(p.nsp, 'disconnected');
    else if (!c.namespaces.has(p.nsp)) c.namespaces.set(p.nsp, 'connected');
    const s = ev.spaces;
    if (!s) return;
    const session = this.sessionOf(key);
    const ch = s.channel?.id;
    switch (s.event) {
      case 'SUBSCRIBE_CHANNEL':
        if (dir === 'out' && ch !== undefined) this.setSub(session, ch, ev, 'subscribing', s.channel?.type, true);
        break;
      case 'CHANNEL_SUBSCRIBED':
        if (dir === 'in' && ch !== undefined) this.setSub(session, ch, ev, 'subscribed', s.channel?.type);
        break;
      case 'SUBSCRIBE_CHANNEL_FAILED':
        if (dir === 'in' && ch !== undefined) this.setSub(session, ch, ev, 'failed', s.channel?.type, false, s.error ?? 'no reason given');
        break;
      case 'UNSUBSCRIBE_CHANNEL':
      case 'CHANNEL_UNSUBSCRIBED':
        if (ch !== undefined) this.setSub(session, ch, ev, 'unsubscribed', s.channel?.type);
        break;
      case 'MESSAGE_SENT':
        // Only on a session seen from its start: one whose subscriptions may predate the capture proves nothing.
        // `app.event.topic.new` announces a space the user has just joined: not subscribed yet, by definition.
        if (dir === 'in' && s.topicId !== undefined && s.category !== NEW_TOPIC && this.conns.get(session)?.fromStart && !this.subs.get(session)?.has(s.topicId)) {
          const k = `${session}|${s.topicId}`;
          const u = this.unsubscribed.get(k);
          if (u) u.count++;
          else if (this.unsubscribed.size < MAX_SUBS) {
            this.unsubscribed.set(k, { session, topicId: s.topicId, seq: ev.seq, count: 1 });
            this.problemRev++;
          }
        }
        break;
    }
  }

  private start(ev: CapturedEvent, key: string): Connection {
    const rec = ev.record;
    const url = rec.kind === 'life' ? rec.url : undefined;
    const eio = param(url, 'EIO');
    const c: Connection = {
      key,
      conn: rec.conn,
      endpoint: endpointOf(url, ev.frame) || key,
      transport: rec.transport,
      namespaces: new Map(),
      startedAt: rec.t,
      abnormal: false,
      firstSeq: ev.seq,
      lastSeq: ev.seq,
      rttSum: 0,
      rttCount: 0,
      gaps: [],
      messages: { in: 0, out: 0 },
      bytes: { in: 0, out: 0 },
      errors: 0,
      fromStart: rec.kind === 'life' || (rec.kind === 'engine' && rec.type === 'open'),
    };
    if (ev.frame) c.frame = ev.frame;
    if (url) c.url = url;
    if (eio === '3' || eio === '4') c.eio = eio === '3' ? 3 : 4;
    const sid = param(url, 'sid');
    const from = sid ? this.bySid.get(decodeURIComponent(sid)) : undefined;
    if (from && c.transport === 'websocket') {
      c.upgradeOf = from;
      const f = this.conns.get(from);
      if (f) {
        f.upgradedTo = key;
        c.pingInterval = f.pingInterval;
        c.pingTimeout = f.pingTimeout;
        c.sid = f.sid;
        // One Socket.IO session over both transports: its namespaces are the same.
        c.namespaces = f.namespaces;
      }
    } else {
      // A reconnect: the same endpoint's latest session had closed.
      let prev: Connection | undefined;
      for (const o of this.conns.values()) if (o.endpoint === c.endpoint && !o.upgradeOf && o !== c) prev = o;
      const last = prev?.upgradedTo ? this.conns.get(prev.upgradedTo) : prev;
      if (prev && last?.closedAt !== undefined) c.reconnectOf = prev.key;
    }
    this.conns.set(key, c);
    if (this.conns.size > MAX_TRACKED) {
      const oldest = this.conns.keys().next().value!;
      this.conns.delete(oldest);
      this.subs.delete(oldest);
    }
    return c;
  }

  private opened(c: Connection, ev: CapturedEvent): void {
    if (c.openedAt === undefined) c.openedAt = ev.record.t;
    if (c.lastBeat === undefined) c.lastBeat = ev.record.t;
    // The endpoint is up again: its outage ends, and what its closed sessions lost waits to be taken again.
    for (const o of this.outages) if (o.endpoint === c.endpoint && o.toSeq === undefined) {
      o.toSeq = ev.seq;
      o.to = ev.record.t;
    }
    if (c.upgradeOf) return;
    const session = c.key;
    for (const [s, m] of this.subs) {
      if (s === session || this.conns.get(s)?.endpoint !== c.endpoint) continue;
      for (const sub of m.values()) {
        if (sub.state === 'lost' && sub.reopenedAt === undefined) {
          sub.reopenedAt = ev.record.t;
          this.problemRev++;
        }
      }
    }
  }

  /** Takes back a close from the page that a failed request shows was not delivered (what it changed is redone by closed()). */
  private reopenForDrop(c: Connection): void {
    const outage = this.outages.findIndex((o) => o.endpoint === c.endpoint && o.fromSeq === c.closeSeq);
    if (outage >= 0) this.outages.splice(outage, 1);
    const session = this.sessionOf(c.key);
    for (const sub of this.subs.get(session)?.values() ?? []) {
      if (sub.state === 'lost' && sub.lostAt === c.closedAt) sub.state = 'subscribed';
    }
    c.closedAt = undefined;
    c.closeReason = undefined;
    c.closeSeq = undefined;
  }

  private closed(c: Connection, ev: CapturedEvent, reason: string, abnormal: boolean): void {
    if (c.closedAt !== undefined) return;
    this.problemRev++;
    const t = ev.record.t;
    c.closedAt = t;
    c.closeReason = reason;
    c.closeSeq = ev.seq;
    this.endBeats(c, t, ev.seq);
    if (c.gaps.length) abnormal = true;
    // A reconnect attempt that never opened failed to connect: shown, not counted as a dropped socket. A
    // polling transport with a WebSocket beside it (upgrading): the session's drop is told on the WebSocket.
    c.abnormal = abnormal && c.openedAt !== undefined && !c.upgradedTo;
    // The session's subscriptions are gone with it; the endpoint is down until one of its sockets opens.
    const session = this.sessionOf(c.key);
    for (const sub of this.subs.get(session)?.values() ?? []) {
      if (sub.state === 'subscribed' || sub.state === 'subscribing') {
        sub.state = 'lost';
        sub.lostAt = t;
        sub.changedSeq = ev.seq;
      }
    }
    const up = [...this.conns.values()].some((o) => o !== c && o.endpoint === c.endpoint && o.openedAt !== undefined && o.closedAt === undefined);
    const open = this.outages.some((o) => o.endpoint === c.endpoint && o.toSeq === undefined);
    if (!up && !open && c.openedAt !== undefined) {
      this.outages.push({ endpoint: c.endpoint, fromSeq: ev.seq, from: t });
      if (this.outages.length > MAX_GAPS) this.outages.shift();
    }
  }

  /** The heartbeat: Engine.IO 4's server ping (answered by the page's pong); 3's server pong to the page's ping. */
  private beat(c: Connection, ev: CapturedEvent, type: 'ping' | 'pong'): void {
    const rec = ev.record;
    const serverBeat = rec.dir === 'in';
    if (!serverBeat) {
      if (type === 'ping') c.pendingPing = rec.t;
      else if (c.pendingPing !== undefined) this.rtt(c, rec.t - c.pendingPing);
      return;
    }
    if (type === 'ping') c.pendingPing = rec.t;
    else if (c.pendingPing !== undefined) this.rtt(c, rec.t - c.pendingPing);
    this.endBeats(c, rec.t, ev.seq);
    c.lastBeat = rec.t;
  }

  private rtt(c: Connection, ms: number): void {
    c.pendingPing = undefined;
    c.rttLast = ms;
    c.rttSum += ms;
    c.rttCount++;
  }

  /** A gap when nothing came from the server's heartbeat for longer than pingInterval + pingTimeout. */
  private endBeats(c: Connection, t: number, seq: number): void {
    const limit = gapLimit(c);
    if (limit === undefined || c.lastBeat === undefined) return;
    if (t - c.lastBeat > limit && c.gaps.length < MAX_GAPS) {
      c.gaps.push({ from: c.lastBeat, to: t, seq });
      this.problemRev++;
    }
  }

  private setSub(session: string, channel: string, ev: CapturedEvent, state: SubscriptionState, type?: string, request = false, reason?: string): void {
    this.problemRev++;
    let m = this.subs.get(session);
    if (!m) this.subs.set(session, (m = new Map()));
    const s = m.get(channel);
    if (request) this.resubscribed(session, channel);
    if (!s || request) {
      if (m.size >= MAX_SUBS && !s) return;
      const sub: Subscription = { session, channel, state, seq: ev.seq, changedSeq: ev.seq };
      if (type !== undefined) sub.type = type;
      if (reason !== undefined) sub.reason = reason;
      m.set(channel, sub);
      return;
    }
    s.state = state;
    s.changedSeq = ev.seq;
    if (reason !== undefined) s.reason = reason;
  }

  /** A channel asked for again on a later session of the endpoint: its earlier losses are made good. */
  private resubscribed(session: string, channel: string): void {
    const endpoint = this.conns.get(session)?.endpoint;
    for (const [s, m] of this.subs) {
      if (s === session || this.conns.get(s)?.endpoint !== endpoint) continue;
      const sub = m.get(channel);
      if (sub?.state === 'lost') sub.state = 'resubscribed';
    }
  }
}

/** How long the server's heartbeat may be silent before the client gives up: pingInterval + pingTimeout. */
export function gapLimit(c: Pick<Connection, 'pingInterval' | 'pingTimeout'>): number | undefined {
  return c.pingInterval !== undefined && c.pingTimeout !== undefined ? c.pingInterval + c.pingTimeout : undefined;
}

/** An open connection's heartbeat silent now for longer than its limit (since `lastBeat`). */
export function ongoingGap(c: Connection, now: number): PingGap | undefined {
  const limit = gapLimit(c);
  if (c.closedAt !== undefined || c.upgradedTo || limit === undefined || c.lastBeat === undefined) return undefined;
  return now - c.lastBeat > limit ? { from: c.lastBeat, to: now } : undefined;
}

/** "Engine.IO 3 · Socket.IO 2.x". */
export function generationOf(c: Connection): string {
  if (c.eio === 3) return 'Engine.IO 3 · Socket.IO 2.x';
  if (c.eio === 4) return 'Engine.IO 4 · Socket.IO 3+/4.x';
  return 'unknown';
}
