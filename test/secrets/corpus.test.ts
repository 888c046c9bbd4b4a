// The secrets corpus (test/fixtures/secrets.ts) through every output that exists in Node: the decoder's
// records (structured and raw), what the background stores (TabCapture → TabStore → storage), JSON and
// NDJSON exports, the Anonymize export, the CLI (convert, anonymize, summarize) on a log written
// without redaction and on a HAR, and the list's texts (row summary, search text). Look-alikes stay.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main';
import { LOG_FORMAT, LOG_VERSION, type LogEvent } from '../../src/core/log';
import { TabCapture } from '../../src/core/model/capture';
import type { CapturedEvent } from '../../src/core/model/event';
import { TabStore, type KeyValue } from '../../src/core/model/store';
import { describeEvent } from '../../src/core/spaces';
import { createConnectionDecoder } from '../../src/core/wire/decoder';
import type { SocketPacket, WireRecord } from '../../src/core/wire/types';
import { rowText, searchText } from '../../src/panel/store/row';
import { KEPT, SECRETS, hookBatch, keptCases, leaked, secretCases, type CorpusCase } from '../fixtures/secrets';
import { exportText, read } from '../log/helpers';

const cases = secretCases();

function decode(c: CorpusCase): WireRecord[] {
  const d = createConnectionDecoder({ conn: 1, url: c.url, transport: c.transport });
  return c.frames.flatMap((f, i) => d.push({ t: 1_764_000_000_000 + i, dir: f.dir, data: f.data }));
}

function captured(c: CorpusCase): CapturedEvent[] {
  const { conns, frames } = hookBatch(c);
  return new TabCapture().ingest('page-1', conns, frames, 1).map((u, i) => ({ seq: i + 1, ...u }));
}

/** The text of every record, with binary previews and raw text, as the background would keep it. */
const dump = (v: unknown): string => JSON.stringify(v);

describe('the secrets corpus', () => {
  it.each(cases.map((c) => [c.name, c] as const))('decoder output, structured and raw: %s', (_name, c) => {
    const records = decode(c);
    expect(records.length).toBeGreaterThan(0);
    expect(leaked(dump(records), c.secrets)).toEqual([]);
  });

  it.each(cases.map((c) => [c.name, c] as const))('what the background stores: %s', async (_name, c) => {
    const data = new Map<string, unknown>();
    const kv: KeyValue = {
      get: async (keys) => Object.fromEntries(keys.filter((k) => data.has(k)).map((k) => [k, structuredClone(data.get(k))])),
      set: async (items) => Object.entries(items).forEach(([k, v]) => data.set(k, structuredClone(v))),
      remove: async (keys) => keys.forEach((k) => data.delete(k)),
    };
    const store = await TabStore.open(kv, 1, { maxEvents: 1000, maxBytes: 1e7 }, () => ({ conns: {} }));
    const capture = new TabCapture(store.extra.conns);
    const { conns, frames } = hookBatch({ ...c, url: `${c.url}&token=${SECRETS[0]}` });
    await store.append(capture.ingest('page-1', conns, frames, 1)).written;
    expect(data.size).toBeGreaterThan(0);
    expect(leaked(dump([...data.entries()]), [...c.secrets, SECRETS[0]!])).toEqual([]);
  });

  it('JSON, NDJSON and Anonymize exports', () => {
    // the corpus: both directions, each case with its secrets, every secret in some case
    expect(cases.length).toBeGreaterThan(100);
    for (const c of cases) expect(c.secrets, c.name).not.toEqual([]);
    expect(new Set(cases.flatMap((c) => c.frames.map((f) => f.dir)))).toEqual(new Set(['in', 'out']));
    expect(SECRETS.filter((s) => !cases.some((c) => c.secrets.includes(s)))).toEqual([]);
    const events = cases.flatMap(captured);
    for (const opts of [{}, { layout: 'ndjson' as const }, { anonymize: true }, { raw: false }]) {
      const text = exportText(events, opts);
      expect(leaked(text, SECRETS), JSON.stringify(opts)).toEqual([]);
    }
  });

  it('row summaries and search text', () => {
    for (const c of cases) {
      for (const ev of captured(c)) {
        expect(leaked(dump(rowText(ev)) + searchText(ev), c.secrets), c.name).toEqual([]);
      }
    }
  });
});

