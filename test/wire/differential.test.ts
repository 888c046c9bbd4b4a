// Packets from the real encoders decode to what was encoded: type, nsp, id, event, args, binary lengths.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createConnectionDecoder } from '../../src/core/wire/decoder';
import { redactJson } from '../../src/core/wire/redact';
import type { Direction, SocketRecord, Transport, WireRecord } from '../../src/core/wire/types';
import {
  eio3Packet,
  eio3Payload,
  eio4Packet,
  eio4Payload,
  encodeSioV4,
  encodeSioV5,
  type EnginePacket,
  type Part,
  type SioPacket,
} from './encoders';

type Val = null | boolean | number | string | Buffer | Val[] | { [k: string]: Val };

const key = fc
  .oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 }))
  .filter((k) => k !== '__proto__' && k !== 'constructor' && k !== '_placeholder');
const text = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 12 }));
const prim: fc.Arbitrary<Val> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  text,
);
const buffer: fc.Arbitrary<Val> = fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a));

function values(withBinary: boolean): fc.Arbitrary<Val> {
  const { value } = fc.letrec<{ value: Val; arr: Val[]; obj: Record<string, Val> }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      ...(withBinary ? [prim, buffer] : [prim]),
      tie('arr'),
      tie('obj'),
    ),
    arr: fc.array(tie('value'), { maxLength: 4 }),
    obj: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  }));
  return value;
}

const nsp = fc.oneof(fc.constant('/'), fc.stringMatching(/^\/[a-z0-9_-]{1,10}$/));
const token = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map((t) => 'tk' + t);
const room = fc.stringMatching(/^[a-z0-9]{1,8}$/);

/** What was encoded, and what the decoded record must show. */
interface Case {
  kind: 'event' | 'ack' | 'connect' | 'disconnect' | 'error';
  nsp: string;
  id?: number;
  event?: string;
  args: Val[];
  data?: Val;
  token?: string;
  room?: string;
}

function cases(withBinary: boolean): fc.Arbitrary<Case> {
  const args = fc.array(values(withBinary), { maxLength: 4 });
  return fc.oneof(
    fc.record(
      { kind: fc.constant('event' as const), nsp, id: fc.option(fc.nat(), { nil: undefined }), event: text, args },
      { requiredKeys: ['kind', 'nsp', 'event', 'args'] },
    ),
    fc.record({ kind: fc.constant('ack' as const), nsp, id: fc.nat(), args }),
    fc.record({ kind: fc.constant('connect' as const), nsp, args: fc.constant<Val[]>([]), token, room }),
    fc.record({ kind: fc.constant('disconnect' as const), nsp, args: fc.constant<Val[]>([]) }),
    fc.record({
      kind: fc.constant('error' as const),
      nsp,
      args: fc.constant<Val[]>([]),
      data: fc.oneof(text, fc.record({ message: text })),
    }),
  );
}

function hasBinary(v: Val): boolean {
  if (Buffer.isBuffer(v)) return true;
  if (Array.isArray(v)) return v.some(hasBinary);
  if (v !== null && typeof v === 'object') return Object.values(v).some(hasBinary);
  return false;
}

/** socket.io 2.x packet (protocol 4): the client puts the connect query on the namespace. */
function toV4(c: Case): SioPacket {
  const bin = c.args.some(hasBinary);
  const base = { nsp: c.nsp, ...(c.id !== undefined ? { id: c.id } : {}) };
  switch (c.kind) {
    case 'event':
      return { ...base, type: bin ? 5 : 2, data: [c.event, ...c.args] };
    case 'ack':
      return { ...base, type: bin ? 6 : 3, data: c.args };
    case 'connect':
      return { type: 0, nsp: `${c.nsp}?token=${c.token}&room=${c.room}` };
    case 'disconnect':
      return { type: 1, nsp: c.nsp };
    case 'error':
      return { type: 4, nsp: c.nsp, data: c.data };
  }
}

/** socket.io 4 packet (protocol 5): CONNECT carries the auth object. */
function toV5(c: Case): SioPacket {
  const base = { nsp: c.nsp, ...(c.id !== undefined ? { id: c.id } : {}) };
  switch (c.kind) {
    case 'event':
      return { ...base, type: 2, data: [c.event, ...c.args] };
    case 'ack':
      return { ...base, type: 3, data: c.args };
    case 'connect':
      return { type: 0, nsp: c.nsp, data: { token: c.token, room: c.room } };
    case 'disconnect':
      return { type: 1, nsp: c.nsp };
    case 'error':
      return { type: 4, nsp: c.nsp, data: c.data };
  }
}

/** Buffers as the decoder shows them, then through JSON (as the encoders send them: -0 → 0). */
function shown(v: Val): unknown {
  const swap = (x: Val): unknown => {
    if (Buffer.isBuffer(x)) return { $binary: { length: x.length, preview: x.subarray(0, 16).toString('hex') } };
    if (Array.isArray(x)) return x.map(swap);
    if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, c]) => [k, swap(c)]));
    return x;
  };
  return JSON.parse(JSON.stringify(swap(v))) as unknown;
}

/**
 * Both directions have their arguments redacted (a generated key may read "JWt"), the event name
 * counting as the first of them: see redact.test.ts.
 */
function expected(c: Case, protocol: 4 | 5): Record<string, unknown> {
  const type = { event: 'EVENT', ack: 'ACK', connect: 'CONNECT', disconnect: 'DISCONNECT', error: 'CONNECT_ERROR' }[c.kind];
  const args = shown(c.args) as unknown[];
  const wire = redactJson(c.kind === 'event' ? [c.event, ...args] : args);
  const e: Record<string, unknown> = { type, nsp: c.nsp, args: c.kind === 'event' ? wire.slice(1) : wire };
  if (c.id !== undefined) e.id = c.id;
  if (c.kind === 'event') e.event = wire[0];
  if (c.kind === 'error') e.data = redactJson(shown(c.data as Val));
  if (c.kind === 'connect' && protocol === 4) e.query = `token=[redacted]&room=${c.room}`;
  if (c.kind === 'connect' && protocol === 5) e.data = { token: '[redacted]', room: c.room };
  return e;
}

