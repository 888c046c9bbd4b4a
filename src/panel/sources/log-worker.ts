// Reads a log file off the main thread: streams it through the core LogReader and posts the header,
// progress, and the events the panel will keep, a chunk at a time as it asks (log-handover.ts).
// Nothing from the file is executed (JSON.parse and checks only).
import { fatalResult, Handover, readLogFile } from './log-handover';
import type { FromLogWorker, ToLogWorker } from './log-protocol';

const post = (m: FromLogWorker): void => postMessage(m);

let handover: Handover | null = null;

addEventListener('message', (e: MessageEvent<ToLogWorker>) => {
  const m = e.data;
  if (m.type === 'more') {
    handover?.more();
    return;
  }
  if (handover) return; // one file per worker
  const h = (handover = new Handover(m.keep, m.chunk, m.credit, post));
  readLogFile(m.file, m.tool, h, post).catch((err: unknown) => h.end(fatalResult(`cannot read the file: ${err instanceof Error ? err.message : String(err)}`, h.eventsRead)));
});
