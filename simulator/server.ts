// A local Avaya Spaces stand-in: an HTTP server with the demo pages and a Socket.IO server
// (2.x or 4.x with EIO3 allowed) whose /chat namespace speaks the Spaces events.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server as ServerV4 } from 'socket.io';
import { WebSocketServer } from 'ws';
import {
  DEMO_PLAN,
  DEMO_TOKEN,
  FORBIDDEN_TOPIC_ID,
  MEMBER_TOPICS,
  UNKNOWN_TOPIC_ID,
  SCENARIO,
  SIM_EVENTS,
  type JsonObject,
} from './scenario';
import { PWNED_PATH, hostileFrames } from './hostile';
import { secretAttachment, secretsPlay } from './secrets';
import { SENDS_PLAN, SILENT_TOPIC_ID, scenarioSendPayload, sendsAnswers } from './sends';
import { PEOPLE_SCENARIO } from './people';

export type Generation = 2 | 4;

export interface SimulatorOptions {
  generation: Generation;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** The token /chat accepts; DEMO_TOKEN by default. */
  token?: string;
  /** No connection log on stdout. */
  quiet?: boolean;
  /** Also gets each line of the connection log (quiet or not). */
  log?: (line: string) => void;
  /** Engine.IO heartbeat (ms): 10 000 and 5 000 by default. */
  pingInterval?: number;
  pingTimeout?: number;
}

