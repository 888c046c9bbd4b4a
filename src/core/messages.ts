// The one message union every extension context shares, named by direction, with the
// validators each receiver runs on what crosses into it. Validation is valibot: no eval.
import * as v from 'valibot';
import type { CapturedEvent } from './model/event';
import type { Direction, Transport } from './wire/types';
import { MAX_EMIT, checkEventPacket } from './compose/frame';

export const PROTOCOL_VERSION = 1;

// ---- page hook → content relay (private MessagePort; the page could still forge one) ----

/** DOM event (a MessageEvent carrying the port) by which the hook hands its MessagePort to the relay. */
export const HOOK_PORT_EVENT = 'spaces-devtools:hook-port';
/** DOM event the relay dispatches when it starts, so a hook that started first hands its port again. */
export const RELAY_READY_EVENT = 'spaces-devtools:relay-ready';
/** The relay's answer on the port once it accepted it. */
export const RELAY_ACK = 'relay/ack';
/**
 * DOM event by which the hook hands its last batch to the relay as the page goes away (pagehide): a port's
 * message would be delivered after the page is gone, a DOM event is handled at once. Its detail is a JSON
 * string `{ key, msg }`, `key` the one-time secret of relay/leave, `msg` a HookToContent.
 */
export const HOOK_LEAVE_EVENT = 'spaces-devtools:hook-leave';
/** The longest hand-off the relay reads (a larger last batch goes by the port, as any batch). */
export const MAX_LEAVE_CHARS = 16 * 1024 * 1024;

export interface HookConnection {
  /** Connection id, unique within the page load. */
  c: number;
  url: string;
  transport: Transport;
}

/** Binary data travels as base64: Chrome's runtime messaging is JSON. */
export interface Base64Data {
  b64: string;
}

export interface HookFrame {
  c: number;
  t: number;
  d: Direction;
  x: string | Base64Data;
  /** Trace (only while it is on): the stack of the page code that sent it, bounded by MAX_TRACE. */
  s?: string;
  /** The hook wrote it for the panel's emit. */
  p?: true;
}

/** Longest trace a frame carries (characters). */
export const MAX_TRACE = 8000;

/**
 * A socket's life event as the hook saw it: the page started it (a WebSocket, a polling session's first
 * request), WebSocket open / close (code, reason, wasClean) / error; for
 * polling, a request that failed (`status` 0 when no response, else the HTTP status).
 */
export interface HookLife {
  c: number;
  t: number;
  e: 'start' | 'open' | 'close' | 'error';
  code?: number;
  reason?: string;
  clean?: boolean;
  status?: number;
}

/** Longest close reason kept (a WebSocket's is at most 123 bytes; the page could claim more). */
export const MAX_REASON = 300;

/** A frame as the relay forwards it: one too long to decode is cut to its start, `n` its length. */
export interface RelayFrame extends HookFrame {
  n?: number;
}

/**
 * A batch's frames as flat lists, cheap to clone across contexts (no object per frame): frame i is
 * data[i] (text, or base64 for binary) with meta[3i] its connection id, meta[3i + 1] its time (ms) and
 * meta[3i + 2] its kind (FrameKind).
 */
export interface FlatFrames {
  meta: number[];
  data: string[];
  /** Trace: the stacks of the frames sent while it is on, by index in `data`. */
  traces?: FrameTrace[];
  /** The indices in `data` (increasing) of the frames the hook wrote for the panel's emit. */
  panel?: number[];
}

export interface FrameTrace {
  i: number;
  s: string;
}

/** A frame's kind: bit 0 set for a frame the page sent, bit 1 for binary (data in base64). */
export const FRAME_OUT = 1;
export const FRAME_BINARY = 2;

/** Workers the page can start: their sockets live outside the page's world, where the hook cannot see. */
export type WorkerKind = 'Worker' | 'SharedWorker';

export type HookToContent =
  | ({ type: 'hook/batch'; conns: HookConnection[]; life?: HookLife[] } & FlatFrames)
  /** Frames the hook dropped while no relay had answered (its bound). */
  | { type: 'hook/dropped'; frames: number }
  /** The page constructed a worker (nothing more is known or kept about it). */
  | { type: 'hook/worker'; kind: WorkerKind }
  /** The answer to a relay/emit: whether the frame was written on the page's socket. */
  | { type: 'hook/emitted'; id: number; ok: boolean; error?: string };

// ---- content relay → page hook (the same private port) ----

/**
 * The panel's emit, handed on. `key` is the per-load secret the relay gave the hook (relay/key, once,
 * right after its ack): the hook writes nothing for a message without it. `c` is the hook's connection.
 */
