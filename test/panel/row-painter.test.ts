// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { RowPainter, type RowProps } from '../../src/panel/views/list/row-painter';
import { formatTime } from '../../src/panel/store/row';
import type { CapturedEvent } from '../../src/core/model/event';
import type { RowVersion } from '../../src/panel/store/changes';
import { chat } from './fixtures';

const version = (over: Partial<RowVersion> = {}): RowVersion => ({ n: 2, of: 3, seen: 3, summary: '', duplicate: false, outOfOrder: false, removal: false, ...over });
const files = { converting: 1, failed: 0, retrying: 0, stuck: 0, text: '1 converting' };
const failedFiles = { converting: 0, failed: 2, retrying: 0, stuck: 0, text: '2 failed' };

let seq = 0;
/** A row for list index `index`, each with an event of its own (so that no two are the same row). */
function row(index: number, over: Partial<RowProps> & { issues?: number; summary?: string } = {}): RowProps {
  const ev = chat(++seq, { summary: over.summary ?? `chat "hello ${seq}"` });
  for (let i = 0; i < (over.issues ?? 0); i++) ev.spaces!.issues.push({ path: '_id', message: 'required, missing' });
  return { ev, index, selected: false, topic: { text: 'Design review', known: true }, extras: undefined, showConnection: false, time: formatTime(ev.record.t), ...over };
}

/** The row's event on connection #2 of a sub-frame. */
function inFrame(r: RowProps): RowProps {
  r.ev.frame = 'https://embed.example.com/chat';
  r.ev.record.conn = 2;
  return r;
}

function decodeError(index: number): RowProps {
  const ev: CapturedEvent = { seq: ++seq, record: { kind: 'error', conn: 1, t: 1_700_000_000_000, dir: 'in', transport: 'websocket', raw: { text: '4{', length: 2, truncated: false }, error: 'unterminated JSON' } } as CapturedEvent;
  return { ev, index, selected: false, topic: { text: '', known: true }, extras: undefined, showConnection: false, time: formatTime(ev.record.t) };
}

/** The rows a painter shows, as one string of markup (attributes, classes and text). */
function painted(rows: RowProps[], slots = 8, painter?: RowPainter): { box: HTMLElement; html: string } {
  const box = document.createElement('div');
  (painter ?? new RowPainter(box)).paint(rows, slots);
  return { box, html: box.innerHTML };
}

const cells = (el: Element): string[] => [...el.querySelectorAll('[role=gridcell]')].map((c) => c.textContent ?? '');

