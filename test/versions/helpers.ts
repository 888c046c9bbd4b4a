// Builds CapturedEvents the way the background does (decoded packet + describeEvent), from seed payloads.
import { readFileSync } from 'node:fs';
import type { CapturedEvent } from '../../src/core/model/event';
import { describeEvent } from '../../src/core/spaces/describe';
import type { Direction, JsonValue, SocketPacket } from '../../src/core/wire/types';

export type J = { [key: string]: JsonValue };

export function seed(name: string): J {
  return JSON.parse(readFileSync(new URL(`../fixtures/seed/${name}.json`, import.meta.url), 'utf8')) as J;
}

/** A deep copy of `base` changed by `edit`. */
export function edited(base: J, edit: (p: J & { content: J & { data: J[] } }) => void): J {
  const p = structuredClone(base) as J & { content: J & { data: J[] } };
  edit(p);
  return p;
}

export function captured(seq: number, payload: JsonValue, opts: { event?: string; dir?: Direction; t?: number } = {}): CapturedEvent {
  const dir = opts.dir ?? 'in';
  const packet: SocketPacket = { type: 'EVENT', nsp: '/chat', event: opts.event ?? 'MESSAGE_SENT', args: [payload] };
  const text = `42/chat,${JSON.stringify([packet.event, payload])}`;
  return {
    seq,
    record: { kind: 'socket', conn: 1, t: opts.t ?? 1_000 + seq, dir, transport: 'websocket', raw: { text, length: text.length, truncated: false }, packet },
    spaces: describeEvent(packet, dir),
  };
}
