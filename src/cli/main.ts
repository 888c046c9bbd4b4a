// spaces-devtools log validate|summarize|convert|anonymize — see docs/LOG-FORMAT.md ("Command line").
// Exit codes: 0 fine; 1 the input has problems (invalid, or events skipped; output still written);
// 2 usage error; 3 the input cannot be read at all (missing, wrong format, truncated header…).
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import type { CapturedEvent } from '../core/model/event';
import {
  LogReader,
  Summarizer,
  issueText,
  isoTime,
  summaryText,
  toLogEvent,
  writeEvents,
  type LogHeader,
  type LogLayout,
  type ReadResult,
  type ReadSink,
} from '../core/log';
import { firstError, schemaValidators } from './schema';
import { runQueryCommand } from './query';

export const EXIT = { ok: 0, problems: 1, usage: 2, unreadable: 3 } as const;

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Standard input, read for the input file "-". */
  stdin?: AsyncIterable<string | Buffer>;
  /** True once standard output was closed by its reader (`| head -1`): stop quietly. */
  closed?(): boolean;
  /** Resolves when standard output can take more (back-pressure while streaming). */
  drain?(): Promise<void>;
}

const USAGE = `usage: spaces-devtools log <command> [options] <file>

commands:
  validate <file>...            check logs against the format's JSON Schema (docs/log-format.schema.json)
  summarize <file> [--json]     events by topic and category, problems, sends (round trip p50/p95), attachment problems
  convert <file> -o <out>       HAR → log, JSON ↔ NDJSON (layout from --to or the output's extension)
  anonymize <file> -o <out>     replace names, usernames, e-mails, avatars and message text
  filter <query> [<file>|-]     the events a query takes (docs/QUERY.md), one JSON event a line, as they
                                are read; --log: a whole NDJSON log (header first) instead
  stats [--per 1s] [--by topic|category|sender] [--json] [<file>|-]   events per time slot and key
  check --fail-on failed,stuck,schema,unanswered [--stuck-after 120s] [<file>|-]
                                exit 1 when the log holds any of them (each is listed)

options:
  -o, --output <file>   where convert/anonymize write ("-": standard output)
  --to json|ndjson      output layout (default: from the output's extension, else json)
  --no-raw              leave raw frame text out (convert)
  --json                summarize as JSON

exit codes: 0 fine, 1 problems in the input (output still written), 2 usage, 3 input unreadable
`;

export function toolInfo(): LogHeader['tool'] {
  try {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { name: string; version: string };
    return { name: pkg.name, version: pkg.version };
  } catch {
    return { name: 'spaces-devtools', version: '0.0.0' };
  }
}

interface Args {
  command: string;
  files: string[];
  output?: string;
  to?: LogLayout;
  raw: boolean;
  json: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const [group, command, ...rest] = argv;
  if (group !== 'log' || !command) return 'expected: log <command>';
  const a: Args = { command, files: [], raw: true, json: false };
  for (let i = 0; i < rest.length; i++) {
    const x = rest[i]!;
    if (x === '-o' || x === '--output') {
      const v = rest[++i];
      if (v === undefined) return `${x} needs a file`;
      a.output = v;
    } else if (x === '--to') {
      const v = rest[++i];
      if (v !== 'json' && v !== 'ndjson') return '--to takes json or ndjson';
      a.to = v;
    } else if (x === '--no-raw') a.raw = false;
    else if (x === '--json') a.json = true;
    else if (x.startsWith('-') && x !== '-') return `unknown option ${x}`;
    else a.files.push(x);
  }
  if (!['validate', 'summarize', 'convert', 'anonymize'].includes(command)) return `unknown command ${command}`;
  if (a.files.length === 0) return 'no input file';
  if (command !== 'validate' && a.files.length > 1) return `${command} takes one input file`;
  if ((command === 'convert' || command === 'anonymize') && a.output === undefined) return `${command} needs -o <file>`;
  return a;
}

/**
 * Streams a file (or `input`, standard input) through a LogReader. A file that cannot be opened is a
 * fatal issue. `after` runs after each chunk (back-pressure); reading stops once it returns true.
 */
export async function readFile(path: string, sink: ReadSink, input?: AsyncIterable<string | Buffer>, after?: () => Promise<boolean>): Promise<ReadResult> {
  const reader = new LogReader(sink, { tool: toolInfo() });
  try {
    const stream = input ?? createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      reader.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
      if (reader.failed || (after && (await after()))) {
        if ('destroy' in stream && typeof stream.destroy === 'function') stream.destroy();
        break;
      }
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { layout: null, header: null, events: 0, issues: [], issueCount: 0, fatal: { message: err.code === 'ENOENT' ? 'no such file' : `cannot read: ${err.message}` } };
  }
  return reader.end();
}

function report(io: Io, file: string, r: ReadResult): void {
  if (r.fatal) io.err(`${file}: ${issueText(r.fatal)}\n`);
  for (const i of r.issues) io.err(`${file}: ${issueText(i)}\n`);
  if (r.issueCount > r.issues.length) io.err(`${file}: … ${r.issueCount - r.issues.length} more problems\n`);
}