export type ContentToHook =
  | { type: 'relay/key'; key: string }
  | { type: 'relay/emit'; key: string; id: number; c: number; packet: string }
  /** Trace on or off (the panel's setting, which the relay reads from the extension's storage). */
  | { type: 'relay/trace'; key: string; on: boolean }
  /** Whether a Spaces panel shows the tab (bg/watched, handed on): while none does, a slow page's batches wait longer. */
  | { type: 'relay/watched'; key: string; on: boolean }
  /** The one-time secret the next HOOK_LEAVE_EVENT must carry (a new one after each hand-off). */
  | { type: 'relay/leave'; key: string; leave: string };

// ---- background → content relay (tabs.sendMessage to the inspected tab's top frame) ----

export type BackgroundToContent = { type: 'bg/emit'; id: number; c: number; packet: string };
export type EmitResult = { ok: true } | { ok: false; error: string };

/** A relay's page id: when the relay started (ms, base 36), and a random part. */
export const newPageId = (): string => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** When the relay that made `pageId` started; undefined for an id newPageId does not make. */
export function pageStarted(pageId: string): number | undefined {
  const m = /^([0-9a-z]{1,11})-[0-9a-z]{0,16}$/.exec(pageId);
  return m ? parseInt(m[1]!, 36) : undefined;
}

// ---- content relay → background (a long-lived runtime Port named CONTENT_PORT, each message answered on it with a BackgroundAck) ----

/**
 * The relay's Port to the background: one per relay, reconnected when the service worker stopped. Cheaper
 * for the page's thread than a runtime.sendMessage per batch (each opens and closes a message channel).
 */
export const CONTENT_PORT = 'spaces-devtools-content';

/**
 * `batch` numbers a relay's messages in the order sent (1, 2, …, per page): a message sent again after a
 * lost acknowledgement is recognised and not taken twice.
 */
export type ContentToBackground =
  /** A relay's hello: its page's address. Which frame it runs in, the background learns from the browser. */
  | { type: 'content/page'; pageId: string; batch: number; url: string }
  /** `cut`: pairs of a frame's index and its length, for the frames cut to their start (see RelayFrame.n). */
  | ({ type: 'content/frames'; pageId: string; batch: number; conns: HookConnection[]; cut: number[]; life?: HookLife[] } & FlatFrames)
  /** `dropped` frames and `rejected` ones (or messages) the relay could not forward, said in `text`. */
  | { type: 'content/notice'; pageId: string; batch: number; text: string; dropped?: number; rejected?: number }
  | { type: 'content/worker'; pageId: string; batch: number; kind: WorkerKind };

/** `batch`: the number of the message answered (absent for one without a number: malformed). */
export type BackgroundAck = ({ ok: true } | { ok: false; error: string }) & { batch?: number };

/**
 * What the background posts on a relay's Port: the answers, and whether a Spaces panel shows the tab
 * (told when the Port is made and whenever it changes).
 */
export type BackgroundToRelay = BackgroundAck | { type: 'bg/watched'; on: boolean };

// ---- panel ↔ background (runtime Port named PANEL_PORT) ----

export const PANEL_PORT = 'spaces-devtools-panel';

export type PanelToBackground =
  | { type: 'panel/subscribe'; tabId: number; since: number }
  | { type: 'panel/clear'; tabId: number }
  /**
   * A person's emit from the composer: `packet` (a Socket.IO EVENT, see core/compose/frame.ts) written on
   * connection `conn` of the subscribed tab's top frame. Answered with bg/emitted of the same id.
   */
  | { type: 'panel/emit'; id: number; conn: number; packet: string };

export interface TabStatus {
  tabId: number;
  /** Events held for the tab now. */
  count: number;
  bytes: number;
  /** Events dropped (oldest first) to stay within the bounds, since the last clear. */
  dropped: number;
  /** Of `dropped`, those dropped because the browser's storage for the extension was full. */
  droppedFull: number;
  /** Seq of the tab's newest event (seqs are contiguous): the last clear came after seq lastSeq - count - dropped. */
  lastSeq: number;
  /** Frames (or messages) rejected by the relay or background as malformed. */
  rejected: number;
  /** Frames the tab's relays (and hooks) dropped before the background got them. */
  relayDropped?: number;
  /** Connection records forgotten (the least recently active first) beyond the tab's bound. */
  connectionsPruned?: number;
  pageUrl?: string;
  /** Seq of the first event of each recent top-level page load (MAX_LOADS at most), oldest first. */
  loadSeqs?: number[];
  /** The page URL of each load in loadSeqs (redacted), in step with it. */
  loadUrls?: string[];
  /** Socket.IO connections seen on the current page load (its top frame and sub-frames). */
  connections: number;
  /** Workers (dedicated and shared) the current page and its frames started: their sockets can't be captured. */
  workers?: number;
  notices: string[];
}

