import { describe, expect, it } from 'vitest';
import type { CapturedEvent } from '../../src/core/model/event';
import { createLogSource } from '../../src/panel/log-source';
import type { FromLogWorker } from '../../src/panel/log-protocol';
import type { SourceStatus } from '../../src/panel/source';
import { capture } from '../log/fixtures';

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
  };
  return w;
}

const file = new File(['{}'], 'x.ndjson');
const TOOL = { name: 'spaces-devtools', version: '0' };

describe('log source', () => {
  it('hands the file to the worker, events to the panel (reset first), then a fixed status', () => {
    const w = fakeWorker();
    const src = createLogSource(file, () => w as unknown as Worker, TOOL);
    expect(w.sent).toEqual([{ file, tool: TOOL }]);
    expect(src.capabilities).toEqual({ live: false, clear: false });
    const evs = capture();
    // a batch that arrives before the panel subscribes is kept for it
    w.answer({ type: 'events', events: evs.slice(0, 10) });
    const got: [number, boolean][] = [];
    const statuses: SourceStatus[] = [];
    src.subscribe({ events: (e: readonly CapturedEvent[], reset) => got.push([e.length, reset]), status: (s) => statuses.push(s) });
    w.answer({ type: 'progress', read: 1, total: 2 });
    expect(src.progress.read).toBe(1);
    w.answer({ type: 'events', events: evs.slice(10) });
    w.answer({ type: 'done', result: { layout: 'ndjson', header: null, events: evs.length, issues: [{ line: 3, message: 'bad' }], issueCount: 1, fatal: null } });
    expect(got).toEqual([
      [0, true],
      [10, false],
      [evs.length - 10, false],
    ]);
    expect(statuses.map((s) => s.connection)).toEqual(['connecting', 'offline']);
    expect(statuses.at(-1)!.malformed).toBe(1);
    expect(src.progress).toMatchObject({ events: evs.length, read: file.size, result: { issueCount: 1 } });
    expect(w.terminated).toBe(true);
  });

  it('a worker that fails ends the reading with its message', () => {
    const w = fakeWorker();
    const src = createLogSource(file, () => w as unknown as Worker, TOOL);
    w.onerror?.({ message: 'boom' } as ErrorEvent);
    expect(src.progress.result?.fatal?.message).toMatch(/boom/);
    expect(w.terminated).toBe(true);
  });
});