async function validate(io: Io, files: string[]): Promise<number> {
  const v = schemaValidators();
  let code: number = EXIT.ok;
  for (const file of files) {
    let schemaErrors = 0;
    const shown: string[] = [];
    const sink: ReadSink = {
      header: () => undefined,
      events: () => undefined,
      parsed: (value, what, where) => {
        const fn = what === 'header' ? v.header : what === 'event' ? v.event : v.document;
        if (fn(value)) return;
        schemaErrors++;
        if (shown.length < 20) shown.push(`${where.line !== undefined ? `line ${where.line}, ` : ''}${firstError(fn, where.path ?? '$')}`);
      },
    };
    const r = await readFile(file, sink);
    if (r.fatal) {
      report(io, file, r);
      code = Math.max(code, r.layout === null && r.header === null ? EXIT.unreadable : EXIT.problems);
      continue;
    }
    if (r.layout === 'har') {
      io.err(`${file}: a HAR, not a Spaces DevTools log (convert it: spaces-devtools log convert ${file} -o log.json)\n`);
      code = Math.max(code, EXIT.problems);
      continue;
    }
    for (const s of shown) io.err(`${file}: schema: ${s}\n`);
    report(io, file, r);
    if (schemaErrors || r.issueCount) {
      io.out(`${file}: INVALID (${schemaErrors} schema errors, ${r.issueCount} problems, ${r.events} events readable)\n`);
      code = Math.max(code, EXIT.problems);
    } else io.out(`${file}: valid ${LAYOUT_NAME[r.layout ?? 'json']} log, format version ${r.header?.version}, ${r.events} events\n`);
  }
  return code;
}

const LAYOUT_NAME = { json: 'JSON', ndjson: 'NDJSON', har: 'HAR' } as const;

async function summarize(io: Io, file: string, json: boolean): Promise<number> {
  const s = new Summarizer();
  let h: LogHeader | null = null as LogHeader | null;
  const r = await readFile(file, { header: (x) => (h = x), events: (b) => b.forEach((ev) => s.add(ev)) });
  report(io, file, r);
  if (r.fatal && r.events === 0) return EXIT.unreadable;
  const sum = s.result();
  if (json) io.out(JSON.stringify({ file, layout: r.layout, header: h, problems: r.issueCount + (r.fatal ? 1 : 0), summary: sum }, null, 2) + '\n');
  else {
    io.out(`${file}: ${LAYOUT_NAME[r.layout ?? 'json']}, ${h?.browser ?? 'unknown browser'}, ${h?.origin ?? 'unknown origin'}${h?.anonymized ? ', anonymized' : ''}\n`);
    io.out(summaryText(sum));
  }
  return r.fatal || r.issueCount ? EXIT.problems : EXIT.ok;
}

async function rewrite(io: Io, a: Args, anonymize: boolean): Promise<number> {
  const file = a.files[0]!;
  const events: CapturedEvent[] = [];
  let h0: LogHeader | null = null as LogHeader | null;
  const r = await readFile(file, {
    header: (h) => (h0 = h),
    events: (b) => {
      for (const ev of b) events.push(ev);
    },
  });
  report(io, file, r);
  if (!h0) return EXIT.unreadable;
  const out = a.output!;
  const layout: LogLayout = a.to ?? (/\.(ndjson|jsonl)$/i.test(out) ? 'ndjson' : 'json');
  const raw = h0.raw && a.raw && !anonymize;
  const header: LogHeader = { ...h0, tool: toolInfo(), exported: isoTime(Date.now())!, raw, anonymized: anonymize || h0.anonymized, eventCount: events.length };
  if (anonymize) {
    header.origin = null;
    if (header.connections) header.connections = header.connections.map((c) => ({ ...c, url: '' }));
  }
  const chunks = writeEvents(header, events.map((ev) => toLogEvent(ev, raw)), { layout, anonymize });
  if (out === '-') for (const c of chunks) io.out(c);
  else {
    const ws = createWriteStream(out, { encoding: 'utf8' });
    for (const c of chunks) if (!ws.write(c)) await new Promise<void>((res) => ws.once('drain', () => res()));
    ws.end();
    await finished(ws);
    io.err(`${out}: ${events.length} events, ${layout === 'ndjson' ? 'NDJSON' : 'JSON'}${header.anonymized ? ', anonymized' : ''}\n`);
  }
  return r.fatal || r.issueCount ? EXIT.problems : EXIT.ok;
}

export async function run(argv: string[], io: Io): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  if (argv[0] === 'log' && (argv[1] === 'filter' || argv[1] === 'stats' || argv[1] === 'check')) {
    const r = await runQueryCommand(argv.slice(1), io);
    if (typeof r === 'number') return r;
    io.err(`spaces-devtools: ${r}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const a = parseArgs(argv);
  if (typeof a === 'string') {
    io.err(`spaces-devtools: ${a}\n\n${USAGE}`);
    return EXIT.usage;
  }
  switch (a.command) {
    case 'validate':
      return validate(io, a.files);
    case 'summarize':
      return summarize(io, a.files[0]!, a.json);
    case 'convert':
      return rewrite(io, a, false);
    default:
      return rewrite(io, a, true);
  }
}
