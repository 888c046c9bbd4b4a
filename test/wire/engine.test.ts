import { describe, expect, it } from 'vitest';
import { createConnectionDecoder } from '../../src/core/wire/decoder';
import type { Transport, WireRecord } from '../../src/core/wire/types';

function decode(eio: 3 | 4, transport: Transport, data: string | Uint8Array): WireRecord[] {
  return createConnectionDecoder({ conn: 1, url: `https://h/socket.io/?EIO=${eio}&transport=${transport}`, transport }).push({ t: 5, dir: 'in', data });
}

describe('Engine.IO packets', () => {
  it('EIO4 handshake with maxPayload', () => {
    const [r] = decode(4, 'polling', '0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}');
    expect(r).toMatchObject({
      kind: 'engine',
      type: 'open',
      t: 5,
      handshake: { sid: 'lv_VI97HAXpY6yYWAAAC', upgrades: ['websocket'], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000 },
    });
  });

  it('EIO3 polling handshake payload: open then CONNECT, one record and one raw each', () => {
    const open = '0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}';
    const records = decode(3, 'polling', `${open.length}:${open}2:40`);
    expect(records.map((r) => r.kind)).toEqual(['engine', 'socket']);
    expect(records.map((r) => r.raw.text)).toEqual([open, '40']);
  });

  it('EIO3 length prefixes count UTF-16 code units', () => {
    const p = '42["é😀"]';
    const records = decode(3, 'polling', `${p.length}:${p}1:2`);
    expect(records.map((r) => r.kind)).toEqual(['socket', 'engine']);
    expect(records[0]).toMatchObject({ packet: { event: 'é😀', args: [] } });
  });

  it('ping / pong probe / upgrade / noop / close', () => {
    expect(decode(4, 'websocket', '2probe')[0]).toMatchObject({ kind: 'engine', type: 'ping', data: 'probe' });
    expect(decode(4, 'websocket', '3probe')[0]).toMatchObject({ kind: 'engine', type: 'pong', data: 'probe' });
    expect(decode(3, 'websocket', '5')[0]).toMatchObject({ kind: 'engine', type: 'upgrade' });
    expect(decode(3, 'polling', '1:6')[0]).toMatchObject({ kind: 'engine', type: 'noop' });
    expect(decode(4, 'polling', '1')[0]).toMatchObject({ kind: 'engine', type: 'close' });
    expect(decode(4, 'websocket', '2')[0]).not.toHaveProperty('data');
  });

  it("a polling POST's 'ok' answer is a noop record, not an error", () => {
    expect(decode(4, 'polling', 'ok')).toMatchObject([{ kind: 'engine', type: 'noop', data: 'ok' }]);
  });

  it('EIO4 polling text received as bytes is decoded as UTF-8', () => {
    const records = decode(4, 'polling', new TextEncoder().encode('42["a","é"]\x1e3'));
    expect(records.map((r) => r.kind)).toEqual(['socket', 'engine']);
    expect(records[0]).toMatchObject({ packet: { event: 'a', args: ['é'] } });
  });

  it('protocol 4 ERROR with a string payload is CONNECT_ERROR', () => {
    expect(decode(3, 'websocket', '44/admin,"Invalid namespace"')[0]).toMatchObject({
      kind: 'socket',
      packet: { type: 'CONNECT_ERROR', nsp: '/admin', data: 'Invalid namespace' },
    });
  });

  it('event name that is a number stays in args', () => {
    expect(decode(4, 'websocket', '42[1,2]')[0]).toMatchObject({ packet: { type: 'EVENT', args: [1, 2] } });
    expect(decode(4, 'websocket', '42[1,2]')[0]).not.toHaveProperty('packet.event');
  });

  it('binary placeholders nested in objects are replaced with BinaryRef', () => {
    const d = createConnectionDecoder({ conn: 1, url: 'wss://h/?EIO=4', transport: 'websocket' });
    expect(d.push({ t: 1, dir: 'out', data: '452-7["up",{"file":{"_placeholder":true,"num":1},"all":[{"_placeholder":true,"num":0}]}]' })).toEqual([]);
    // the other direction does not take this packet's attachments
    expect(d.push({ t: 2, dir: 'in', data: new Uint8Array([9]) })[0]).toMatchObject({ kind: 'error' });
    expect(d.push({ t: 3, dir: 'out', data: new Uint8Array(40).fill(0xab) })).toEqual([]);
    const [r] = d.push({ t: 4, dir: 'out', data: new Uint8Array([1, 2]) });
    expect(r).toMatchObject({
      kind: 'socket',
      t: 1,
      dir: 'out',
      packet: {
        type: 'BINARY_EVENT',
        id: 7,
        event: 'up',
        attachments: 2,
        args: [{ file: { $binary: { length: 2, preview: '0102' } }, all: [{ $binary: { length: 40, preview: 'ab'.repeat(16) } }] }],
      },
    });
  });
});
