// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { RowLayout, loadMarkers } from '../../src/panel/views/list/load-markers';
import { RowPainter, type RowProps } from '../../src/panel/views/list/row-painter';
import { chat } from './fixtures';

describe('page-load marker rows', () => {
  const seqsOfRows = [10, 11, 12, 20, 21, 30];
  const firstFrom = (seq: number): number => {
    const i = seqsOfRows.findIndex((s) => s >= seq);
    return i < 0 ? seqsOfRows.length : i;
  };

  it('marks each load after the list first row, with its page and time', () => {
    const m = loadMarkers(6, [1, 20, 25, 40], ['a', 'b', 'c', 'd'], firstFrom, (i) => 1000 + i);
    // Load 1 starts before the first row and load 4 after the last: no marker; loads 2 and 3 both start after row 2.
    expect(m).toEqual([
      { before: 3, seq: 20, url: 'b', t: 1003 },
      { before: 5, seq: 25, url: 'c', t: 1005 },
    ]);
  });

  it('pushes rows down by a row per marker above them, without taking a row index', () => {
    const l = new RowLayout(6, loadMarkers(6, [20, 25], undefined, firstFrom, () => 0));
    expect([0, 1, 2, 3, 4, 5].map((i) => l.y(i) / 20)).toEqual([0, 1, 2, 4, 5, 7]);
    expect([0, 1].map((j) => l.markerY(j) / 20)).toEqual([3, 6]);
    expect(l.height / 20).toBe(8);
    // A height on a marker reads as the row after it; on a row, that row.
    expect([0, 2, 3, 4, 5, 6, 7, 8].map((v) => l.rowAt(v * 20))).toEqual([0, 2, 3, 3, 4, 5, 5, 6]);
  });

  it('draws a marker between the rows it separates, not in the row indexes', () => {
    const box = document.createElement('div');
    const p = new RowPainter(box);
    const row = (index: number, top: number): RowProps => ({ ev: chat(index + 1), index, selected: false, topic: { text: '', known: true }, extras: undefined, showConnection: false, time: '', top });
    p.paint([row(0, 0), row(1, 20), row(2, 60)], 8, [{ key: 7, before: 2, top: 40, text: 'Page reloaded · https://x.test/ · 10:00:00.000' }]);
    const kids = [...box.children] as HTMLElement[];
    expect(kids.map((k) => k.getAttribute('aria-rowindex'))).toEqual(['2', '3', null, '4']);
    expect(kids[2]!.textContent).toBe('Page reloaded · https://x.test/ · 10:00:00.000');
    expect([kids[2]!.style.top, kids[3]!.style.top]).toEqual(['40px', '60px']);
    expect(p.eventOf(kids[2]!.firstChild)).toBeUndefined();
    p.paint([row(0, 0), row(1, 20)], 8);
    expect(box.querySelector('.load-marker')).toBeNull();
  });
});