export type BackgroundToPanel =
  | { type: 'bg/events'; tabId: number; events: CapturedEvent[]; reset: boolean }
  | { type: 'bg/status'; status: TabStatus }
  | { type: 'bg/emitted'; tabId: number; id: number; ok: boolean; error?: string };

// ---- validators ----

const MAX_TEXT = 64 * 1024 * 1024;
/** Longest URL the background takes (the relay redacts first, then refuses a connection whose URL is longer). */
export const MAX_URL = 8192;
/** Longest notice text the background takes. */
export const MAX_NOTICE = 1000;
/** Page loads a tab's status tells the seq of. */
export const MAX_LOADS = 50;
const finite = v.pipe(v.number(), v.finite());
const uint = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

const transport = v.picklist(['websocket', 'polling']);
/** From the page, the URL is checked once redacted (a long token may be what makes it long). */
const HookConnectionSchema = v.strictObject({ c: uint, url: v.pipe(v.string(), v.maxLength(MAX_TEXT)), transport });
const RelayConnectionSchema = v.strictObject({ c: uint, url: v.pipe(v.string(), v.maxLength(MAX_URL)), transport });

/** A traced frame's stack, by its index in the batch's flat frames (only while Trace is on: a few per batch). */
const FrameTraceSchema = v.strictObject({ i: uint, s: v.pipe(v.string(), v.maxLength(MAX_TRACE)) });
const HookLifeSchema = v.strictObject({
  c: uint,
  t: finite,
  e: v.picklist(['start', 'open', 'close', 'error']),
  code: v.optional(uint),
  reason: v.optional(v.pipe(v.string(), v.maxLength(MAX_REASON))),
  clean: v.optional(v.boolean()),
  status: v.optional(uint),
});

/** Most connections, or frames, in one message. */
export const MAX_BATCH = 10_000;
const list = <T extends v.GenericSchema>(item: T) => v.pipe(v.array(item), v.maxLength(MAX_BATCH));

/**
 * Flat frames (FlatFrames) checked with one loop over plain values rather than a schema per frame: at most
 * MAX_BATCH frames, data strings of at most MAX_TEXT characters, ids safe non-negative integers, times
 * finite, kinds 0–3. Index reads only: whatever else a forged array carries is never read.
 */
export function isFlatFrames(meta: unknown, data: unknown): boolean {
  if (!Array.isArray(meta) || !Array.isArray(data)) return false;
  const n = data.length;
  if (n > MAX_BATCH || meta.length !== n * 3) return false;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const x: unknown = data[i];
    const c: unknown = meta[j];
    const t: unknown = meta[j + 1];
    const k: unknown = meta[j + 2];
    if (typeof x !== 'string' || x.length > MAX_TEXT) return false;
    if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0) return false;
    if (typeof t !== 'number' || !Number.isFinite(t)) return false;
    if (k !== 0 && k !== 1 && k !== 2 && k !== 3) return false;
  }
  return true;
}

/** `cut` of a relay's frames: pairs of an index below `frames` in increasing order and a length. */
function isCut(cut: unknown, frames: number): boolean {
  if (!Array.isArray(cut) || cut.length % 2 !== 0 || cut.length > frames * 2) return false;
  for (let i = 0, last = -1; i < cut.length; i += 2) {
    const at: unknown = cut[i];
    const n: unknown = cut[i + 1];
    if (typeof at !== 'number' || !Number.isInteger(at) || at <= last || at >= frames) return false;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return false;
    last = at;
  }
  return true;
}

/** `panel` of a batch: indices, in increasing order, of frames the page sent (kind FRAME_OUT). */
export function isPanelMarks(panel: unknown, meta: readonly unknown[], frames: number): boolean {
  if (!Array.isArray(panel) || panel.length > frames) return false;
  for (let i = 0, last = -1; i < panel.length; i++) {
    const at: unknown = panel[i];
    if (typeof at !== 'number' || !Number.isInteger(at) || at <= last || at >= frames) return false;
    if (((meta[at * 3 + 2] as number) & FRAME_OUT) === 0) return false;
    last = at;
  }
  return true;
}

/** An array taken as it is (v.array would walk and copy it): isFlatFrames, isCut and isPanelMarks check its items. */
const anyArray = v.custom<unknown[]>((x) => Array.isArray(x));
const flatFields = { meta: anyArray, data: anyArray, traces: v.optional(list(FrameTraceSchema)), panel: v.optional(anyArray) };

const pageId = v.pipe(v.string(), v.maxLength(64));
const workerKind = v.picklist(['Worker', 'SharedWorker']);