describe('logs written without redaction (an older version, another tool), read and written again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spaces-secrets-'));
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  function parsed(json: string): SocketPacket['args'] | undefined {
    try {
      return JSON.parse(json) as SocketPacket['args'];
    } catch {
      return undefined;
    }
  }

  /** The corpus' text cases as log events that kept everything: packet, raw text, description. */
  function unredacted(): LogEvent[] {
    const out: LogEvent[] = [];
    for (const c of cases) {
      const f = c.frames[0]!;
      if (c.frames.length !== 1 || typeof f.data !== 'string' || c.transport !== 'websocket' || !c.url.includes('EIO=4')) continue;
      const text = f.data;
      const base = { seq: out.length + 1, conn: 1, t: 1_764_000_000_000 + out.length, dir: f.dir, transport: 'websocket' as const, raw: { text, length: text.length, truncated: false } };
      const m = /^4([23])\/chat,(\d*)(.*)$/s.exec(text);
      const data = m && parsed(m[3]!);
      if (m && data) {
        const packet: SocketPacket = m[1] === '2' ? { type: 'EVENT', nsp: '/chat', event: data[0] as string, args: data.slice(1) } : { type: 'ACK', nsp: '/chat', args: data };
        if (m[2]) packet.id = Number(m[2]);
        out.push({ ...base, kind: 'socket', packet, spaces: describeEvent(packet, f.dir) });
      } else out.push({ ...base, kind: 'error', error: `kept as sent: ${text}` });
    }
    out.push({ seq: out.length + 1, kind: 'engine', type: 'ping', conn: 1, t: 1_764_000_100_000, dir: 'in', transport: 'websocket', data: `probe ${SECRETS[0]}`, raw: { text: `2probe ${SECRETS[0]}`, length: 40, truncated: false } });
    const bytes = Buffer.from(`{"password":"${SECRETS.at(-2)}"}`).toString('hex');
    out.push({ seq: out.length + 1, kind: 'error', error: 'binary frame with no BINARY_EVENT', conn: 1, t: 1_764_000_100_001, dir: 'in', transport: 'websocket', raw: { text: bytes, length: bytes.length / 2, truncated: false, binary: true } });
    return out;
  }

  const events = unredacted();
  const header = {
    format: LOG_FORMAT,
    version: LOG_VERSION,
    tool: { name: 'spaces-devtools', version: '0.0.1' },
    browser: 'Chrome 120',
    origin: 'https://spaces.avayacloud.com',
    capture: { start: null, end: null },
    exported: '2026-12-01T09:00:00.000Z',
    redacted: true,
    anonymized: false,
    raw: true,
    filter: null,
    eventCount: events.length,
    connections: [{ conn: 1, url: `wss://spaces.avayacloud.com/socket.io/?EIO=4&transport=websocket&token=${SECRETS[0]}`, transport: 'websocket' }],
  };
  const ndjson = [header, ...events].map((x) => JSON.stringify(x)).join('\n') + '\n';

  it('import: the events a panel gets from it', () => {
    // the input holds the secrets
    expect(leaked(ndjson, SECRETS).length).toBeGreaterThan(SECRETS.length / 2);
    const r = read(ndjson);
    expect(r.events.length).toBe(events.length);
    expect(leaked(dump(r), SECRETS)).toEqual([]);
  });

  it('CLI: log convert, log anonymize, log summarize (text and --json)', async () => {
    const input = file('old.ndjson', ndjson);
    const outputs: string[] = [];
    for (const argv of [
      ['convert', input, '-o', join(dir, 'c.json')],
      ['convert', input, '-o', join(dir, 'c.ndjson')],
      ['anonymize', input, '-o', join(dir, 'a.json')],
      ['summarize', input],
      ['summarize', input, '--json'],
      ['convert', input, '--to', 'ndjson', '-o', '-'],
    ]) {
      let out = '';
      let err = '';
      await run(['log', ...argv], { out: (t) => (out += t), err: (t) => (err += t) });
      outputs.push(out + err);
      if (argv[2] === '-o' && argv[3] !== '-') outputs.push(readFileSync(argv[3]!, 'utf8'));
    }
    for (const o of outputs) expect(leaked(o, SECRETS)).toEqual([]);
    expect(outputs[outputs.length - 1]).toContain('[redacted]');
  });

  it('HAR → log convert, and the HAR read in the panel', async () => {
    const ws = cases.filter((c) => c.transport === 'websocket' && c.url.includes('EIO=4'));
    const entries = ws.map((c) => ({
      request: { method: 'GET', url: `${c.url}&token=${SECRETS[0]}` },
      _webSocketMessages: c.frames.map((f, i) => ({
        type: f.dir === 'out' ? 'send' : 'receive',
        time: 1_764_000_000 + i,
        opcode: typeof f.data === 'string' ? 1 : 2,
        data: typeof f.data === 'string' ? f.data : Buffer.from(f.data).toString('base64'),
      })),
    }));
    const har = JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, entries } });
    expect(leaked(har, SECRETS).length).toBeGreaterThan(SECRETS.length / 2);
    const read1 = read(har);
    expect(read1.events.length).toBeGreaterThanOrEqual(ws.length);
    expect(leaked(dump(read1), SECRETS)).toEqual([]);
    let out = '';
    await run(['log', 'convert', file('c.har', har), '-o', '-'], { out: (t) => (out += t), err: () => undefined });
    expect(out).toContain('"events"');
    expect(leaked(out, SECRETS)).toEqual([]);
  });

});

describe('look-alikes stay as they are', () => {
  it.each(keptCases().map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const events = captured(c);
    const text = dump(events);
    expect(text).not.toContain('[redacted]');
    for (const k of KEPT) expect(text, k).toContain(JSON.stringify(k).slice(1, -1));
    const exported = exportText(events);
    expect(exported).not.toContain('[redacted]');
    expect(read(exported).events.map((e) => e.record)).toEqual(events.map((e) => e.record));
  });
});
