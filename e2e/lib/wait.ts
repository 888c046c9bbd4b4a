// Waits on a condition, as expect.poll: read until ok(value), then return that value. A failure names what
// was awaited and shows the last value read (or why the last read failed).
import { expect } from '@playwright/test';
import type { Row } from './panel';

export async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeout = 10_000, show: (v: T) => string = (v) => JSON.stringify(v)?.slice(0, 2000) ?? String(v)): Promise<T> {
  let last: { v: T } | undefined;
  await expect
    .poll(
      async () => {
        let v: T;
        try {
          v = await read();
        } catch (e) {
          // A read across a navigation (the panel reloading) fails: it is read again.
          return `not yet; the read failed: ${String(e)}`;
        }
        last = { v };
        return ok(v) || `not yet; last read: ${show(v)}`;
      },
      { message: what, timeout, intervals: [100, 150, 250] },
    )
    .toBe(true);
  return last!.v;
}

/** The last few rows, for a failure message. */
export const lastRows = (rows: Row[]): string =>
  `${rows.length} rows, the last ${JSON.stringify(rows.slice(-5).map((r) => `${r.dir}${r.event} ${r.summary.slice(0, 60)}`))}`;

/** Reads the rows until ok(rows). */
export const rowsUntil = (what: string, read: () => Promise<Row[]>, ok: (rows: Row[]) => boolean, timeout = 30_000): Promise<Row[]> => until(what, read, ok, timeout, lastRows);

/** Waits until n() is at least `atLeast` and has not changed for 800 ms (so a scroll through the list sees every row); returns it. */
export async function settledCount(what: string, n: () => Promise<number>, atLeast: number, timeout = 30_000): Promise<number> {
  let last = -1;
  let since = 0;
  const v = await until(
    what,
    async () => {
      const now = await n();
      if (now !== last) [last, since] = [now, Date.now()];
      return { n: now, settled: Date.now() - since >= 800 };
    },
    (x) => x.n >= atLeast && x.settled,
    timeout,
    (x) => `${x.n} rows (at least ${atLeast} expected)`,
  );
  return v.n;
}

/** Reads a text (e.g. the panel's counts line) until ok(text) and it has not changed for a second; returns it. */
export async function settledText(what: string, read: () => Promise<string>, ok: (text: string) => boolean, timeout = 30_000): Promise<string> {
  let last = '';
  let since = 0;
  const v = await until(
    what,
    async () => {
      const text = await read();
      if (text !== last) [last, since] = [text, Date.now()];
      return { text, settled: Date.now() - since >= 1000 };
    },
    (x) => x.settled && ok(x.text),
    timeout,
    (x) => x.text,
  );
  return v.text;
}
