// The live source: a runtime Port to the background (PANEL_PORT), subscribed for the inspected tab.
// The MV3 service worker is stopped when idle, which disconnects the port: reconnect with backoff and
// subscribe again from the last seq held, so nothing is lost or shown twice.
// The browser API is injected (main.tsx passes browser.runtime.connect), so this runs in Node tests.
import type { CapturedEvent } from '../../core/model/event';
import type { EmitResult, PanelToBackground, TabStatus } from '../../core/messages';
import type { PanelSource, SourceListener, SourceStatus, ConnectionState } from './source';
import { readPanelMessage } from './validate';

interface EventLike<F> {
  addListener(fn: F): void;
  removeListener(fn: F): void;
}

/** The part of runtime.Port the source uses. */
export interface PortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: EventLike<(message: unknown) => void>;
  onDisconnect: EventLike<() => void>;
}

export interface ExtensionSourceOptions {
  tabId: number;
  /** Opens a port named PANEL_PORT to the background; may throw (e.g. the extension was reloaded). */
  connect(): PortLike;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  /** Reconnect delays grow from minDelay, doubling, up to maxDelay (ms). */
  minDelay?: number;
  maxDelay?: number;
}

export interface ExtensionSource extends PanelSource {
  /** Highest seq delivered to the listener. */
  readonly lastSeq: number;
  /** Stops reconnecting and closes the port. */
  dispose(): void;
}

/** An emit not answered by then failed (the background answers within the relay's own 10 s). */
const EMIT_TIMEOUT_MS = 15_000;

export function createExtensionSource(opts: ExtensionSourceOptions): ExtensionSource {
  const setT = opts.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
  const clearT = opts.clearTimeout ?? ((h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>));
  const minDelay = opts.minDelay ?? 250;
  const maxDelay = opts.maxDelay ?? 10_000;

  let listener: SourceListener | null = null;
  let port: PortLike | null = null;
  let timer: unknown = null;
  let delay = minDelay;
  let lastSeq = 0;
  let malformed = 0;
  let tab: TabStatus | null = null;
  let connection: ConnectionState = 'connecting';
  let disposed = false;
  /** Emits waiting for the background's answer, by id. */
  const emits = new Map<number, (r: EmitResult) => void>();
  let emitId = 0;

  const emitStatus = (): void => {
    const status: SourceStatus = { connection, tab, malformed };
    listener?.status(status);
  };

  const post = (msg: PanelToBackground): void => {
    try {
      port?.postMessage(msg);
    } catch {
      // The port died under us; onDisconnect (or the next connect) takes over.
    }
  };

  const onMessage = (msg: unknown): void => {
    const m = readPanelMessage(msg, opts.tabId);
    if (!m) {
      malformed++;
      emitStatus();
      return;
    }
    delay = minDelay; // the background answers: the next disconnect starts a fresh backoff
    let statusChanged = connection !== 'open';
    connection = 'open';
    if (m.type === 'emitted') {
      const answer = emits.get(m.id);
      emits.delete(m.id);
      answer?.(m.ok ? { ok: true } : { ok: false, error: m.error ?? 'failed' });
      return;
    }
    if (m.type === 'status') {
      tab = m.status;
      emitStatus();
      return;
    }
    if (m.reset) lastSeq = 0;
    // Events already delivered (an overlap after re-subscribing) or out of order are skipped.
    const fresh: CapturedEvent[] = [];
    for (const ev of m.events) {
      if (ev.seq > lastSeq) {
        fresh.push(ev);
        lastSeq = ev.seq;
      }
    }
    if (m.malformed) {
      malformed += m.malformed;
      statusChanged = true;
    }
    if (fresh.length || m.reset) listener?.events(fresh, m.reset);
    if (statusChanged) emitStatus();
  };

  const onDisconnect = (): void => {
    detach();
    if (disposed) return;
    connection = 'reconnecting';
    emitStatus();
    schedule();
  };

  const detach = (): void => {
    if (!port) return;
    port.onMessage.removeListener(onMessage);
    port.onDisconnect.removeListener(onDisconnect);
    port = null;
  };

  const schedule = (): void => {
    if (timer !== null || disposed) return;
    const wait = delay;
    delay = Math.min(maxDelay, delay * 2);
    timer = setT(() => {
      timer = null;
      open();
    }, wait);
  };

  const open = (): void => {
    if (disposed || port) return;
    let p: PortLike;
    try {
      p = opts.connect();
    } catch {
      connection = 'reconnecting';
      emitStatus();
      schedule();
      return;
    }
    port = p;
    p.onMessage.addListener(onMessage);
    p.onDisconnect.addListener(onDisconnect);
    post({ type: 'panel/subscribe', tabId: opts.tabId, since: lastSeq });
  };

  return {
    capabilities: { live: true, clear: true },
    get lastSeq() {
      return lastSeq;
    },
    subscribe(l) {
      listener = l;
      emitStatus();
      open();
      return () => {
        if (listener === l) listener = null;
      };
    },
    clear() {
      post({ type: 'panel/clear', tabId: opts.tabId });
    },
    emit(conn, packet) {
      if (!port) return Promise.resolve({ ok: false, error: 'not connected to the extension' });
      const id = ++emitId;
      return new Promise<EmitResult>((resolve) => {
        const timer = setT(() => {
          emits.delete(id);
          resolve({ ok: false, error: 'no answer from the page' });
        }, EMIT_TIMEOUT_MS);
        emits.set(id, (r) => {
          clearT(timer);
          resolve(r);
        });
        post({ type: 'panel/emit', id, conn, packet });
      });
    },
    dispose() {
      disposed = true;
      if (timer !== null) clearT(timer);
      timer = null;
      const p = port;
      detach();
      try {
        p?.disconnect();
      } catch {
        // already gone
      }
      connection = 'offline';
      emitStatus();
    },
  };
}
