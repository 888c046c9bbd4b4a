// A log file as a PanelSource: a worker reads it (log-worker.ts) and hands over the events the panel
// will keep, a chunk per message as the panel asks (log-handover.ts); the panel shows them as a fixed
// log (not live), with the reading's progress and problems.
import type { LogHeader, ReadLayout, ReadResult } from '../../core/log';
import type { CapturedEvent } from '../../core/model/event';
import type { FromLogWorker, ToLogWorker } from './log-protocol';
import type { PanelSource, SourceListener, SourceStatus } from './source';
import { DEFAULT_MAX_EVENTS } from '../store/state';

/** Events per chunk handed over: a few milliseconds of the panel's time each. */
export const LOG_CHUNK = 250;
/** Chunks on their way: the worker prepares the next one while the panel applies one. */
const IN_FLIGHT = 2;

export interface LogProgress {
  name: string;
  size: number;
  read: number;
  header: LogHeader | null;
  layout: ReadLayout | null;
  /** Events read so far. */
  events: number;
  /** Once the file is read: events still to be handed over (the newest the panel keeps), and handed since. */
  handover: { done: number; total: number } | null;
  /** Set once reading ended and every event kept is handed over. */
  result: ReadResult | null;
}

export interface LogSource extends PanelSource {
  readonly progress: LogProgress;
  onProgress(fn: (p: LogProgress) => void): () => void;
  dispose(): void;
}

/** Starts reading `file` in the worker `createWorker` makes; the panel keeps the newest `keep` events. */
export function createLogSource(file: File, createWorker: () => Worker, tool: LogHeader['tool'], keep = DEFAULT_MAX_EVENTS): LogSource {
  let progress: LogProgress = { name: file.name, size: file.size, read: 0, header: null, layout: null, events: 0, handover: null, result: null };
  const watchers = new Set<(p: LogProgress) => void>();
  let listener: SourceListener | null = null;
  const pending: { events: CapturedEvent[]; dropped: number }[] = [];
  let delivered = false;
  const status = (): SourceStatus => ({
    connection: progress.result ? 'offline' : 'connecting',
    tab: null,
    malformed: progress.result?.issueCount ?? 0,
    lost: progress.header?.dropped ?? 0,
  });
  const update = (change: Partial<LogProgress>): void => {
    progress = { ...progress, ...change };
    for (const w of watchers) w(progress);
  };
  const worker = createWorker();
  const send = (m: ToLogWorker): void => worker.postMessage(m);
  /** A chunk applied: the worker may send the next one. Held back while no one listens. */
  const deliver = (events: CapturedEvent[], dropped: number): void => {
    if (!listener) {
      pending.push({ events, dropped });
      return;
    }
    listener.events(events, !delivered, dropped);
    delivered = true;
    send({ type: 'more' });
  };

  worker.onmessage = (e: MessageEvent<FromLogWorker>) => {
    const m = e.data;
    if (m.type === 'header') {
      update({ header: m.header, layout: m.layout });
      listener?.status(status());
    } else if (m.type === 'events') {
      if (progress.handover) update({ handover: { ...progress.handover, done: progress.handover.done + m.events.length } });
      deliver(m.events, m.dropped);
    } else if (m.type === 'progress') update({ read: m.read, events: m.events });
    else if (m.type === 'read') update({ read: file.size, events: m.events, handover: { done: 0, total: m.queued } });
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
  send({ type: 'read', file, tool, keep, chunk: LOG_CHUNK, credit: IN_FLIGHT });

  return {
    capabilities: { live: false, clear: false },
    get progress() {
      return progress;
    },
    get loading() {
      return progress.result === null;
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
      for (const b of pending.splice(0)) deliver(b.events, b.dropped);
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
