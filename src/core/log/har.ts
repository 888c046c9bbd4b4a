// Chrome HAR files: the WebSocket messages DevTools keeps in `_webSocketMessages` of Socket.IO
// connections (URL with EIO=3 or EIO=4), decoded by the same pipeline as live capture (TabCapture).
// The HAR is untrusted JSON: every field read is checked, counts are bounded.
import type { HookConnection, HookFrame } from '../messages';
import { TabCapture } from '../model/capture';
import type { CapturedEvent } from '../model/event';
import { redactUrl } from '../wire/redact';
import { LOG_FORMAT, LOG_VERSION, isoTime, type LogHeader } from './format';

export interface HarIssue {
  path: string;
  message: string;
}

export interface HarResult {
  header: LogHeader;
  events: CapturedEvent[];
  issues: HarIssue[];
  /** Issues beyond those kept. */
  issueCount: number;
}

export type HarRead = { ok: true; value: HarResult } | { ok: false; issue: HarIssue };

const MAX_ENTRIES = 100_000;
const MAX_ISSUES = 100;
const EIO = /[?&]EIO=([34])(?:&|$)/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function isHar(root: unknown): boolean {
  return isObj(root) && isObj(root.log) && Array.isArray(root.log.entries);
}

export function readHar(root: unknown, tool: LogHeader['tool'], now = Date.now()): HarRead {
  if (!isHar(root)) return { ok: false, issue: { path: '$.log.entries', message: 'not a HAR: no log.entries array' } };
  const log = (root as { log: Obj }).log;
  const entries = log.entries as unknown[];
  if (entries.length > MAX_ENTRIES) return { ok: false, issue: { path: '$.log.entries', message: `more than ${MAX_ENTRIES} entries` } };
  const issues: HarIssue[] = [];
  let issueCount = 0;
  const issue = (path: string, message: string): void => {
    issueCount++;
    if (issues.length < MAX_ISSUES) issues.push({ path, message });
  };

  const conns: HookConnection[] = [];
  const frames: (HookFrame & { order: number })[] = [];
  let withMessages = 0;
  let pageOrigin: string | null = null;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const at = `$.log.entries[${i}]`;
    if (!isObj(e)) {
      issue(at, 'entry is not an object');
      continue;
    }
    const msgs = e._webSocketMessages;
    if (msgs === undefined) continue;
    withMessages++;
    const url = isObj(e.request) && typeof e.request.url === 'string' ? e.request.url : undefined;
    if (url === undefined) {
      issue(`${at}.request.url`, 'missing');
      continue;
    }
    if (!EIO.test(url)) continue; // a WebSocket that is not Engine.IO
    if (!Array.isArray(msgs)) {
      issue(`${at}._webSocketMessages`, 'not an array');
      continue;
    }
    if (pageOrigin === null) pageOrigin = originOf(url);
    const c = conns.length + 1;
    conns.push({ c, url: redactUrl(url), transport: 'websocket' });
    for (let j = 0; j < msgs.length; j++) {
      const m = msgs[j];
      const mat = `${at}._webSocketMessages[${j}]`;
      if (!isObj(m)) {
        issue(mat, 'message is not an object');
        continue;
      }
      if (m.type !== 'send' && m.type !== 'receive') {
        issue(`${mat}.type`, 'expected "send" or "receive"');
        continue;
      }
      if (typeof m.time !== 'number' || !Number.isFinite(m.time)) {
        issue(`${mat}.time`, 'expected a number (seconds)');
        continue;
      }
      if (typeof m.data !== 'string') {
        issue(`${mat}.data`, 'expected a string');
        continue;
      }
      const opcode = m.opcode ?? 1;
      if (opcode !== 1 && opcode !== 2) continue; // control frames
      frames.push({ c, t: m.time * 1000, d: m.type === 'send' ? 'out' : 'in', x: opcode === 1 ? m.data : { b64: m.data }, order: frames.length });
    }
  }
  if (withMessages === 0)
    return {
      ok: false,
      issue: {
        path: '$.log.entries',
        message: `HAR without WebSocket data: none of its ${entries.length} entries has _webSocketMessages (save it from Chromium's Network panel with the WebSocket connection listed)`,
      },
    };
  if (conns.length === 0)
    return { ok: false, issue: { path: '$.log.entries', message: `${withMessages} WebSocket entries, none of them Socket.IO (no EIO=3 or EIO=4 in the URL)` } };

  // Connections interleave in time: one capture sees their frames in time order.
  frames.sort((a, b) => a.t - b.t || a.order - b.order);
  const capture = new TabCapture();
  const events: CapturedEvent[] = [];
  const plain: HookFrame[] = frames.map(({ c, t, d, x }) => ({ c, t, d, x }));
  const unnumbered = capture.ingest('har', conns, plain, 1);
  for (const u of unnumbered) events.push({ seq: events.length + 1, ...u });

  const creator = isObj(log.creator) && typeof log.creator.name === 'string' ? `${log.creator.name.slice(0, 100)}${typeof log.creator.version === 'string' ? ' ' + log.creator.version.slice(0, 40) : ''}` : 'unknown';
  const header: LogHeader = {
    format: LOG_FORMAT,
    version: LOG_VERSION,
    tool,
    browser: `HAR: ${creator}`,
    origin: pageOrigin,
    capture: { start: isoTime(frames[0]?.t), end: isoTime(frames[frames.length - 1]?.t) },
    exported: isoTime(now) ?? new Date(0).toISOString(),
    redacted: true,
    anonymized: false,
    raw: true,
    filter: null,
    eventCount: events.length,
    connections: conns.map((c) => ({ conn: c.c, url: c.url, transport: c.transport })),
  };
  return { ok: true, value: { header, events, issues, issueCount } };
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}
