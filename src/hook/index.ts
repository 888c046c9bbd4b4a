// Page-world hook, injected at document_start as a standalone IIFE (no globals, no imports at run time).
// It wraps WebSocket, XMLHttpRequest and fetch where they meet the wire, and forwards the raw frames of
// Socket.IO connections (URL with EIO=3|4) in batches to the content relay over a private MessagePort.
// Other sockets and requests cost one URL test; the page's own behaviour is left byte-for-byte as it was.
import { eioOf, pollingBody, pollingPostUrl } from '../core/compose/frame';
import { type Encoded, EncodedStacks, eventArrays, mayBeEvent, sendTrace } from '../core/compose/encoded';
import {
  FRAME_BINARY,
  FRAME_OUT,
  type ContentToHook,
  HOOK_LEAVE_EVENT,
  HOOK_PORT_EVENT,
  MAX_LEAVE_CHARS,
  RELAY_ACK,
  RELAY_READY_EVENT,
  type FrameTrace,
  type HookConnection,
  MAX_REASON,
  MAX_TRACE,
  type HookLife,
  type HookToContent,
} from '../core/messages';
import { isSocketIoUrl } from '../core/wire/decoder';
import type { Direction, Transport } from '../core/wire/types';
import { bytesToBase64 } from '../core/base64';

/**
 * Batching interval: fewer, larger messages cost the page less than one per frame. Below SLOW_RATE
 * frames/s it is longer: there each batch holds a few frames and costs about as much as a full one (a
 * message to the relay, one to the background, their acknowledgements).
 */
const FLUSH_MS = 40;
const SLOW_FLUSH_MS = 100;
const SLOW_RATE = 100;
/**
 * The interval while no Spaces panel shows the tab, at any rate: nobody waits for a row then, and each batch
 * costs the page's thread a fixed part (a timer, a message to the relay and one to the background, their
 * acknowledgement) besides its frames.
 */
const UNWATCHED_FLUSH_MS = 1000;
/**
 * A batch goes at once when it holds this many characters (frames, URLs, stacks): as JSON (at most 6 a
 * character) it stays within a hand-off on pagehide (MAX_LEAVE_CHARS).
 */
const MAX_BATCH_CHARS = 2 * 1024 * 1024;
/** Frames in one batch at most, well within the relay's MAX_BATCH. */
const MAX_BATCH_FRAMES = 5_000;
/** Life events in one batch at most (the relay takes MAX_BATCH). */
const MAX_LIFE_BATCH = 1_000;
/** Frames kept while no relay has answered (the oldest are dropped beyond it). */
const MAX_UNACKED_FRAMES = 20_000;

// Natives, taken before any page script can change them.
const win = window;
const NativeWebSocket = win.WebSocket;
const NativeMessageChannel = win.MessageChannel;
const NativeMessageEvent = win.MessageEvent;
const NativeCustomEvent = win.CustomEvent;
const nativeSetTimeout = win.setTimeout.bind(win);
const nativeNow = Date.now;
const { apply, construct } = Reflect;
const addListener = EventTarget.prototype.addEventListener;
const dispatch = EventTarget.prototype.dispatchEvent;
const stopImmediate = Event.prototype.stopImmediatePropagation;
const wsUrl = Object.getOwnPropertyDescriptor(NativeWebSocket.prototype, 'url')?.get;
const portPost = MessagePort.prototype.postMessage;
const xhrProto = win.XMLHttpRequest.prototype;
const xhrResponseType = Object.getOwnPropertyDescriptor(xhrProto, 'responseType')?.get;
const xhrResponseText = Object.getOwnPropertyDescriptor(xhrProto, 'responseText')?.get;
const xhrResponse = Object.getOwnPropertyDescriptor(xhrProto, 'response')?.get;
const xhrReadyState = Object.getOwnPropertyDescriptor(xhrProto, 'readyState')?.get;
const xhrStatus = Object.getOwnPropertyDescriptor(xhrProto, 'status')?.get;
const NativeURL = win.URL;
const NativeBlob = win.Blob;
const NativeArrayBuffer = win.ArrayBuffer;
const isView = ArrayBuffer.isView;
const NativeXHR = win.XMLHttpRequest;
const xhrSetHeader = xhrProto.setRequestHeader;
const wsReadyState = Object.getOwnPropertyDescriptor(NativeWebSocket.prototype, 'readyState')?.get;
const NativeWeakRef = win.WeakRef;
const weakDeref = NativeWeakRef.prototype.deref;
// The private channel through natives only: a page that later replaces these getters or setters must
// not get the hook's handler, its port, or the relay's key from what the hook does.
const getter = (proto: object, name: string): ((this: unknown) => unknown) | undefined => Object.getOwnPropertyDescriptor(proto, name)?.get;
const chPort1 = getter(NativeMessageChannel.prototype, 'port1')!;
const chPort2 = getter(NativeMessageChannel.prototype, 'port2')!;
const msgData = getter(NativeMessageEvent.prototype, 'data')!;
const portOnMessage = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage')!.set!;
const mathRandom = Math.random;