export interface Simulator {
  origin: string;
  port: number;
  token: string;
  generation: Generation;
  /** Requests made to `/pwned/…` (URLs in the hostile corpus that nothing should fetch), by path. */
  pwned: string[];
  /** CSP violation reports the browser posted to `/csp-report` (from `/pages/csp.html`), as parsed JSON. */
  cspReports: unknown[];
  /**
   * Stops the server for `ms`: every connection is dropped at once (no close frame) and new ones are
   * refused until it comes back (as a crashed or restarted server). Resolves when it is back.
   */
  stopFor(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Path of the plain (non-Socket.IO) WebSocket echo server. */
export const PLAIN_WS_PATH = '/plain-ws';

const require = createRequire(import.meta.url);
const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');
const CLIENT_BUNDLE = join(dirname(require.resolve('socket.io-client-v2/package.json')), 'dist', 'socket.io.js');

// The few parts of the two server generations that the simulator uses.
type Ack = (...args: unknown[]) => void;
interface ChatSocket {
  handshake: { query: Record<string, unknown>; auth?: Record<string, unknown> };
  on(event: string, listener: (payload: unknown, ack?: unknown) => void): void;
  on(event: 'disconnect', listener: () => void): void;
  emit(event: string, ...args: unknown[]): unknown;
  /** The Engine.IO socket under it: write() sends one message packet as given. */
  conn: { write(data: string): unknown; sendPacket(type: string, ...rest: unknown[]): unknown; resetPingTimeout?: () => void; schedulePing?: () => void };
}
interface ChatNamespace {
  use(fn: (socket: ChatSocket, next: (err?: Error) => void) => void): unknown;
  on(event: 'connection', listener: (socket: ChatSocket) => void): unknown;
}
interface IoServer {
  of(name: string): ChatNamespace;
  close(): unknown;
}
type CreateV2 = (srv: import('node:http').Server, opts: Record<string, unknown>) => IoServer;

const STATIC: Record<string, { file: string; type: string }> = {
  '/demo.js': { file: 'demo.js', type: 'text/javascript; charset=utf-8' },
  '/plain.html': { file: 'plain.html', type: 'text/html; charset=utf-8' },
  '/early.html': { file: 'early.html', type: 'text/html; charset=utf-8' },
};

/** The pages that fight the hook (public/pages): a page's own WebSocket, strict CSP, several sockets, frames, a worker; loss.html tries to make the capture lose events. */
const PAGES = new Set(['connections.html', 'connections.js', 'client.js', 'replace-ws.js', 'replaced.html', 'csp-watch.js', 'csp.html', 'multi.html', 'bfcache.html', 'frame.html', 'frames.html', 'frames.js', 'worker.html', 'worker-page.js', 'worker.js', 'loss.html', 'loss.js']);

/** Headers of /pages/csp.html: scripts from the page's origin only, Trusted Types required and no policy allowed. */
export const STRICT_CSP = "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'; report-uri /csp-report";

/** The token in the namespace CONNECT (v4 reads it as `auth`), else in the connection URL. */
function tokenOf(socket: ChatSocket): unknown {
  const fromConnect = socket.handshake.auth?.token;
  return fromConnect !== undefined ? fromConnect : socket.handshake.query.token;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function channelId(payload: unknown): string | undefined {
  if (!isObject(payload) || !isObject(payload.channel)) return undefined;
  const id = payload.channel._id;
  return typeof id === 'string' ? id : undefined;
}

/** 24 hex digits, like a Mongo ObjectId, from a prefix and a counter. */
function objectId(prefix: string, n: number): string {
  return (prefix + n.toString(16).padStart(24, '0')).slice(-24);
}

function echoOf(payload: Record<string, unknown>, id: string, topicId: string): JsonObject {
  const topic = MEMBER_TOPICS.find((t) => t._id === topicId);
  const now = new Date().toISOString();
  const content = isObject(payload.content) ? payload.content : {};
  return {
    _id: id,
    category: typeof payload.category === 'string' ? payload.category : 'chat',
    chatCount: 0,
    content: {
      bodyText: typeof content.bodyText === 'string' ? content.bodyText : '',
      data: Array.isArray(content.data) ? JSON.parse(JSON.stringify(content.data)) : [],
      description: '',
      endTime: null,
      mediaMode: 'audio',
      meetingStatus: 'active',
      recordings: [],
      startTime: now,
      virtualEndTime: null,
    },
    created: now,
    likeCount: 0,
    modified: now,
    sender: { _id: '5f04251caa4a347af9946e06', displayname: 'Test user', picture_url: '', type: 'user', username: '' },
    status: 0,
    topicId,
    topicTitle: topic?.title ?? '',
    topicType: topic?.type ?? 'group',
    loopbackMetadata: typeof payload.loopbackMetadata === 'string' ? payload.loopbackMetadata : '',
  };
}

/** A MESSAGE_SENT of about `size` bytes of JSON whose bodyText carries the emit time and sequence. */
/**
 * The load generator's message number `seq`. With `mix`, as a day of Spaces traffic has them: every tenth
 * is an edit of the message five before it, and every twentieth (from the fifth) carries a file whose
 * conversion that edit completes (or, one time in four, fails).
 */
export function loadMessage(seq: number, size: number, mix = false): JsonObject {
  const t = Date.now();
  const edit = mix && seq % 10 === 0 && seq > 5;
  const id = edit ? seq - 5 : seq;
  const withFile = mix && id % 20 === 5;
  const file = (convertStatus: number): JsonObject => ({
    fileId: objectId('f11e', id),
    name: `load-${id}.pdf`,
    fileType: 'document',
    fileSize: 250_000 + id,
    provider: 'spaces',
    convertStatus,
    convertStart: new Date(t).toISOString(),
    pages: convertStatus === 2 ? 3 : 0,
  });
  const msg: JsonObject = {
    _id: objectId('10ad', id),
    category: 'chat',
    chatCount: 0,
    content: { bodyText: '', data: [], description: '', endTime: null, mediaMode: 'audio', meetingStatus: 'active', recordings: [], startTime: new Date(t).toISOString(), virtualEndTime: null },
    created: new Date(t).toISOString(),
    likeCount: 0,
    modified: new Date(t).toISOString(),
    sender: { _id: '5ef9b678aa4a347af983c74c', displayname: 'Load generator', picture_url: '', type: 'user', username: '' },
    status: 0,
    topicId: DEMO_PLAN.subscribe[0] ?? '',
    topicTitle: 'Load',
    topicType: 'group',
  };
  if (withFile) (msg.content as JsonObject).data = [file(edit ? (id % 80 === 5 ? 3 : 2) : 1)];
  if (edit) msg.category = 'app.event.message.updated';
  const head = `<p>t=${t} seq=${seq} ${edit ? 'edited ' : ''}`;
  const pad = Math.max(0, size - JSON.stringify(msg).length - head.length - 4);
  (msg.content as JsonObject).bodyText = `${head}${'x'.repeat(pad)}</p>`;
  return msg;
}

function positive(v: unknown, max: number): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.min(v, max) : undefined;
}

/** What the chat handlers may ask of the server itself. */
interface ServerControl {
  stopFor(ms: number): Promise<void>;
}

function handleChat(socket: ChatSocket, log: (line: string) => void, origin: string, server: ServerControl): void {
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  let sent = 0;
  const subscribed = new Set<string>();

  socket.on('disconnect', () => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  });

  socket.on('SUBSCRIBE_CHANNEL', (payload) => {
    const id = channelId(payload);
    const channel = { _id: id ?? null, type: 'topic' };
    if (id !== undefined && MEMBER_TOPICS.some((t) => t._id === id)) {
      subscribed.add(id);
      socket.emit('CHANNEL_SUBSCRIBED', { channel, dtsid: String(subscribed.size), sessionId: objectId('5e55', subscribed.size) });
    } else {
      socket.emit('SUBSCRIBE_CHANNEL_FAILED', { channel, error: 'Topic not found' });
    }
  });

  socket.on('UNSUBSCRIBE_CHANNEL', (payload) => {
    const id = channelId(payload);
    if (id !== undefined) subscribed.delete(id);
    socket.emit('CHANNEL_UNSUBSCRIBED', { channel: { _id: id ?? null, type: 'topic' } });
  });

  socket.on('SEND_MESSAGE', (payload, ack) => {
    const msg = isObject(payload) ? payload : {};
    const loopbackMetadata = typeof msg.loopbackMetadata === 'string' ? msg.loopbackMetadata : '';
    const topicId = typeof msg.topicId === 'string' ? msg.topicId : '';
    log(`received SEND_MESSAGE (loopbackMetadata ${loopbackMetadata || 'none'})`);
    if (topicId === SILENT_TOPIC_ID) {
      log('left a SEND_MESSAGE unanswered, as asked');
      return;
    }
    if (topicId === FORBIDDEN_TOPIC_ID || !MEMBER_TOPICS.some((t) => t._id === topicId)) {
      socket.emit('SEND_MESSAGE_FAILED', { loopbackMetadata, error: 'You are not a member of this space' });
      return;
    }
    sent += 1;
    const id = objectId('5f1e', sent);
    if (typeof ack === 'function') (ack as Ack)({ _id: id, loopbackMetadata });
    socket.emit('MESSAGE_SENT', echoOf(msg, id, topicId));
  });

  socket.on(SIM_EVENTS.stop, (payload) => {
    const ms = positive(isObject(payload) ? payload.ms : undefined, 120_000) ?? 20_000;
    log(`stopping for ${ms} ms`);
    // After this handler: the stop drops this very connection.
    setTimeout(() => void server.stopFor(ms), 50);
  });

  socket.on(SIM_EVENTS.pingTimeout, () => {
    log('heartbeat stopped on one socket');
    // No ping (Engine.IO 4) and no pong (3) on this socket, and no server-side timeout: the client gives up.
    const conn = socket.conn;
    const send = conn.sendPacket.bind(conn);
    conn.sendPacket = (type: string, ...rest: unknown[]) => (type === 'ping' || type === 'pong' ? undefined : send(type, ...rest));
    if (conn.resetPingTimeout) conn.resetPingTimeout = () => undefined;
  });

  socket.on(SIM_EVENTS.play, () => {
    log('playing the scenario');
    let wait = 0;
    for (const step of SCENARIO) {
      wait += step.delayMs;
      later(wait, () => socket.emit(step.event, step.payload));
    }
    later(wait + 20, () => socket.emit(SIM_EVENTS.scenarioDone, { count: SCENARIO.length }));
  });

  socket.on(SIM_EVENTS.hostile, () => {
    const frames = hostileFrames(origin);
    log(`sending the hostile corpus (${frames.length} messages)`);
    // Encoded by hand, as a server could put it on the wire: socket.io's encoder and JSON.stringify
    // recurse, and would overflow their stacks on the 10,000-deep payload.
    frames.forEach((frame, i) => later(10 * i, () => socket.conn.write(frame)));
    later(10 * frames.length + 20, () => socket.emit(SIM_EVENTS.scenarioDone, { count: frames.length }));
  });

  socket.on(SIM_EVENTS.secrets, (_payload, ack) => {
    const play = secretsPlay();
    log(`playing the secrets corpus (${play.events.length} events each way)`);
    if (typeof ack === 'function') (ack as Ack)(...play.ack);
    play.events.forEach((e, i) => later(5 * i, () => socket.emit(e.event, ...e.args)));
    const next = 5 * play.events.length;
    later(next, () => socket.emit('upload', { name: 'body.json' }, Buffer.from(secretAttachment())));
    later(next + 5, () => socket.emit(SIM_EVENTS.secretsAsk, { args: play.ask }, () => undefined));
    later(next + 10, () => socket.emit(SIM_EVENTS.secretsPlan, play.plan));
  });

  socket.on(SIM_EVENTS.secretsSent, () => {
    later(20, () => socket.emit(SIM_EVENTS.scenarioDone, { count: secretsPlay().events.length }));
  });

  socket.on(SIM_EVENTS.people, () => {
    log('playing the people scenario');
    let wait = 0;
    for (const step of PEOPLE_SCENARIO) {
      wait += step.delayMs;
      if (step.dir === 'in') later(wait, () => socket.emit(step.event, step.payload));
      else later(wait, () => socket.emit(SIM_EVENTS.peopleSend, { event: step.event, payload: step.payload }));
    }
    later(wait + 50, () => socket.emit(SIM_EVENTS.scenarioDone, { count: PEOPLE_SCENARIO.length }));
  });

  socket.on(SIM_EVENTS.load, (payload) => {
    const req = isObject(payload) ? payload : {};
    const rate = positive(req.rate, 100_000) ?? 100;
    const size = Math.floor(positive(req.size, 1_000_000) ?? 512);
    const seconds = positive(req.seconds, 3600);
    const count = Math.floor(positive(req.count, 10_000_000) ?? Math.max(1, Math.round(rate * (seconds ?? 1))));
    const mix = req.mix === true;
    log(`load: ${count} messages at ${rate}/s, ~${size} bytes`);
    const start = Date.now();
    let seq = 0;
    const tick = (): void => {
      const due = Math.min(count, Math.floor(((Date.now() - start) * rate) / 1000) + 1);
      while (seq < due) {
        seq += 1;
        socket.emit('MESSAGE_SENT', loadMessage(seq, size, mix));
      }
      if (seq < count) later(Math.max(1, Math.min(20, Math.floor(1000 / rate))), tick);
      else socket.emit(SIM_EVENTS.loadDone, { count, elapsedMs: Date.now() - start });
    };
    tick();
  });
}

function renderIndex(html: string): string {
  const topicTitles = Object.fromEntries(MEMBER_TOPICS.map((t) => [t._id, t.title]));
  const plan = { ...DEMO_PLAN, token: DEMO_TOKEN, events: SIM_EVENTS, topicTitles, sendsPlan: SENDS_PLAN.map((s) => ({ payload: scenarioSendPayload(s), ack: s.ack === true })), sendsAnswers: sendsAnswers() };
  // Inside <script type="application/json">: keep "<" out so the JSON cannot close the element.
  return html.replace('{{PLAN}}', JSON.stringify(plan).replace(/</g, '\\u003c'));
}

async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
    res.end(body);
  };
  const page = path.startsWith('/pages/') ? path.slice('/pages/'.length) : '';
  try {
    if (path === '/' || path === '/index.html') {
      send(200, 'text/html; charset=utf-8', renderIndex(await readFile(join(PUBLIC_DIR, 'index.html'), 'utf8')));
    } else if (path === '/socket.io-client.js') {
      send(200, 'text/javascript; charset=utf-8', await readFile(CLIENT_BUNDLE));
    } else if (PAGES.has(page)) {
      const type = page.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8';
      let body = await readFile(join(PUBLIC_DIR, 'pages', page), 'utf8');
      if (page === 'client.js') body = body.replace('{{TOKEN}}', DEMO_TOKEN).replace('{{TOPIC}}', DEMO_PLAN.sends[0]!.topicId);
      if (page === 'connections.js') body = body.replace('{{TOKEN}}', DEMO_TOKEN).replace('{{TOPICS}}', JSON.stringify(MEMBER_TOPICS.map((t) => t._id))).replace('{{UNKNOWN}}', UNKNOWN_TOPIC_ID);
      // bfcache.html may enter the back/forward cache: Chromium keeps no page served with no-store.
      send(200, type, body, page === 'csp.html' ? { 'content-security-policy': STRICT_CSP } : page === 'bfcache.html' ? { 'cache-control': 'no-cache' } : {});
    } else if (path === '/favicon.ico') {
      // No icon, and no 404 in the demo page's console.
      res.writeHead(204, { 'cache-control': 'max-age=86400' });
      res.end();
    } else if (STATIC[path]) {
      const { file, type } = STATIC[path];
      send(200, type, await readFile(join(PUBLIC_DIR, file)));
    } else {
      send(404, 'text/plain; charset=utf-8', 'not found');
    }
  } catch (err) {
    send(500, 'text/plain; charset=utf-8', String(err));
  }
}

