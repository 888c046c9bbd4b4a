// Log import: the rate of reading a 100 MB NDJSON log with the core LogReader (chunks of 1 MB: split,
// JSON.parse, valibot checks, depth check, event model) as a ratio to plain line-by-line JSON.parse of the
// same text, alternating rounds, medians. Target: ratio >= 0.5.
import { LogReader, writeLog } from '../src/core/log';
import type { CapturedEvent } from '../src/core/model/event';
import { capture } from '../test/log/fixtures';
import { median } from './lib/stats';

const TARGET_BYTES = 100 * 1024 * 1024;
const CHUNK = 1 << 20;
const ROUNDS = 5;

function bigLog(): string {
  const base = capture();
  const events: CapturedEvent[] = [];
  const meta = { tool: { name: 'spaces-devtools', version: 'bench' }, browser: 'bench', filter: null };
  const one = [...writeLog(base, meta, { layout: 'ndjson', raw: true, anonymize: false })].join('').length;
  const copies = Math.ceil(TARGET_BYTES / one);
  for (let c = 0; c < copies; c++) for (const ev of base) events.push({ ...ev, seq: events.length + 1, record: { ...ev.record, t: ev.record.t + c * 60_000 } });
  return [...writeLog(events, meta, { layout: 'ndjson', raw: true, anonymize: false })].join('');
}

let sink = 0;

function plain(text: string): void {
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    const v = JSON.parse(text.slice(start, nl)) as { seq?: number };
    sink += v.seq ?? 0;
    start = nl + 1;
  }
}

function reader(text: string): void {
  const r = new LogReader({ header: () => undefined, events: (b) => (sink += b.length) }, { tool: { name: 'bench', version: '0' } });
  for (let i = 0; i < text.length; i += CHUNK) r.push(text.slice(i, i + CHUNK));
  const res = r.end();
  if (res.fatal || res.issueCount) throw new Error(`bench log read with problems: ${JSON.stringify(res.fatal ?? res.issues[0])}`);
}

export default function run(): void {
  const text = bigLog();
  const mb = Buffer.byteLength(text) / (1024 * 1024);
  const lines = text.split('\n', 2 ** 32 - 1).length - 1;
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 ? [plain, reader] : [reader, plain];
    for (const f of order) {
      const t0 = performance.now();
      f(text);
      (f === plain ? a : b).push((performance.now() - t0) / 1000);
    }
  }
  const pa = median(a);
  const pb = median(b);
  console.log(`log import: ${mb.toFixed(1)} MB NDJSON, ${lines} lines, ${ROUNDS} rounds, medians`);
  console.log(`  JSON.parse per line   ${(mb / pa).toFixed(1)} MB/s`);
  console.log(`  LogReader (import)    ${(mb / pb).toFixed(1)} MB/s`);
  console.log(`  ratio import / JSON.parse: ${(pa / pb).toFixed(2)} (target >= 0.5)`);
  if (sink === -1) console.log(sink);
}
