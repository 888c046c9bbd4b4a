// Reads a log from text chunks as they arrive (a file stream, a worker, the CLI): NDJSON, our own
// JSON layout (one event per line) streamed line by line, any other JSON document or a Chrome HAR
// parsed whole (bounded). Nothing from the file is executed: JSON.parse and checks only.
// Bad events are skipped and reported with their line (or JSON path); the rest is kept.
import type { CapturedEvent } from '../model/event';
import { describeEvent } from '../spaces';
import { fromLogEvent, LOG_FORMAT, type LogHeader } from './format';
import { isHar, readHar } from './har';
import { redactEvent } from './write';
import { redactUrl } from '../wire/redact';
import { checkEvent, checkHeader } from './schema';

export interface ReadIssue {
  /** 1-based line in the file, when the reader knows it. */
  line?: number;
  /** JSON path inside the line (NDJSON, our JSON layout) or the document. */
  path?: string;
  message: string;
}

export type ReadLayout = 'ndjson' | 'json' | 'har';

export interface ReadResult {
  layout: ReadLayout | null;
  header: LogHeader | null;
  /** Events delivered to the sink. */
  events: number;
  /** Issues kept (the first maxIssues), and how many there were. */
  issues: ReadIssue[];
  issueCount: number;
  /** What stopped the reading; events delivered before it are still valid. */
  fatal: ReadIssue | null;
}

export interface ReadSink {
  header(header: LogHeader, layout: ReadLayout): void;
  events(batch: CapturedEvent[]): void;
  /** Each value as parsed, before it is checked (a schema validator's hook): the header, then events. */
  parsed?(value: unknown, what: 'header' | 'event' | 'document', where: ReadIssue): void;
}

export interface ReaderOptions {
  tool: LogHeader['tool'];
  /** Largest document parsed whole (characters): a HAR, or JSON not laid out one event per line. */
  maxDocumentChars?: number;
  /** Longest line (characters) in NDJSON or the one-event-per-line layout. */
  maxLineChars?: number;
  maxIssues?: number;
  /** Events per sink.events call. */
  batch?: number;
}

