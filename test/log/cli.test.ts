import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT, run } from '../../src/cli/main';
import { capture, demoFrames, T0 } from './fixtures';
import { exportText } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'spaces-log-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const events = capture();
let json: string;
let ndjson: string;
let harFile: string;

beforeAll(() => {
  json = file('a.json', exportText(events));
  ndjson = file('a.ndjson', exportText(events, { layout: 'ndjson' }));
  const entry = {
    request: { method: 'GET', url: 'ws://127.0.0.1:8084/socket.io/?EIO=4&transport=websocket' },
    _webSocketMessages: demoFrames().map(([d, data], i) => ({ type: d === 'out' ? 'send' : 'receive', time: (T0 + i * 1000) / 1000, opcode: 1, data })),
  };
  harFile = file('a.har', JSON.stringify({ log: { version: '1.2', creator: { name: 'test' }, entries: [entry] } }));
});

describe('spaces-devtools log', () => {
  it('validate: valid JSON and NDJSON logs exit 0', async () => {
    const r = await cli('log', 'validate', json, ndjson);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain(`a.json: valid JSON log, format version 1, ${events.length} events`);
    expect(r.out).toContain(`a.ndjson: valid NDJSON log, format version 1, ${events.length} events`);
  });

  it('validate: a schema error exits 1 and names the line and path', async () => {
    const lines = readFileSync(ndjson, 'utf8').split('\n');
    lines[4] = JSON.stringify({ ...JSON.parse(lines[4]!), transport: 'carrier-pigeon' });
    const r = await cli('log', 'validate', file('bad.ndjson', lines.join('\n')));
    expect(r.code).toBe(EXIT.problems);
    expect(r.err).toContain('line 5, $.transport');
    expect(r.out).toMatch(/INVALID \(1 schema errors/);
  });

  it('validate: truncated, wrong format, HAR, missing file', async () => {
    const cut = await cli('log', 'validate', file('cut.json', readFileSync(json, 'utf8').slice(0, 3000)));
    expect(cut.code).toBe(EXIT.problems);
    expect(cut.err).toMatch(/cut off|truncated/);
    const wrong = await cli('log', 'validate', file('w.json', '{"hello": "world"}'));
    expect(wrong.code).toBe(EXIT.unreadable);
    expect(wrong.err).toMatch(/neither a Spaces DevTools log/);
    expect((await cli('log', 'validate', harFile)).code).toBe(EXIT.problems);
    const missing = await cli('log', 'validate', join(dir, 'nope.json'));
    expect(missing).toMatchObject({ code: EXIT.unreadable, err: expect.stringContaining('no such file') });
    const nows = await cli('log', 'validate', file('nows.har', JSON.stringify({ log: { entries: [{ request: { url: 'http://x/' } }] } })));
    expect(nows).toMatchObject({ code: EXIT.unreadable, err: expect.stringContaining('HAR without WebSocket data') });
  });

  it('summarize: text and --json, by topic, category and attachment problems', async () => {
    const text = await cli('log', 'summarize', json);
    expect(text.code).toBe(EXIT.ok);
    expect(text.out).toMatch(/Release planning \[5f0425254b3cd61ae416fa5f\]/);
    expect(text.out).toMatch(/failed: userActions compressed.txt/);
    const j = await cli('log', 'summarize', ndjson, '--json');
    const s = JSON.parse(j.out);
    expect(s.summary.events).toBe(events.length);
    expect(s.summary.byEvent.MESSAGE_SENT).toBe(events.filter((e) => e.spaces?.event === 'MESSAGE_SENT').length);
    expect(s.summary.attachments).toMatchObject({ files: 3, problems: [{ kind: 'failed', name: 'userActions compressed.txt' }] });
    expect(s.summary.categories.find((c: { category: string }) => c.category === 'app.event.reaction.added')).toMatchObject({ events: 1, known: false });
  });

  it('convert: HAR → log, JSON → NDJSON → JSON keeps every event', async () => {
    const out1 = join(dir, 'from-har.json');
    expect((await cli('log', 'convert', harFile, '-o', out1)).code).toBe(EXIT.ok);
    const out2 = join(dir, 'b.ndjson');
    expect((await cli('log', 'convert', out1, '-o', out2)).code).toBe(EXIT.ok);
    const out3 = join(dir, 'c.json');
    expect((await cli('log', 'convert', out2, '-o', out3, '--no-raw')).code).toBe(EXIT.ok);
    expect((await cli('log', 'validate', out1, out2, out3)).code).toBe(EXIT.ok);
    const a = JSON.parse(readFileSync(out1, 'utf8'));
    const c = JSON.parse(readFileSync(out3, 'utf8'));
    expect(readFileSync(out2, 'utf8').trimEnd().split('\n')).toHaveLength(events.length + 1);
    expect(c.raw).toBe(false);
    expect(c.events.map((e: { seq: number; kind: string }) => [e.seq, e.kind])).toEqual(a.events.map((e: { seq: number; kind: string }) => [e.seq, e.kind]));
  });

  it('convert: input with skipped events still writes, exits 1', async () => {
    const lines = readFileSync(ndjson, 'utf8').split('\n');
    lines[2] = '{not json';
    const out = join(dir, 'partial.json');
    const r = await cli('log', 'convert', file('p.ndjson', lines.join('\n')), '-o', out);
    expect(r.code).toBe(EXIT.problems);
    expect(r.err).toContain('line 3: not JSON');
    expect(JSON.parse(readFileSync(out, 'utf8')).eventCount).toBe(events.length - 1);
  });

  it('anonymize: no names, e-mails or text left; exit 0', async () => {
    const out = join(dir, 'anon.ndjson');
    expect((await cli('log', 'anonymize', json, '-o', out)).code).toBe(EXIT.ok);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toMatch(/Vidas|vidas@example.com|Release planning|127\.0\.0\.1/);
    expect(JSON.parse(text.split('\n')[0]!)).toMatchObject({ anonymized: true, raw: false, origin: null });
    expect((await cli('log', 'validate', out)).code).toBe(EXIT.ok);
  });

  it('usage errors exit 2', async () => {
    expect((await cli()).code).toBe(EXIT.usage);
    expect((await cli('log', 'frobnicate', json)).code).toBe(EXIT.usage);
    expect((await cli('log', 'convert', json)).code).toBe(EXIT.usage);
    expect((await cli('log', 'summarize', json, '--bogus')).code).toBe(EXIT.usage);
    expect((await cli('log', 'convert', json, '-o', 'x', '--to', 'xml')).code).toBe(EXIT.usage);
  });
});
