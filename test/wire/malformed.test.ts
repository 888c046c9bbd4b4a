// Bad input: never throws, every frame gives a record, error records keep bounded raw, no pollution.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createConnectionDecoder } from '../../src/core/wire/decoder';
import { MAX_DECODED, MAX_DEPTH, MAX_RAW_CHARS } from '../../src/core/wire/limits';
import type { DecodeErrorRecord, Transport, WireRecord } from '../../src/core/wire/types';

const URLS = ['wss://h/socket.io/?EIO=3&transport=websocket', 'wss://h/socket.io/?EIO=4&transport=websocket', 'wss://h/other'];
const TRANSPORTS: Transport[] = ['websocket', 'polling'];

/** Text close to the protocol: real prefixes followed by noise. */
const nearText = fc
  .tuple(
    fc.constantFrom('', '4', '42', '42/chat,', '451-', '451-[', '40/chat?token=', '0', '0{', '3probe', 'b4', 'b', '12:', '3:42', '9999:', '\x1e', '43', '41', '44'),
    fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' })),
    fc.constantFrom('', '\x1e', '\x1e42[', ']', '{"_placeholder":true,"num":3}', '"__proto__"'),
  )
  .map(([a, b, c]) => a + b + c);
const anyData = fc.oneof(nearText, fc.string({ unit: 'binary', maxLength: 64 }), fc.uint8Array({ maxLength: 64 }));

function run(url: string, transport: Transport, frames: (string | Uint8Array)[]): WireRecord[][] {
  const d = createConnectionDecoder({ conn: 3, url, transport });
  return frames.map((data, i) => d.push({ t: i, dir: i % 3 === 0 ? 'out' : 'in', data }));
}

