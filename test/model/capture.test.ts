import { describe, expect, it } from 'vitest';
import { TabCapture, frameLabel } from '../../src/core/model/capture';
import { checkContentToBackground, checkHookToContent } from '../../src/core/messages';
import type { HookFrame } from '../../src/core/messages';
import { bytesToBase64 } from '../../src/core/base64';
import { seed } from '../spaces/fixtures';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig';
const URL2 = `ws://127.0.0.1:8080/socket.io/?token=${TOKEN}&EIO=3&transport=websocket`;

function frames(...items: [HookFrame['d'], HookFrame['x']][]): HookFrame[] {
  return items.map(([d, x], i) => ({ c: 1, t: 1000 + i * 10, d, x }));
}

describe('TabCapture', () => {
  it('decodes a socket.io 2.x session into Spaces events, pairs the echo, and keeps no token', () => {
    const cap = new TabCapture();
    const chat = seed('chat.json');
    const out = cap.ingest(
      'page-1',
      [{ c: 1, url: URL2, transport: 'websocket' }],
      frames(
        ['in', '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":5000}'],
        ['out', `40/chat?token=${TOKEN}&tokenType=jwt,`],
        ['in', '40/chat,'],
        ['out', `42/chat,["SEND_MESSAGE",${JSON.stringify({ content: { bodyText: '<p>hi</p>' }, category: 'chat', topicId: 't1', version: '1.1', loopbackMetadata: 'lb-1' })}]`],
        ['in', `42/chat,["MESSAGE_SENT",${JSON.stringify({ ...chat, loopbackMetadata: 'lb-1' })}]`],
      ),
      1,
    );
    expect(out.map((e) => (e.record.kind === 'socket' ? e.record.packet.type : e.record.kind))).toEqual([
      'engine',
      'CONNECT',
      'CONNECT',
      'EVENT',
      'EVENT',
    ]);
    const echo = out[4]!;
    expect(echo.spaces?.event).toBe('MESSAGE_SENT');
    expect(echo.spaces?.category).toBe('chat');
    expect(echo.spaces?.topicTitle).toBe(chat.topicTitle);
    // seq 4 is the SEND_MESSAGE (nextSeq 1 + index 3), answered 10 ms later
    expect(echo.spaces?.reply).toMatchObject({ toSeq: 4, rttMs: 10, outcome: 'echo' });
    const all = JSON.stringify(out) + JSON.stringify(cap.connections);
    expect(all).not.toContain(TOKEN);
    expect(all).toContain('[redacted]');
  });

  it('keeps bad frames as error records with their raw text, and binary frames from base64', () => {
    const cap = new TabCapture();
    const url = 'ws://h/socket.io/?EIO=4&transport=websocket';
    const out = cap.ingest(
      'p',
      [{ c: 1, url, transport: 'websocket' }],
      frames(
        ['in', '42["MESSAGE_SENT",{"broken'],
        ['in', { b64: '!!!not base64' }],
        ['in', '451-["UPLOAD",{"_placeholder":true,"num":0}]'],
        ['in', { b64: bytesToBase64(new Uint8Array([1, 2, 3])) }],
      ),
      1,
    );
    expect(out[0]!.record.kind).toBe('error');
    expect(out[0]!.record.raw.text).toContain('broken');
    expect(out[1]!.record).toMatchObject({ kind: 'error', error: 'binary frame is not valid base64' });
    const bin = out[2]!.record;
    expect(bin.kind === 'socket' && bin.packet.args[0]).toEqual({ $binary: { length: 3, preview: '010203' } });
  });

  it('keeps connections of two pages apart and remembers them for a restarted worker', () => {
    const cap = new TabCapture();
    cap.ingest('a', [{ c: 1, url: 'ws://h/socket.io/?EIO=3&transport=websocket', transport: 'websocket' }], [], 1);
    cap.ingest('b', [{ c: 1, url: 'ws://h/socket.io/?EIO=4&transport=websocket', transport: 'websocket' }], [], 1);
    const again = new TabCapture(structuredClone(cap.connections));
    // EIO3 framing on page a's connection 1: a polling-style payload is not what EIO4 would accept
    const a = again.ingest('a', [], frames(['in', '2']), 1);
    const b = again.ingest('b', [], frames(['in', '2']), 1);
    expect(a[0]!.record).toMatchObject({ kind: 'engine', type: 'ping' });
    expect(b[0]!.record).toMatchObject({ kind: 'engine', type: 'ping' });
    expect(Object.keys(again.connections).sort()).toEqual(['a:1', 'b:1']);
  });
});

