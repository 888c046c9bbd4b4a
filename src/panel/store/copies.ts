// What the copy menu copies from an event: its payload, its raw frame, and the event as socket.emit
// code. Pure. The texts are the capture's own (already redacted), never evaluated.
import type { CapturedEvent } from '../../core/model/event';

/** The payload: a Socket.IO packet's arguments (one: itself), or an engine packet's data. */
export function payloadOf(ev: CapturedEvent): unknown {
  const rec = ev.record;
  if (rec.kind === 'socket') return rec.packet.args.length === 1 ? rec.packet.args[0] : rec.packet.args;
  if (rec.kind === 'engine') return rec.handshake ?? rec.data ?? null;
  return null;
}

export const payloadText = (ev: CapturedEvent): string => JSON.stringify(payloadOf(ev), null, 2) ?? 'null';

/** The frame as captured (cut to the capture's bound; its length says how long it was). */
export function frameText(ev: CapturedEvent): string {
  const raw = ev.record.raw;
  return raw.truncated ? `${raw.text}\n… (${raw.length} characters in all)` : raw.text;
}

/** The event as code that sends it again: `socket.emit("MESSAGE_SENT", {…})`; null for what is not an event. */
export function emitCode(ev: CapturedEvent): string | null {
  const rec = ev.record;
  if (rec.kind !== 'socket' || rec.packet.event === undefined) return null;
  const args = rec.packet.args.map((a) => JSON.stringify(a, null, 2));
  const target = rec.packet.nsp && rec.packet.nsp !== '/' ? `io(${JSON.stringify(rec.packet.nsp)})` : 'socket';
  return `${target}.emit(${[JSON.stringify(rec.packet.event), ...args].join(', ')});`;
}

/** A JavaScript path to a value under the payload: `payload.content.data[0].name`, `payload["a-b"]`. */
export function valuePath(keys: readonly (string | number)[], root = 'payload'): string {
  return keys.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `${p}.${k}` : `${p}[${JSON.stringify(k)}]`), root);
}