let nextConn = 1;
let pendingConns: HookConnection[] = [];
/** The batch's frames, flat (FlatFrames): no object per frame crosses to the relay. */
let meta: number[] = [];
let data: string[] = [];
/** Characters of `data`, of `pendingConns`' URLs and of `traces`. */
let chars = 0;
let lastFlush = -Infinity;
let interval = SLOW_FLUSH_MS;
/** The batch's socket life events (start, open, close, error): a few per socket. */
let life: HookLife[] = [];
/** Trace's stacks of the batch's frames (only while it is on). */
let traces: FrameTrace[] = [];
/** Indices of the batch's frames written for the panel's emit. */
let panelMarks: number[] = [];
let unacked: HookToContent[] = [];
let unackedFrames = 0;
let droppedBeforeRelay = 0;
let flushTimer = false;
/** Whether a Spaces panel shows the tab (relay/watched): until told otherwise, as if one did. */
let watched = true;
let port: MessagePort | undefined;
let acked = false;
/** The one-time secret of the next hand-off as the page goes away (relay/leave). */
let leaveKey: string | undefined;
/** Set while the last batch is flushed on pagehide. */
let leaving = false;

function post(msg: HookToContent): void {
  if (!acked) {
    unacked.push(msg);
    if (msg.type === 'hook/batch') unackedFrames += msg.data.length + (msg.life?.length ?? 0);
    while (unackedFrames > MAX_UNACKED_FRAMES && unacked.length > 1) {
      const old = unacked.shift();
      if (old?.type === 'hook/batch') {
        unackedFrames -= old.data.length + (old.life?.length ?? 0);
        droppedBeforeRelay += old.data.length;
      }
    }
  }
  if (leaving && acked && leaveKey !== undefined) {
    // The page is going away: handed over in this task (a port's message would arrive after the page is gone).
    const detail = apply(nativeStringify, nativeJson, [{ key: leaveKey, msg }]) as string;
    if (detail.length <= MAX_LEAVE_CHARS) {
      leaveKey = undefined;
      apply(dispatch, win, [new NativeCustomEvent(HOOK_LEAVE_EVENT, { detail })]);
      return;
    }
  }
  if (port) apply(portPost, port, [msg]);
}

function flush(): void {
  flushTimer = false;
  if (data.length === 0 && pendingConns.length === 0 && life.length === 0) return;
  const msg: HookToContent = { type: 'hook/batch', conns: pendingConns, meta, data };
  if (life.length) msg.life = life;
  if (traces.length) msg.traces = traces;
  if (panelMarks.length) msg.panel = panelMarks;
  const now = nativeNow();
  interval = !watched ? UNWATCHED_FLUSH_MS : (data.length * 1000) / (now - lastFlush) >= SLOW_RATE ? FLUSH_MS : SLOW_FLUSH_MS;
  lastFlush = now;
  pendingConns = [];
  meta = [];
  data = [];
  chars = 0;
  life = [];
  traces = [];
  panelMarks = [];
  post(msg);
}

function push(c: number, kind: number, x: string, note?: SendNote): void {
  meta.push(c, nativeNow(), kind);
  const n = data.push(x);
  chars += x.length;
  if (note?.s !== undefined) {
    traces.push({ i: n - 1, s: note.s });
    chars += note.s.length;
  }
  if (note?.panel) panelMarks.push(n - 1);
  if (n >= MAX_BATCH_FRAMES || chars >= MAX_BATCH_CHARS) flush();
  else schedule();
}

