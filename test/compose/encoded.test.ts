// Trace of sends written from a Socket.IO client's buffer (src/core/compose/encoded.ts): the event arrays a
// frame carries, the stack kept from the encoding, and which stack a send shows.
import { describe, expect, it } from 'vitest';
import { MAX_TRACE } from '../../src/core/messages';
import { BUFFERED, EncodedStacks, MAX_BUFFERED_MS, eventArrays, mayBeEvent, sendTrace } from '../../src/core/compose/encoded';

describe('buffered sends', () => {
  it('finds the event arrays of WebSocket frames and polling bodies, both generations', () => {
    expect(eventArrays('42/chat,["SUBSCRIBE_CHANNEL",{"channel":{"_id":"t1"}}]')).toEqual(['["SUBSCRIBE_CHANNEL",{"channel":{"_id":"t1"}}]']);
    expect(eventArrays('42["A",1]')).toEqual(['["A",1]']);
    expect(eventArrays('42/chat,17["SEND_MESSAGE",{}]')).toEqual(['["SEND_MESSAGE",{}]']);
    expect(eventArrays('451-/chat,["upload",{"_placeholder":true,"num":0}]')).toEqual(['["upload",{"_placeholder":true,"num":0}]']);
    // Engine.IO 4 polling: packets separated by \x1e; Engine.IO 3: each after its length in characters.
    expect(eventArrays('42/chat,["A"]\x1e2\x1e42/chat,["B",":"]')).toEqual(['["A"]', '["B",":"]']);
    const p1 = '42/chat,["A","x:y"]';
    const p2 = '42/chat,["B"]';
    expect(eventArrays(`${p1.length}:${p1}1:2${p2.length}:${p2}`)).toEqual(['["A","x:y"]', '["B"]']);
    // Not events: a ping, a CONNECT, an ack, text that is no packet.
    for (const f of ['2', '3', '40/chat,', '43/chat,5[{"ok":true}]', 'hello', '']) expect(eventArrays(f)).toEqual([]);
  });

  it('tells an event array from other JSON with two character tests', () => {
    expect(mayBeEvent('["SEND_MESSAGE",{}]')).toBe(true);
    expect(mayBeEvent('[1,2]')).toBe(false);
    expect(mayBeEvent('{"a":1}')).toBe(false);
    expect(mayBeEvent('')).toBe(false);
  });

  it('a send in the turn its event was encoded in keeps its own stack; a later one shows the encoding’s, and why', () => {
    const own = 'at send (http://h/lib.js:9:1)\nat flush (http://h/lib.js:8:1)';
    const enc = { s: 'at encode (http://h/lib.js:2:1)\nat emit (http://h/demo.js:144:12)\nat runPlan (http://h/demo.js:149:7)', turn: 3, t: 1000 };
    expect(sendTrace(own, enc, 3, 1001)).toBe(own);
    expect(sendTrace(own, enc, 4, 1001)).toBe(`${BUFFERED}\n${enc.s}`);
    expect(sendTrace(undefined, enc, 4, 1001)).toBe(`${BUFFERED}\n${enc.s}`);
    expect(sendTrace(own, undefined, 4, 1001)).toBe(own);
    // A polling request with several events: the first one's, said so.
    expect(sendTrace(own, enc, 4, 1001, 3)).toBe(`${BUFFERED} (the first of the 3 events in this request)\n${enc.s}`);
    // An encoding long gone is not this send's.
    expect(sendTrace(own, enc, 4, 1000 + MAX_BUFFERED_MS + 1)).toBe(own);
    // Within the bound a frame's trace may have, with its first line.
    expect(sendTrace(own, { s: 'x'.repeat(MAX_TRACE), turn: 3, t: 1000 }, 4, 1001)).toHaveLength(MAX_TRACE);
  });

  it('keeps a bounded number of stacks, takes each once, same texts in order', () => {
    const st = new EncodedStacks(3);
    st.add('["A"]', { s: 'a1', turn: 0, t: 0 });
    st.add('["A"]', { s: 'a2', turn: 0, t: 0 });
    st.add('["B"]', { s: 'b', turn: 0, t: 0 });
    st.add('["C"]', { s: 'c', turn: 1, t: 0 });
    // Over the bound: the oldest (a1) forgotten.
    expect(st.take('["A"]')?.s).toBe('a2');
    expect(st.take('["A"]')).toBeUndefined();
    expect(st.take('["B"]')?.s).toBe('b');
    expect(st.take('["C"]')).toEqual({ s: 'c', turn: 1, t: 0 });
    st.add('["D"]', { s: 'd', turn: 2, t: 0 });
    st.clear();
    expect(st.take('["D"]')).toBeUndefined();
    // Room again after taking and clearing: nothing more is forgotten than the bound asks.
    for (const t of ['1', '2', '3']) st.add(`["${t}"]`, { s: t, turn: 0, t: 0 });
    expect(['1', '2', '3'].map((t) => st.take(`["${t}"]`)?.s)).toEqual(['1', '2', '3']);
  });
});
