// The one message union every extension context shares, named by direction, with the
// validators each receiver runs on what crosses into it. Validation is valibot: no eval.
import * as v from 'valibot';
import type { CapturedEvent } from './model/event';
import type { Direction, Transport } from './wire/types';

export const PROTOCOL_VERSION = 1;

// ---- page hook → content relay (private MessagePort; the page could still forge one) ----

/** DOM event (a MessageEvent carrying the port) by which the hook hands its MessagePort to the relay. */
export const HOOK_PORT_EVENT = 'spaces-devtools:hook-port';
/** DOM event the relay dispatches when it starts, so a hook that started first hands its port again. */
export const RELAY_READY_EVENT = 'spaces-devtools:relay-ready';
/** The relay's answer on the port once it accepted it. */
export const RELAY_ACK = 'relay/ack';

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
}

/** Workers the page can start: their sockets live outside the page's world, where the hook cannot see. */
export type WorkerKind = 'Worker' | 'SharedWorker';

export type HookToContent =
  | { type: 'hook/batch'; conns: HookConnection[]; frames: HookFrame[] }
  | { type: 'hook/notice'; text: string }
  /** The page constructed a worker (nothing more is known or kept about it). */
  | { type: 'hook/worker'; kind: WorkerKind };

// ---- content relay → background (runtime.sendMessage, answered with BackgroundAck) ----

/**
 * `batch` numbers a relay's messages in the order sent (1, 2, …, per page): a message sent again after a
 * lost acknowledgement is recognised and not taken twice.
 */
export type ContentToBackground =
  /** A relay's hello: its page's address. Which frame it runs in, the background learns from the browser. */
  | { type: 'content/page'; pageId: string; batch: number; url: string }
  | { type: 'content/frames'; pageId: string; batch: number; conns: HookConnection[]; frames: HookFrame[] }
  | { type: 'content/notice'; pageId: string; batch: number; text: string }
  | { type: 'content/worker'; pageId: string; batch: number; kind: WorkerKind };

export type BackgroundAck = { ok: true } | { ok: false; error: string };

// ---- panel ↔ background (runtime Port named PANEL_PORT) ----

export const PANEL_PORT = 'spaces-devtools-panel';

export type PanelToBackground =
  | { type: 'panel/subscribe'; tabId: number; since: number }
  | { type: 'panel/clear'; tabId: number };

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
  /** Frames rejected by the relay or background as malformed messages. */
  rejected: number;
  pageUrl?: string;
  /** Socket.IO connections seen on the current page load (its top frame and sub-frames). */
  connections: number;
  /** Workers (dedicated and shared) the current page and its frames started: their sockets can't be captured. */
  workers?: number;
  notices: string[];
}

export type BackgroundToPanel =
  | { type: 'bg/events'; tabId: number; events: CapturedEvent[]; reset: boolean }
  | { type: 'bg/status'; status: TabStatus };

// ---- validators ----

const MAX_TEXT = 64 * 1024 * 1024;
const finite = v.pipe(v.number(), v.finite());
const uint = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

const HookConnectionSchema = v.strictObject({
  c: uint,
  url: v.pipe(v.string(), v.maxLength(8192)),
  transport: v.picklist(['websocket', 'polling']),
});

const HookFrameSchema = v.strictObject({
  c: uint,
  t: finite,
  d: v.picklist(['in', 'out']),
  x: v.union([
    v.pipe(v.string(), v.maxLength(MAX_TEXT)),
    v.strictObject({ b64: v.pipe(v.string(), v.maxLength(MAX_TEXT)) }),
  ]),
});

const MAX_BATCH = 10_000;
const conns = v.pipe(v.array(HookConnectionSchema), v.maxLength(MAX_BATCH));
const frames = v.pipe(v.array(HookFrameSchema), v.maxLength(MAX_BATCH));
const pageId = v.pipe(v.string(), v.maxLength(64));
const workerKind = v.picklist(['Worker', 'SharedWorker']);

export const HookToContentSchema = v.variant('type', [
  v.strictObject({ type: v.literal('hook/batch'), conns, frames }),
  v.strictObject({ type: v.literal('hook/notice'), text: v.pipe(v.string(), v.maxLength(1000)) }),
  v.strictObject({ type: v.literal('hook/worker'), kind: workerKind }),
]);

export const ContentToBackgroundSchema = v.variant('type', [
  v.strictObject({
    type: v.literal('content/page'),
    pageId,
    batch: uint,
    url: v.pipe(v.string(), v.maxLength(8192)),
  }),
  v.strictObject({ type: v.literal('content/frames'), pageId, batch: uint, conns, frames }),
  v.strictObject({ type: v.literal('content/notice'), pageId, batch: uint, text: v.pipe(v.string(), v.maxLength(1000)) }),
  v.strictObject({ type: v.literal('content/worker'), pageId, batch: uint, kind: workerKind }),
]);

export const PanelToBackgroundSchema = v.variant('type', [
  v.strictObject({ type: v.literal('panel/subscribe'), tabId: uint, since: uint }),
  v.strictObject({ type: v.literal('panel/clear'), tabId: uint }),
]);

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

function check<T>(schema: v.GenericSchema<unknown, T>, input: unknown): Checked<T> {
  const r = v.safeParse(schema, input);
  if (r.success) return { ok: true, value: r.output };
  const issue = r.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return { ok: false, error: `${path ? path + ': ' : ''}${issue.message}` };
}

export const checkHookToContent = (m: unknown): Checked<HookToContent> => check(HookToContentSchema, m);
export const checkContentToBackground = (m: unknown): Checked<ContentToBackground> =>
  check(ContentToBackgroundSchema, m);
export const checkPanelToBackground = (m: unknown): Checked<PanelToBackground> => check(PanelToBackgroundSchema, m);