describe('RowPainter', () => {
  it('writes a row as eight grid cells of text', () => {
    const r = row(0, { selected: true });
    const { box } = painted([r]);
    const el = box.querySelector('[role=row]')!;
    expect(el.id).toBe(`ev-${r.ev.seq}`);
    expect(el.getAttribute('aria-rowindex')).toBe('2');
    expect(el.getAttribute('aria-selected')).toBe('true');
    expect(el.className).toBe('row kind-spaces selected dir-in');
    // For MESSAGE_SENT the event column reads the category; the size is the frame's.
    expect(cells(el)).toEqual([formatTime(r.ev.record.t), '↓', 'chat', 'chat', 'Design review', 'Ada Lovelace', `${r.ev.record.raw.length} B`, `"hello ${r.ev.seq}"`]);
    expect([...el.children].map((c) => c.getAttribute('aria-colindex'))).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(el.children[1]!.getAttribute('aria-label')).toBe('received');
  });

  it('puts page text in as text, never as markup', () => {
    const r = row(0, { summary: '<img src=x onerror=alert(1)><b>bold</b>', topic: { text: '<script>x()</script>', known: true } });
    const { box } = painted([r]);
    expect(box.querySelector('img, b, script')).toBeNull();
    expect(cells(box.firstElementChild!)[7]).toBe('<img src=x onerror=alert(1)><b>bold</b>');
    expect(cells(box.firstElementChild!)[4]).toBe('<script>x()</script>');
  });

  it('shows the socket, issues, version, update and files in the summary, hidden marks apart', () => {
    const r = row(3, { showConnection: true, issues: 2, extras: { version: version({ summary: 'body edited', duplicate: true }), files: failedFiles } });
    const { box } = painted([r]);
    const summary = box.querySelector('.c-summary')!;
    expect(summary.textContent).toBe(`#1⚠ 2 issuesversion v2/3 duplicate ≡body edited ✖ attachments: 2 failed"hello ${r.ev.seq}"`);
    expect([...summary.children].map((c) => c.className)).toEqual(['conn', 'badge badge-warn', 'badge badge-ver badge-warn', 'upd', 'badge badge-files badge-error', 'muted']);
    // What a screen reader skips: the socket (the direction cell names it), the marks.
    expect([...summary.querySelectorAll('[aria-hidden=true]')].map((e) => e.textContent)).toEqual(['#1', '⚠ ', ' ≡', '✖ ']);
    expect(summary.getAttribute('title')).toBe(`Update: body edited\nchat "hello ${r.ev.seq}"`);
    expect(summary.querySelector('.conn')!.getAttribute('title')).toBe('Connection #1 (websocket) in the top frame');
    expect(box.querySelector('.c-dir')!.getAttribute('aria-label')).toBe('received on connection #1');
    expect(box.querySelector('.row')!.className).toBe('row kind-spaces odd row-issues dir-in');
  });

  it('marks a version out of order, or a removal, in its badge', () => {
    const looks = [version({ outOfOrder: true }), version({ removal: true })].map((v) => {
      const b = painted([row(0, { extras: { version: v } })]).box.querySelector('.badge-ver')!;
      return [b.className, b.querySelector('[aria-hidden=true]')!.textContent, b.textContent];
    });
    expect(looks).toEqual([
      ['badge badge-ver badge-warn', ' ⇅', 'version v2/3 out of order ⇅'],
      ['badge badge-ver badge-removed', ' ✖', 'version v2/3 removed ✖'],
    ]);
  });

  it('marks a decode error in the event cell', () => {
    const { box } = painted([decodeError(0)]);
    const event = box.querySelector('.c-event')!;
    expect(event.innerHTML).toBe('<span class="mark mark-error" aria-hidden="true">✖</span>decode error');
    expect(box.querySelector('.row')!.className).toBe('row kind-error row-error dir-in');
  });

  // Each kind of row written over each other kind, in one slot, must read as if written afresh.
  const kinds: [string, (i: number) => RowProps][] = [
    ['plain', (i) => row(i)],
    ['socket in a frame', (i) => inFrame(row(i, { showConnection: true }))],
    ['1 issue', (i) => row(i, { issues: 1 })],
    ['version', (i) => row(i, { extras: { version: version() } })],
    ['version with update', (i) => row(i, { extras: { version: version({ summary: 'title changed' }) } })],
    ['out of order', (i) => row(i, { extras: { version: version({ outOfOrder: true }) } })],
    ['removal', (i) => row(i, { extras: { version: version({ removal: true, n: 3, of: 3 }) } })],
    ['files', (i) => row(i, { extras: { files } })],
    ['failed files', (i) => row(i, { extras: { files: failedFiles } })],
    ['everything', (i) => row(i, { showConnection: true, issues: 3, extras: { version: version({ summary: 'pinned', duplicate: true }), files } })],
    ['unknown topic', (i) => row(i, { topic: { text: '5f0a1b2c3d4e', known: false } })],
    ['decode error', decodeError],
  ];
  for (const [a, first] of kinds) {
    it(`writes any row over a "${a}" row, and a "${a}" row over that, as it writes them afresh`, () => {
      for (const [b, second] of kinds) {
        const box = document.createElement('div');
        const painter = new RowPainter(box);
        painter.paint([first(1)], 4);
        const next = second(1);
        painter.paint([next], 4);
        expect(box.innerHTML, `"${b}" over "${a}"`).toBe(painted([next], 4).html);
        const again = first(1);
        painter.paint([again], 4);
        expect(box.innerHTML, `"${a}" over "${b}" over "${a}"`).toBe(painted([again], 4).html);
      }
    });
  }

  it('names a topic known only by its id as such', () => {
    const { box } = painted([row(0, { topic: { text: '5f0a1b2c3d4e', known: false } })]);
    const topic = box.querySelector('.c-topic')!;
    expect(topic.className).toBe('cell c-topic id');
    expect(topic.getAttribute('title')).toBe('Topic id 5f0a1b2c3d4e');
  });

  it('keeps rows in list order, reuses the slots of rows still in view, and takes out the others', () => {
    const box = document.createElement('div');
    const painter = new RowPainter(box);
    const rows = Array.from({ length: 12 }, (_, i) => row(i));
    painter.paint(rows.slice(2, 8), 8);
    const before = new Map([...box.children].map((el) => [el.getAttribute('aria-rowindex'), el]));
    const kept = [...box.children].slice(3).map((el) => el.innerHTML);
    const writes = new MutationObserver(() => undefined);
    for (const el of [...box.children].slice(3)) writes.observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
    painter.paint(rows.slice(5, 11), 8); // a scroll by three rows
    expect(writes.takeRecords()).toEqual([]);
    const order = [...box.children].map((el) => Number(el.getAttribute('aria-rowindex')));
    expect(order).toEqual([7, 8, 9, 10, 11, 12]);
    expect([...box.children].map((el) => (el as HTMLElement).style.top)).toEqual(['100px', '120px', '140px', '160px', '180px', '200px']);
    // Rows 5–7 stayed in their elements, not written again.
    for (const i of ['7', '8', '9']) expect(box.querySelector(`[aria-rowindex="${i}"]`)).toBe(before.get(i));
    expect([...box.children].slice(0, 3).map((el) => el.innerHTML)).toEqual(kept);
    expect(cells(box.lastElementChild!)[7]).toBe(`"hello ${rows[10]!.ev.seq}"`);
    painter.paint(rows.slice(0, 1), 8); // a filter that leaves one row
    expect(box.children.length).toBe(1);
    expect(box.firstElementChild!.getAttribute('aria-rowindex')).toBe('2');
    painter.paint(rows.slice(5, 11), 8);
    expect(box.innerHTML).toBe(painted(rows.slice(5, 11), 8).html);
  });

  it('tells which event a click landed on', () => {
    const box = document.createElement('div');
    const painter = new RowPainter(box);
    const rows = [row(0), row(1, { extras: { files } })];
    painter.paint(rows, 8);
    expect(painter.eventOf(box.querySelector('[aria-rowindex="3"] .badge-files .sr-only'))).toBe(rows[1]!.ev);
    expect(painter.eventOf(box.querySelector('[aria-rowindex="2"] .c-topic'))).toBe(rows[0]!.ev);
    expect(painter.eventOf(box)).toBeUndefined();
    expect(painter.eventOf(null)).toBeUndefined();
  });
});
