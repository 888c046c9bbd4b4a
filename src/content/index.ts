// Content relay (isolated world): takes the hook's private port, validates what comes through it (the
// page can forge it: forged data may at most show up as data), and forwards batches to the background,
// one at a time and in order, keeping each until it is acknowledged (the service worker may restart).
import browser from 'webextension-polyfill';
import {
  HOOK_PORT_EVENT,
  RELAY_ACK,
  RELAY_READY_EVENT,
  checkHookToContent,
  type BackgroundAck,
  type ContentToBackground,
} from '../core/messages';
import { redactUrl } from '../core/wire/redact';

/** Messages waiting for the background, bounded: the oldest frames are dropped (and said so) beyond it. */
const MAX_QUEUED = 2_000;
const RETRY_MS = [50, 200, 500, 1000, 2000];
/** Bounds of one message made of several queued frame batches. */
const MAX_MERGED_FRAMES = 2_000;
const MAX_MERGED_CHARS = 4 * 1024 * 1024;

const pageId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
const queue: ContentToBackground[] = [];
let sending = false;
let droppedFrames = 0;
let rejected = 0;
/** Messages numbered so far: a message takes its number when first sent, and keeps it when sent again. */
let numbered = 0;
/** `batch` of a message not sent yet. */
const UNSENT = 0;
/** Workers the page said it started: past a few, more notes change nothing the panel says. */
let workers = 0;
const MAX_WORKER_NOTES = 1000;
/** The head of the queue went out at least once: it may be stored already, so it must not change. */
let headSent = false;
/** Gives up the send in flight (it is sent again). */
let abandon: (() => void) | undefined;

const chars = (f: { x: string | { b64: string } }): number => (typeof f.x === 'string' ? f.x.length : f.x.b64.length);

/**
 * Folds the frame batches queued right behind the head into it while it was never sent, so that a
 * backlog goes out in few large messages instead of one round trip per batch.
 */
function coalesce(): void {
  const head = queue[0];
  if (headSent || head?.type !== 'content/frames') return;
  const parts = [head];
  let frames = head.frames.length;
  let size = head.frames.reduce((n, f) => n + chars(f), 0);
  for (let next = queue[1]; next?.type === 'content/frames'; next = queue[parts.length]) {
    const more = next.frames.reduce((n, f) => n + chars(f), 0);
    if (frames + next.frames.length > MAX_MERGED_FRAMES || size + more > MAX_MERGED_CHARS) break;
    parts.push(next);
    frames += next.frames.length;
    size += more;
  }
  if (parts.length === 1) return;
  queue.splice(0, parts.length, {
    ...head,
    conns: parts.flatMap((p) => p.conns),
    frames: parts.flatMap((p) => p.frames),
  });
}

function enqueue(msg: ContentToBackground): void {
  queue.push(msg);
  while (queue.length > MAX_QUEUED) {
    const old = queue.splice(1, 1)[0];
    if (old?.type === 'content/frames') droppedFrames += old.frames.length;
  }
  void pump();
}

async function pump(): Promise<void> {
  if (sending) return;
  sending = true;
  let attempt = 0;
  while (queue.length > 0) {
    if (droppedFrames > 0) {
      queue.splice(1, 0, { type: 'content/notice', pageId, batch: UNSENT, text: `${droppedFrames} frames dropped: the background did not keep up` });
      droppedFrames = 0;
    }
    coalesce();
    try {
      if (!headSent) queue[0] = { ...queue[0]!, batch: ++numbered };
      headSent = true;
      const ack = (await Promise.race([
        browser.runtime.sendMessage(queue[0]),
        new Promise<never>((_, reject) => (abandon = () => reject(new Error('abandoned')))),
      ]).finally(() => (abandon = undefined))) as BackgroundAck | undefined;
      if (!ack || !ack.ok) throw new Error(ack?.error ?? 'no answer');
      queue.shift();
      headSent = false;
      attempt = 0;
    } catch {
      // The extension was reloaded: this relay is orphaned and the page keeps working without it.
      if (!browser.runtime?.id) return;
      await new Promise((r) => setTimeout(r, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]));
    }
  }
  sending = false;
}

function onHookMessage(ev: MessageEvent): void {
  const checked = checkHookToContent(ev.data);
  if (!checked.ok) {
    rejected++;
    if (rejected <= 20 || rejected % 1000 === 0) {
      enqueue({ type: 'content/notice', pageId, batch: UNSENT, text: `rejected a malformed message from the page (${rejected} so far): ${checked.error}` });
    }
    return;
  }
  const msg = checked.value;
  if (msg.type === 'hook/notice') {
    enqueue({ type: 'content/notice', pageId, batch: UNSENT, text: msg.text });
    return;
  }
  if (msg.type === 'hook/worker') {
    if (++workers <= MAX_WORKER_NOTES) enqueue({ type: 'content/worker', pageId, batch: UNSENT, kind: msg.kind });
    return;
  }
  enqueue({
    type: 'content/frames',
    pageId,
    batch: UNSENT,
    conns: msg.conns.map((c) => ({ ...c, url: redactUrl(c.url) })),
    frames: msg.frames,
  });
}

let hookPort: MessagePort | undefined;
window.addEventListener(
  HOOK_PORT_EVENT,
  (ev: Event) => {
    ev.stopImmediatePropagation();
    const port = ev instanceof MessageEvent ? ev.ports[0] : undefined;
    if (hookPort || !port) return;
    hookPort = port;
    port.onmessage = onHookMessage;
    port.postMessage(RELAY_ACK);
  },
  true,
);

const pageMessage = (): ContentToBackground => ({
  type: 'content/page',
  pageId,
  batch: UNSENT,
  url: redactUrl(location.href),
});
enqueue(pageMessage());
// A page restored from the back/forward cache is shown again without loading: say so, as a load would.
// A send in flight when the page entered the cache is never answered (Chromium): send it again.
// Only the browser's own event: the page can dispatch a pageshow of its own.
window.addEventListener('pageshow', (ev) => {
  if (!ev.persisted || !ev.isTrusted) return;
  abandon?.();
  enqueue(pageMessage());
});
window.dispatchEvent(new Event(RELAY_READY_EVENT));