describe('malformed input (property)', () => {
  it('never throws, gives >=1 record per frame unless waiting for attachments, bounded raw, clonable', () => {
    fc.assert(
      fc.property(fc.constantFrom(...URLS), fc.constantFrom(...TRANSPORTS), fc.array(anyData, { minLength: 1, maxLength: 8 }), (url, transport, frames) => {
        const out = run(url, transport, frames);
        out.forEach((records) => {
          for (const r of records) {
            expect(r.raw.text.length).toBeLessThanOrEqual(r.raw.binary ? 2 * 256 : MAX_RAW_CHARS);
            expect(Number.isInteger(r.raw.length) && r.raw.length >= 0).toBe(true);
            if (r.raw.binary) expect(r.raw.text.length).toBe(2 * Math.min(r.raw.length, 256));
            if (r.kind === 'error') expect(r.error.length).toBeGreaterThan(0);
            expect(structuredClone(r)).toEqual(r);
            expect(JSON.parse(JSON.stringify(r))).toEqual(r);
          }
        });
        // an empty answer only while a binary packet waits for its attachments
        const d = createConnectionDecoder({ conn: 3, url, transport });
        frames.forEach((data, i) => {
          const records = d.push({ t: i, dir: 'in', data });
          if (records.length === 0) {
            const text = typeof data === 'string' ? data : '';
            expect(/5|6|b/.test(text) || typeof data !== 'string').toBe(true);
          }
        });
        expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 600 },
    );
  });

  it('random non-Socket.IO text on an EIO connection always gives exactly one error record', () => {
    fc.assert(
      fc.property(fc.constantFrom(3, 4), fc.string({ minLength: 1 }).filter((s) => !/^[0-6b]/.test(s)), (eio, s) => {
        const d = createConnectionDecoder({ conn: 1, url: `ws://h/?EIO=${eio}`, transport: 'websocket' });
        const r = d.push({ t: 0, dir: 'in', data: s });
        expect(r).toHaveLength(1);
        expect(r[0]?.kind).toBe('error');
        expect(r[0]?.raw.length).toBe(s.length);
      }),
    );
  });
});

function one(data: string | Uint8Array, opts: { eio?: 3 | 4; transport?: Transport; before?: (string | Uint8Array)[] } = {}): WireRecord[] {
  const eio = opts.eio ?? 4;
  const transport = opts.transport ?? 'websocket';
  const d = createConnectionDecoder({ conn: 1, url: `ws://h/socket.io/?EIO=${eio}&transport=${transport}`, transport });
  for (const b of opts.before ?? []) d.push({ t: 0, dir: 'in', data: b });
  return d.push({ t: 1, dir: 'in', data });
}

function errorOf(records: WireRecord[]): DecodeErrorRecord {
  const e = records.find((r): r is DecodeErrorRecord => r.kind === 'error');
  if (!e) throw new Error(`no error record in ${JSON.stringify(records)}`);
  return e;
}

describe('malformed input (cases)', () => {
  it.each([
    ['truncated JSON', '42["a",{"b":', /not valid JSON/],
    ['unknown engine type', '9hello', /unknown Engine.IO packet type/],
    ['unknown socket type', '49["a"]', /unknown Socket.IO packet type/],
    ['event without name', '42[{"a":1}]', /no event name/],
    ['event payload not an array', '42{"a":1}', /not an array/],
    ['disconnect with payload', '41["x"]', /DISCONNECT carries a payload/],
    ['bad attachment count', '45x-["a"]', /attachment count/],
    ['placeholder beyond attachments', '451-["a",{"_placeholder":true,"num":1}]', /placeholder num 1 without its binary frame/],
    ['placeholder with zero attachments', '450-["a",{"_placeholder":true,"num":0}]', /without its binary frame/],
    ['placeholder without num', '451-["a",{"_placeholder":true}]', /placeholder without a valid "num"/],
    ['ack id too long', '431234567890123456[]', /ack id longer/],
    ['bad handshake', '0{"sid":1}', /open handshake: sid/],
    ['empty message', '4', /empty Socket.IO packet/],
    ['__proto__ key', '42["a",{"x":{"__proto__":{"polluted":true}}}]', /forbidden key "__proto__"/],
    ['constructor key', '42["a",{"constructor":{"prototype":{"polluted":true}}}]', /forbidden key "constructor"/],
  ])('%s', (_name, frame, message) => {
    const records = one(frame);
    expect(records).toHaveLength(1);
    const e = errorOf(records);
    expect(e.error).toMatch(message);
    expect(e.raw).toEqual({ text: frame, length: frame.length, truncated: false });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('EIO3 payload with a wrong length prefix keeps the packets before it', () => {
    const records = one('2:4010:42["a"]', { eio: 3, transport: 'polling' });
    expect(records.map((r) => r.kind)).toEqual(['socket', 'error']);
    expect(errorOf(records).error).toMatch(/length prefix says 10 characters but 7 remain/);
    expect(errorOf(records).raw.text).toBe('10:42["a"]');
  });

  it('EIO3 payload without a length prefix', () => {
    expect(errorOf(one('42["a"]', { eio: 3, transport: 'polling' })).error).toMatch(/expected <length>:/);
  });

  it('EIO3 binary payload with a length running past the end', () => {
    const bytes = new Uint8Array([0, 9, 9, 255, 52, 50]);
    const e = errorOf(one(bytes, { eio: 3, transport: 'polling' }));
    expect(e.error).toMatch(/length says 99 bytes but 2 remain/);
    expect(e.raw).toMatchObject({ binary: true, length: 6, text: '000909ff3432' });
  });

  it('a binary frame nobody asked for', () => {
    const e = errorOf(one(new Uint8Array([1, 2, 3])));
    expect(e.error).toMatch(/no BINARY_EVENT or BINARY_ACK awaiting it/);
    expect(e.raw).toEqual({ text: '010203', length: 3, truncated: false, binary: true });
  });

  it('a binary packet interrupted by another packet becomes an error, and the next packet still decodes', () => {
    const records = one('42["next"]', { before: ['452-["a",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]', new Uint8Array([7])] });
    expect(records.map((r) => r.kind)).toEqual(['error', 'socket']);
    expect(errorOf(records).error).toMatch(/BINARY_EVENT announced 2 attachments but another packet came first after 1/);
  });

  it('a close packet ends a waiting binary packet', () => {
    const records = one('1', { before: ['451-["a",{"_placeholder":true,"num":0}]'] });
    expect(records.map((r) => r.kind)).toEqual(['error', 'engine']);
  });

  it('invalid base64 binary', () => {
    expect(errorOf(one('b4!!!', { eio: 3, before: ['451-["a",{"_placeholder":true,"num":0}]'] })).error).toMatch(/base64/);
  });

  it(`caps nesting at ${MAX_DEPTH} without recursion, at any depth`, () => {
    for (const depth of [MAX_DEPTH - 1, MAX_DEPTH + 1, 100_000]) {
      const frame = `42["deep",${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}]`;
      const records = one(frame);
      expect(records).toHaveLength(1);
      if (depth < MAX_DEPTH) expect(records[0]?.kind).toBe('socket');
      else expect(errorOf(records).error).toMatch(/nested deeper than 100/);
      expect(() => structuredClone(records)).not.toThrow();
    }
  });

  it('refuses payloads over the size cap and keeps a bounded, truncated raw', () => {
    const big = '42["a","' + 'x'.repeat(MAX_DECODED) + '"]';
    const records = one(big);
    const e = errorOf(records);
    expect(e.error).toMatch(/exceeds/);
    expect(e.raw.length).toBe(big.length);
    expect(e.raw.truncated).toBe(true);
    expect(e.raw.text).toBe(big.slice(0, MAX_RAW_CHARS));
  });

  it('keeps large but allowed frames decoded with a truncated raw', () => {
    const frame = '42["a","' + 'é'.repeat(100_000) + '"]';
    const [r] = one(frame);
    expect(r?.kind).toBe('socket');
    expect(r?.raw).toMatchObject({ length: frame.length, truncated: true });
    expect(r?.raw.text.length).toBe(MAX_RAW_CHARS);
  });

  it('a __proto__ key in an auth payload does not reach Object.prototype and survives cloning', () => {
    const frame = '40/chat,{"__proto__":{"polluted":"yes"},"token":"secret-value"}';
    const records = one(frame);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const e = errorOf(records);
    expect(e.raw.text).not.toContain('secret-value');
    expect(JSON.parse(JSON.stringify(structuredClone(e)))).toEqual(e);
  });

  it('URL without EIO: sniffs Engine.IO, rejects the rest cheaply', () => {
    const d = createConnectionDecoder({ conn: 1, url: 'wss://h/ws', transport: 'websocket' });
    const junk = '{"hello":"' + 'y'.repeat(5000) + '"}';
    const [rej] = d.push({ t: 0, dir: 'in', data: junk });
    expect(rej?.kind).toBe('error');
    expect(rej?.raw).toMatchObject({ length: junk.length, truncated: true });
    expect(d.eio).toBeUndefined();
    const [open] = d.push({ t: 1, dir: 'in', data: '0{"sid":"s","upgrades":[],"pingInterval":1,"pingTimeout":1}' });
    expect(open).toMatchObject({ kind: 'engine', type: 'open' });
    expect(d.eio).toBe(3);
    const p = createConnectionDecoder({ conn: 2, url: 'https://h/x', transport: 'polling' });
    expect(p.push({ t: 0, dir: 'in', data: '2:40' })[0]).toMatchObject({ kind: 'socket' });
    expect(p.eio).toBe(3);
  });
});
