// Content relay (isolated world): takes the hook's private port, validates what comes through it (the
// page can forge it: forged data may at most show up as data), and forwards batches to the background
// over one long-lived runtime Port, one at a time and in order, keeping each until it is acknowledged (the
// service worker may stop, idle or not: the Port is made again and the message sent again).
// What cannot go through (malformed, refused, too long, never answered) is dropped and counted, and the
// counts go to the background in a notice: never retried forever, never lost silently.
import browser from 'webextension-polyfill';
import {
  HOOK_LEAVE_EVENT,
  HOOK_PORT_EVENT,
  MAX_LEAVE_CHARS,
  MAX_BATCH,
  MAX_NOTICE,
  MAX_URL,
  RELAY_ACK,
  RELAY_READY_EVENT,
  CONTENT_PORT,
  checkBackgroundToContent,
  checkHookToContent,
  excerpt,
  newPageId,
  type ContentToBackground,
  type ContentToHook,
  type EmitResult,
  type FrameTrace,
  type HookConnection,
} from '../core/messages';
import { batchChars, splitBatch } from '../core/relay';
import { redactUrl } from '../core/wire/redact';
import { redactTrace } from '../core/compose/trace';

type ContentFrames = Extract<ContentToBackground, { type: 'content/frames' }>;

/** Messages waiting for the background, bounded: the oldest frames are dropped (and said so) beyond it. */
const MAX_QUEUED = 2_000;
const RETRY_MS = [50, 200, 500, 1000, 2000];
/** Sends of one message before it is given up (about a minute): the background may be restarting meanwhile. */
const MAX_ATTEMPTS = 30;
/** Bounds of one message made of several queued frame batches. */
const MAX_MERGED_FRAMES = 2_000;
const MAX_MERGED_CHARS = 4 * 1024 * 1024;
/** Connections refused for their URL, remembered so that their later frames are refused too. */
const MAX_REFUSED = 10_000;

const pageId = newPageId();
/** 24 random bytes in hex: the secrets the relay gives the hook on the private port. */
const randomKey = (): string => Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, '0')).join('');
/** Per-load secret the hook requires on an emit: the page never sees it (it travels only on the port). */
const emitKey = randomKey();
const queue: ContentToBackground[] = [];
let sending = false;
/** Losses not told to the background yet: frames dropped, frames or messages rejected, and why (a few). */
const loss = { dropped: 0, rejected: 0, reasons: [] as string[] };
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
const refused = new Set<number>();

const framesIn = (m: ContentToBackground): number => (m.type === 'content/frames' ? m.data.length : 0);

/** Counts a loss, to be told in the next notice. */
function lose(kind: 'dropped' | 'rejected', n: number, reason: string): void {
  if (n <= 0) return;
  // A page can claim any count of frames its hook dropped: kept a safe integer, as the messages require.
  loss[kind] = Math.min(Number.MAX_SAFE_INTEGER, loss[kind] + n);
  if (loss.reasons.length < 3 && !loss.reasons.includes(reason)) loss.reasons.push(reason);
  pump();
}

function lossNotice(): ContentToBackground {
  const said = [loss.dropped && `${loss.dropped} frames dropped`, loss.rejected && `${loss.rejected} rejected`].filter(Boolean).join(', ');
  const text = excerpt(`${said}: ${loss.reasons.join('; ')}`, MAX_NOTICE);
  const msg: ContentToBackground = { type: 'content/notice', pageId, batch: UNSENT, text, dropped: loss.dropped, rejected: loss.rejected };
  loss.dropped = loss.rejected = 0;
  loss.reasons = [];
  return msg;
}

/**
 * Folds the frame batches queued right behind the head into it while it was never sent, so that a
 * backlog goes out in few large messages instead of one round trip per batch.
 */
