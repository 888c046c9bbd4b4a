// spaces-devtools log filter|stats|check: the panel's query language over a log, streamed (see
// docs/QUERY.md). One parser and evaluator with the panel (src/core/query).
import { createWriteStream, type WriteStream } from 'node:fs';
import type { CapturedEvent } from '../core/model/event';
import { isoTime, issueText, toLogEvent, writeEvents, type LogHeader, type ReadResult } from '../core/log';
import { categoryKeyOf, topicKeyOf } from '../core/model/grouping';
import { DEFAULT_STUCK_AFTER_MS, problemsOf } from '../core/attachments';
import { compile, parseAmount, TrackedContext, tryParse } from '../core/query';
import { searchText } from '../panel/store/row';
import { redactEvent } from '../core/log/write';
import { EXIT, readFile, toolInfo, type Io } from './main';

const CHECKS = ['failed', 'stuck', 'schema', 'unanswered'] as const;
type Check = (typeof CHECKS)[number];

interface QueryArgs {
  command: 'filter' | 'stats' | 'check';
  query?: string;
  file: string;
  output?: string;
  log: boolean;
  perMs: number;
  by: 'topic' | 'category' | 'sender';
  json: boolean;
  failOn: Check[];
  stuckAfterMs: number;
}

function parse(argv: string[]): QueryArgs | string {
  const [command, ...rest] = argv;
  if (command !== 'filter' && command !== 'stats' && command !== 'check') return `unknown command ${command}`;
  const a: QueryArgs = { command, file: '-', log: false, perMs: 1000, by: 'topic', json: false, failOn: [], stuckAfterMs: DEFAULT_STUCK_AFTER_MS };
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const x = rest[i]!;
    const value = (): string | undefined => rest[++i];
    if (x === '-o' || x === '--output') {
      const v = value();
      if (v === undefined) return `${x} needs a file`;
      a.output = v;
    } else if (x === '--log') a.log = true;
    else if (x === '--json') a.json = true;
    else if (x === '--per') {
      const v = value() ?? '';
      const ms = /^\d+(ms|s|m|h)$/.test(v) ? Number(v.replace(/\D+$/, '')) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[v.replace(/^\d+/, '') as 'ms'] : NaN;
      if (!(ms > 0)) return '--per takes a duration: 100ms, 1s, 1m, 1h';
      a.perMs = ms;
    } else if (x === '--by') {
      const v = value();
      if (v !== 'topic' && v !== 'category' && v !== 'sender') return '--by takes topic, category or sender';
      a.by = v;
    } else if (x === '--fail-on') {
      const list = (value() ?? '').split(',').filter(Boolean);
      const bad = list.find((c) => !(CHECKS as readonly string[]).includes(c));
      if (bad !== undefined || list.length === 0) return `--fail-on takes a list of ${CHECKS.join(', ')}${bad ? `, not "${bad}"` : ''}`;
      a.failOn = list as Check[];
    } else if (x === '--stuck-after') {
      const ms = parseAmount('rtt', value() ?? '');
      if (ms === undefined || ms <= 0) return '--stuck-after takes a duration: 120s';
      a.stuckAfterMs = ms;
    } else if (x.startsWith('-') && x !== '-' && !(command === 'filter' && positional.length === 0)) return `unknown option ${x}`;
    else positional.push(x);
  }
  if (command === 'filter') {
    if (positional.length === 0) return 'filter needs a query';
    a.query = positional.shift();
  }
  if (command === 'check' && a.failOn.length === 0) return 'check needs --fail-on';
  if (positional.length > 1) return `${command} takes one input file`;
  if (positional[0] !== undefined) a.file = positional[0];
  return a;
}

/** Where the output goes: standard output (none or "-") or a file, with back-pressure either way. */
function sinkFor(io: Io, output: string | undefined): { write(text: string): void; closed(): boolean; drain(): Promise<void>; end(): Promise<void> } {
  if (output === undefined || output === '-')
    return { write: (t) => io.out(t), closed: () => io.closed?.() ?? false, drain: () => io.drain?.() ?? Promise.resolve(), end: () => Promise.resolve() };
  const ws: WriteStream = createWriteStream(output, { encoding: 'utf8' });
  let full = false;
  return {
    write: (t) => {
      if (!ws.write(t)) full = true;
    },
    closed: () => ws.destroyed,
    drain: () => (full ? new Promise<void>((ok) => ws.once('drain', () => ((full = false), ok()))) : Promise.resolve()),
    end: () => new Promise<void>((ok, fail) => ws.end((e?: Error | null) => (e ? fail(e) : ok()))),
  };
}