function actual(r: SocketRecord): Record<string, unknown> {
  const p = r.packet;
  const type = p.type === 'BINARY_EVENT' ? 'EVENT' : p.type === 'BINARY_ACK' ? 'ACK' : p.type;
  const a: Record<string, unknown> = { type, nsp: p.nsp, args: p.args };
  for (const k of ['id', 'event', 'data', 'query'] as const) if (p[k] !== undefined) a[k] = p[k];
  return a;
}

/** How one side encodes a list of Socket.IO packets into frames. */
type Framing = (packets: EnginePacket[]) => Part[];

const SETUPS: { name: string; eio: 3 | 4; transport: Transport; framing: Framing }[] = [
  { name: 'EIO3 websocket, binary frames', eio: 3, transport: 'websocket', framing: (ps) => ps.map((p) => eio3Packet(p, true)) },
  { name: 'EIO3 websocket, base64 (b4…)', eio: 3, transport: 'websocket', framing: (ps) => ps.map((p) => eio3Packet(p, false)) },
  { name: 'EIO3 polling, text payload', eio: 3, transport: 'polling', framing: (ps) => [eio3Payload(ps, false)] },
  { name: 'EIO3 polling, binary payload', eio: 3, transport: 'polling', framing: (ps) => [eio3Payload(ps, true)] },
  { name: 'EIO4 websocket', eio: 4, transport: 'websocket', framing: (ps) => ps.map((p) => eio4Packet(p)) },
  { name: 'EIO4 polling', eio: 4, transport: 'polling', framing: (ps) => [eio4Payload(ps)] },
];

function framesOf(cs: Case[], eio: 3 | 4, framing: Framing): Part[] {
  const parts = cs.flatMap((c) => (eio === 3 ? encodeSioV4(toV4(c)) : encodeSioV5(toV5(c))));
  return framing(parts.map((data) => ({ type: 'message' as const, data })));
}

const asInput = (p: Part): string | Uint8Array => (typeof p === 'string' ? p : new Uint8Array(p));

describe.each(SETUPS)('real encoders → decoder: $name', ({ eio, transport, framing }) => {
  it('decodes every packet to what was encoded, per direction, with directions interleaved', () => {
    fc.assert(
      fc.property(
        fc.array(cases(true), { minLength: 1, maxLength: 3 }),
        fc.array(cases(true), { maxLength: 3 }),
        fc.array(fc.boolean(), { maxLength: 20 }),
        (incoming, outgoing, order) => {
          const url = `wss://spaces.example/socket.io/?EIO=${eio}&transport=${transport}`;
          const d = createConnectionDecoder({ conn: 7, url, transport });
          const queues: Record<Direction, Part[]> = {
            in: framesOf(incoming, eio, framing),
            out: outgoing.length ? framesOf(outgoing, eio, framing) : [],
          };
          const records: WireRecord[] = [];
          let k = 0;
          while (queues.in.length || queues.out.length) {
            const dir: Direction = queues.out.length === 0 || (queues.in.length > 0 && order[k++ % Math.max(order.length, 1)] !== false) ? 'in' : 'out';
            records.push(...d.push({ t: k, dir, data: asInput(queues[dir].shift() as Part) }));
          }
          expect(records.filter((r) => r.kind !== 'socket')).toEqual([]);
          for (const dir of ['in', 'out'] as const) {
            const got = records.filter((r): r is SocketRecord => r.kind === 'socket' && r.dir === dir).map(actual);
            const want = (dir === 'in' ? incoming : outgoing).map((c) => expected(c, eio === 3 ? 4 : 5));
            expect(got).toEqual(want);
          }
          for (const r of records) {
            expect(r.conn).toBe(7);
            expect(r.transport).toBe(transport);
            expect(r.raw.text).not.toMatch(/token=tk|"token":"tk/);
          }
          expect(d.eio).toBe(eio);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('binary attachment counts from the real encoders', () => {
  it('BINARY_EVENT records announce as many attachments as Buffers were sent', () => {
    fc.assert(
      fc.property(nsp, fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 5 }), (ns, bufs) => {
        for (const eio of [3, 4] as const) {
          const d = createConnectionDecoder({ conn: 1, url: `ws://h/socket.io/?EIO=${eio}&transport=websocket`, transport: 'websocket' });
          const data = ['upload', ...bufs.map((b) => Buffer.from(b))];
          const parts = eio === 3 ? encodeSioV4({ type: 5, nsp: ns, data }) : encodeSioV5({ type: 2, nsp: ns, data });
          const frames = parts.map((p) => (eio === 3 ? eio3Packet({ type: 'message', data: p }, true) : eio4Packet({ type: 'message', data: p })));
          const out = frames.flatMap((f, i) => {
            const r = d.push({ t: i, dir: 'in', data: asInput(f) });
            // nothing comes out before the last attachment
            expect(r.length).toBe(i === frames.length - 1 ? 1 : 0);
            return r;
          });
          const rec = out[0] as SocketRecord;
          expect(rec.packet.type).toBe('BINARY_EVENT');
          expect(rec.packet.attachments).toBe(bufs.length);
          expect(rec.packet.args.map((a) => (a as { $binary: { length: number } }).$binary.length)).toEqual(bufs.map((b) => b.length));
        }
      }),
      { numRuns: 50 },
    );
  });
});
