import { describe, expect, it } from 'vitest';
import type { CapturedEvent } from '../../src/core/model/event';
import { createLogSource, LOG_CHUNK } from '../../src/panel/sources/log-source';
import type { FromLogWorker } from '../../src/panel/sources/log-protocol';
import type { SourceStatus } from '../../src/panel/sources/source';
import { capture } from '../log/fixtures';
import { LOG_FORMAT, type LogHeader } from '../../src/core/log';

/** A stand-in for the reader worker: records what it was sent, lets the test answer. */
function fakeWorker() {
  const w = {
    sent: [] as unknown[],
    terminated: false,
    onmessage: null as ((e: MessageEvent<FromLogWorker>) => void) | null,
    onerror: null as ((e: ErrorEvent) => void) | null,
    postMessage(m: unknown) {
      w.sent.push(m);
    },
    terminate() {
      w.terminated = true;
    },
    answer(m: FromLogWorker) {
      w.onmessage?.({ data: m } as MessageEvent<FromLogWorker>);
    },
    mores: () => w.sent.filter((m) => (m as { type: string }).type === 'more').length,
  };
  return w;
}

const file = new File(['{}'], 'x.ndjson');
const TOOL = { name: 'spaces-devtools', version: '0' };

describe('log source', () => {
  it('hands the file to the worker, events to the panel (reset first), then a fixed status', () => {
    const w = fakeWorker();
    const src = createLogSource(file, () => w as unknown as Worker, TOOL, 1234);
    expect(w.sent).toEqual([{ type: 'read', file, tool: TOOL, keep: 1234, chunk: LOG_CHUNK, credit: 2 }]);
    expect(src.capabilities).toEqual({ live: false, clear: false });
    expect(src.loading).toBe(true);
    const evs = capture();
    // a chunk that arrives before the panel subscribes is kept for it, and no more is asked for meanwhile
    w.answer({ type: 'events', events: evs.slice(0, 10), dropped: 0 });
    expect(w.mores()).toBe(0);
    const got: [number, boolean, number | undefined][] = [];
    const statuses: SourceStatus[] = [];
    src.subscribe({ events: (e: readonly CapturedEvent[], reset, dropped) => got.push([e.length, reset, dropped]), status: (s) => statuses.push(s) });
    expect(w.mores()).toBe(1);
    w.answer({ type: 'progress', read: 1, total: 2, events: 500 });
    expect(src.progress).toMatchObject({ read: 1, events: 500 });
    w.answer({ type: 'read', events: 900, queued: evs.length - 10 });
    expect(src.progress.handover).toEqual({ done: 0, total: evs.length - 10 });
    w.answer({ type: 'events', events: evs.slice(10), dropped: 890 });
    expect(w.mores()).toBe(2);
    expect(src.progress.handover).toEqual({ done: evs.length - 10, total: evs.length - 10 });
    expect(src.loading).toBe(true);
    w.answer({ type: 'done', result: { layout: 'ndjson', header: null, events: 900, issues: [{ line: 3, message: 'bad' }], issueCount: 1, fatal: null } });
    expect(src.loading).toBe(false);
    expect(got).toEqual([
      [0, true, undefined],
      [10, false, 0],
      [evs.length - 10, false, 890],
    ]);
    expect(statuses.map((s) => s.connection)).toEqual(['connecting', 'offline']);
    expect(statuses.at(-1)!.malformed).toBe(1);
    expect(src.progress).toMatchObject({ events: 900, read: file.size, result: { events: 900, issueCount: 1 } });
    expect(w.terminated).toBe(true);
  });

  it("says what the log's capture dropped before the export, once its header is read", () => {
    const w = fakeWorker();
    const src = createLogSource(file, () => w as unknown as Worker, TOOL);
    const statuses: SourceStatus[] = [];
    src.subscribe({ events: () => undefined, status: (s) => statuses.push(s) });
    expect(statuses.at(-1)!.lost).toBe(0);
    const header: LogHeader = { format: LOG_FORMAT, version: 1, tool: TOOL, browser: null, origin: null, capture: { start: null, end: null }, exported: '2024-01-01T00:00:00Z', redacted: true, anonymized: false, raw: true, filter: null, eventCount: 3, dropped: 42 };
    w.answer({ type: 'header', header, layout: 'ndjson' });
    expect(statuses.at(-1)!.lost).toBe(42);
  });

  it('a worker that fails ends the reading with its message', () => {
    const w = fakeWorker();
    const src = createLogSource(file, () => w as unknown as Worker, TOOL);
    expect((w.sent[0] as { keep: number }).keep).toBe(50_000);
    w.onerror?.({ message: 'boom' } as ErrorEvent);
    expect(src.progress.result?.fatal?.message).toMatch(/boom/);
    expect(src.loading).toBe(false);
    expect(w.terminated).toBe(true);
  });
});
