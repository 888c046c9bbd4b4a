// What one event shows in the list: short texts derived once per event and cached.
// Pure: no DOM, no browser API.
import type { CapturedEvent } from '../../core/model/event';
import { plainText } from '../../core/spaces/text';
import { lifeEventName, lifeText } from '../../core/connections/life';

export type RowKind = 'spaces' | 'socket' | 'engine' | 'error' | 'life';

export interface RowText {
  kind: RowKind;
  event: string;
  category: string;
  topic: string;
  sender: string;
  summary: string;
  /** The row carries a problem: a decode error or schema issues. */
  problem: 'error' | 'issues' | null;
}

const cache = new WeakMap<CapturedEvent, RowText>();

/** Engine packets hidden unless asked for: keep-alives and transport chatter, not open/close. */
const CHATTER = new Set(['ping', 'pong', 'upgrade', 'noop']);

/** Hidden with the keep-alives: engine chatter, and a socket's start and open (its handshake row shows the open). */
export function isEngineChatter(ev: CapturedEvent): boolean {
  const r = ev.record;
  return (r.kind === 'engine' && CHATTER.has(r.type)) || (r.kind === 'life' && (r.life === 'start' || r.life === 'open'));
}

export function rowText(ev: CapturedEvent): RowText {
  let r = cache.get(ev);
  if (!r) {
    r = describe(ev);
    cache.set(ev, r);
  }
  return r;
}

function describe(ev: CapturedEvent): RowText {
  const rec = ev.record;
  const s = ev.spaces;
  let kind: RowKind;
  let event: string;
  let summary: string;
  let problem: RowText['problem'] = null;
  if (rec.kind === 'error') {
    kind = 'error';
    event = 'decode error';
    summary = rec.error;
    problem = 'error';
  } else if (rec.kind === 'engine') {
    kind = 'engine';
    event = rec.type;
    summary = rec.handshake
      ? `sid ${rec.handshake.sid} · ping ${rec.handshake.pingInterval}/${rec.handshake.pingTimeout} ms` +
        (rec.handshake.upgrades.length ? ` · upgrades: ${rec.handshake.upgrades.join(', ')}` : '')
      : (rec.data ?? '');
  } else if (rec.kind === 'life') {
    kind = 'life';
    event = lifeEventName(rec);
    summary = lifeText(rec);
  } else if (s) {
    kind = 'spaces';
    // Packets that carry no event name (an ACK) are named by their type.
    event = s.event || rec.packet.type;
    summary = s.summary;
    if (s.issues.length) problem = 'issues';
  } else {
    kind = 'socket';
    const p = rec.packet;
    event = p.event ?? p.type;
    const nsp = p.nsp && p.nsp !== '/' ? `${p.nsp} ` : '';
    const args = p.type === 'CONNECT' || p.type === 'CONNECT_ERROR' ? (p.data ?? null) : p.args;
    const id = p.id === undefined ? '' : `#${p.id} `;
    summary = `${nsp}${id}${p.query ? `?${p.query} ` : ''}${preview(args, 200)}`.trim();
  }
  const category = s?.category ?? '';
  const topic = s?.topicTitle ?? s?.topicId ?? '';
  const snd = s?.sender;
  const sender = snd ? (snd.displayName ?? snd.username ?? snd.id ?? '') : '';
  return { kind, event, category, topic, sender, summary, problem };
}

/** Lower-cased text the search looks in (not cached: the panel's text index holds it). */
export function searchText(ev: CapturedEvent): string {
  const r = rowText(ev);
  const s = ev.spaces;
  // The topic id once: r.topic is the id itself when the event has no title.
  const id = s?.topicId && s.topicId !== r.topic ? s.topicId : '';
  return [r.event, r.category, r.topic, id, r.sender, s?.sender?.username ?? '', r.summary, ev.frame ?? '', ...contentTexts(ev)].join('\n').toLowerCase();
}

/** Which socket an event came by, as the panel tells them apart: connection number, and its frame when not the top one. */
export function connectionKey(ev: CapturedEvent): string {
  return `${ev.frame ?? ''} ${ev.record.conn}`;
}

/** "#2", or "#1 · localhost:8081" for a socket in a sub-frame (the host; the full label is in the title and the detail). */
export function connectionLabel(ev: CapturedEvent): string {
  return ev.frame ? `#${ev.record.conn} · ${frameHost(ev.frame)}` : `#${ev.record.conn}`;
}

/** The host of a frame label, or the label itself when it has none (about:blank, data:). */
export function frameHost(frame: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/]+)/i.exec(frame);
  return m ? m[1]! : frame;
}

type Obj = Record<string, unknown>;
const asObj = (x: unknown): Obj | undefined => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Obj) : undefined);

/** Text a person searches for in a Spaces payload: body text and description (as text), attachment names. */
export function contentTexts(ev: CapturedEvent): string[] {
  const rec = ev.record;
  if (rec.kind !== 'socket' || !ev.spaces) return [];
  const content = asObj(asObj(rec.packet.args[0])?.content);
  if (!content) return [];
  const out: string[] = [];
  for (const key of ['bodyText', 'description']) {
    const v = content[key];
    if (typeof v === 'string' && v) out.push(plainText(v, 2000));
  }
  const data = content.data;
  if (Array.isArray(data)) {
    for (const d of data.slice(0, 50)) {
      const name = asObj(d)?.name;
      if (typeof name === 'string') out.push(name.slice(0, 300));
    }
  }
  return out;
}

/** A one-line JSON-ish preview that stops after `max` characters, whatever the value's size. */
export function preview(value: unknown, max: number): string {
  const out: string[] = [];
  let len = 0;
  const put = (s: string): boolean => {
    out.push(s);
    len += s.length;
    return len < max;
  };
  const walk = (v: unknown, depth: number): boolean => {
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return put(String(v));
    if (typeof v === 'string') return put(JSON.stringify(v.length > max ? v.slice(0, max) : v));
    if (Array.isArray(v)) {
      if (depth > 4) return put('[…]');
      if (!put('[')) return false;
      for (let i = 0; i < v.length; i++) {
        if (i && !put(', ')) return false;
        if (!walk(v[i], depth + 1)) return false;
      }
      return put(']');
    }
    if (typeof v === 'object') {
      if (depth > 4) return put('{…}');
      if (!put('{')) return false;
      let first = true;
      for (const k of Object.keys(v)) {
        if (!first && !put(', ')) return false;
        first = false;
        if (!put(`${k}: `)) return false;
        if (!walk((v as Record<string, unknown>)[k], depth + 1)) return false;
      }
      return put('}');
    }
    return put(String(v));
  };
  walk(value, 0);
  const s = out.join('');
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/** Local time as HH:MM:SS.mmm. */
export function formatTime(t: number): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return '--:--:--.---';
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

const numberFormat = new Intl.NumberFormat('en-US');
export const formatCount = (n: number): string => numberFormat.format(n);
