// A real Socket.IO server (2.x or 4.x, the same packages as simulator/server.ts) that plays the secrets corpus
// of simulator/secrets.ts both ways with a page it serves: the server emits every "in" event, answers the page's
// SEND_MESSAGE with the corpus's ack, asks the page for an ack, sends the binary attachment and writes the frames
// that do not decode; the page emits every "out" event (the connect query and CONNECT auth carry their secrets),
// answers the ack, uploads the attachment, and opens a second socket the server refuses quoting a Bearer token.
// The simulator has no secrets scenario (simulator/secrets.ts names `?scenario=secrets`, server.ts does not serve
// it): this stands in for it, on a free loopback port, for the e2e secrets specs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Server as ServerV4 } from 'socket.io';
import { KEPT_EVENT, SECRETS, SECRET_EVENTS, secretAttachment, type SecretEvent } from '../../simulator/secrets';

const require = createRequire(import.meta.url);
const CLIENTS = {
  2: join(dirname(require.resolve('socket.io-client-v2/package.json')), 'dist', 'socket.io.js'),
  4: join(dirname(require.resolve('socket.io-client/package.json')), 'dist', 'socket.io.min.js'),
};

export interface SecretsServer {
  origin: string;
  generation: 2 | 4;
  /** What the server saw of the page, one line an entry (attached to a failed test). */
  log: string[];
  /** The page that plays the corpus over `transport`; it sets body[data-sim-done="1"] when every part is through. */
  pageUrl(transport: 'websocket' | 'polling'): string;
  close(): Promise<void>;
}

const byName = (name: string): SecretEvent => {
  const e = SECRET_EVENTS.find((x) => x.name === name);
  if (!e) throw new Error(`no corpus event ${name}`);
  return e;
};
const IN_EVENTS = SECRET_EVENTS.filter((e) => e.dir === 'in' && e.event !== undefined);
const OUT_EVENTS = SECRET_EVENTS.filter((e) => e.dir === 'out' && e.event !== undefined);
const SERVER_ACK = byName('server ack with an access token');
const PAGE_ACK = byName('page ack with a token');

/** Secrets only the connect frames, the refusal and the frames that do not decode carry (the corpus has them as text). */
const pick = (re: RegExp): string => {
  const s = SECRETS.find((x) => re.test(x));
  if (!s) throw new Error(`no secret ${re}`);
  return s;
};
export const CONNECT_SECRETS = {
  query: pick(/^conn-tk-/),
  auth: pick(/^auth-tk-/),
  error: pick(/^err-tk-/),
  pin: SECRETS.at(-1)!,
};