/** The number of the timer due to flush: one that a flush made early has no batch of its own to send. */
let timers = 0;

function schedule(): void {
  if (!flushTimer) {
    flushTimer = true;
    const n = ++timers;
    nativeSetTimeout(() => {
      if (n === timers && flushTimer) flush();
    }, interval);
  }
}

// ---- Trace: the stack of the page code behind each send, only while the panel's setting is on ----

let tracing = false;
/** Set while the hook writes the panel's emit: the frame it records is marked as the panel's. */
let emitting = false;
/** tracing || emitting: while both are off, a page send costs the test of this one boolean. */
let noting = false;
/** What a send carries besides its frame: the page's stack (Trace), or that the panel's emit wrote it. */
interface SendNote {
  s?: string;
  panel?: true;
}
const PANEL_NOTE: SendNote = { panel: true };
const NativeError = win.Error as ErrorConstructor & { stackTraceLimit?: number };
/** The hook's own script, whose frames a trace leaves out. */
const selfUrl = /((?:chrome|moz)-extension:\/\/[^/\s)]+)/.exec(new NativeError().stack ?? '')?.[1];
const MAX_TRACE_LINES = 40;

/** A send's note (undefined while Trace is off and no emit is being written). */
function noteHere(data: unknown): SendNote | undefined {
  if (!noting) return undefined;
  if (emitting) return PANEL_NOTE;
  let s = traceHere();
  // A send from the client's buffer: the stack of the page's emit that encoded its (first) event.
  if (typeof data === 'string') {
    const events = eventArrays(data);
    let first: Encoded | undefined;
    // Each taken, so that a later send of the same text does not find this one's.
    for (const json of events) {
      const at = encoded.take(json);
      first ??= at;
    }
    s = sendTrace(s, first, turn, nativeNow(), events.length);
  }
  return s === undefined ? undefined : { s };
}

/** While Trace is on, the stacks at which the page's code made event arrays with JSON.stringify. */
const encoded = new EncodedStacks();
/** Turns (a task or microtask) that encoded an event: the count moves on once the turn is over. */
let turn = 0;
let turnEnding = false;
const nativeQueueMicrotask = win.queueMicrotask.bind(win);
const nextTurn = (): void => {
  turn++;
  turnEnding = false;
};
const nativeJson = win.JSON;
const nativeStringify = nativeJson.stringify;
const tracedStringify = new Proxy(nativeStringify, {
  apply(target, self, args: unknown[]) {
    const out = apply(target, self, args) as unknown;
    try {
      if (tracing && typeof out === 'string' && mayBeEvent(out)) {
        const at = traceHere();
        if (at !== undefined) encoded.add(out, { s: at, turn, t: nativeNow() });
        if (!turnEnding) {
          turnEnding = true;
          nativeQueueMicrotask(nextTurn);
        }
      }
    } catch {
      /* never disturb the page */
    }
    return out;
  },
});

/** Trace on or off: JSON.stringify is wrapped only while on (and only if the page left it native). */
function setTracing(on: boolean): void {
  noting = tracing = on;
  if (on && nativeJson.stringify === nativeStringify) nativeJson.stringify = tracedStringify;
  if (!on) {
    if (nativeJson.stringify === tracedStringify) nativeJson.stringify = nativeStringify;
    encoded.clear();
  }
}

/** The caller's stack, without the hook's own frames. */
function traceHere(): string | undefined {
  // V8 keeps 10 frames by default: a client library's own take most of them. (Firefox has no such limit.)
  const limit = NativeError.stackTraceLimit;
  if (typeof limit === 'number') NativeError.stackTraceLimit = 60;
  const stack = new NativeError().stack ?? '';
  if (typeof limit === 'number') NativeError.stackTraceLimit = limit;
  const lines = stack.split('\n').filter((l) => l.trim() !== '' && l.trim() !== 'Error' && !(selfUrl && l.includes(selfUrl)));
  return lines.slice(0, MAX_TRACE_LINES).map((l) => l.slice(0, 400)).join('\n').slice(0, MAX_TRACE) || undefined;
}