export const MAX_DOCUMENT_CHARS = 256 * 1024 * 1024;
export const MAX_LINE_CHARS = 64 * 1024 * 1024;
const FIRST_LINE_MAX = 1024 * 1024;
const EVENTS_OPEN = /,\s*"events"\s*:\s*\[\s*$/;

type Mode = 'start' | 'ndjson' | 'json' | 'document' | 'done';

export class LogReader {
  private mode: Mode = 'start';
  private partial = '';
  private line = 0;
  private chunks: string[] = [];
  private chars = 0;
  private batch: CapturedEvent[] = [];
  private delivered = 0;
  private lastSeq = 0;
  private closed = false;
  private skippedEvents = 0;
  private header: LogHeader | null = null;
  private layout: ReadLayout | null = null;
  private issues: ReadIssue[] = [];
  private issueCount = 0;
  private fatal: ReadIssue | null = null;
  private readonly maxDoc: number;
  private readonly maxLine: number;
  private readonly maxIssues: number;
  private readonly batchSize: number;

  constructor(
    private readonly sink: ReadSink,
    private readonly opts: ReaderOptions,
  ) {
    this.maxDoc = opts.maxDocumentChars ?? MAX_DOCUMENT_CHARS;
    this.maxLine = opts.maxLineChars ?? MAX_LINE_CHARS;
    this.maxIssues = opts.maxIssues ?? 100;
    this.batchSize = opts.batch ?? 256;
  }

  get failed(): boolean {
    return this.fatal !== null;
  }

  push(chunk: string): void {
    if (this.mode === 'done' || chunk === '') return;
    if (this.mode === 'start') {
      this.partial += chunk;
      const nl = this.partial.indexOf('\n');
      if (nl < 0 && this.partial.length < FIRST_LINE_MAX) return;
      const text = this.partial;
      this.partial = '';
      if (!this.begin(nl < 0 ? null : text.slice(0, nl), text)) {
        this.mode = 'document';
        this.take(text);
      } else this.lines(text.slice(nl + 1));
      return;
    }
    if (this.mode === 'document') this.take(chunk);
    else this.lines(chunk);
  }

  end(): ReadResult {
    if (this.mode === 'start') {
      const text = this.partial;
      this.partial = '';
      if (text.trim() === '') this.stop({ message: 'the file is empty' });
      else if (!this.begin(text, text)) {
        this.mode = 'document';
        this.take(text);
      }
    }
    if (this.mode === 'document') this.document();
    else if (this.mode === 'ndjson' || this.mode === 'json') {
      if (this.partial !== '') {
        this.line++;
        this.oneLine(this.partial, true);
        this.partial = '';
      }
      if (this.mode === 'json' && !this.closed && !this.fatal) this.issue({ line: this.line, message: 'the file ends before the closing "]}" of the events (truncated?)' });
      this.flush();
      const h = this.header;
      if (h && !this.fatal && h.eventCount !== this.delivered + this.skippedEvents)
        this.issue({ message: `the header says ${h.eventCount} events; ${this.delivered} read${this.skippedEvents ? `, ${this.skippedEvents} skipped` : ''}` });
    }
    this.mode = 'done';
    this.flush();
    return { layout: this.layout, header: this.header, events: this.delivered, issues: this.issues, issueCount: this.issueCount, fatal: this.fatal };
  }

  // ---- internals ----

  /** Decides the layout from the first line; false: parse the file as one document. */
  private begin(first: string | null, whole: string): boolean {
    const head = (first ?? '').replace(/^\uFEFF/, '');
    const lead = whole.replace(/^\uFEFF/, '').trimStart()[0];
    if (lead !== undefined && lead !== '{') {
      this.stop({ line: 1, message: `not a JSON log or HAR: the file starts with ${JSON.stringify(lead)}` });
      return true;
    }
    if (first === null) return false;
    this.line = 1;
    let obj: unknown;
    try {
      obj = JSON.parse(head);
    } catch {
      if (!EVENTS_OPEN.test(head)) return false;
      try {
        obj = JSON.parse(head.replace(EVENTS_OPEN, '}'));
      } catch {
        return false;
      }
      if (!isObj(obj) || obj.format !== LOG_FORMAT) return false;
      return this.startLines(obj, 'json');
    }
    if (isObj(obj) && obj.format === LOG_FORMAT && !('events' in obj)) return this.startLines(obj, 'ndjson');
    return false;
  }

  private startLines(obj: Record<string, unknown>, layout: 'ndjson' | 'json'): boolean {
    this.sink.parsed?.(obj, 'header', { line: 1, message: '' });
    const h = checkHeader(obj);
    if (!h.ok) {
      this.stop({ line: 1, path: h.path, message: h.message });
      return true;
    }
    this.header = redactHeader(h.value);
    this.layout = layout;
    this.mode = layout;
    this.sink.header(this.header, layout);
    return true;
  }

  private lines(text: string): void {
    if (this.mode === 'done') return;
    // Lines are sliced from the chunk itself; only a line split across chunks is joined.
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl >= 0 && this.partial !== '') {
      const first = this.partial + text.slice(0, nl);
      this.partial = '';
      this.line++;
      this.oneLine(first, false);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    while (nl >= 0) {
      if ((this.mode as Mode) === 'done') return;
      this.line++;
      this.oneLine(text.slice(start, nl), false);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if ((this.mode as Mode) === 'done') return;
    this.partial = start === 0 ? this.partial + text : text.slice(start);
    if (this.partial.length > this.maxLine) this.stop({ line: this.line + 1, message: `line longer than ${this.maxLine} characters` });
  }

  private oneLine(raw: string, last: boolean): void {
    let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.mode === 'json') {
      const trimmed = text.trim();
      if (trimmed === ']}') {
        this.closed = true;
        return;
      }
      if (this.closed) {
        if (trimmed !== '') this.issue({ line: this.line, message: 'text after the end of the log' });
        return;
      }
      if (text.endsWith(',')) text = text.slice(0, -1);
    }
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.skippedEvents++;
      const truncated = last && /end of (JSON )?(input|data)|unterminated|Unexpected end/i.test(String(e));
      this.issue({ line: this.line, message: truncated ? 'the last line is cut off (truncated file?)' : `not JSON: ${errorText(e)}` });
      return;
    }
    this.event(value, '$');
  }

  private event(value: unknown, at: string): void {
    this.sink.parsed?.(value, 'event', { line: this.mode === 'document' ? undefined : this.line, path: at, message: '' });
    const r = checkEvent(value, at);
    if (!r.ok) {
      this.skippedEvents++;
      this.issue({ line: this.layout === 'har' || this.mode === 'document' ? undefined : this.line, path: r.path, message: r.message });
      return;
    }
    const e = r.value;
    if (e.seq <= this.lastSeq) {
      this.skippedEvents++;
      this.issue({ line: this.mode === 'document' ? undefined : this.line, path: `${at}.seq`, message: `seq ${e.seq} is not above the previous event's (${this.lastSeq})` });
      return;
    }
    this.lastSeq = e.seq;
    const ev = fromLogEvent(redactEvent(e));
    if (ev.record.kind === 'socket' && !ev.spaces) ev.spaces = describeEvent(ev.record.packet, ev.record.dir);
    this.batch.push(ev);
    if (this.batch.length >= this.batchSize) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const b = this.batch;
    this.batch = [];
    this.delivered += b.length;
    this.sink.events(b);
  }

  private take(chunk: string): void {
    this.chars += chunk.length;
    if (this.chars > this.maxDoc) {
      this.chunks = [];
      this.stop({
        message: `a HAR, or a JSON log not laid out one event per line, must be under ${Math.round(this.maxDoc / 1048576)} MB; convert it to NDJSON (spaces-devtools log convert)`,
      });
      return;
    }
    this.chunks.push(chunk);
  }

  private document(): void {
    const text = this.chunks.join('');
    this.chunks = [];
    let root: unknown;
    try {
      root = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
      const msg = errorText(e);
      this.stop({ ...positionOf(msg, text), message: /end of (JSON )?(input|data)|unterminated|position (\d+)/i.test(msg) && endsAt(msg, text) ? `the file ends in the middle of the JSON (truncated?): ${msg}` : `not valid JSON: ${msg}` });
      return;
    }
    if (isObj(root) && 'format' in root) {
      this.sink.parsed?.(root, 'document', { path: '$', message: '' });
      const h = checkHeader(root);
      if (!h.ok) return this.stop({ path: h.path, message: h.message });
      if (!Array.isArray(root.events)) return this.stop({ path: '$.events', message: 'expected an array of events' });
      this.header = redactHeader(h.value);
      this.layout = 'json';
      this.sink.header(this.header, 'json');
      const events = root.events as unknown[];
      for (let i = 0; i < events.length; i++) this.event(events[i], `$.events[${i}]`);
      this.flush();
      if (h.value.eventCount !== events.length) this.issue({ path: '$.eventCount', message: `the header says ${h.value.eventCount} events; the file has ${events.length}` });
      return;
    }
    if (isHar(root)) {
      const r = readHar(root, this.opts.tool);
      if (!r.ok) return this.stop(r.issue);
      this.header = r.value.header;
      this.layout = 'har';
      this.sink.header(r.value.header, 'har');
      for (const i of r.value.issues) this.issue(i);
      this.issueCount += r.value.issueCount - r.value.issues.length;
      for (const ev of r.value.events) {
        this.batch.push(ev);
        if (this.batch.length >= this.batchSize) this.flush();
      }
      this.flush();
      return;
    }
    this.stop({ path: '$', message: `neither a Spaces DevTools log (no "format": "${LOG_FORMAT}") nor a HAR (no log.entries)` });
  }

  private issue(i: ReadIssue): void {
    this.issueCount++;
    if (this.issues.length < this.maxIssues) this.issues.push(i);
  }

  private stop(i: ReadIssue): void {
    this.flush();
    this.fatal = i;
    this.mode = 'done';
  }
}

