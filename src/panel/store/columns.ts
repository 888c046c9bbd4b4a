// The list's columns: which exist, which are shown, their widths and the time format; kept with the
// panel's prefs and read back as untrusted. Pure: no DOM.
import type { CapturedEvent } from '../../core/model/event';
import type { RowText } from './row';
import { parseSort, type Sort } from './sort';

export const COLUMN_IDS = ['time', 'dir', 'event', 'category', 'topic', 'sender', 'size', 'summary'] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

export interface ColumnDef {
  id: ColumnId;
  label: string;
  /** Width in px (the summary takes the rest). */
  width: number;
  /** Always shown: the direction arrow and the summary. */
  fixed?: boolean;
}

export const COLUMNS: readonly ColumnDef[] = [
  { id: 'time', label: 'Time', width: 96 },
  { id: 'dir', label: 'Dir', width: 26, fixed: true },
  { id: 'event', label: 'Event', width: 150 },
  { id: 'category', label: 'Category', width: 100 },
  { id: 'topic', label: 'Topic', width: 130 },
  { id: 'sender', label: 'Sender', width: 110 },
  { id: 'size', label: 'Size', width: 64 },
  { id: 'summary', label: 'Summary', width: 0, fixed: true },
];

export const MIN_COL = 32;
export const MAX_COL = 800;

export type TimeMode = 'local' | 'utc' | 'first' | 'selected' | 'delta';
export const TIME_MODES: readonly [TimeMode, string][] = [
  ['local', 'Local time'],
  ['utc', 'UTC'],
  ['first', 'Relative to the first event'],
  ['selected', 'Relative to the selected event'],
  ['delta', 'Delta from the previous row'],
];

export interface ColumnPrefs {
  hidden: ColumnId[];
  widths: Partial<Record<ColumnId, number>>;
  time: TimeMode;
  /** The list's order: a column's (sort.ts), or arrival order (null). */
  sort: Sort | null;
}

/** The event name names the category for MESSAGE_SENT, so its column is hidden until asked for. */
export const DEFAULT_COLUMNS: ColumnPrefs = { hidden: ['category'], widths: {}, time: 'local', sort: null };

const isId = (x: unknown): x is ColumnId => typeof x === 'string' && (COLUMN_IDS as readonly string[]).includes(x);

export function parseColumns(x: unknown): ColumnPrefs {
  if (typeof x !== 'object' || x === null) return DEFAULT_COLUMNS;
  const o = x as Record<string, unknown>;
  const hidden = Array.isArray(o.hidden) ? o.hidden.filter(isId).filter((id) => !COLUMNS.find((c) => c.id === id)?.fixed) : DEFAULT_COLUMNS.hidden;
  const widths: ColumnPrefs['widths'] = {};
  if (typeof o.widths === 'object' && o.widths !== null) {
    for (const [k, v] of Object.entries(o.widths as Record<string, unknown>)) {
      if (isId(k) && typeof v === 'number' && Number.isFinite(v)) widths[k] = clampCol(v);
    }
  }
  const time = TIME_MODES.find(([m]) => m === o.time)?.[0] ?? 'local';
  return { hidden: [...new Set(hidden)], widths, time, sort: parseSort(o.sort) };
}

export const clampCol = (w: number): number => Math.round(Math.max(MIN_COL, Math.min(MAX_COL, w)));

export const colWidth = (p: ColumnPrefs, id: ColumnId): number => p.widths[id] ?? COLUMNS.find((c) => c.id === id)!.width;

/** What the event column reads: for MESSAGE_SENT its category (chat, task.updated…), else the event name. */
export function eventLabel(r: RowText): string {
  return r.event === 'MESSAGE_SENT' && r.category ? r.category : r.event;
}

/** The Event column's widths when sized to its content: no narrower, no wider (a longer name is cut, its title whole). */
export const EVENT_AUTO = { min: 90, max: 220 } as const;

/**
 * The Event column sized to the widest label among `labels` (event names, categories), as `measure` reads
 * a text's width in px, plus the cell's padding; within EVENT_AUTO.
 */
export function autoEventWidth(labels: Iterable<string>, measure: (text: string) => number, padding = 14): number {
  let w = 0;
  for (const l of labels) if (l !== 'MESSAGE_SENT') w = Math.max(w, measure(l));
  return Math.round(Math.max(EVENT_AUTO.min, Math.min(EVENT_AUTO.max, w + padding)));
}

/** The frame's size as the page sent or got it (before the capture cut it). */
export function frameSize(ev: CapturedEvent): number {
  return ev.record.raw.length;
}

export function formatSize(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad3 = (n: number): string => String(n).padStart(3, '0');

/** What a row's time is read against. */
export interface TimeContext {
  mode: TimeMode;
  /** The first event's time (mode first). */
  first: number;
  /** The selected event's time (mode selected; first when none is selected). */
  selected: number | null;
  /** Show the date: the events span more than one day. */
  dated: boolean;
  /** Read the clock in UTC: mode utc, or an imported log (its times read the same for every reader). */
  utc: boolean;
}

export function clockTime(t: number, utc: boolean, dated: boolean): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return '--:--:--.---';
  const [mo, da, h, mi, s, ms] = utc
    ? [d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()]
    : [d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()];
  return `${dated ? `${pad2(mo + 1)}-${pad2(da)} ` : ''}${pad2(h)}:${pad2(mi)}:${pad2(s)}.${pad3(ms)}${utc ? 'Z' : ''}`;
}

/** A signed span: "+1.250 s", "−2:05.100", "+1:02:03.000". */
export function span(ms: number): string {
  const r = Math.round(ms);
  const sign = r < 0 ? '−' : '+';
  const a = Math.abs(r);
  const s = Math.floor(a / 1000);
  const frac = pad3(a % 1000);
  if (s < 60) return `${sign}${s}.${frac} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${sign}${m}:${pad2(s % 60)}.${frac}`;
  const h = Math.floor(m / 60);
  return `${sign}${h}:${pad2(m % 60)}:${pad2(s % 60)}.${frac}`;
}

/** The time column's text for an event at t; prev: the previous row's time (mode delta). */
export function rowTime(t: number, prev: number | undefined, c: TimeContext): string {
  switch (c.mode) {
    case 'first':
      return span(t - c.first);
    case 'selected':
      return span(t - (c.selected ?? c.first));
    case 'delta':
      return prev === undefined ? span(0) : span(t - prev);
    default:
      return clockTime(t, c.utc || c.mode === 'utc', c.dated);
  }
}

/** Whether times between first and last fall on different days (in UTC or local time). */
export function spansDays(first: number, last: number, utc: boolean): boolean {
  const a = new Date(first);
  const b = new Date(last);
  return utc ? a.toISOString().slice(0, 10) !== b.toISOString().slice(0, 10) : a.toDateString() !== b.toDateString();
}

export const sizeText = (ev: CapturedEvent): string => formatSize(frameSize(ev));
