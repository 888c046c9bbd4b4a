import { describe, expect, it } from 'vitest';
import { checkEvent, checkHeader, LOG_FORMAT, toLogEvent } from '../../src/core/log';
import { schemaValidators } from '../../src/cli/schema';
import type { CapturedEvent } from '../../src/core/model/event';
import { capture, TOKEN } from './fixtures';
import { exportText, model, read } from './helpers';

const events = capture();

/** Every value of a JSON or NDJSON export checked against the JSON Schema (Ajv). */
function schemaErrors(text: string): string[] {
  const v = schemaValidators();
  const errors: string[] = [];
  if (text.startsWith('{') && text.split('\n', 1)[0]!.endsWith('[')) {
    if (!v.document(JSON.parse(text))) errors.push(JSON.stringify(v.document.errors?.[0]));
    return errors;
  }
  const lines = text.trimEnd().split('\n');
  if (!v.header(JSON.parse(lines[0]!))) errors.push(JSON.stringify(v.header.errors?.[0]));
  for (const l of lines.slice(1)) if (!v.event(JSON.parse(l))) errors.push(JSON.stringify(v.event.errors?.[0]));
  return errors;
}

const noRaw = (evs: CapturedEvent[]) => evs.map((e) => ({ ...e, record: { ...e.record, raw: undefined } }));

