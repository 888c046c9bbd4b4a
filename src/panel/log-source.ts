// A log file as a PanelSource: a worker reads it (log-worker.ts) and hands over the events; the
// panel shows them as a fixed log (not live), with the reading's progress and problems.
import type { LogHeader, ReadLayout, ReadResult } from '../core/log';
import type { CapturedEvent } from '../core/model/event';
import type { FromLogWorker } from './log-protocol';
import type { PanelSource, SourceListener, SourceStatus } from './source';

export interface LogProgress {
  name: string;
  size: number;
  read: number;
  header: LogHeader | null;
  layout: ReadLayout | null;
  events: number;
  /** Set once reading ended. */
  result: ReadResult | null;
}

export interface LogSource extends PanelSource {
  readonly progress: LogProgress;
  onProgress(fn: (p: LogProgress) => void): () => void;
  dispose(): void;
}

/** Starts reading `file` in the worker `createWorker` makes. */
export function createLogSource(file: File, createWorker: () => Worker, tool: LogHeader['tool']): LogSource {
  let progress: LogProgress = { name: file.name, size: file.size, read: 0, header: null, layout: null, events: 0, result: null };
  const watchers = new Set<(p: LogProgress) => void>();
  let listener: SourceListener | null = null;
  const pending: CapturedEvent[][] = [];
  let delivered = false;
  const status = (): SourceStatus => ({ connection: progress.result ? 'offline' : 'connecting', tab: null, malformed: progress.result?.issueCount ?? 0 });
  const update = (change: Partial<LogProgress>): void => {
    progress = { ...progress, ...change };
    for (const w of watchers) w(progress);
  };
  const deliver = (events: CapturedEvent[]): void => {
    if (!listener) {
      pending.push(events);
      return;
    }
    listener.events(events, !delivered);
    delivered = true;
  };

  const worker = createWorker();
  worker.onmessage = (e: MessageEvent<FromLogWorker>) => {
    const m = e.data;
    if (m.type === 'header') update({ header: m.header, layout: m.layout });
    else if (m.type === 'events') {
      update({ events: progress.events + m.events.length });
      deliver(m.events);
    } else if (m.type === 'progress') update({ read: m.read });
    else {
      update({ result: m.result, read: file.size });
      listener?.status(status());
      worker.terminate();
    }
  };
  worker.onerror = (e) => {
    update({ result: { layout: null, header: null, events: progress.events, issues: [], issueCount: 0, fatal: { message: `the reader stopped: ${e.message || 'worker error'}` } } });
    listener?.status(status());
    worker.terminate();
  };
  worker.postMessage({ file, tool });

  return {
    capabilities: { live: false, clear: false },
    get progress() {
      return progress;
    },
    onProgress(fn) {
      watchers.add(fn);
      return () => watchers.delete(fn);
    },
    subscribe(l) {
      listener = l;
      l.status(status());
      if (!delivered) l.events([], true);
      delivered = true;
      for (const b of pending.splice(0)) l.events(b, false);
      return () => {
        if (listener === l) listener = null;
      };
    },
    clear() {},
    dispose() {
      worker.terminate();
      watchers.clear();
      listener = null;
    },
  };
}
