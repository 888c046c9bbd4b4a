import { describe, expect, it } from 'vitest';
import { classifyTransition, humanSize, parseStatus, type ConvertStatus } from '../../src/core/attachments';

describe('parseStatus', () => {
  it.each([
    [0, 0, 'not started'],
    [1, 1, 'in progress'],
    [2, 2, 'complete'],
    [3, 3, 'failed'],
    [4, 4, 'failed, retrying'],
    ['0', 0, 'not started'],
    ['1', 1, 'in progress'],
    ['2', 2, 'complete'],
    ['3', 3, 'failed'],
    ['4', 4, 'failed, retrying'],
    [' 2 ', 2, 'complete'],
    ['2.0', 2, 'complete'],
  ])('%j is known: code %j, %s', (raw, code, label) => {
    expect(parseStatus(raw)).toEqual({ code, label, known: true });
  });

  it.each([
    [7, 7, 'unknown (7)'],
    ['7', 7, 'unknown (7)'],
    [-1, -1, 'unknown (-1)'],
    [2.5, 2.5, 'unknown (2.5)'],
    ['x', 'x', 'unknown ("x")'],
    ['', '', 'unknown ("")'],
    ['null', 'null', 'unknown ("null")'],
    [null, null, 'unknown (null)'],
    [true, 'true', 'unknown (true)'],
    [{ a: 1 }, '{"a":1}', 'unknown ({"a":1})'],
  ])('%j is kept raw: code %j, %s', (raw, code, label) => {
    expect(parseStatus(raw)).toEqual({ code, label, known: false });
  });

  it('an absent field is no status', () => {
    expect(parseStatus(undefined)).toBeUndefined();
  });

  it('a long raw code is clipped', () => {
    const s = parseStatus('y'.repeat(500));
    expect(s?.known).toBe(false);
    expect(String(s?.code).length).toBe(40);
  });
});

describe('classifyTransition', () => {
  const s = (x: unknown): ConvertStatus => {
    const out = parseStatus(x);
    if (!out) throw new Error('no status');
    return out;
  };
  // Every pair of documented codes (rows: from, columns: to). f forward, r retry, b backwards, - same.
  const TABLE: Record<number, string> = {
    //   to: 0    1    2    3    4
    0: '  -    f    f    f    f',
    1: '  b    -    f    f    f',
    2: '  b    b    -    f    b',
    3: '  b    b    f    -    b',
    4: '  b    r    f    f    -',
  };
  const KIND: Record<string, string> = { f: 'forward', r: 'retry', b: 'backwards' };
  for (const [from, row] of Object.entries(TABLE)) {
    row.trim().split(/\s+/).forEach((cell, to) => {
      if (cell === '-') return;
      it(`${from} → ${to} is ${KIND[cell]}`, () => {
        expect(classifyTransition(s(Number(from)), s(to))).toBe(KIND[cell]);
        expect(classifyTransition(s(String(from)), s(String(to)))).toBe(KIND[cell]);
      });
    });
  }

  it.each([
    [1, 7],
    [7, 2],
    [2, 'x'],
    [null, 1],
  ])('%j → %j involves an unknown code: unknown', (from, to) => {
    expect(classifyTransition(s(from), s(to))).toBe('unknown');
  });
});

describe('humanSize', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [2034, '2.0 KB'],
    [3235, '3.2 KB'],
    [482113, '470.8 KB'],
    [1024 * 1024 - 1, '1.0 MB'],
    [1.5 * 1024 * 1024, '1.5 MB'],
    [3 * 1024 ** 3, '3.0 GB'],
    [-1, ''],
    [Number.NaN, ''],
  ])('%d bytes → %j', (bytes, text) => {
    expect(humanSize(bytes)).toBe(text);
  });
});
