// A PanelSource over generated, realistic Spaces traffic (deterministic), for looking at the panel.
import type { CapturedEvent } from '../../../src/core/model/event';
import type { Direction, JsonValue, SocketPacket, WireRecord } from '../../../src/core/wire/types';
import { createSendTracker, describeEvent } from '../../../src/core/spaces';
import type { PanelSource, SourceListener } from '../../../src/panel/sources/source';
import type { TabStatus } from '../../../src/core/messages';
import chat from '../../fixtures/seed/chat.json' with { type: 'json' };
import task from '../../fixtures/seed/task.json' with { type: 'json' };
import idea from '../../fixtures/seed/idea.json' with { type: 'json' };
import topicUpdated from '../../fixtures/seed/topic.updated.json' with { type: 'json' };
import taskUpdated from '../../fixtures/seed/app.event.task.updated.json' with { type: 'json' };
import removed from '../../fixtures/seed/app.event.message.removed.json' with { type: 'json' };
import markread from '../../fixtures/seed/topic.markread.json' with { type: 'json' };

const T0 = Date.UTC(2026, 10, 25, 9, 14, 3, 120);

const PEOPLE = [
  { _id: '5f04251caa4a347af9946e06', displayname: 'Ada Lovelace', username: 'ada@example.com', type: 'user', picture_url: '' },
  { _id: '5ef9b678aa4a347af983c74c', displayname: 'Vidas Andrijaitis', username: 'vidas@example.com', type: 'user', picture_url: '' },
  { _id: '5f0a1b2c3d4e5f6071829304', displayname: 'Grace Hopper', username: 'grace@example.com', type: 'user', picture_url: '' },
  { _id: '5f0a1b2c3d4e5f60718293aa', displayname: 'Guest 4711', username: '', type: 'anonymous', picture_url: '' },
];
const TOPICS = [
  { id: '5f06c25e574ca36b54cb4cdf', title: 'Design review', type: 'group' },
  { id: '5f0425254b3cd61ae416fa5f', title: 'Release 4.2 war room', type: 'group' },
  { id: '5f047cbf1f2f363310b0cda0', title: 'Ada ↔ Grace', type: 'direct' },
];
const LINES = [
  'Can everyone see my screen?',
  'Pushed the fix to staging, please retest',
  'The recording is in the Files tab',
  '<p>Agenda: <b>1.</b> metrics <b>2.</b> rollout</p>',
  'Back in 5',
  'LGTM 👍',
  'Which build are you on?',
  'Reminder: retro at 3pm',
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const hex = (r: () => number, n: number): string => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');

/** The three named topics, then generated ones up to `n`. */
function topicList(n: number): typeof TOPICS {
  const extra = Array.from({ length: Math.max(0, n - TOPICS.length) }, (_, i) => ({
    id: `6a${(i + 1).toString(16).padStart(22, '0')}`,
    title: `Project ${i + 1}`,
    type: 'group',
  }));
  return [...TOPICS, ...extra];
}

/** n generated events over two connections: engine records, Spaces events, pairs, issues, decode errors. */
export function generateEvents(n: number, seed = 7, topicCount = TOPICS.length): CapturedEvent[] {
  const r = rng(seed);
  const topics = topicList(topicCount);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const out: CapturedEvent[] = [];
  const trackers = new Map<number, ReturnType<typeof createSendTracker>>();
  let t = T0;
  let conn = 1;
  let ack = 1;

  const raw = (text: string) => {
    const max = 2000;
    return text.length > max
      ? { text: text.slice(0, max), length: text.length, truncated: true }
      : { text, length: text.length, truncated: false };
  };
  const push = (rec: WireRecord, spaces?: CapturedEvent['spaces']): void => {
    out.push(spaces ? { seq: out.length + 1, record: rec, spaces } : { seq: out.length + 1, record: rec });
  };
  const engine = (type: 'open' | 'ping' | 'pong' | 'close', dir: Direction, data?: string): void => {
    const code = { open: '0', close: '1', ping: '2', pong: '3' }[type];
    const rec: WireRecord = { kind: 'engine', type, conn, t, dir, transport: 'websocket', raw: raw(code + (data ?? '')) };
    if (data !== undefined) rec.data = data;
    if (type === 'open') {
      rec.handshake = { sid: hex(r, 20), upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000 };
      rec.raw = raw('0' + JSON.stringify(rec.handshake));
    }
    push(rec);
  };
  const socket = (dir: Direction, event: string, args: JsonValue[], id?: number): void => {
    const packet: SocketPacket = { type: 'EVENT', nsp: '/', event, args };
    if (id !== undefined) packet.id = id;
    const text = `42${id ?? ''}${JSON.stringify([event, ...args])}`;
    const spaces = describeEvent(packet, dir);
    let tracker = trackers.get(conn);
    if (!tracker) trackers.set(conn, (tracker = createSendTracker()));
    const reply = tracker.observe({ seq: out.length + 1, t, dir, packet, spaces });
    if (reply) spaces.reply = reply;
    push({ kind: 'socket', conn, t, dir, transport: 'websocket', raw: raw(text), packet }, spaces);
  };
  const messageSent = (): JsonValue => {
    const base = clone(pick([chat, chat, chat, task, idea, taskUpdated, removed, topicUpdated, markread])) as Record<string, JsonValue>;
    const topic = pick(topics);
    const who = pick(PEOPLE);
    base.topicId = topic.id;
    if (base.topicTitle !== undefined || base.category === 'chat') base.topicTitle = topic.title;
    if (base.sender !== undefined) base.sender = { ...who };
    if (base._id !== undefined) base._id = hex(r, 24);
    const content = base.content as Record<string, JsonValue> | undefined;
    if (content && typeof content.bodyText === 'string' && base.category !== 'topic.updated') content.bodyText = pick(LINES);
    return base;
  };

  // connection 1 opens; polling first would be realistic too, but keep one transport per connection
  const start = (): void => {
    engine('open', 'in');
    push({
      kind: 'socket',
      conn,
      t,
      dir: 'in',
      transport: 'websocket',
      raw: raw('40{"sid":"' + hex(r, 20) + '"}'),
      packet: { type: 'CONNECT', nsp: '/', args: [], data: { sid: hex(r, 20) } },
    });
    for (const topic of topics) {
      socket('out', 'SUBSCRIBE_CHANNEL', [{ channel: { _id: topic.id, type: 'topic' } }]);
      t += 40 + Math.floor(r() * 60);
      socket('in', 'CHANNEL_SUBSCRIBED', [{ channel: { _id: topic.id, type: 'topic' } }]);
    }
  };
  start();
  let nextPing = t + 25000;
  while (out.length < n) {
    t += Math.floor(r() * 900) + 5;
    if (t >= nextPing) {
      engine('ping', 'in');
      t += 3;
      engine('pong', 'out');
      nextPing = t + 25000;
      continue;
    }
    const roll = r();
    if (roll < 0.45) socket('in', 'MESSAGE_SENT', [messageSent()]);
    else if (roll < 0.6) {
      const topic = pick(topics);
      const loop = `lb-${hex(r, 8)}`;
      const body = pick(LINES);
      socket('out', 'SEND_MESSAGE', [{ category: 'chat', topicId: topic.id, content: { bodyText: body, data: [] }, loopbackMetadata: loop }]);
      t += 30 + Math.floor(r() * 120);
      if (r() < 0.9) {
        const echo = clone(chat) as Record<string, JsonValue>;
        Object.assign(echo, { _id: hex(r, 24), topicId: topic.id, topicTitle: topic.title, sender: { ...PEOPLE[0]! }, loopbackMetadata: loop });
        (echo.content as Record<string, JsonValue>).bodyText = body;
        socket('in', 'MESSAGE_SENT', [echo]);
      } else {
        socket('in', 'SEND_MESSAGE_FAILED', [{ loopbackMetadata: loop, topicId: topic.id, category: 'chat', error: 'Message rejected: topic is archived' }]);
      }
    } else if (roll < 0.8) {
      const topic = pick(topics);
      socket('in', 'SEND_PRESENCE_EVENT', [{ category: 'app.event.presence.party.online', topicId: topic.id, content: { status: pick(['online', 'away', 'offline']), userId: pick(PEOPLE)._id } }]);
    } else if (roll < 0.88) {
      const topic = pick(topics);
      socket('in', 'SEND_MEDIA_SESSION_EVENTS', [{ category: 'video.start', topicId: topic.id, content: { mediaSession: { audio: true, video: r() < 0.5, screenshare: false }, sender: pick(PEOPLE)._id } }]);
    } else if (roll < 0.93) {
      // schema breakers: a task with a numeric status and a chat without _id
      const bad = messageSent() as Record<string, JsonValue>;
      if (r() < 0.5) {
        bad.category = 'task';
        bad.content = { bodyText: 'Fix login', status: 3, assignees: [{ id: 'x' }], data: [{ fileId: 7, convertStatus: '9' }] };
      } else {
        bad.category = 'chat';
        delete bad._id;
        bad.sender = { _id: 42 };
      }
      socket('in', 'MESSAGE_SENT', [bad]);
    } else if (roll < 0.95) {
      const text = r() < 0.5 ? '42["MESSAGE_SENT",{"category":"chat","content":{"bodyText":"unterminated' : '4Z' + hex(r, 6);
      push({ kind: 'error', conn, t, dir: 'in', transport: 'websocket', raw: raw(text), error: text.startsWith('42') ? 'Socket.IO packet: invalid JSON payload' : 'Socket.IO packet: unknown type "Z"' });
    } else if (roll < 0.97) {
      const id = ack++;
      socket('out', 'GET_UNREAD_COUNT', [{ topicId: pick(topics).id }], id);
      t += 20;
      push({ kind: 'socket', conn, t, dir: 'in', transport: 'websocket', raw: raw(`43${id}[{"count":${Math.floor(r() * 40)}}]`), packet: { type: 'ACK', nsp: '/', id, args: [{ count: Math.floor(r() * 40) }] } });
    } else if (roll < 0.975 && out.length > n / 2 && conn === 1) {
      engine('close', 'in');
      conn = 2;
      t += 1500;
      start();
    } else {
      const big = messageSent() as Record<string, JsonValue>;
      big.category = 'chat';
      (big.content as Record<string, JsonValue>) = { bodyText: 'Long paste: ' + 'lorem ipsum dolor sit amet '.repeat(200), data: [] };
      socket('in', 'MESSAGE_SENT', [big]);
    }
  }
  return out.slice(0, n);
}

/**
 * The background's status for the events held so far; counts kept as events are added (add is O(batch)).
 * loadSeqs: the first seq of each page load, when told.
 */
export function fakeStatus(loadSeqs?: number[]): { add(events: readonly CapturedEvent[]): TabStatus } {
  let count = 0;
  let bytes = 0;
  let lastSeq = 0;
  const conns = new Set<number>();
  return {
    add(events) {
      count += events.length;
      for (const e of events) {
        lastSeq = Math.max(lastSeq, e.seq);
        bytes += e.record.raw.length;
        conns.add(e.record.conn);
      }
      return {
        tabId: 1,
        count,
        bytes,
        dropped: 12,
        droppedFull: 0,
        // The 12 dropped came before the events held.
        lastSeq: Math.max(lastSeq, count + 12),
        rejected: 0,
        pageUrl: 'https://spaces.avayacloud.com/spaces/5f06c25e574ca36b54cb4cdf',
        connections: conns.size,
        ...(loadSeqs ? { loadSeqs, loadUrls: loadSeqs.map((_, k) => `https://spaces.avayacloud.com/spaces/5f06c25e574ca36b54cb4cdf?load=${k + 1}`) } : {}),
        notices: [],
      };
    },
  };
}

/**
 * Delivers the events as one backlog, like the background after a subscribe, then `tail` one every `everyMs`.
 * `onSubscribe` receives a function that delivers more events at once (for benchmarks).
 */
export function fakeSource(
  events: CapturedEvent[],
  opts: { tail?: CapturedEvent[]; everyMs?: number; onSubscribe?: (deliver: (evs: CapturedEvent[]) => void) => void; loadSeqs?: number[] } = {},
): PanelSource {
  const tail = opts.tail ?? [];
  return {
    capabilities: { live: true, clear: false },
    subscribe(l: SourceListener) {
      const status = fakeStatus(opts.loadSeqs);
      l.status({ connection: 'open', tab: status.add(events), malformed: 0 });
      if (events.length) l.events([...events], true);
      opts.onSubscribe?.((evs) => {
        l.events(evs, false);
        l.status({ connection: 'open', tab: status.add(evs), malformed: 0 });
      });
      let next = 0;
      const timer = setInterval(() => {
        const ev = tail[next++];
        if (!ev) return clearInterval(timer);
        l.events([ev], false);
        l.status({ connection: 'open', tab: status.add([ev]), malformed: 0 });
      }, opts.everyMs ?? 100);
      return () => clearInterval(timer);
    },
    clear() {},
  };
}