describe('export', () => {
  const variants = [
    { layout: 'json', raw: true, anonymize: false },
    { layout: 'json', raw: false, anonymize: false },
    { layout: 'ndjson', raw: true, anonymize: false },
    { layout: 'ndjson', raw: false, anonymize: true },
    { layout: 'json', raw: true, anonymize: true },
  ] as const;
  for (const opts of variants)
    it(`validates against the JSON Schema: ${JSON.stringify(opts)}`, () => {
      const text = exportText(events, opts);
      expect(schemaErrors(text)).toEqual([]);
      expect(text).not.toContain(TOKEN);
      const { result } = read(text);
      expect(result).toMatchObject({ fatal: null, issueCount: 0, events: events.length, layout: opts.layout });
    });

  it('writes the header the format asks for', () => {
    const h = JSON.parse(exportText(events).split('\n')[0]!.replace(/,"events":\[$/, '}'));
    expect(h).toMatchObject({
      format: LOG_FORMAT,
      version: 1,
      tool: { name: 'spaces-devtools' },
      browser: 'Chrome 131',
      origin: 'http://127.0.0.1:8084',
      capture: { start: new Date(events[0]!.record.t).toISOString(), end: new Date(events.at(-1)!.record.t).toISOString() },
      redacted: true,
      anonymized: false,
      raw: true,
      filter: null,
      eventCount: events.length,
    });
  });

  it('the schema and the valibot checks refuse the same broken events', () => {
    const v = schemaValidators();
    const good = toLogEvent(events[4]!, true) as unknown as Record<string, unknown>;
    const broken: Record<string, unknown>[] = [
      { ...good, seq: 0 },
      { ...good, dir: 'sideways' },
      { ...good, kind: 'other' },
      { ...good, packet: { ...(good.packet as object), type: 'NOPE' } },
      { ...good, t: 'now' },
      { ...good, spaces: { event: 'X' } },
      { ...good, raw: { text: 1, length: 0, truncated: false } },
    ];
    expect(v.event(good)).toBe(true);
    expect(checkEvent(good).ok).toBe(true);
    for (const b of broken) {
      expect(v.event(b), JSON.stringify(b).slice(0, 80)).toBe(false);
      expect(checkEvent(b).ok, JSON.stringify(b).slice(0, 80)).toBe(false);
    }
    expect(checkEvent({ ...good, dir: 'sideways' })).toMatchObject({ ok: false, path: '$.dir' });
  });
});

describe('round trip: capture → export → import', () => {
  it('gives the same events and the same model (groups, versions, diffs, attachment timelines)', () => {
    for (const layout of ['json', 'ndjson'] as const) {
      const back = read(exportText(events, { layout })).events;
      expect(back).toEqual(events);
      expect(model(back)).toEqual(model(events));
    }
  });

  it('without raw frames: the same model, raw text marked as left out', () => {
    const back = read(exportText(events, { raw: false })).events;
    expect(noRaw(back)).toEqual(noRaw(events));
    expect(back[0]!.record.raw).toEqual({ text: '', length: 0, truncated: true });
    expect(model(back)).toEqual(model(events));
  });

  it('anonymized: the same model minus the personal fields, and no personal value left', () => {
    const text = exportText(events, { anonymize: true });
    for (const personal of ['Vidas Andrijaitis', 'vidas@example.com', 'Release planning', 'roadmap.pdf', 'hello']) expect(text).not.toContain(personal);
    const back = read(text).events;
    const a = model(back);
    const b = model(events);
    const strip = (m: typeof a) => ({
      groups: m.groups.map((g) => ({ ...g, title: undefined })),
      versions: m.versions.map((v) => ({ ...v, diffs: v.diffs.map((d) => d.map((c) => ({ path: c.path, kind: c.kind }))) })),
      attachments: m.attachments.map((f) => ({ ...f, name: undefined })),
    });
    expect(strip(a)).toEqual(strip(b));
    // the same value always gets the same placeholder: titles of one topic agree
    expect(new Set(a.groups.map((g) => g.title)).size).toBe(new Set(b.groups.map((g) => g.title)).size);
    expect(a.attachments.map((f) => f.name)).toEqual(['file-1.pdf', 'file-2.txt', 'file-3.png']);
    // ids, categories and pairing survive
    expect(back.map((e) => [e.seq, e.spaces?.itemId, e.spaces?.category, e.spaces?.reply?.toSeq])).toEqual(events.map((e) => [e.seq, e.spaces?.itemId, e.spaces?.category, e.spaces?.reply?.toSeq]));
  });

  it('a filtered export holds only the chosen events and says which filter', () => {
    const chosen = events.filter((e) => e.spaces?.category === 'chat');
    const text = [...exportText(chosen, {}).split('\n')].join('\n');
    const { events: back } = read(text);
    expect(back.map((e) => e.seq)).toEqual(chosen.map((e) => e.seq));
  });
});

describe('import: bad input', () => {
  const json = exportText(events);
  const ndjson = exportText(events, { layout: 'ndjson' });

  it('a malformed NDJSON line is skipped with its line number; the rest is kept', () => {
    const lines = ndjson.split('\n');
    lines[3] = '{"seq": 3, "oops"';
    lines[5] = JSON.stringify({ ...JSON.parse(lines[5]!), dir: 'up' });
    const { result, events: back } = read(lines.join('\n'));
    expect(result.issues.slice(0, 2)).toMatchObject([
      { line: 4, message: expect.stringMatching(/^not JSON/) },
      { line: 6, path: '$.dir' },
    ]);
    expect(back).toHaveLength(events.length - 2);
    expect(result.fatal).toBeNull();
  });

  it('a truncated JSON log keeps the events before the cut and says so', () => {
    const cut = json.slice(0, Math.floor(json.length * 0.6));
    const { result, events: back } = read(cut);
    expect(back.length).toBeGreaterThan(5);
    expect(back).toEqual(events.slice(0, back.length));
    expect(result.issues.map((i) => i.message).join('\n')).toMatch(/cut off|truncated/);
    expect(result.issues.at(-1)!.message).toMatch(/header says \d+ events/);
  });

  it('a truncated NDJSON log: the cut line is reported, the others kept', () => {
    const cut = ndjson.slice(0, ndjson.length - 40);
    const { result, events: back } = read(cut);
    expect(back).toEqual(events.slice(0, events.length - 1));
    expect(result.issues[0]).toMatchObject({ line: events.length + 1, message: expect.stringMatching(/cut off/) });
  });

  it('a pretty-printed log is parsed whole; an error there names the JSON path', () => {
    const doc = JSON.parse(json);
    expect(read(JSON.stringify(doc, null, 2)).events).toEqual(events);
    doc.events[2].kind = 'weird';
    const { result, events: back } = read(JSON.stringify(doc, null, 2));
    expect(result.issues[0]).toMatchObject({ path: '$.events[2].kind' });
    expect(back).toHaveLength(events.length - 1);
  });

  it('wrong format, newer version, not JSON, empty: a clear fatal message', () => {
    expect(read('{"format":"something-else","version":1}\n').result.fatal).toMatchObject({ path: '$.format', message: 'expected "spaces-devtools-log", got "something-else"' });
    expect(read('{"log":{"version":"1.2"}}').result.fatal).toMatchObject({ path: '$', message: expect.stringMatching(/neither/) });
    const newer = json.replace('"version":1', '"version":7');
    expect(read(newer).result.fatal).toMatchObject({ line: 1, path: '$.version', message: expect.stringMatching(/newer/) });
    expect(read('<html>hello</html>').result.fatal?.message).toMatch(/starts with "<"/);
    expect(read('').result.fatal?.message).toMatch(/empty/);
    expect(read('{"format": "spaces-devtools-log", "version": 1,').result.fatal?.message).toMatch(/truncated/);
  });

  it('bounded: a document over the limit is refused without parsing it', () => {
    const pretty = JSON.stringify(JSON.parse(json), null, 1);
    const { result } = read(pretty, 4096, { maxDocumentChars: 10_000 });
    expect(result.fatal?.message).toMatch(/must be under .*NDJSON/);
  });

  it('keys that could reach a prototype are refused', () => {
    const lines = ndjson.split('\n');
    lines[2] = lines[2]!.replace('"args":[', '"args":[{"__proto__":{"x":1}},');
    expect(lines[2]).toContain('__proto__');
    const { result } = read(lines.join('\n'));
    expect(result.issues[0]?.line).toBe(3);
  });

  it('header checks: valibot says where', () => {
    expect(checkHeader({ format: LOG_FORMAT, version: 1 })).toMatchObject({ ok: false, path: '$.tool' });
  });
});

describe('export redaction', () => {
  it('credentials the page sent are redacted even when the events did not come from a capture', () => {
    const ev: CapturedEvent = {
      seq: 1,
      record: {
        kind: 'socket',
        conn: 1,
        t: 1,
        dir: 'out',
        transport: 'websocket',
        raw: { text: '42/chat,["SUBSCRIBE_CHANNEL",{"password":"hunter2"}]', length: 52, truncated: false },
        packet: { type: 'EVENT', nsp: '/chat', event: 'SUBSCRIBE_CHANNEL', args: [{ channel: { password: 'hunter2' } }], query: `token=${TOKEN}` },
      },
    };
    const text = exportText([ev]);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(TOKEN);
    expect(read(text).events[0]!.record).toMatchObject({ packet: { args: [{ channel: { password: '[redacted]' } }] } });
  });
});

describe('nesting bound', () => {
  it('a log line nested deeper than 100 levels is refused', () => {
    const lines = exportText(events, { layout: 'ndjson' }).split('\n');
    let deep: unknown = 1;
    for (let i = 0; i < 150; i++) deep = [deep];
    const ev = JSON.parse(lines[5]!);
    ev.packet.args = [deep];
    lines[5] = JSON.stringify(ev);
    const { result, events: back } = read(lines.join('\n'));
    expect(result.issues[0]).toMatchObject({ line: 6, message: expect.stringMatching(/deeper than 100/) });
    expect(back).toHaveLength(events.length - 1);
  });
});
