// What the log-reading worker hands over to the panel, and when. The panel keeps only its newest
// `keep` events (its buffer bound), so the worker holds the events not handed over yet in a queue
// bounded by `keep` (older ones are dropped there and counted, never cloned to the panel) and hands
// them over a chunk at a time, one message each, when the panel asks: the panel's main thread gets
// small tasks only, however large the file. No worker globals: `post` is the worker's postMessage.
import { LogReader, MAX_DOCUMENT_CHARS, type LogHeader, type ReadResult } from '../../core/log';
import type { CapturedEvent } from '../../core/model/event';
import type { FromLogWorker } from './log-protocol';

export class Handover {
  private queue: CapturedEvent[] = [];
  private head = 0;
  private handed = 0;
  private read = 0;
  /** Dropped since the last chunk, reported with the next one. */
  private dropped = 0;
  private result: ReadResult | null = null;
  private finished = false;
  /** Share of the file read, (0, 1]. */
  private share = 1;

  constructor(
    private readonly keep: number,
    private readonly chunk: number,
    /** Chunks that may be posted before the panel asks for more. */
    private credit: number,
    private readonly post: (m: FromLogWorker) => void,
  ) {
    if (!Number.isInteger(keep) || keep < 1 || !Number.isInteger(chunk) || chunk < 1) throw new RangeError('keep and chunk must be positive integers');
  }

  /** Events read so far. */
  get eventsRead(): number {
    return this.read;
  }

  /** Events read and not handed over (nor dropped). */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** How far the reading got (characters or bytes, against the file's size), before its events are added. */
  position(read: number, total: number): void {
    this.share = total > 0 && read > 0 ? Math.min(1, read / total) : 1;
  }

  /** Events from the reader, in file order. */
  add(events: readonly CapturedEvent[]): void {
    for (const ev of events) this.queue.push(ev);
    this.read += events.length;
    // Newer events follow: beyond `keep`, the oldest queued ones would be dropped by the panel anyway
    // (and so would every event it holds, all older).
    const excess = this.queued - this.keep;
    if (excess > 0) {
      this.head += excess;
      this.dropped += excess;
    }
    this.pump();
  }

  /** The panel applied a chunk. */
  more(): void {
    this.credit++;
    this.pump();
  }

  /** The reading ended (or stopped): what is queued goes, then `done` with result. */
  end(result: ReadResult): void {
    if (this.result) return;
    this.result = result;
    this.post({ type: 'read', events: this.read, queued: this.queued });
    this.pump();
  }

  private pump(): void {
    while (this.credit > 0) {
      // While the file is being read, the first `keep` events go if the whole file seems to hold no more
      // (the panel then has less to take at the end); otherwise they would only be dropped later, and
      // everything waits for the end, when the newest are known.
      const live = this.read / this.share <= this.keep ? this.keep - this.handed : 0;
      const n = Math.min(this.chunk, this.queued, this.result ? Infinity : live);
      if (n <= 0) break;
      const events = this.queue.slice(this.head, this.head + n);
      this.head += n;
      this.handed += n;
      this.credit--;
      this.post({ type: 'events', events, dropped: this.dropped });
      this.dropped = 0;
    }
    if (this.head >= 4096 && this.head >= this.queue.length / 2) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.result && this.queued === 0 && !this.finished) {
      this.finished = true;
      this.post({ type: 'done', result: this.result });
    }
  }
}

/** Files larger than this are refused (NDJSON streams; the panel keeps its newest events only). */
const MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024;

/** A reading that stopped before (or without) a result of the reader's own. */
export const fatalResult = (message: string, events = 0): ReadResult => ({ layout: null, header: null, events, issues: [], issueCount: 0, fatal: { message } });

/** Streams file through the core LogReader into handover; post: the header and progress. */
export async function readLogFile(file: Blob, tool: LogHeader['tool'], handover: Handover, post: (m: FromLogWorker) => void): Promise<void> {
  if (file.size > MAX_FILE_BYTES) {
    handover.end(fatalResult(`the file is ${Math.round(file.size / 1048576)} MB; the panel reads at most ${MAX_FILE_BYTES / 1048576} MB`));
    return;
  }
  const reader = new LogReader(
    {
      header: (header, layout) => post({ type: 'header', header, layout }),
      events: (events) => handover.add(events),
    },
    { tool, maxDocumentChars: MAX_DOCUMENT_CHARS },
  );
  const stream = file.stream().pipeThrough(new TextDecoderStream());
  const r = stream.getReader();
  let chars = 0;
  let lastPost = 0;
  for (;;) {
    const { done, value } = await r.read();
    if (done) break;
    chars += value.length; // characters: close enough to bytes for a progress bar
    handover.position(chars, file.size);
    reader.push(value);
    const now = Date.now();
    if (now - lastPost > 100) {
      lastPost = now;
      post({ type: 'progress', read: Math.min(chars, file.size), total: file.size, events: handover.eventsRead });
    }
    if (reader.failed) {
      await r.cancel();
      break;
    }
  }
  const result = reader.end();
  post({ type: 'progress', read: file.size, total: file.size, events: handover.eventsRead });
  handover.end(result);
}