/** A socket's life event (per socket, not per frame: it costs the page nothing while messages flow). */
function noteLife(c: number, e: HookLife['e'], more?: Omit<HookLife, 'c' | 't' | 'e'>): void {
  const l: HookLife = { c, t: nativeNow(), e, ...more };
  if (typeof l.reason === 'string' && l.reason.length > MAX_REASON) l.reason = l.reason.slice(0, MAX_REASON);
  life.push(l);
  // A page churning sockets: sent at once rather than past what one message may carry.
  if (life.length >= MAX_LIFE_BATCH || chars >= MAX_BATCH_CHARS) flush();
  else schedule();
}

function openConn(url: string, transport: Transport): number {
  const c = nextConn++;
  pendingConns.push({ c, url, transport });
  chars += url.length;
  noteLife(c, 'start');
  return c;
}

function toBase64(buf: ArrayBuffer | ArrayBufferView): string {
  const bytes = isView(buf) ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : new Uint8Array(buf);
  return bytesToBase64(bytes);
}

/** Records any body a socket may carry, keeping order for Blobs (read asynchronously). */
function recordData(c: number, d: Direction, data: unknown, order: { chain?: Promise<void> }, note?: SendNote): void {
  const kind = (d === 'out' ? FRAME_OUT : 0) | (typeof data === 'string' ? 0 : FRAME_BINARY);
  let value: Promise<string> | string | undefined;
  if (typeof data === 'string') value = data;
  else if (data instanceof NativeArrayBuffer || isView(data)) value = toBase64(data as ArrayBuffer);
  else if (data instanceof NativeBlob) value = data.arrayBuffer().then(toBase64);
  if (value === undefined) return;
  if (!order.chain && typeof value === 'string') return push(c, kind, value, note);
  const prev = order.chain ?? Promise.resolve();
  const next = prev.then(() => value).then((x) => push(c, kind, x, note), () => undefined);
  order.chain = next;
  void next.then(() => {
    if (order.chain === next) order.chain = undefined;
  });
}

// ---- WebSocket ----

interface Tracked {
  c: number;
  order: { chain?: Promise<void> };
}
const sockets = new WeakMap<object, Tracked>();

function trackSocket(ws: WebSocket): void {
  const url = wsUrl ? (apply(wsUrl, ws, []) as string) : '';
  if (!isSocketIoUrl(url)) return;
  const t: Tracked = { c: openConn(url, 'websocket'), order: {} };
  sockets.set(ws, t);
  emitTarget(t.c, { ws: new NativeWeakRef(ws), url });
  apply(addListener, ws, ['open', () => noteLife(t.c, 'open')]);
  apply(addListener, ws, ['error', () => noteLife(t.c, 'error')]);
  apply(addListener, ws, [
    'close',
    (ev: CloseEvent) => {
      try {
        const { code, reason, wasClean } = ev;
        noteLife(t.c, 'close', {
          code: typeof code === 'number' ? code : undefined,
          reason: typeof reason === 'string' && reason ? reason : undefined,
          clean: typeof wasClean === 'boolean' ? wasClean : undefined,
        });
      } catch {
        /* never disturb the page */
      }
    },
  ]);
  apply(addListener, ws, [
    'message',
    (ev: MessageEvent) => {
      try {
        recordData(t.c, 'in', ev.data, t.order);
      } catch {
        /* never disturb the page */
      }
    },
  ]);
}

/**
 * Puts a wrapper in place of a native constructor so that the page sees no difference: the Proxy answers
 * name, length, toString, prototype and statics as the native does, and `prototype.constructor` (a plain
 * writable property) names the wrapper, as it named the native before.
 */
function replaceConstructor<T extends abstract new (...args: never[]) => unknown>(name: string, native: T, wrapper: T): void {
  (win as unknown as Record<string, unknown>)[name] = wrapper;
  const proto = native.prototype as object;
  const desc = Object.getOwnPropertyDescriptor(proto, 'constructor');
  if (desc && 'value' in desc && desc.value === native) Object.defineProperty(proto, 'constructor', { ...desc, value: wrapper });
}

replaceConstructor(
  'WebSocket',
  NativeWebSocket,
  new Proxy(NativeWebSocket, {
    construct(target, args, newTarget) {
      const ws = construct(target, args, newTarget) as WebSocket;
      try {
        trackSocket(ws);
      } catch {
        /* never disturb the page */
      }
      return ws;
    },
  }),
);
NativeWebSocket.prototype.send = new Proxy(NativeWebSocket.prototype.send, {
  apply(target, self: object, args: unknown[]) {
    const result = apply(target, self, args);
    const t = sockets.get(self);
    if (t) {
      try {
        recordData(t.c, 'out', args[0], t.order, noteHere(args[0]));
      } catch {
        /* never disturb the page */
      }
    }
    return result;
  },
});

