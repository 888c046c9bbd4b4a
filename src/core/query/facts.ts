// What a query looks at in one event, beyond its row texts: item id, files carried, loopback, failure
// reasons, payload paths. Pure; reads the decoded packet with direct property lookups (no JSON walk).
import type { CapturedEvent } from '../model/event';
import { parseStatus } from '../attachments/status';

type Obj = Record<string, unknown>;
const asObj = (x: unknown): Obj | undefined => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Obj) : undefined);
const own = (o: Obj | undefined, k: string): unknown => (o && Object.hasOwn(o, k) ? o[k] : undefined);

/** The first argument of a Socket.IO event (a Spaces payload), or undefined. */
export function payloadOf(ev: CapturedEvent): unknown {
  return ev.record.kind === 'socket' ? ev.record.packet.args[0] : undefined;
}

export interface FileRef {
  fileId?: string;
  name?: string;
  /** convertStatus as this event carries it: 0–4, or -1 for an unknown code. */
  code?: number;
  convertFailed?: string;
}

/** Most files read from one event. */
const MAX_FILES = 50;

/** The attachments an event carries (content.data[]). */
export function filesOf(ev: CapturedEvent): FileRef[] {
  const data = own(asObj(own(asObj(payloadOf(ev)), 'content')), 'data');
  if (!Array.isArray(data)) return [];
  const out: FileRef[] = [];
  for (const d of data.slice(0, MAX_FILES)) {
    const o = asObj(d);
    if (!o) continue;
    const f: FileRef = {};
    const id = own(o, 'fileId');
    if (typeof id === 'string') f.fileId = id;
    const name = own(o, 'name');
    if (typeof name === 'string') f.name = name;
    const st = parseStatus(own(o, 'convertStatus'));
    if (st) f.code = st.known && typeof st.code === 'number' ? st.code : -1;
    const failed = own(o, 'convertFailed');
    if (typeof failed === 'string' && failed) f.convertFailed = failed;
    out.push(f);
  }
  return out;
}

/** The event's name as the list shows it. */
export function eventName(ev: CapturedEvent): string {
  const r = ev.record;
  if (r.kind === 'error') return 'decode error';
  if (r.kind === 'engine') return r.type;
  return ev.spaces?.event || r.packet.event || r.packet.type;
}

/**
 * Text a person sees for the event in the detail and not in the row: item id, loopback, file ids,
 * conversion status and failure reasons, a send's error, the channel; one per line (not lower-cased).
 */
export function detailLines(ev: CapturedEvent): string[] {
  const s = ev.spaces;
  const out: string[] = [];
  if (s?.itemId) out.push(s.itemId);
  if (s?.loopback) out.push(s.loopback);
  if (s?.error) out.push(s.error);
  if (s?.channel?.id) out.push(s.channel.id);
  for (const f of filesOf(ev)) {
    if (f.fileId) out.push(f.fileId);
    if (f.convertFailed) out.push(f.convertFailed.slice(0, 500));
  }
  return out;
}

/** Most values a path may reach (arrays fan out). */
const MAX_REACH = 1000;

/** The leaf values a payload path reaches; arrays met on the way are taken element by element. */
export function valuesAt(root: unknown, path: readonly (string | number)[]): unknown[] {
  let cur: unknown[] = [root];
  for (const seg of path) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (typeof seg === 'number') {
        if (Array.isArray(v) && seg < v.length) next.push(v[seg]);
        continue;
      }
      const items = Array.isArray(v) ? v : [v];
      for (const x of items) {
        const o = asObj(x);
        if (o && Object.hasOwn(o, seg)) next.push(o[seg]);
        if (next.length >= MAX_REACH) break;
      }
    }
    cur = next;
    if (cur.length === 0) return cur;
  }
  // A leaf array stands for its elements.
  return cur.flatMap((v) => (Array.isArray(v) ? v.slice(0, MAX_REACH) : [v]));
}
