import { describe, expect, it } from 'vitest';
import { DEFAULT_COLUMNS, EVENT_AUTO, autoEventWidth, clockTime, eventLabel, formatSize, parseColumns, rowTime, spansDays, span, type TimeContext } from '../../src/panel/store/columns';
import { emitCode, frameText, payloadText, valuePath } from '../../src/panel/store/copies';
import { rowText } from '../../src/panel/store/row';
import { chat } from './fixtures';

const ctx = (over: Partial<TimeContext> = {}): TimeContext => ({ mode: 'local', first: 0, selected: null, dated: false, utc: false, ...over });
const T = Date.UTC(2026, 11, 7, 9, 5, 3, 42);

describe('columns', () => {
  it('names MESSAGE_SENT by its category, other events by their name', () => {
    const ev = chat(1);
    expect(rowText(ev).event).toBe('MESSAGE_SENT');
    expect(eventLabel(rowText(ev))).toBe('chat');
    expect(eventLabel({ ...rowText(ev), event: 'SEND_MESSAGE' })).toBe('SEND_MESSAGE');
    expect(eventLabel({ ...rowText(ev), category: '' })).toBe('MESSAGE_SENT');
  });

  it('reads prefs back as untrusted', () => {
    expect(parseColumns(null)).toEqual(DEFAULT_COLUMNS);
    expect(parseColumns({ hidden: ['topic', 'summary', 'nope', 3, 'topic'], widths: { event: 5, topic: 1e9, x: 100, size: 'w' }, time: 'delta' })).toEqual({
      hidden: ['topic'],
      widths: { event: 32, topic: 800 },
      time: 'delta',
      sort: null,
    });
    expect(parseColumns({ sort: { col: 'size', desc: true } }).sort).toEqual({ col: 'size', desc: true });
    expect(parseColumns({ sort: { col: 'summary', desc: true } }).sort).toBeNull();
    expect(parseColumns({ time: 'eval' }).time).toBe('local');
  });

  it('sizes the Event column to its longest name, within limits, MESSAGE_SENT aside (its category shows)', () => {
    const px = (t: string): number => t.length * 8;
    expect(autoEventWidth(['chat', 'SUBSCRIBE_CHANNEL', 'MESSAGE_SENT'], px)).toBe(17 * 8 + 14);
    expect(autoEventWidth(['chat'], px)).toBe(EVENT_AUTO.min);
    expect(autoEventWidth(['chat', 'X'.repeat(60)], px)).toBe(EVENT_AUTO.max);
  });

  it('formats sizes', () => {
    expect([formatSize(999), formatSize(1500), formatSize(25_000), formatSize(3_200_000)]).toEqual(['999 B', '1.5 kB', '25 kB', '3.2 MB']);
  });
});

describe('time formats', () => {
  it('clock time in UTC, with the date when the events span days', () => {
    expect(clockTime(T, true, false)).toBe('09:05:03.042Z');
    expect(clockTime(T, true, true)).toBe('12-07 09:05:03.042Z');
    expect(rowTime(T, undefined, ctx({ utc: true }))).toBe('09:05:03.042Z');
    expect(rowTime(T, undefined, ctx({ mode: 'utc' }))).toBe('09:05:03.042Z');
    const d = new Date(T);
    expect(rowTime(T, undefined, ctx())).toBe(`${String(d.getHours()).padStart(2, '0')}:05:03.042`);
  });

  it('relative to the first or the selected event, and delta from the previous row', () => {
    expect(rowTime(T + 1250, undefined, ctx({ mode: 'first', first: T }))).toBe('+1.250 s');
    expect(rowTime(T, undefined, ctx({ mode: 'selected', first: 0, selected: T + 125_100 }))).toBe('−2:05.100');
    expect(rowTime(T, undefined, ctx({ mode: 'selected', first: T - 10 }))).toBe('+0.010 s');
    expect(rowTime(T, T - 3_723_000, ctx({ mode: 'delta' }))).toBe('+1:02:03.000');
    expect(rowTime(T, undefined, ctx({ mode: 'delta' }))).toBe('+0.000 s');
    expect(span(-0.4)).toBe('+0.000 s');
  });

  it('tells when events span days', () => {
    expect(spansDays(T, T + 3600_000, true)).toBe(false);
    expect(spansDays(T, T + 86_400_000, true)).toBe(true);
  });
});

describe('copies', () => {
  it('copies the payload, the frame and the event as socket.emit code', () => {
    const ev = chat(1);
    expect(JSON.parse(payloadText(ev))).toEqual({ category: 'chat' });
    expect(frameText(ev)).toBe('42["MESSAGE_SENT",{"category":"chat"}]');
    expect(emitCode(ev)).toBe('socket.emit("MESSAGE_SENT", {\n  "category": "chat"\n});');
    const err = { seq: 2, record: { kind: 'error', conn: 1, t: 0, dir: 'in', transport: 'websocket', raw: { text: '4{', length: 9000, truncated: true }, error: 'x' } } as never;
    expect(emitCode(err)).toBeNull();
    expect(frameText(err)).toBe('4{\n… (9000 characters in all)');
  });

  it('writes a value path JavaScript reads', () => {
    expect(valuePath(['content', 'data', 0, 'name'])).toBe('payload.content.data[0].name');
    expect(valuePath(['a-b', '$ok'])).toBe('payload["a-b"].$ok');
  });
});
