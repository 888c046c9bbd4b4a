// What a query looks at in one event, beyond its row texts: item id, files carried, loopback, failure
// reasons, payload paths. Pure; reads the decoded packet with direct property lookups (no JSON walk).
import { lifeEventName } from '../connections/life';
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
  if (r.kind === 'life') return lifeEventName(r);
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

/** Most elements of an array a path searches. */
const MAX_REACH = 1000;

const isPlain = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether a leaf value a payload path reaches passes the test. Arrays met on the way are searched element
 * by element (a number in the path indexes one instead); a leaf array stands for its elements.
 */
export function someAt(root: unknown, path: readonly (string | number)[], test: (leaf: unknown) => boolean, from = 0): boolean {
  let v = root;
  for (let i = from; i < path.length; i++) {
    const seg = path[i]!;
    if (Array.isArray(v)) {
      if (typeof seg === 'number') {
        v = seg < v.length ? v[seg] : undefined;
        if (v === undefined) return false;
        continue;
      }
      const n = Math.min(v.length, MAX_REACH);
      for (let k = 0; k < n; k++) if (isPlain(v[k]) && someAt(v[k], path, test, i)) return true;
      return false;
    }
    if (typeof seg === 'number' || !isPlain(v) || !Object.hasOwn(v, seg)) return false;
    v = v[seg];
  }
  if (!Array.isArray(v)) return test(v);
  const n = Math.min(v.length, MAX_REACH);
  for (let k = 0; k < n; k++) if (test(v[k])) return true;
  return false;
}