export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const { generation } = opts;
  const token = opts.token ?? DEMO_TOKEN;
  const host = opts.host ?? '127.0.0.1';
  const log = (line: string): void => {
    opts.log?.(line);
    if (!opts.quiet) console.log(`[sim v${generation}] ${line}`);
  };

  // socket.io answers /socket.io/ itself and passes every other request to this listener.
  const pwned: string[] = [];
  const cspReports: unknown[] = [];
  const http = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/csp-report' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 64 * 1024) chunks.push(c);
      });
      req.on('end', () => {
        try {
          cspReports.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          cspReports.push({ unreadable: true });
        }
        res.writeHead(204).end();
      });
    } else if (path.startsWith(PWNED_PATH)) {
      pwned.push(path);
      log(`something fetched ${path}`);
      res.writeHead(404).end();
    } else void serveHttp(req, res);
  });

  // Other upgrade requests are left to the plain echo server below.
  const ioOpts = { destroyUpgrade: false, pingInterval: opts.pingInterval ?? 10_000, pingTimeout: opts.pingTimeout ?? 5_000 };
  const io: IoServer =
    generation === 2
      ? (require('socket.io-v2') as CreateV2)(http, ioOpts)
      : (new ServerV4(http, { ...ioOpts, allowEIO3: true, serveClient: true }) as unknown as IoServer);

  const chat = io.of('/chat');
  chat.use((socket, next) => {
    if (tokenOf(socket) === token) next();
    else {
      log('refused a connection: wrong token');
      next(new Error('Authentication error'));
    }
  });
  // Every TCP connection, so that a stop can drop them all (WebSockets included); none taken while stopped.
  const sockets = new Set<import('node:net').Socket>();
  let stopped = false;
  http.on('connection', (s: import('node:net').Socket) => {
    if (stopped) {
      s.destroy();
      return;
    }
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const stopFor = async (ms: number): Promise<void> => {
    if (stopped) return;
    stopped = true;
    log(`stopped: ${sockets.size} connections dropped; back in ${ms} ms`);
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, ms));
    stopped = false;
    log('back');
  };
  chat.on('connection', (socket) => {
    log('connection on /chat');
    handleChat(socket, log, origin, { stopFor });
  });

  const plain = new WebSocketServer({ noServer: true });
  plain.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  http.on('upgrade', (req: IncomingMessage, socket, head) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== PLAIN_WS_PATH) return;
    plain.handleUpgrade(req, socket, head, (ws) => plain.emit('connection', ws, req));
  });

  http.listen(opts.port ?? 0, host);
  await once(http, 'listening');
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const origin = `http://${host}:${port}`;
  log(`listening on ${origin}`);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const closed = once(http, 'close');
      for (const ws of plain.clients) ws.terminate();
      plain.close();
      await io.close(); // closes every socket, then the http server
      http.closeAllConnections();
      await closed;
    })();
    return closing;
  };

  return { origin, port, token, generation, pwned, cspReports, stopFor, close };
}