function coalesce(): void {
  const head = queue[0];
  if (headSent || head?.type !== 'content/frames' || head.batch !== UNSENT) return;
  const cost = (m: typeof head): number => batchChars(m.conns, m.data);
  const parts = [head];
  let frames = head.data.length;
  let conns = head.conns.length;
  let life = head.life?.length ?? 0;
  let size = cost(head);
  for (let next = queue[1]; next?.type === 'content/frames' && next.batch === UNSENT; next = queue[parts.length]) {
    const more = cost(next);
    const moreLife = life + (next.life?.length ?? 0);
    if (frames + next.data.length > MAX_MERGED_FRAMES || conns + next.conns.length > MAX_BATCH || moreLife > MAX_BATCH || size + more > MAX_MERGED_CHARS) break;
    life = moreLife;
    parts.push(next);
    frames += next.data.length;
    conns += next.conns.length;
    size += more;
  }
  if (parts.length === 1) return;
  const merged: ContentFrames = { ...head, conns: parts.flatMap((p) => p.conns), meta: parts.flatMap((p) => p.meta), data: parts.flatMap((p) => p.data), cut: [] };
  let offset = 0;
  const traces: FrameTrace[] = [];
  const panel: number[] = [];
  for (const p of parts) {
    for (let k = 0; k < p.cut.length; k += 2) merged.cut.push(p.cut[k]! + offset, p.cut[k + 1]!);
    for (const t of p.traces ?? []) traces.push({ i: t.i + offset, s: t.s });
    for (const i of p.panel ?? []) panel.push(i + offset);
    offset += p.data.length;
  }
  if (traces.length) merged.traces = traces;
  else delete merged.traces;
  if (panel.length) merged.panel = panel;
  else delete merged.panel;
  if (life > 0) merged.life = parts.flatMap((p) => p.life ?? []);
  else delete merged.life;
  queue.splice(0, parts.length, merged);
}

function enqueue(msg: ContentToBackground): void {
  queue.push(msg);
  while (queue.length > MAX_QUEUED) {
    const old = queue.splice(1, 1)[0]!;
    if (old.type === 'content/notice') {
      lose('dropped', old.dropped ?? 0, 'counts of a notice the queue could not keep');
      lose('rejected', old.rejected ?? 0, 'counts of a notice the queue could not keep');
    }
    lose('dropped', framesIn(old), 'the background did not keep up');
  }
  pump();
}

/** Runtime messaging's own refusal (Chrome: "Message length exceeded maximum allowed length."): sending again cannot help. */
const isTooLong = (e: unknown): boolean => e instanceof Error && /length exceeded|too (large|long|big)/i.test(e.message);

/** The send in flight, by number: an answer to one given up (abandoned) is ignored. */
let inFlight = 0;
let sends = 0;
let attempt = 0;
/** The Port to the background, made when a message is to go and none is open. */
let bgPort: browser.Runtime.Port | undefined;

/** The open Port, or a new one: a stopped service worker is started by the connect. */
function backgroundPort(): browser.Runtime.Port {
  if (bgPort) return bgPort;
  const p = browser.runtime.connect({ name: CONTENT_PORT });
  p.onMessage.addListener((m: unknown) => {
    if (p !== bgPort || typeof m !== 'object' || m === null) return;
    // BackgroundToRelay, read field by field.
    const said = m as { type?: unknown; on?: unknown; batch?: unknown };
    if (said.type === 'bg/watched') {
      watched = said.on === true;
      tellWatched();
      return;
    }
    // The answer to the head of the queue, on the Port it went on (a late one to a message given up is not).
    if (inFlight && said.batch === queue[0]?.batch) answered(inFlight, undefined);
  });
  p.onDisconnect.addListener(() => {
    if (p !== bgPort) return;
    bgPort = undefined;
    // The worker stopped (or the extension went away): what it had not answered goes again.
    answered(inFlight, new Error('the background went away'));
  });
  return (bgPort = p);
}

/** Whether a Spaces panel shows the tab, as the background last said (undefined: not said yet). */
let watched: boolean | undefined;
const tellWatched = (): void => {
  if (watched !== undefined) hookPort?.postMessage({ type: 'relay/watched', key: emitKey, on: watched } satisfies ContentToHook);
};

/** Drops the Port (the next send makes another). */
function dropPort(): void {
  const p = bgPort;
  bgPort = undefined;
  try {
    p?.disconnect();
  } catch {
    /* already gone */
  }
}

/**
 * Sends the head of the queue, the next once it is answered: callbacks rather than an async loop, so that a
 * batch costs the page's thread one Port message each way and no promise (each one is instrumented while
 * DevTools is open on the page).
 */
function pump(): void {
  if (sending) return;
  sending = true;
  sendHead();
}

function sendHead(): void {
  if (loss.dropped > 0 || loss.rejected > 0) queue.splice(Math.min(1, queue.length), 0, lossNotice());
  if (queue.length === 0) {
    sending = false;
    return;
  }
  coalesce();
  if (!headSent && queue[0]!.batch === UNSENT) queue[0] = { ...queue[0]!, batch: ++numbered };
  headSent = true;
  const n = (inFlight = ++sends);
  abandon = () => {
    dropPort();
    answered(n, new Error('abandoned'));
  };
  try {
    backgroundPort().postMessage(queue[0]);
  } catch (e) {
    // A Port that went away meanwhile (or, once the extension was reloaded, none can be made).
    if (!isTooLong(e)) dropPort();
    answered(n, e);
  }
}

