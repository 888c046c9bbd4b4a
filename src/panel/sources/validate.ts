// Shape checks for what the background sends the panel. The background is ours, but its data came
// from a page: check every field the panel reads before the UI touches it.
import type { CapturedEvent } from '../../core/model/event';
import { PAIRED_BY } from '../../core/spaces/types';
import { MAX_LOADS, MAX_TRACE, MAX_URL, type TabStatus } from '../../core/messages';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isUint = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown): boolean => v === undefined || typeof v === 'string';

const ENGINE_TYPES = new Set(['open', 'close', 'ping', 'pong', 'upgrade', 'noop']);
const SOCKET_TYPES = new Set(['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK']);

function isRaw(v: unknown): boolean {
  return (
    isObj(v) &&
    isStr(v.text) &&
    isUint(v.length) &&
    typeof v.truncated === 'boolean' &&
    (v.binary === undefined || typeof v.binary === 'boolean')
  );
}

function isHandshake(v: unknown): boolean {
  return (
    isObj(v) &&
    isStr(v.sid) &&
    Array.isArray(v.upgrades) &&
    v.upgrades.every(isStr) &&
    isFinite(v.pingInterval) &&
    isFinite(v.pingTimeout)
  );
}

function isRecord(v: unknown): boolean {
  if (!isObj(v)) return false;
  if (!isUint(v.conn) || !isFinite(v.t) || (v.dir !== 'in' && v.dir !== 'out')) return false;
  if (v.transport !== 'websocket' && v.transport !== 'polling') return false;
  if (!isRaw(v.raw)) return false;
  switch (v.kind) {
    case 'engine':
      return (
        isStr(v.type) &&
        ENGINE_TYPES.has(v.type) &&
        optStr(v.data) &&
        (v.handshake === undefined || isHandshake(v.handshake))
      );
    case 'error':
      return isStr(v.error);
    case 'life':
      return (
        (v.life === 'start' || v.life === 'open' || v.life === 'close' || v.life === 'error') &&
        optStr(v.url) &&
        (v.code === undefined || isUint(v.code)) &&
        optStr(v.reason) &&
        (v.clean === undefined || typeof v.clean === 'boolean') &&
        (v.status === undefined || isUint(v.status))
      );
    case 'socket': {
      const p = v.packet;
      return (
        isObj(p) &&
        isStr(p.type) &&
        SOCKET_TYPES.has(p.type) &&
        isStr(p.nsp) &&
        Array.isArray(p.args) &&
        optStr(p.query) &&
        optStr(p.event) &&
        (p.id === undefined || isUint(p.id)) &&
        (p.attachments === undefined || isUint(p.attachments))
      );
    }
    default:
      return false;
  }
}

const OUTCOMES = new Set(['echo', 'failed', 'ack', 'subscribed', 'unsubscribed']);

function isReply(v: unknown): boolean {
  return (
    v === undefined ||
    (isObj(v) &&
      isUint(v.toSeq) &&
      isFinite(v.rttMs) &&
      isStr(v.outcome) &&
      OUTCOMES.has(v.outcome) &&
      (v.by === undefined || (isStr(v.by) && (PAIRED_BY as readonly string[]).includes(v.by))) &&
      optStr(v.topicId))
  );
}

function isChannel(v: unknown): boolean {
  return (
    v === undefined ||
    (isObj(v) && optStr(v.id) && optStr(v.type) && (v.password === undefined || v.password === '[redacted]'))
  );
}

function isSpaces(v: unknown): boolean {
  if (!isObj(v)) return false;
  const s = v.sender;
  return (
    isStr(v.event) &&
    typeof v.known === 'boolean' &&
    isStr(v.summary) &&
    Array.isArray(v.issues) &&
    v.issues.every((i) => isObj(i) && isStr(i.path) && isStr(i.message)) &&
    optStr(v.category) &&
    optStr(v.topicId) &&
    optStr(v.topicTitle) &&
    optStr(v.topicType) &&
    optStr(v.itemId) &&
    optStr(v.loopback) &&
    (s === undefined ||
      (isObj(s) && optStr(s.id) && optStr(s.displayName) && optStr(s.username) && optStr(s.type) && optStr(s.pictureUrl))) &&
    isReply(v.reply) &&
    isChannel(v.channel) &&
    optStr(v.error)
  );
}

export function isCapturedEvent(v: unknown): v is CapturedEvent {
  return (
    isObj(v) &&
    isUint(v.seq) &&
    v.seq > 0 &&
    isRecord(v.record) &&
    (v.spaces === undefined || isSpaces(v.spaces)) &&
    (v.frame === undefined || (isStr(v.frame) && v.frame.length <= 1000)) &&
    (v.trace === undefined || (isStr(v.trace) && v.trace.length <= MAX_TRACE)) &&
    (v.fromPanel === undefined || v.fromPanel === true)
  );
}

export function isTabStatus(v: unknown): v is TabStatus {
  return (
    isObj(v) &&
    isUint(v.tabId) &&
    isUint(v.count) &&
    isUint(v.bytes) &&
    isUint(v.dropped) &&
    isUint(v.droppedFull) &&
    v.droppedFull <= v.dropped &&
    isUint(v.lastSeq) &&
    v.count + v.dropped <= v.lastSeq &&
    isUint(v.rejected) &&
    isUint(v.connections) &&
    (v.loadSeqs === undefined || (Array.isArray(v.loadSeqs) && v.loadSeqs.length <= MAX_LOADS && v.loadSeqs.every(isUint))) &&
    (v.loadUrls === undefined || (Array.isArray(v.loadUrls) && v.loadUrls.length <= MAX_LOADS && v.loadUrls.every((u) => isStr(u) && u.length <= MAX_URL))) &&
    (v.workers === undefined || isUint(v.workers)) &&
    (v.relayDropped === undefined || isUint(v.relayDropped)) &&
    (v.connectionsPruned === undefined || isUint(v.connectionsPruned)) &&
    optStr(v.pageUrl) &&
    Array.isArray(v.notices) &&
    v.notices.every(isStr)
  );
}

export type PanelMessage =
  | { type: 'events'; events: CapturedEvent[]; reset: boolean; malformed: number }
  | { type: 'status'; status: TabStatus }
  | { type: 'emitted'; id: number; ok: boolean; error?: string };

/**
 * Reads one background message for tab `tabId`. Returns null when the message is unusable;
 * a batch keeps its well-formed events and counts the others as malformed.
 */
export function readPanelMessage(msg: unknown, tabId: number): PanelMessage | null {
  if (!isObj(msg)) return null;
  if (msg.type === 'bg/events') {
    if (msg.tabId !== tabId || typeof msg.reset !== 'boolean' || !Array.isArray(msg.events)) return null;
    const events: CapturedEvent[] = [];
    let malformed = 0;
    for (const ev of msg.events) {
      if (isCapturedEvent(ev)) events.push(ev);
      else malformed++;
    }
    return { type: 'events', events, reset: msg.reset, malformed };
  }
  if (msg.type === 'bg/status') {
    if (!isTabStatus(msg.status) || msg.status.tabId !== tabId) return null;
    return { type: 'status', status: msg.status };
  }
  if (msg.type === 'bg/emitted') {
    if (msg.tabId !== tabId || !isUint(msg.id) || typeof msg.ok !== 'boolean' || !optStr(msg.error)) return null;
    return msg.ok ? { type: 'emitted', id: msg.id, ok: true } : { type: 'emitted', id: msg.id, ok: false, error: String(msg.error ?? 'failed').slice(0, 1000) };
  }
  return null;
}
