// The flat frames that cross from the hook to the relay and on to the background: one shape check per
// batch catches what a page forges; the relay's split and the background's unflattening keep every frame.
import { describe, expect, it } from 'vitest';
import { MAX_BATCH, checkContentToBackground, checkHookToContent, isFlatFrames, type HookFrame } from '../../src/core/messages';
import { splitBatch, toFrames } from '../../src/core/relay';
import { MAX_DECODED } from '../../src/core/wire/limits';
import { flat } from '../fixtures/flat';

const conn = { c: 1, url: 'ws://h/socket.io/?EIO=4&transport=websocket', transport: 'websocket' as const };
const frames: HookFrame[] = [
  { c: 1, t: 10, d: 'in', x: '42["A"]' },
  { c: 1, t: 11.5, d: 'out', x: '2' },
  { c: 1, t: 12, d: 'in', x: { b64: 'AAEC' } },
  { c: 2, t: 13, d: 'out', x: { b64: '' } },
];

describe('flat frames', () => {
  it('a batch the hook makes passes, and unflattens to the frames it was made of', () => {
    const msg = { type: 'hook/batch', conns: [conn], ...flat(frames) };
    expect(checkHookToContent(msg)).toEqual({ ok: true, value: msg });
    expect(toFrames({ ...flat(frames), cut: [] })).toEqual(frames);
  });

  it.each<[string, unknown, unknown]>([
    ['meta not a list', { 0: 1 }, ['x']],
    ['data not a list', [1, 1, 0], 'x'],
    ['one number short', [1, 1], ['x']],
    ['one number over', [1, 1, 0, 1], ['x']],
    ['data not text', [1, 1, 0], [{ b64: 'AA' }]],
    ['a hole', [1, 1, 0], [undefined]],
    ['connection not an integer', [1.5, 1, 0], ['x']],
    ['connection negative', [-1, 1, 0], ['x']],
    ['connection as text', ['1', 1, 0], ['x']],
    ['time not finite', [1, NaN, 0], ['x']],
    ['time infinite', [1, Infinity, 0], ['x']],
    ['kind unknown', [1, 1, 4], ['x']],
    ['kind as text', [1, 1, '0'], ['x']],
  ])('forged: %s, rejected', (_, meta, data) => {
    expect(isFlatFrames(meta, data)).toBe(false);
    expect(checkHookToContent({ type: 'hook/batch', conns: [], meta, data }).ok).toBe(false);
  });

  it('more frames than a message may carry, or a key of its own, rejected', () => {
    const n = MAX_BATCH + 1;
    expect(isFlatFrames(new Array<number>(n * 3).fill(0), new Array<string>(n).fill(''))).toBe(false);
    expect(checkHookToContent({ type: 'hook/batch', conns: [], ...flat(frames), frames }).ok).toBe(false);
    expect(checkHookToContent({ type: 'hook/batch', conns: [], meta: [] }).ok).toBe(false);
  });

  it('the panel’s marks: indices of sent frames in increasing order, carried through the relay’s split and onto the frames', () => {
    const msg = (panel: unknown) => ({ type: 'hook/batch', conns: [], ...flat(frames), panel });
    expect(checkHookToContent(msg([1])).ok).toBe(true);
    expect(checkHookToContent(msg([1, 3])).ok).toBe(true);
    expect(checkContentToBackground({ type: 'content/frames', pageId: 'p', batch: 1, conns: [], cut: [], ...flat(frames), panel: [3] }).ok).toBe(true);
    const { parts } = splitBatch([conn], { ...flat(frames), panel: [1, 3] });
    expect(parts[0]!.panel).toEqual([1, 3]);
    expect(toFrames({ ...parts[0]!, cut: [] }).map((f) => f.p === true)).toEqual([false, true, false, true]);
    // A frame left out (its connection refused) takes its mark with it; the others' indices follow.
    const skipped = splitBatch([conn], { ...flat(frames), panel: [1, 3] }, (c) => c === 2).parts[0]!;
    expect(skipped.panel).toEqual([1]);
  });

  it.each<[string, unknown]>([
    ['not a list', { 0: 1 }],
    ['a received frame', [0]],
    ['past the batch', [4]],
    ['out of order', [3, 1]],
    ['twice', [1, 1]],
    ['not an integer', [1.5]],
    ['negative', [-1]],
    ['as text', ['1']],
    ['a flag, not an index', [true]],
    ['more marks than frames', [1, 3, 5, 7, 9]],
  ])('forged panel marks: %s, rejected', (_, panel) => {
    expect(checkHookToContent({ type: 'hook/batch', conns: [], ...flat(frames), panel }).ok).toBe(false);
    expect(checkContentToBackground({ type: 'content/frames', pageId: 'p', batch: 1, conns: [], cut: [], ...flat(frames), panel }).ok).toBe(false);
  });

  it('a relay message’s cut: pairs of a frame index in order and a length, else rejected', () => {
    const msg = (cut: unknown) => ({ type: 'content/frames', pageId: 'p', batch: 1, conns: [], cut, ...flat(frames) });
    expect(checkContentToBackground(msg([0, 5, 3, 9])).ok).toBe(true);
    for (const bad of [[0], [4, 1], [3, 1, 0, 1], [0, -1], [0, 1.5], ['0', 1], 'x']) expect(checkContentToBackground(msg(bad)).ok).toBe(false);
  });

  it('the relay cuts a frame too long to decode, leaves out a refused connection’s, and keeps the rest in order', () => {
    const long = 'L'.repeat(MAX_DECODED + 1);
    const { parts, skipped } = splitBatch([conn], flat([...frames, { c: 1, t: 14, d: 'in', x: long }]), (c) => c === 2);
    expect(skipped).toBe(1);
    expect(parts).toHaveLength(1);
    const got = toFrames(parts[0]!);
    expect(got.slice(0, 3)).toEqual(frames.slice(0, 3));
    expect(got[3]).toMatchObject({ c: 1, t: 14, n: long.length });
    expect((got[3]!.x as string).length).toBeLessThan(long.length);
    expect(checkContentToBackground({ type: 'content/frames', pageId: 'p', batch: 1, ...parts[0]! }).ok).toBe(true);
  });
});
