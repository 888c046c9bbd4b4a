// Messages between the panel and its log-reading worker (log-worker.ts).
import type { CapturedEvent } from '../core/model/event';
import type { LogHeader, ReadLayout, ReadResult } from '../core/log';

export interface ToLogWorker {
  file: File;
  tool: LogHeader['tool'];
}

export type FromLogWorker =
  | { type: 'header'; header: LogHeader; layout: ReadLayout }
  | { type: 'events'; events: CapturedEvent[] }
  | { type: 'progress'; read: number; total: number }
  | { type: 'done'; result: ReadResult };