function report(io: Io, file: string, r: ReadResult): void {
  if (r.fatal) io.err(`${file}: ${issueText(r.fatal)}\n`);
  for (const i of r.issues) io.err(`${file}: ${issueText(i)}\n`);
}

/** Reads the input, feeding each event in order to `each`. */
async function read(io: Io, a: QueryArgs, each: (ev: CapturedEvent) => void, after?: () => Promise<boolean>, header?: (h: LogHeader) => void): Promise<ReadResult> {
  const stdin = a.file === '-' ? io.stdin : undefined;
  if (a.file === '-' && !stdin) return { layout: null, header: null, events: 0, issues: [], issueCount: 0, fatal: { message: 'no standard input' } };
  return readFile(a.file, { header: (h) => header?.(h), events: (b) => b.forEach(each) }, stdin, after);
}

const unreadable = (r: ReadResult): boolean => r.fatal !== null && r.events === 0;

async function filter(io: Io, a: QueryArgs): Promise<number> {
  const parsed = tryParse(a.query!);
  if (!parsed.ok) {
    io.err(`spaces-devtools: query ${parsed.error.message}\n  ${a.query}\n  ${' '.repeat(parsed.error.column - 1)}^\n`);
    return EXIT.usage;
  }
  const ctx = new TrackedContext(searchText);
  const test = compile(parsed.node, ctx);
  const out = sinkFor(io, a.output);
  const kept: CapturedEvent[] = [];
  let h0: LogHeader | null = null;
  let raw = true;
  const r = await read(
    io,
    a,
    (ev) => {
      ctx.add(ev);
      if (!test(ev) || out.closed()) return;
      if (a.log) kept.push(ev);
      else out.write(JSON.stringify(redactEvent(toLogEvent(ev, raw))) + '\n');
    },
    async () => {
      await out.drain();
      return out.closed();
    },
    (h) => {
      h0 = h;
      raw = h.raw;
    },
  );
  if (a.log && h0 && !out.closed()) {
    const h: LogHeader = h0;
    const header: LogHeader = { ...h, tool: toolInfo(), exported: isoTime(Date.now())!, eventCount: kept.length, filter: { text: a.query!, topic: null, category: null, dir: 'all', problems: false } };
    for (const c of writeEvents(header, kept.map((ev) => toLogEvent(ev, raw)), { layout: 'ndjson', anonymize: false })) {
      if (out.closed()) break;
      out.write(c);
      await out.drain();
    }
  }
  await out.end();
  // Its reader went away: the rest was not read on purpose.
  if (out.closed()) return EXIT.ok;
  report(io, a.file, r);
  if (unreadable(r)) return EXIT.unreadable;
  return r.fatal || r.issueCount ? EXIT.problems : EXIT.ok;
}

function keyOf(ev: CapturedEvent, by: QueryArgs['by']): string {
  if (by === 'category') return categoryKeyOf(ev);
  if (by === 'sender') {
    const s = ev.spaces?.sender;
    return (s && (s.displayName ?? s.username ?? s.id)) || '(none)';
  }
  return topicKeyOf(ev);
}

/** A key as printed: a topic by its latest title. */
function keyName(key: string, by: QueryArgs['by'], titles: Map<string, string>): string {
  if (by !== 'topic') return key;
  return key === '' ? '(no topic)' : (titles.get(key) ?? key);
}

