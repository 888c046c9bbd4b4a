// Messages between the panel and its log-reading worker (log-worker.ts).
import type { CapturedEvent } from '../../core/model/event';
import type { LogHeader, ReadLayout, ReadResult } from '../../core/log';

export type ToLogWorker =
  | {
      type: 'read';
      file: File;
      tool: LogHeader['tool'];
      /** The panel keeps this many events (its buffer bound): older ones are dropped in the worker, counted. */
      keep: number;
      /** Most events per `events` message. */
      chunk: number;
      /** Chunks the worker may send before the panel asks for more. */
      credit: number;
    }
  /** The panel applied a chunk: one more may come. */
  | { type: 'more' };

export type FromLogWorker =
  | { type: 'header'; header: LogHeader; layout: ReadLayout }
  /**
   * Events in file order. dropped: events read before these (and after the previous chunk) that the
   * panel will not keep, so never handed over; it counts them as dropped by its buffer.
   */
  | { type: 'events'; events: CapturedEvent[]; dropped: number }
  /** read and total: characters and bytes of the file; events: events read so far. */
  | { type: 'progress'; read: number; total: number; events: number }
  /** The file is read; `queued` events are still to be handed over before `done`. */
  | { type: 'read'; events: number; queued: number }
  | { type: 'done'; result: ReadResult };
