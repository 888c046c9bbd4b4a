import { describe, expect, it } from 'vitest';
import { SCENARIO } from '../../simulator/scenario';
import { capture, demoFrames, T0, TOKEN } from './fixtures';
import { read } from './helpers';

/** A HAR entry as Chromium writes it for a WebSocket: `_webSocketMessages` with epoch seconds. */
function wsEntry(url: string, frames: [string, string][], t0 = T0) {
  return {
    startedDateTime: new Date(t0).toISOString(),
    request: { method: 'GET', url, headers: [] },
    response: { status: 101, headers: [], content: { size: 0, mimeType: 'x-unknown' } },
    _resourceType: 'websocket',
    _webSocketMessages: frames.map(([d, data], i) => ({ type: d === 'out' ? 'send' : 'receive', time: (t0 + i * 1000) / 1000, opcode: 1, data })),
  };
}

const har = (entries: unknown[]) => JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } }, null, 2);
const page = { startedDateTime: new Date(T0).toISOString(), request: { method: 'GET', url: 'http://127.0.0.1:8080/', headers: [] }, response: { status: 200 } };

describe('HAR import', () => {
  it('Engine.IO 4: every event decoded as in live capture', () => {
    const url = `ws://127.0.0.1:8084/socket.io/?token=${TOKEN}&EIO=4&transport=websocket`;
    const { result, events, header } = read(har([page, wsEntry(url, demoFrames())]));
    expect(result).toMatchObject({ fatal: null, issueCount: 0, layout: 'har' });
    // the same frames through the live pipeline give the same events
    expect(events).toEqual(capture());
    expect(header).toMatchObject({ browser: 'HAR: WebInspector 537.36', origin: 'http://127.0.0.1:8084', raw: true });
    expect(JSON.stringify(header)).not.toContain(TOKEN);
  });

  it('Engine.IO 3 (socket.io 2.x) and two connections interleaved by time', () => {
    const v3 = `ws://127.0.0.1:8080/socket.io/?EIO=3&transport=websocket&token=${TOKEN}`;
    const frames3: [string, string][] = [
      ['in', '0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":5000}'],
      ['in', '40'],
      ['out', `40/chat?token=${TOKEN}`],
      ['in', '40/chat'],
      ...SCENARIO.slice(0, 3).map((s): [string, string] => ['in', `42/chat,["MESSAGE_SENT",${JSON.stringify(s.payload)}]`]),
      ['out', '2'],
      ['in', '3'],
    ];
    const other: [string, string][] = [['in', '0{"sid":"y","upgrades":[],"pingInterval":25000,"pingTimeout":5000}']];
    const { result, events } = read(har([wsEntry(v3, frames3), wsEntry(v3.replace('8080', '8081'), other, T0 + 1500)]));
    expect(result.fatal).toBeNull();
    expect(events.filter((e) => e.spaces?.event === 'MESSAGE_SENT').map((e) => e.spaces?.category)).toEqual(SCENARIO.slice(0, 3).map((s) => s.payload.category));
    expect(events.map((e) => e.record.conn).indexOf(2)).toBe(2); // the second connection's frame sits by its time
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const connect = events.find((e) => e.record.kind === 'socket' && e.record.dir === 'out');
    expect(JSON.stringify(connect)).not.toContain(TOKEN);
  });

  it('HAR without WebSocket data, or without Socket.IO: a clear message', () => {
    expect(read(har([page])).result.fatal?.message).toMatch(/HAR without WebSocket data: none of its 1 entries has _webSocketMessages/);
    expect(read(har([wsEntry('wss://example.com/feed', [['in', 'hi']])])).result.fatal?.message).toMatch(/none of them Socket.IO/);
  });

  it('a bad message is reported by its JSON path, the others kept', () => {
    const e = wsEntry(`ws://h/socket.io/?EIO=4&transport=websocket`, demoFrames().slice(0, 4));
    (e._webSocketMessages[2] as { data: unknown }).data = 42;
    const { result, events } = read(har([e]));
    expect(result.issues).toEqual([{ path: '$.log.entries[0]._webSocketMessages[2].data', message: 'expected a string' }]);
    expect(events).toHaveLength(3);
  });
});
