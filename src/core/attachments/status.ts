// The thumbnail conversion status of an attachment (`content.data[].convertStatus`), as Spaces sends it:
// a number in the doc's examples, a string in its table. Codes outside 0–4 are kept raw, never relabelled.

/** The documented codes. */
export const STATUS_LABELS: Readonly<Record<number, string>> = {
  0: 'not started',
  1: 'in progress',
  2: 'complete',
  3: 'failed',
  4: 'failed, retrying',
};

export interface ConvertStatus {
  /** 0–4 when known (a numeric string becomes its number); otherwise the raw value (other types as JSON text). */
  code: number | string | null;
  label: string;
  known: boolean;
}

const MAX_RAW = 40;

function clipRaw(s: string): string {
  return s.length <= MAX_RAW ? s : s.slice(0, MAX_RAW - 1) + '…';
}

/** The status a `convertStatus` value means; `undefined` when the field is absent. */
export function parseStatus(x: unknown): ConvertStatus | undefined {
  if (x === undefined) return undefined;
  let code: number | string | null;
  if (typeof x === 'number') code = x;
  else if (typeof x === 'string') code = /^\s*-?\d+(?:\.\d+)?\s*$/.test(x) ? Number(x) : clipRaw(x);
  else if (x === null) code = null;
  else code = clipRaw(JSON.stringify(x) ?? String(x));
  const label = typeof code === 'number' ? STATUS_LABELS[code] : undefined;
  if (label !== undefined) return { code, label, known: true };
  const shown = typeof code === 'string' && typeof x === 'string' ? JSON.stringify(code) : String(code);
  return { code, label: `unknown (${shown})`, known: false };
}

export function sameStatus(a: ConvertStatus, b: ConvertStatus): boolean {
  return a.code === b.code && a.label === b.label;
}

export type TransitionKind = 'forward' | 'retry' | 'backwards' | 'unknown';

/** Progress of a known code: not started < in progress / retrying < complete / failed. */
const RANK: Readonly<Record<number, number>> = { 0: 0, 1: 1, 4: 1, 2: 2, 3: 2 };

/**
 * What a change of status means. 4 → 1 is a retry; a step down in progress (e.g. 2 → 1, 1 → 0, 3 → 4)
 * is backwards; any change involving an unknown code is unknown.
 */
export function classifyTransition(from: ConvertStatus, to: ConvertStatus): TransitionKind {
  if (!from.known || !to.known || typeof from.code !== 'number' || typeof to.code !== 'number') return 'unknown';
  if (from.code === 4 && to.code === 1) return 'retry';
  const a = RANK[from.code] ?? 0;
  const b = RANK[to.code] ?? 0;
  return b < a ? 'backwards' : 'forward';
}

const UNITS = ['KB', 'MB', 'GB', 'TB'];

/** "512 B", "2.0 KB", "470.8 KB", "1.5 MB" (1 KB = 1024 B). */
export function humanSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let v = bytes / 1024;
  let i = 0;
  // 1023.95 would print as "1024.0": move up a unit first.
  while (v >= 1023.95 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${UNITS[i]}`;
}
