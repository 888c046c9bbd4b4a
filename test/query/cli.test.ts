// spaces-devtools log filter|stats|check over the query corpus, in-process and (for pipes) as a process.
process.env.TZ = 'UTC';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, run, type Io } from '../../src/cli/main';
import type { CapturedEvent } from '../../src/core/model/event';
import { exportText } from '../log/helpers';
import { CORPUS } from './corpus';

const dir = mkdtempSync(join(tmpdir(), 'spaces-query-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const corpus = file('corpus.ndjson', exportText(CORPUS, { layout: 'ndjson' }));
const corpusJson = file('corpus.json', exportText(CORPUS));

async function cli(argv: string[], more: Partial<Io> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => (out += t), err: (t) => (err += t), ...more });
  return { code, out, err };
}
const seqsOf = (ndjson: string): number[] => ndjson.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { seq: number }).seq);

describe('log filter', () => {
  it('writes the events a query takes, one JSON event a line, from NDJSON or JSON', async () => {
    for (const f of [corpus, corpusJson]) {
      const r = await cli(['log', 'filter', 'category:task* convert:failed status:complete', f]);
      expect(r.code).toBe(EXIT.ok);
      expect(seqsOf(r.out)).toEqual([17]);
    }
    const neg = await cli(['log', 'filter', '-event:MESSAGE_SENT', corpus]);
    expect(seqsOf(neg.out)).toEqual([25, 26, 28, 30]);
  });

  it('reads standard input ("-" or no file) in chunks, and -o - is standard output', async () => {
    const text = readFileSync(corpus, 'utf8');
    const chunks = async function* (): AsyncGenerator<string> {
      for (let i = 0; i < text.length; i += 1000) yield text.slice(i, i + 1000);
    };
    const r = await cli(['log', 'filter', 'rtt>500', '-o', '-'], { stdin: chunks() });
    expect(seqsOf(r.out)).toEqual([26]);
    const r2 = await cli(['log', 'filter', 'rtt>500', '-'], { stdin: chunks() });
    expect(r2.out).toBe(r.out);
  });

  it('--log -o file writes a whole log that reads back with its query in the header', async () => {
    const out = join(dir, 'filtered.ndjson');
    const r = await cli(['log', 'filter', 'file:roadmap.pdf', corpus, '--log', '-o', out]);
    expect(r.code).toBe(EXIT.ok);
    const v = await cli(['log', 'validate', out]);
    expect(v.code).toBe(EXIT.ok);
    const [header, ...events] = readFileSync(out, 'utf8').trim().split('\n');
    expect(JSON.parse(header!)).toMatchObject({ eventCount: 4, filter: { text: 'file:roadmap.pdf' } });
    expect(seqsOf(events.join('\n'))).toEqual([3, 6, 10, 13]);
  });

  it('a query that does not parse is a usage error that points at the column', async () => {
    const r = await cli(['log', 'filter', 'topic:x (', corpus]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain('query at column 10: expected a term\n  topic:x (\n           ^');
  });

  it('stops reading, quietly, once its output is closed', async () => {
    let writes = 0;
    const r = await cli(['log', 'filter', 'dir:in', corpus], { out: () => void writes++, closed: () => writes > 0 });
    expect(r.code).toBe(EXIT.ok);
    expect(r.err).toBe('');
    expect(writes).toBe(1);
  });
});

describe('log stats', () => {
  it('counts events per slot and key', async () => {
    const r = await cli(['log', 'stats', '--per', '10s', '--by', 'topic', '--json', corpus]);
    expect(r.code).toBe(EXIT.ok);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as { t: string; total: number; counts: Record<string, number> });
    expect(rows.map((x) => x.t)).toEqual(['2020-07-16T11:40:00.000Z', '2020-07-16T11:40:10.000Z', '2020-07-16T11:40:20.000Z', '2020-07-16T11:40:30.000Z', '2020-07-16T12:40:00.000Z']);
    expect(rows.reduce((n, x) => n + x.total, 0)).toBe(CORPUS.length);
    // Topic ids are named by the title learned for them.
    expect(rows[0]!.counts).toEqual({ 'Release planning': 6, 'Project Falcon': 3, 'Vidas Andrijaitis': 1 });
    const bySender = await cli(['log', 'stats', '--by', 'sender', corpus]);
    expect(bySender.out).toContain('2020-07-16T11:40:31.000Z       1  guest1 1\n');
  });

  it('refuses a bad --per or --by', async () => {
    expect((await cli(['log', 'stats', '--per', 'soon', corpus])).code).toBe(EXIT.usage);
    expect((await cli(['log', 'stats', '--by', 'colour', corpus])).code).toBe(EXIT.usage);
  });
});

describe('log check', () => {
  it('lists what it finds and exits 1', async () => {
    const r = await cli(['log', 'check', '--fail-on', 'failed,stuck,schema,unanswered', corpus]);
    expect(r.code).toBe(EXIT.problems);
    expect(r.out.split('\n').filter(Boolean).map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual(['stuck seq 9', 'failed seq 16', 'failed seq 26', 'schema seq 28']);
    expect(r.err).toContain('2 failed, 1 stuck, 1 schema, 0 unanswered');
  });

  it('exits 0 when none of the checks asked for finds anything; a send without reply is unanswered', async () => {
    const clean = file('clean.ndjson', exportText(CORPUS.slice(0, 3), { layout: 'ndjson' }));
    expect((await cli(['log', 'check', '--fail-on', 'failed,stuck,schema,unanswered', clean])).code).toBe(EXIT.ok);
    const lone = file('lone.ndjson', exportText([CORPUS[24]!] as CapturedEvent[], { layout: 'ndjson' }));
    const r = await cli(['log', 'check', '--fail-on', 'unanswered', lone]);
    expect(r.code).toBe(EXIT.problems);
    expect(r.out).toContain('seq 25');
    expect((await cli(['log', 'check', '--fail-on', 'failed,bogus', clean])).code).toBe(EXIT.usage);
  });
});

describe('the bin in a pipe', () => {
  it('a pipe closed early (| head -1) exits cleanly', () => {
    const many = CORPUS.length * 300;
    const events = Array.from({ length: 300 }, (_, k) => CORPUS.map((ev) => ({ ...ev, seq: ev.seq + k * 100 }))).flat() as CapturedEvent[];
    const big = file('big.ndjson', exportText(events, { layout: 'ndjson' }));
    const bin = resolve(import.meta.dirname, '../../bin/spaces-devtools.mjs');
    const r = spawnSync('bash', ['-c', `set -o pipefail; node ${bin} log filter dir:in ${big} | head -1 | wc -l; echo "status \${PIPESTATUS[0]}"`], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout.trim().split('\n')).toEqual(['1', 'status 0']);
    expect(r.stderr).toBe('');
    expect(many).toBeGreaterThan(5000);
  });
});