/** Connection URLs as a log from elsewhere may have kept them. */
function redactHeader(h: LogHeader): LogHeader {
  return h.connections ? { ...h, connections: h.connections.map((c) => ({ ...c, url: redactUrl(c.url) })) } : h;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 200);
}

/** The error is at (or past) the end of the text: the file was cut. */
function endsAt(msg: string, text: string): boolean {
  if (/end of (JSON )?(input|data)|unterminated/i.test(msg)) return true;
  const pos = /position (\d+)/.exec(msg);
  return pos !== null && Number(pos[1]) >= text.trimEnd().length;
}

/** Line of a JSON.parse error, from the "position N" or "line L column C" it names. */
function positionOf(msg: string, text: string): { line?: number } {
  const lc = /line (\d+) column (\d+)/.exec(msg);
  if (lc) return { line: Number(lc[1]) };
  const pos = /position (\d+)/.exec(msg);
  if (!pos) return {};
  const p = Math.min(Number(pos[1]), text.length);
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < p; i = text.indexOf('\n', i + 1)) line++;
  return { line };
}

/** Where an issue is: "line 12, $.packet.type". */
export function issueWhere(i: ReadIssue): string {
  return [i.line !== undefined ? `line ${i.line}` : '', i.path ?? ''].filter(Boolean).join(', ');
}

export function issueText(i: ReadIssue): string {
  const where = issueWhere(i);
  return where ? `${where}: ${i.message}` : i.message;
}