async function stats(io: Io, a: QueryArgs): Promise<number> {
  const slots = new Map<number, Map<string, number>>();
  const titles = new Map<string, string>();
  const r = await read(io, a, (ev) => {
    const s = ev.spaces;
    if (s?.topicId !== undefined && s.topicTitle) titles.set(s.topicId, s.topicTitle);
    const slot = Math.floor(ev.record.t / a.perMs) * a.perMs;
    let m = slots.get(slot);
    if (!m) slots.set(slot, (m = new Map()));
    const k = keyOf(ev, a.by);
    m.set(k, (m.get(k) ?? 0) + 1);
  });
  report(io, a.file, r);
  if (unreadable(r)) return EXIT.unreadable;
  const out = sinkFor(io, a.output);
  for (const slot of [...slots.keys()].sort((x, y) => x - y)) {
    if (out.closed()) break;
    const counts = [...slots.get(slot)!].map(([k, c]): [string, number] => [keyName(k, a.by, titles), c]).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    const total = counts.reduce((n, [, c]) => n + c, 0);
    if (a.json) out.write(JSON.stringify({ t: isoTime(slot), per: a.perMs, by: a.by, total, counts: Object.fromEntries(counts) }) + '\n');
    else out.write(`${isoTime(slot)}  ${String(total).padStart(6)}  ${counts.map(([k, c]) => `${k} ${c}`).join(', ')}\n`);
    await out.drain();
  }
  await out.end();
  return r.fatal || r.issueCount ? EXIT.problems : EXIT.ok;
}

const REQUESTS: ReadonlySet<string> = new Set(['SEND_MESSAGE', 'SUBSCRIBE_CHANNEL']);

async function check(io: Io, a: QueryArgs): Promise<number> {
  const ctx = new TrackedContext(searchText, a.stuckAfterMs);
  const found: { check: Check; seq: number; t: number; text: string }[] = [];
  const waiting = new Map<number, CapturedEvent>();
  const on = new Set(a.failOn);
  let last = 0;
  const r = await read(io, a, (ev) => {
    ctx.add(ev);
    last = Math.max(last, ev.record.t);
    const s = ev.spaces;
    if (on.has('schema')) {
      if (ev.record.kind === 'error') found.push({ check: 'schema', seq: ev.seq, t: ev.record.t, text: `decode error: ${ev.record.error}` });
      for (const i of s?.issues ?? []) found.push({ check: 'schema', seq: ev.seq, t: ev.record.t, text: `${s!.event}: ${i.path}: ${i.message}` });
    }
    if (on.has('failed') && s && /_FAILED$/.test(s.event)) found.push({ check: 'failed', seq: ev.seq, t: ev.record.t, text: `${s.event}${s.error ? `: ${s.error}` : ''}` });
    if (s && ev.record.dir === 'out' && REQUESTS.has(s.event)) waiting.set(ev.seq, ev);
    if (s?.reply) waiting.delete(s.reply.toSeq);
  });
  report(io, a.file, r);
  if (unreadable(r)) return EXIT.unreadable;
  for (const f of ctx.attachments.files()) {
    for (const p of problemsOf(f, last, { stuckAfterMs: a.stuckAfterMs })) {
      const kind = p.kind === 'failed' ? 'failed' : p.kind === 'stuck' ? 'stuck' : null;
      if (kind && on.has(kind)) found.push({ check: kind, seq: p.seq, t: f.last.t, text: `file ${f.name ?? ''} (${f.fileId}): ${p.text}` });
    }
  }
  if (on.has('unanswered'))
    for (const ev of waiting.values()) found.push({ check: 'unanswered', seq: ev.seq, t: ev.record.t, text: `${ev.spaces!.event} got no reply` });
  found.sort((x, y) => x.seq - y.seq);
  const out = sinkFor(io, a.output);
  for (const f of found) {
    if (out.closed()) break;
    out.write(a.json ? JSON.stringify({ ...f, t: isoTime(f.t) }) + '\n' : `${f.check.padEnd(10)} seq ${f.seq}  ${isoTime(f.t)}  ${f.text}\n`);
  }
  await out.end();
  const counts = a.failOn.map((c) => `${found.filter((f) => f.check === c).length} ${c}`).join(', ');
  io.err(`${a.file}: ${counts}\n`);
  if (found.length) return EXIT.problems;
  return r.fatal || r.issueCount ? EXIT.problems : EXIT.ok;
}

/** Runs filter, stats or check (argv from the command on); a string is a usage error. */
export async function runQueryCommand(argv: string[], io: Io): Promise<number | string> {
  const a = parse(argv);
  if (typeof a === 'string') return a;
  if (a.command === 'filter') return filter(io, a);
  if (a.command === 'stats') return stats(io, a);
  return check(io, a);
}
