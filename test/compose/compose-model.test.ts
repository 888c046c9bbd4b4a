import { describe, expect, it } from 'vitest';
import { draftOf, jsonErrorAt, draftPacket, isProduction, parsePayload, seenValues, template, withFreshLoopback } from '../../src/panel/views/compose/compose-model';
import { parseTrace, redactTrace } from '../../src/core/compose/trace';
import { MAX_TRACE } from '../../src/core/messages';
import type { CapturedEvent } from '../../src/core/model/event';

const sent = (seq: number, event: string, payload: unknown, t = 1000, more: Partial<CapturedEvent> = {}): CapturedEvent => ({
  seq,
  record: { kind: 'socket', conn: 1, t, dir: 'out', transport: 'websocket', raw: { text: '', length: 0, truncated: false }, packet: { type: 'EVENT', nsp: '/chat', event, args: [payload as never] } },
  spaces: { event, known: true, summary: '', issues: [], ...(typeof payload === 'object' && payload && 'topicId' in payload ? { topicId: String((payload as { topicId: unknown }).topicId) } : {}) },
  ...more,
});
const list = (evs: CapturedEvent[]) => ({ size: evs.length, at: (i: number) => evs[i] });

describe('composer model', () => {
  it('says where typed JSON breaks, by line and column', () => {
    expect(parsePayload('{"a": 1}')).toEqual({ ok: true, args: [{ a: 1 }] });
    expect(parsePayload('  ')).toEqual({ ok: true, args: [] });
    const bad = parsePayload('{\n  "a": 1,\n  "b": }');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^Not JSON/);
    expect(!bad.ok && bad.error).toMatch(/line 3, column 8/);
  });

  it('gives a SEND_MESSAGE a fresh loopbackMetadata each time, and nothing else one', () => {
    const a = withFreshLoopback('SEND_MESSAGE', [{ topicId: 't', loopbackMetadata: 'old' }]);
    const b = withFreshLoopback('SEND_MESSAGE', [{ topicId: 't', loopbackMetadata: 'old' }]);
    expect((a[0] as { loopbackMetadata: string }).loopbackMetadata).not.toBe('old');
    expect((a[0] as { loopbackMetadata: string }).loopbackMetadata).not.toBe((b[0] as { loopbackMetadata: string }).loopbackMetadata);
    expect(withFreshLoopback('SUBSCRIBE_CHANNEL', [{ loopbackMetadata: 'old' }])).toEqual([{ loopbackMetadata: 'old' }]);
    expect((template('SEND_MESSAGE', { topics: [] }) as { loopbackMetadata: string }).loopbackMetadata).toMatch(/^devtools-/);
  });

  it('fills templates and completions from what was seen: topics (titled) and the user\'s own sender', () => {
    const me = { _id: 'u1', displayname: 'Me', type: 'user' };
    const evs = [sent(1, 'SEND_MESSAGE', { topicId: 'T1', sender: me }), { ...sent(2, 'MESSAGE_SENT', {}), spaces: { event: 'MESSAGE_SENT', known: true, summary: '', issues: [], topicId: 'T2', topicTitle: 'Two' } }];
    const seen = seenValues(list(evs));
    expect(seen.topics).toEqual([{ id: 'T2', title: 'Two' }, { id: 'T1' }]);
    expect(seen.sender).toEqual(me);
    expect(template('SUBSCRIBE_CHANNEL', seen)).toEqual({ channel: { _id: 'T2', type: 'topic' } });
    expect((template('SEND_MESSAGE', seen) as { sender: unknown }).sender).toEqual(me);
  });

  it('drafts a captured send for resending, as the same packet', () => {
    const ev = sent(1, 'SUBSCRIBE_CHANNEL', { channel: { _id: 'T1', type: 'topic' } });
    const d = draftOf(ev)!;
    expect(d).toMatchObject({ conn: 1, nsp: '/chat', event: 'SUBSCRIBE_CHANNEL' });
    const p = parsePayload(d.payload);
    expect(p.ok && draftPacket(d, p.args)).toBe('42/chat,["SUBSCRIBE_CHANNEL",{"channel":{"_id":"T1","type":"topic"}}]');
    // Nothing to resend: a received event, or one in a sub-frame (the emit path reaches the top frame only).
    expect(draftOf({ ...ev, record: { ...ev.record, dir: 'in' } as CapturedEvent['record'] })).toBeUndefined();
    expect(draftOf({ ...ev, frame: 'https://x/frame' })).toBeUndefined();
  });

  it('knows the production Spaces origins', () => {
    expect(isProduction('https://spaces.avayacloud.com/spaces/x')).toBe(true);
    expect(isProduction('wss://loganstaging.avayacloud.com/socket.io/?EIO=4')).toBe(true);
    expect(isProduction('https://avayacloud.com.evil.example/')).toBe(false);
    expect(isProduction('http://127.0.0.1:8080/')).toBe(false);
    expect(isProduction(undefined)).toBe(false);
  });
});

describe('traces', () => {
  it('parses Chrome and Firefox stack lines', () => {
    expect(parseTrace('    at emit (http://h/demo.js?v=1:144:16)\n    at http://h/demo.js:10:5\nemit@http://h/demo.js:144:16\n@http://h/x.js:1:2\n(weird)')).toEqual([
      { fn: 'emit', url: 'http://h/demo.js?v=1', line: 144, col: 16 },
      { fn: '', url: 'http://h/demo.js', line: 10, col: 5 },
      { fn: 'emit', url: 'http://h/demo.js', line: 144, col: 16 },
      { fn: '', url: 'http://h/x.js', line: 1, col: 2 },
      '(weird)',
    ]);
  });

  it('redacts tokens in the URLs of a trace, keeping line and column, within the bound', () => {
    const r = redactTrace('    at send (https://h/app.js?token=SECRET123:5:7)\nsend@https://h/app.js?access_token=SECRET456:5:7');
    expect(r).not.toMatch(/SECRET/);
    expect(r).toMatch(/:5:7\)$/m);
    expect(parseTrace(r)[0]).toMatchObject({ fn: 'send', line: 5, col: 7 });
    expect(redactTrace('x'.repeat(MAX_TRACE + 10)).length).toBe(MAX_TRACE);
  });
});

describe('JSON errors', () => {
  it('finds where JSON.parse fails, as JSON.parse does', () => {
    const cases = ['{"a":1,}', '[1,2', '{"a" 1}', '{a:1}', '"x\ny"', '"\\q"', '1 2', 'tru', '{"a":[1,{"b":}]}', '01', '-', '[1,]', '"\\u12"', '{}', '[1,{"a":"\\u00e9"},null,true,-1.5e3]'];
    for (const c of cases) {
      let native = true;
      try {
        JSON.parse(c);
      } catch {
        native = false;
      }
      expect(jsonErrorAt(c) === undefined, c).toBe(native);
    }
    expect(jsonErrorAt('{"a":1,}')).toEqual({ at: 7, expected: 'a property name in double quotes' });
  });
});