describe('bounds', () => {
  it('remembers the most recently active connections only, and says how many it forgot', () => {
    const cap = new TabCapture({}, 3);
    const conn = (c: number) => ({ c, url: `ws://h/socket.io/?EIO=4&transport=polling&sid=${c}`, transport: 'polling' as const });
    cap.ingest('a', [1, 2, 3, 4].map(conn), [], 1);
    expect(cap.prune()).toBe(1);
    // Connection 2 sends again: 3 is now the least recently active.
    cap.ingest('a', [conn(5)], [{ c: 2, t: 1, d: 'in', x: '6' }], 1);
    expect(cap.prune()).toBe(1);
    expect(Object.keys(cap.connections)).toEqual(['a:4', 'a:5', 'a:2']);
    expect(cap.prune()).toBe(0);
  });

  it('a frame the relay cut (too long to decode) is an error record with its length and its start, redacted', () => {
    const cap = new TabCapture();
    const [text] = cap.ingest('a', [], [{ c: 1, t: 1, d: 'out', x: `42["x",{"token":"${TOKEN}"`, n: 20_000_000 }], 1);
    expect(text!.record).toMatchObject({ kind: 'error', error: expect.stringMatching(/frame of 20000000 characters exceeds/), raw: { length: 20_000_000, truncated: true } });
    expect(text!.record.raw.text).not.toContain(TOKEN);
    const [bin] = cap.ingest('a', [], [{ c: 1, t: 1, d: 'in', x: { b64: 'AAAA' }, n: 16_000_000 }], 2);
    expect(bin!.record).toMatchObject({ kind: 'error', raw: { length: 12_000_000, truncated: true, binary: true } });
  });
});

describe('what the page sends', () => {
  it('has credentials in its event arguments redacted, in the decoded payload and in the raw frame', () => {
    const cap = new TabCapture();
    const out = cap.ingest(
      'p',
      [{ c: 1, url: 'ws://h/socket.io/?EIO=3&transport=websocket', transport: 'websocket' }],
      frames(['out', '42/chat,["SUBSCRIBE_CHANNEL",{"channel":{"_id":"t1","type":"topic","password":"hunter2"}}]']),
      1,
    );
    const rec = out[0]!.record;
    expect(rec.kind === 'socket' && rec.packet.args[0]).toEqual({ channel: { _id: 't1', type: 'topic', password: '[redacted]' } });
    expect(rec.raw.text).not.toContain('hunter2');
    expect(rec.raw.length).toBe('42/chat,["SUBSCRIBE_CHANNEL",{"channel":{"_id":"t1","type":"topic","password":"hunter2"}}]'.length);
    expect(JSON.stringify(out)).not.toContain('hunter2');
  });
});

describe('frames and workers', () => {
  it('labels the events of a sub-frame, and only those', () => {
    const cap = new TabCapture();
    const conn = [{ c: 1, url: URL2, transport: 'websocket' as const }];
    const top = cap.ingest('top', conn, frames(['in', '2']), 1);
    const sub = cap.ingest('sub', conn, frames(['in', '2']), 2, 'http://localhost:8080/pages/frame.html');
    expect(top[0]).not.toHaveProperty('frame');
    expect(sub[0]).toMatchObject({ frame: 'http://localhost:8080/pages/frame.html', record: { kind: 'engine', type: 'ping', conn: 1 } });
  });

  it('makes a frame label of origin and path only (a query or fragment may carry credentials), bounded', () => {
    expect(frameLabel(`http://127.0.0.1:8080/pages/frame.html?token=${TOKEN}#x`)).toBe('http://127.0.0.1:8080/pages/frame.html');
    expect(frameLabel('about:blank')).toBe('about:blank');
    expect(frameLabel(undefined)).toBeUndefined();
    expect(frameLabel(`not a url?token=${TOKEN}`)).toBe('not a url');
    expect(frameLabel(`https://h/${'a'.repeat(1000)}`)!.length).toBe(300);
  });

  it('validates worker notes from the page and the relay', () => {
    expect(checkHookToContent({ type: 'hook/worker', kind: 'SharedWorker' }).ok).toBe(true);
    expect(checkHookToContent({ type: 'hook/worker', kind: 'ServiceWorker' }).ok).toBe(false);
    expect(checkHookToContent({ type: 'hook/worker', kind: 'Worker', url: 'x' }).ok).toBe(false);
    expect(checkContentToBackground({ type: 'content/worker', pageId: 'p', batch: 3, kind: 'Worker' }).ok).toBe(true);
    expect(checkContentToBackground({ type: 'content/worker', pageId: 'p', batch: 3 }).ok).toBe(false);
    expect(checkContentToBackground({ type: 'content/worker', pageId: 'p', kind: 'Worker' }).ok).toBe(false);
  });

  it('marks the events of a frame the hook wrote for the panel, and only those, with their trace where there is one', () => {
    const cap = new TabCapture();
    const [open, sent, echo, again] = frames(
      ['in', '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":5000}'],
      ['out', '42/chat,["SUBSCRIBE_CHANNEL",{"channel":{"_id":"t1","type":"topic"}}]'],
      ['in', '42/chat,["CHANNEL_SUBSCRIBED",{"channel":{"_id":"t1","type":"topic"}}]'],
      ['out', '42/chat,["SUBSCRIBE_CHANNEL",{"channel":{"_id":"t1","type":"topic"}}]'],
    );
    const out = cap.ingest('page-1', [{ c: 1, url: URL2, transport: 'websocket' }], [open!, { ...sent!, p: true }, { ...echo!, p: true }, { ...again!, s: 'at run (http://h/app.js:1:2)' }], 1);
    expect(out.map((e) => e.fromPanel === true)).toEqual([false, true, false, false]);
    expect(out[3]!.trace).toBe('at run (http://h/app.js:1:2)');
  });
});