function answered(n: number, error: unknown): void {
  if (n === 0 || n !== inFlight) return;
  inFlight = 0;
  abandon = undefined;
  if (error === undefined) {
    // Taken, or refused by the background's validation (which counted it as rejected): it would be refused again.
    queue.shift();
    headSent = false;
    attempt = 0;
    return sendHead();
  }
  // The extension was reloaded: this relay is orphaned and the page keeps working without it.
  if (!browser.runtime?.id) return;
  if (isTooLong(error) || ++attempt >= MAX_ATTEMPTS) {
    const gone = queue.shift()!;
    headSent = false;
    attempt = 0;
    lose('dropped', framesIn(gone), isTooLong(error) ? 'a message too long for the browser' : 'the background did not answer');
    return sendHead();
  }
  setTimeout(sendHead, RETRY_MS[Math.min(attempt - 1, RETRY_MS.length - 1)]);
}

/** The page's connections, redacted; one whose URL is still too long is refused, with its frames. */
function acceptConns(conns: HookConnection[]): HookConnection[] {
  const kept: HookConnection[] = [];
  for (const c of conns) {
    const url = redactUrl(c.url);
    if (url.length <= MAX_URL) kept.push({ ...c, url });
    else {
      if (refused.size >= MAX_REFUSED) refused.delete(refused.values().next().value!);
      refused.add(c.c);
    }
  }
  return kept;
}

function onHookMessage(ev: MessageEvent): void {
  onHookData(ev.data);
}

function onHookData(data: unknown): void {
  const checked = checkHookToContent(data);
  if (!checked.ok) {
    lose('rejected', 1, `a malformed message from the page (${checked.error})`);
    return;
  }
  const msg = checked.value;
  if (msg.type === 'hook/dropped') {
    lose('dropped', msg.frames, 'before the relay started');
    return;
  }
  if (msg.type === 'hook/emitted') {
    const answer = emits.get(msg.id);
    emits.delete(msg.id);
    answer?.(msg.ok ? { ok: true } : { ok: false, error: excerpt(msg.error ?? 'failed', MAX_NOTICE) });
    return;
  }
  if (msg.type === 'hook/worker') {
    if (++workers <= MAX_WORKER_NOTES) enqueue({ type: 'content/worker', pageId, batch: UNSENT, kind: msg.kind });
    return;
  }
  const conns = msg.conns.length ? acceptConns(msg.conns) : msg.conns;
  // Trace's stacks name the page's scripts: their URLs go out redacted, as every URL does.
  const frames = msg.traces?.length ? { ...msg, traces: msg.traces.map((t) => ({ i: t.i, s: redactTrace(t.s) })) } : msg;
  const { parts: split, skipped } = splitBatch(conns, frames, refused.size ? (c) => refused.has(c) : undefined);
  lose('rejected', skipped, `frames of a connection whose URL is over ${MAX_URL} characters once redacted`);
  const parts: ContentFrames[] = split.map((part) => ({ type: 'content/frames', pageId, batch: UNSENT, ...part }));
  // Life events (open, close, errors) go with the batch's last part: after the frames they follow.
  const life = msg.life?.filter((l) => !refused.has(l.c));
  if (life?.length) {
    if (parts.length === 0) parts.push({ type: 'content/frames', pageId, batch: UNSENT, conns: [], meta: [], data: [], cut: [] });
    parts[parts.length - 1]!.life = life;
  }
  for (const part of parts) enqueue(part);
}

let hookPort: MessagePort | undefined;

// ---- the page going away: the hook's last batch, handed over in the same task, sent at once ----

/** The one-time secret the hook's next hand-off must carry; a new one after each (a page restored from the back/forward cache leaves again). */
let leaveKey = randomKey();
const tellLeaveKey = (): void => hookPort?.postMessage({ type: 'relay/leave', key: emitKey, leave: leaveKey } satisfies ContentToHook);