/** The page's script: sent as text, so nothing from its closure. */
function pageScript(plan: { transport: string; generation: number; out: SecretEvent[]; kept: SecretEvent; pageAck: unknown[]; connect: { query: string; authJwt: string; auth: string }; attachment: number[] }): void {
  const body = document.body;
  const log = (line: string): void => {
    const li = document.createElement('li');
    li.textContent = line;
    document.getElementById('log')!.appendChild(li);
  };
  const parts: Record<string, boolean> = { serverDone: false, ack: false, refused: false, acked: false };
  const check = (): void => {
    if (Object.values(parts).every(Boolean)) body.dataset.simDone = '1';
  };
  const mark = (k: string): void => {
    parts[k] = true;
    log(`${k} done`);
    check();
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const io = (window as any).io;
  const opts = {
    transports: [plan.transport],
    forceNew: true,
    reconnection: false,
    query: { token: plan.connect.query, tokenType: 'jwt' },
    auth: { token: plan.connect.authJwt, user: { authorization: `Bearer ${plan.connect.auth}` } },
  };
  const socket = io(`${location.origin}/chat`, opts);
  socket.on('connect', () => {
    log('connected');
    for (const e of plan.out) {
      if (e.event === 'SEND_MESSAGE') socket.emit(e.event, ...e.args, () => mark('acked'));
      else socket.emit(e.event, ...e.args);
    }
    socket.emit(plan.kept.event, ...plan.kept.args);
    socket.emit('upload', { name: 'body.json' }, new Uint8Array(plan.attachment).buffer);
    socket.emit('play');
  });
  socket.on('ack.please', (_: unknown, answer: (...a: unknown[]) => void) => {
    answer(...plan.pageAck);
    mark('ack');
  });
  socket.on('secrets.done', () => {
    mark('serverDone');
    socket.emit('secrets.broken');
  });
  socket.on('disconnect', (reason: string) => log(`disconnected: ${reason}`));
  // A second connection the server refuses, quoting a credential in its error.
  const refused = io(`${location.origin}/chat`, { ...opts, query: { refuse: '1' }, auth: { refuse: '1' } });
  refused.on('connect_error', () => mark('refused'));
  refused.on('error', () => mark('refused'));
}

export async function startSecretsServer(generation: 2 | 4): Promise<SecretsServer> {
  const log: string[] = [];
  const at = (line: string): void => void log.push(`${new Date().toISOString()} ${line}`);
  const plan = {
    generation,
    out: OUT_EVENTS,
    kept: { ...KEPT_EVENT, dir: 'out' as const },
    pageAck: PAGE_ACK.args,
    connect: { query: CONNECT_SECRETS.query, authJwt: SECRETS.find((s) => s.startsWith('eyJ') && s.includes('.') && Buffer.from(s.split('.')[1] ?? '', 'base64url').toString().includes('connect-'))!, auth: CONNECT_SECRETS.auth },
    attachment: [...secretAttachment()],
  };
  const page = (transport: string): string =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>secrets corpus</title></head><body><h1>Secrets corpus, socket.io ${generation}.x over ${transport}</h1><ol id="log"></ol>` +
    `<script src="/client.js"></script><script>(${pageScript.toString()})(${JSON.stringify({ ...plan, transport }).replace(/</g, '\\u003c')})</script></body></html>`;
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/secrets.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page(url.searchParams.get('transport') === 'polling' ? 'polling' : 'websocket'));
    } else if (url.pathname === '/client.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(readFileSync(CLIENTS[generation]));
    } else res.writeHead(404).end();
  };
  const http = createServer(serve);
  const ioOpts = { serveClient: false, pingInterval: 10_000, pingTimeout: 5_000, maxHttpBufferSize: 1e7 };
  type Sock = {
    handshake: { query: Record<string, unknown>; auth?: Record<string, unknown> };
    on(e: string, l: (...a: unknown[]) => void): void;
    emit(e: string, ...a: unknown[]): unknown;
    conn: { write(data: string): unknown };
  };
  type Ns = { use(fn: (s: Sock, next: (e?: Error) => void) => void): unknown; on(e: 'connection', l: (s: Sock) => void): unknown };
  const io = (generation === 2 ? (require('socket.io-v2') as (h: unknown, o: unknown) => { of(n: string): Ns; close(): void })(http, ioOpts) : new ServerV4(http, { ...ioOpts, allowEIO3: false })) as unknown as {
    of(n: string): Ns;
    close(cb?: () => void): unknown;
  };
  const chat = io.of('/chat');
  chat.use((socket, next) => {
    if (socket.handshake.query.refuse === '1' || socket.handshake.auth?.refuse === '1') {
      at('refused a connection, quoting a Bearer token');
      next(new Error(`Authentication error: Bearer ${CONNECT_SECRETS.error} expired`));
    } else next();
  });
  chat.on('connection', (socket) => {
    at(`connection (query token ${typeof socket.handshake.query.token}, auth ${typeof socket.handshake.auth?.token})`);
    socket.on('SEND_MESSAGE', (...args) => {
      const ack = args.at(-1);
      if (typeof ack === 'function') (ack as (...a: unknown[]) => void)(...SERVER_ACK.args);
    });
    socket.on('upload', (...args) => at(`page uploaded ${args.length} args`));
    socket.on('play', () => {
      at('playing the corpus');
      for (const e of IN_EVENTS) socket.emit(e.event!, ...e.args);
      socket.emit(KEPT_EVENT.event!, ...KEPT_EVENT.args);
      socket.emit('upload', { name: 'body.json' }, Buffer.from(secretAttachment()));
      socket.emit('ack.please', { want: 'token' }, () => at('the page answered the ack'));
      socket.emit('secrets.done', { count: IN_EVENTS.length });
    });
    // Last, once the page has everything else: a client closes its connection on a frame it cannot decode.
    socket.on('secrets.broken', () => {
      at('writing the frames that do not decode');
      // Frames that do not decode, written as a server could: cut short, and a credential unquoted.
      const [refreshed, renewed] = IN_EVENTS as [SecretEvent, SecretEvent];
      // The PIN first: a socket.io 4 client closes on the first, so only socket.io 2 gets both.
      socket.conn.write(`2/chat,[token=${CONNECT_SECRETS.pin}]`);
      socket.conn.write(`2/chat,${JSON.stringify([refreshed.event, refreshed.args[0], renewed.args[0]]).slice(0, -2)}`);
    });
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    generation,
    log,
    pageUrl: (transport) => `${origin}/secrets.html?transport=${transport}`,
    close: async () => {
      const closed = once(http, 'close');
      io.close();
      http.closeAllConnections();
      if (http.listening) http.close();
      await closed.catch(() => undefined);
    },
  };
}

/** One corpus server per wire generation for a spec file, started on first use; `close` stops them. */
export function secretsServers(): { get(gen: 2 | 4): Promise<SecretsServer>; close(): Promise<void> } {
  const servers = new Map<2 | 4, Promise<SecretsServer>>();
  return {
    get(gen) {
      let s = servers.get(gen);
      if (!s) servers.set(gen, (s = startSecretsServer(gen)));
      return s;
    },
    async close() {
      for (const s of servers.values()) await (await s).close();
      servers.clear();
    },
  };
}