// ---- HTTP long-polling (XHR and fetch) ----

/** Polling requests of one Engine.IO session share a connection id, keyed by their sid. */
const pollingBySid = new Map<string, number>();
const SID_IN_URL = /[?&]sid=([^&#]+)/;
const SID_IN_OPEN = /"sid":"([^"]+)"/;

function pollingConn(url: string): { c: number; handshake: boolean } {
  const sid = SID_IN_URL.exec(url)?.[1];
  const base = url.replace(/[?&](t|sid)=[^&#]*/g, '');
  const key = sid ? `${base}#${sid}` : undefined;
  const known = key ? pollingBySid.get(key) : undefined;
  if (known) return { c: known, handshake: false };
  const c = openConn(url, 'polling');
  if (key) pollingBySid.set(key, c);
  if (sid) emitTarget(c, { url, sid });
  return { c, handshake: !sid };
}

function noteHandshake(url: string, c: number, body: string): void {
  const sid = SID_IN_OPEN.exec(body.slice(0, 512))?.[1];
  if (sid) {
    pollingBySid.set(`${url.replace(/[?&](t|sid)=[^&#]*/g, '')}#${sid}`, c);
    emitTarget(c, { url, sid });
  }
}

function absolute(url: string): string {
  try {
    return new NativeURL(url, document.baseURI).href;
  } catch {
    return url;
  }
}

interface XhrRequest {
  url: string;
  method: string;
  /** Set when sent: the connection and whether this is the session's handshake. */
  c?: number;
  handshake?: boolean;
  done?: boolean;
}
const xhrs = new WeakMap<object, XhrRequest>();
/** XHRs with our listener: one per object, however often it is opened again. */
const listening = new WeakSet<object>();

/**
 * Records a finished polling response. It runs on readystatechange from a listener added in open(), that
 * is before the handlers a client sets up after open() (engine.io-client does): the client sends its next
 * request from its own handler, and the handshake's sid must be known by then, or that request would be
 * taken for another connection; and the response is recorded before what the client sends in reply.
 */
function xhrDone(xhr: object): void {
  const req = xhrs.get(xhr);
  if (!req || req.c === undefined || req.done || (xhrReadyState && apply(xhrReadyState, xhr, []) !== 4)) return;
  req.done = true;
  // Aborted or failed: no response (a failure is noted by the error listener).
  const status = xhrStatus ? (apply(xhrStatus, xhr, []) as number) : 200;
  if (status === 0) return;
  const type = xhrResponseType ? (apply(xhrResponseType, xhr, []) as string) : '';
  const body = type === '' || type === 'text' ? (apply(xhrResponseText!, xhr, []) as string) : (apply(xhrResponse!, xhr, []) as unknown);
  if (status >= 400) return noteLife(req.c, 'error', { status, reason: typeof body === 'string' ? body : undefined });
  if (req.method === 'POST' && body === 'ok') return;
  if (req.handshake && typeof body === 'string') noteHandshake(req.url, req.c, body);
  recordData(req.c, 'in', body, {});
}

xhrProto.open = new Proxy(xhrProto.open, {
  apply(target, self: object, args: unknown[]) {
    try {
      const raw = args[1];
      const url = typeof raw === 'string' ? raw : raw instanceof NativeURL ? raw.href : '';
      if (isSocketIoUrl(url)) {
        xhrs.set(self, { url: absolute(url), method: String(args[0]).toUpperCase() });
        if (!listening.has(self)) {
          listening.add(self);
          apply(addListener, self, [
            'readystatechange',
            () => {
              try {
                xhrDone(self);
              } catch {
                /* never disturb the page */
              }
            },
          ]);
          apply(addListener, self, [
            'error',
            () => {
              const c = xhrs.get(self)?.c;
              if (c !== undefined) noteLife(c, 'error', { status: 0 });
            },
          ]);
        }
      } else xhrs.delete(self);
    } catch {
      /* never disturb the page */
    }
    return apply(target, self, args);
  },
});

xhrProto.send = new Proxy(xhrProto.send, {
  apply(target, self: XMLHttpRequest, args: unknown[]) {
    const req = xhrs.get(self);
    if (req) {
      try {
        const { c, handshake } = pollingConn(req.url);
        req.c = c;
        req.handshake = handshake;
        req.done = false;
        if (req.method === 'POST' && args[0] != null) recordData(c, 'out', args[0], {}, noteHere(args[0]));
      } catch {
        /* never disturb the page */
      }
    }
    return apply(target, self, args);
  },
});

if (typeof win.fetch === 'function') {
  win.fetch = new Proxy(win.fetch, {
    apply(target, self, args: Parameters<typeof fetch>) {
      const result = apply(target, self, args) as Promise<Response>;
      try {
        const input = args[0];
        const url = typeof input === 'string' ? input : input instanceof NativeURL ? input.href : input?.url ?? '';
        if (isSocketIoUrl(url)) {
          const full = absolute(url);
          const method = String(args[1]?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
          const { c, handshake } = pollingConn(full);
          const body = args[1]?.body;
          if (method === 'POST' && body != null) recordData(c, 'out', body, {}, noteHere(body));
          result.then(
            (res) => {
              if (!res.ok) {
                const copy = res.clone();
                copy.text().then(
                  (b) => noteLife(c, 'error', { status: res.status, reason: b }),
                  () => noteLife(c, 'error', { status: res.status }),
                );
                return;
              }
              if (method === 'POST') return;
              const type = res.headers.get('content-type') ?? '';
              const copy = res.clone();
              (type.includes('octet-stream') ? copy.arrayBuffer() : copy.text()).then(
                (b) => {
                  if (handshake && typeof b === 'string') noteHandshake(full, c, b);
                  recordData(c, 'in', b, {});
                },
                () => undefined,
              );
            },
            (e: unknown) => {
              // A network failure, not the page's own abort.
              if (!(e instanceof DOMException && e.name === 'AbortError')) noteLife(c, 'error', { status: 0 });
            },
          );
        }
      } catch {
        /* never disturb the page */
      }
      return result;
    },
  });
}

// ---- workers: their sockets are out of reach; the panel says how many the page started ----

for (const kind of ['Worker', 'SharedWorker'] as const) {
  const Native = win[kind] as (new (...args: never[]) => object) | undefined;
  if (typeof Native !== 'function') continue;
  replaceConstructor(
    kind,
    Native,
    new Proxy(Native, {
      construct(target, args, newTarget) {
        const worker = construct(target, args, newTarget) as object;
        try {
          post({ type: 'hook/worker', kind });
        } catch {
          /* never disturb the page */
        }
        return worker;
      },
    }),
  );
}

// ---- the panel's emit (reachable only through the private port, with the relay's secret key) ----

/** Where an emit on a connection goes: its WebSocket, or its polling session's URL and sid. */
interface EmitTarget {
  url: string;
  ws?: WeakRef<WebSocket>;
  sid?: string;
}
/** Connections that can be emitted on, the most recent last (bounded: the oldest are forgotten). */
const emitTargets = new Map<number, EmitTarget>();
const MAX_EMIT_TARGETS = 200;
/** The relay's secret for this load (relay/key): set once, never on window. */
let relayKey: string | undefined;

function emitTarget(c: number, target: EmitTarget): void {
  emitTargets.delete(c);
  emitTargets.set(c, target);
  if (emitTargets.size > MAX_EMIT_TARGETS) emitTargets.delete(emitTargets.keys().next().value!);
}

// The hook's own wrappers (taken now: a page that replaces them later is not called, and sees nothing).
const hookedWsSend = NativeWebSocket.prototype.send;
const hookedOpen = xhrProto.open;
const hookedSend = xhrProto.send;

/** Writes `packet` on connection c as the page's client would; answers the relay with hook/emitted. */
function emit(id: number, c: number, packet: string): void {
  const done = (error?: string): void => post(error ? { type: 'hook/emitted', id, ok: false, error } : { type: 'hook/emitted', id, ok: true });
  const target = emitTargets.get(c);
  const eio = target && eioOf(target.url);
  if (!target || !eio) return done('no such Socket.IO connection on this page (it may have been reloaded)');
  if (target.ws) {
    const ws = apply(weakDeref, target.ws, []) as WebSocket | undefined;
    if (!ws || (wsReadyState && apply(wsReadyState, ws, []) !== 1)) return done('the WebSocket is not open');
    asPanel(() => apply(hookedWsSend, ws, [packet]));
    return done();
  }
  if (!target.sid) return done('the polling session has no sid yet');
  const xhr = new NativeXHR();
  const url = pollingPostUrl(target.url, target.sid, nativeNow().toString(36) + mathRandom().toString(36).slice(2, 6));
  apply(addListener, xhr, [
    'loadend',
    () => {
      const status = xhrStatus ? (apply(xhrStatus, xhr, []) as number) : 0;
      done(status === 200 ? undefined : `the server answered the POST with HTTP ${status}`);
    },
  ]);
  apply(hookedOpen, xhr, ['POST', url, true]);
  apply(xhrSetHeader, xhr, ['Content-Type', 'text/plain;charset=UTF-8']);
  asPanel(() => apply(hookedSend, xhr, [pollingBody(eio, packet)]));
}

/** Runs the write of the panel's emit: the hook's wrapper records its frame marked as the panel's. */
function asPanel(write: () => void): void {
  emitting = noting = true;
  try {
    write();
  } finally {
    emitting = false;
    noting = tracing;
  }
}

function onRelayMessage(data: unknown): void {
  if (typeof data !== 'object' || data === null) return;
  const m = data as Partial<ContentToHook>;
  if (m.type === 'relay/trace' && relayKey !== undefined && m.key === relayKey) setTracing(m.on === true);
  else if (m.type === 'relay/watched' && relayKey !== undefined && m.key === relayKey) {
    watched = m.on === true;
    // A panel just opened: what waits goes now, and the next batches at the watched pace.
    if (watched) {
      interval = Math.min(interval, SLOW_FLUSH_MS);
      if (flushTimer) flush();
    }
  }
  else if (m.type === 'relay/leave' && relayKey !== undefined && m.key === relayKey && typeof m.leave === 'string' && m.leave.length >= 32) leaveKey = m.leave;
  else if (m.type === 'relay/key' && relayKey === undefined && typeof m.key === 'string' && m.key.length >= 32) relayKey = m.key;
  else if (m.type === 'relay/emit' && relayKey !== undefined && m.key === relayKey && typeof m.id === 'number' && typeof m.c === 'number' && typeof m.packet === 'string') {
    try {
      emit(m.id, m.c, m.packet);
    } catch (e) {
      post({ type: 'hook/emitted', id: m.id, ok: false, error: e instanceof Error ? e.message.slice(0, 300) : 'failed' });
    }
  }
}

// ---- the private channel to the relay ----

/** Hands a fresh port to the relay, re-posting what no relay has acknowledged yet. */
function handPort(): void {
  const channel = new NativeMessageChannel();
  const mine = apply(chPort1, channel, []) as MessagePort;
  port = mine;
  apply(portOnMessage, mine, [
    (ev: MessageEvent) => {
      if (port !== mine) return;
      const data = apply(msgData, ev, []);
      if (acked) return onRelayMessage(data);
      if (data !== RELAY_ACK) return;
      acked = true;
      unacked = [];
      unackedFrames = 0;
      if (droppedBeforeRelay > 0) post({ type: 'hook/dropped', frames: droppedBeforeRelay });
    },
  ]);
  for (const msg of unacked) apply(portPost, mine, [msg]);
  apply(dispatch, win, [new NativeMessageEvent(HOOK_PORT_EVENT, { ports: [apply(chPort2, channel, []) as MessagePort] })]);
}

// The page going away (or into the back/forward cache): what waits for the timer goes now.
apply(addListener, win, [
  'pagehide',
  () => {
    try {
      leaving = true;
      if (flushTimer) flush();
    } catch {
      /* never disturb the page */
    } finally {
      leaving = false;
    }
  },
  true,
]);

// The relay may start before or after the hook: it takes the first port it sees and answers RELAY_ACK.
apply(addListener, win, [
  RELAY_READY_EVENT,
  (ev: Event) => {
    apply(stopImmediate, ev, []);
    if (!acked) handPort();
  },
  true,
]);
handPort();