export const HookToContentSchema = v.variant('type', [
  v.strictObject({ type: v.literal('hook/batch'), conns: list(HookConnectionSchema), life: v.optional(list(HookLifeSchema)), ...flatFields }),
  v.strictObject({ type: v.literal('hook/dropped'), frames: uint }),
  v.strictObject({ type: v.literal('hook/worker'), kind: workerKind }),
  v.strictObject({ type: v.literal('hook/emitted'), id: uint, ok: v.boolean(), error: v.optional(v.pipe(v.string(), v.maxLength(MAX_NOTICE))) }),
]);

/** An emit's packet: a Socket.IO EVENT within MAX_EMIT (checkEventPacket). */
const emitPacket = v.pipe(v.string(), v.maxLength(MAX_EMIT), v.check((p) => checkEventPacket(p) === undefined, 'not an emittable Socket.IO EVENT'));

export const BackgroundToContentSchema = v.strictObject({ type: v.literal('bg/emit'), id: uint, c: uint, packet: emitPacket });

export const ContentToBackgroundSchema = v.variant('type', [
  v.strictObject({
    type: v.literal('content/page'),
    pageId,
    batch: uint,
    url: v.pipe(v.string(), v.maxLength(MAX_URL)),
  }),
  v.strictObject({ type: v.literal('content/frames'), pageId, batch: uint, conns: list(RelayConnectionSchema), cut: anyArray, life: v.optional(list(HookLifeSchema)), ...flatFields }),
  v.strictObject({
    type: v.literal('content/notice'),
    pageId,
    batch: uint,
    text: v.pipe(v.string(), v.maxLength(MAX_NOTICE)),
    dropped: v.optional(uint),
    rejected: v.optional(uint),
  }),
  v.strictObject({ type: v.literal('content/worker'), pageId, batch: uint, kind: workerKind }),
]);

export const PanelToBackgroundSchema = v.variant('type', [
  v.strictObject({ type: v.literal('panel/subscribe'), tabId: uint, since: uint }),
  v.strictObject({ type: v.literal('panel/clear'), tabId: uint }),
  v.strictObject({ type: v.literal('panel/emit'), id: uint, conn: uint, packet: emitPacket }),
]);

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** Most characters of an error, which quotes page data (keys, values), that a notice carries. */
const MAX_ERROR = 300;

function check<T>(schema: v.GenericSchema<unknown, T>, input: unknown): Checked<T> {
  const r = v.safeParse(schema, input);
  if (r.success) return { ok: true, value: r.output };
  const issue = r.issues[0];
  const path = issue.path?.map((p) => excerpt(String(p.key), 40)).join('.') ?? '';
  return { ok: false, error: excerpt(`${path ? path + ': ' : ''}${issue.message}`, MAX_ERROR) };
}

/**
 * Page text fit for a notice: at most `max` characters, control, format and lone surrogate characters
 * escaped (\uXXXX), cut with "…" when longer.
 */
export function excerpt(text: string, max: number): string {
  const escaped = text.slice(0, max).replace(/[\p{Cc}\p{Cf}\p{Co}\p{Zl}\p{Zp}]|\p{Cs}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (text.length <= max && escaped.length <= max) return escaped;
  // Not ending on half of a surrogate pair.
  return `${escaped.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
}

/** A message checked by its schema, then its flat frames (and `cut`) by one loop each. */
function checkFlat<T>(schema: v.GenericSchema, m: unknown): Checked<T> {
  const r = check(schema, m);
  if (!r.ok) return r;
  const x = r.value as { meta?: unknown; data?: unknown; cut?: unknown; panel?: unknown };
  if (x.data === undefined) return r as Checked<T>;
  if (!isFlatFrames(x.meta, x.data)) return { ok: false, error: 'meta, data: not flat frames' };
  if (x.cut !== undefined && !isCut(x.cut, (x.data as unknown[]).length)) return { ok: false, error: 'cut: not pairs of a frame and its length' };
  if (x.panel !== undefined && !isPanelMarks(x.panel, x.meta as unknown[], (x.data as unknown[]).length)) return { ok: false, error: 'panel: not indices of sent frames in order' };
  const traces = (r.value as { traces?: FrameTrace[] }).traces;
  if (traces?.some((t) => t.i >= (x.data as unknown[]).length)) return { ok: false, error: 'traces: a frame index past the batch' };
  return r as Checked<T>;
}

export const checkHookToContent = (m: unknown): Checked<HookToContent> => checkFlat(HookToContentSchema, m);
export const checkContentToBackground = (m: unknown): Checked<ContentToBackground> => checkFlat(ContentToBackgroundSchema, m);
export const checkPanelToBackground = (m: unknown): Checked<PanelToBackground> => check(PanelToBackgroundSchema, m);
export const checkBackgroundToContent = (m: unknown): Checked<BackgroundToContent> => check(BackgroundToContentSchema, m);