window.addEventListener(
  HOOK_LEAVE_EVENT,
  (ev: Event) => {
    ev.stopImmediatePropagation();
    const detail: unknown = (ev as CustomEvent).detail;
    let said: { key?: unknown; msg?: unknown } | undefined;
    try {
      const parsed: unknown = typeof detail === 'string' && detail.length <= MAX_LEAVE_CHARS ? JSON.parse(detail) : undefined;
      if (typeof parsed === 'object' && parsed !== null) said = parsed;
    } catch {
      /* counted below */
    }
    // Anything else is the page's: the secret never left the hook and the relay.
    if (said?.key !== leaveKey) return lose('rejected', 1, 'a hand-off the hook did not make');
    leaveKey = randomKey();
    tellLeaveKey();
    onHookData(said.msg);
    rush();
  },
  true,
);

/**
 * Everything queued goes now, numbered, without waiting for answers: the page is going away and would not
 * be there to send it. The background takes a tab's messages in order and drops repeats by number; a page
 * restored from the back/forward cache sends again, with the same numbers, whatever was not answered.
 */
function rush(): void {
  pump();
  for (let i = 1; i < queue.length; i++) {
    if (queue[i]!.batch === UNSENT) queue[i] = { ...queue[i]!, batch: ++numbered };
    try {
      backgroundPort().postMessage(queue[i]);
    } catch {
      /* sent again from the queue when the page comes back */
    }
  }
}
window.addEventListener(
  HOOK_PORT_EVENT,
  (ev: Event) => {
    ev.stopImmediatePropagation();
    const port = ev instanceof MessageEvent ? ev.ports[0] : undefined;
    if (hookPort || !port) return;
    hookPort = port;
    port.onmessage = onHookMessage;
    port.postMessage(RELAY_ACK);
    port.postMessage({ type: 'relay/key', key: emitKey } satisfies ContentToHook);
    tellLeaveKey();
    tellWatched();
    void tellTrace();
  },
  true,
);

// ---- Trace: the panel's setting (storage.local `trace`), told to the hook ----

async function tellTrace(): Promise<void> {
  if (!browser.storage) return;
  const got = (await browser.storage?.local.get('trace').catch(() => ({}))) as Record<string, unknown> | undefined;
  hookPort?.postMessage({ type: 'relay/trace', key: emitKey, on: got?.trace === true } satisfies ContentToHook);
}
browser.storage?.onChanged.addListener((changes, area) => {
  if (area === 'local' && 'trace' in changes) void tellTrace();
});

// ---- the panel's emit: from the background only (tabs.sendMessage), handed to the hook with the key ----

/** Emits waiting for the hook's answer, by id (bounded: the page's hook may never answer). */
const emits = new Map<number, (r: EmitResult) => void>();
const MAX_PENDING_EMITS = 50;
const EMIT_TIMEOUT_MS = 10_000;

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  // Only the extension's background sends here (tabs.sendMessage): never a page, nor a content script.
  if (sender.id !== browser.runtime.id || sender.tab !== undefined) return undefined;
  const checked = checkBackgroundToContent(message);
  if (!checked.ok) return Promise.resolve<EmitResult>({ ok: false, error: `refused by the page's relay: ${checked.error}` });
  const { id, c, packet } = checked.value;
  if (!hookPort) return Promise.resolve<EmitResult>({ ok: false, error: 'the page hook is not connected' });
  if (emits.size >= MAX_PENDING_EMITS || emits.has(id)) return Promise.resolve<EmitResult>({ ok: false, error: 'too many emits waiting for the page' });
  const port = hookPort;
  return new Promise<EmitResult>((resolve) => {
    const timer = setTimeout(() => {
      emits.delete(id);
      resolve({ ok: false, error: 'the page hook did not answer' });
    }, EMIT_TIMEOUT_MS);
    emits.set(id, (r) => {
      clearTimeout(timer);
      resolve(r);
    });
    port.postMessage({ type: 'relay/emit', key: emitKey, id, c, packet } satisfies ContentToHook);
  });
});

const pageMessage = (): ContentToBackground => ({
  type: 'content/page',
  pageId,
  batch: UNSENT,
  url: redactUrl(location.href).slice(0, MAX_URL),
});
enqueue(pageMessage());
// A page restored from the back/forward cache is shown again without loading: say so, as a load would.
// The Port to the background did not survive the cache, and says nothing (Chromium): a new one is made. A
// send in flight when the page entered the cache is never answered: it goes again.
// Only the browser's own event: the page can dispatch a pageshow of its own.
window.addEventListener('pageshow', (ev) => {
  if (!ev.persisted || !ev.isTrusted) return;
  dropPort();
  abandon?.();
  enqueue(pageMessage());
});
window.dispatchEvent(new Event(RELAY_READY_EVENT));
