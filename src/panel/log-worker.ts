// Reads a log file off the main thread: streams it through the core LogReader and posts the header,
// events in batches and progress. Nothing from the file is executed (JSON.parse and checks only).
import { LogReader, MAX_DOCUMENT_CHARS } from '../core/log';
import type { FromLogWorker, ToLogWorker } from './log-protocol';

/** Files larger than this are refused (NDJSON streams; the panel keeps its newest events only). */
const MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024;

const post = (m: FromLogWorker): void => postMessage(m);

async function read(m: ToLogWorker): Promise<void> {
  const { file, tool } = m;
  if (file.size > MAX_FILE_BYTES) {
    post({ type: 'done', result: { layout: null, header: null, events: 0, issues: [], issueCount: 0, fatal: { message: `the file is ${Math.round(file.size / 1048576)} MB; the panel reads at most ${MAX_FILE_BYTES / 1048576} MB` } } });
    return;
  }
  const reader = new LogReader(
    {
      header: (header, layout) => post({ type: 'header', header, layout }),
      events: (events) => post({ type: 'events', events }),
    },
    { tool, maxDocumentChars: MAX_DOCUMENT_CHARS },
  );
  const stream = file.stream().pipeThrough(new TextDecoderStream());
  const r = stream.getReader();
  let bytes = 0;
  let lastPost = 0;
  for (;;) {
    const { done, value } = await r.read();
    if (done) break;
    reader.push(value);
    bytes += value.length; // characters: close enough to bytes for a progress bar
    const now = Date.now();
    if (now - lastPost > 100) {
      lastPost = now;
      post({ type: 'progress', read: Math.min(bytes, file.size), total: file.size });
    }
    if (reader.failed) {
      await r.cancel();
      break;
    }
  }
  post({ type: 'progress', read: file.size, total: file.size });
  post({ type: 'done', result: reader.end() });
}

addEventListener('message', (e: MessageEvent<ToLogWorker>) => {
  read(e.data).catch((err: unknown) =>
    post({ type: 'done', result: { layout: null, header: null, events: 0, issues: [], issueCount: 0, fatal: { message: `cannot read the file: ${err instanceof Error ? err.message : String(err)}` } } }),
  );
});
