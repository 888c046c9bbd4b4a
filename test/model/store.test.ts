import { describe, expect, it } from 'vitest';
import { TabStore, type KeyValue } from '../../src/core/model/store';
import type { CapturedEvent } from '../../src/core/model/event';

function memoryKv(): KeyValue & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    async get(keys) {
      const out: Record<string, unknown> = {};
      for (const k of keys) if (data.has(k)) out[k] = structuredClone(data.get(k));
      return out;
    },
    async set(items) {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys) {
      for (const k of keys) data.delete(k);
    },
  };
}

function ev(text: string): Omit<CapturedEvent, 'seq'> {
  return {
    record: {
      kind: 'engine',
      type: 'ping',
      conn: 1,
      t: 0,
      dir: 'in',
      transport: 'websocket',
      raw: { text, length: text.length, truncated: false },
    },
  };
}

const fresh = () => ({ note: 'x' });

describe('TabStore', () => {
  it('numbers events in order and returns what came after a seq', async () => {
    const kv = memoryKv();
    const s = await TabStore.open(kv, 7, { maxEvents: 100, maxBytes: 1e6 }, fresh);
    const a = s.append([ev('a'), ev('b')]);
    const b = s.append([ev('c')]);
    expect(a.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(b.events.map((e) => e.seq)).toEqual([3]);
    await b.written;
    const r = await s.since(1);
    expect(r.reset).toBe(false);
    expect(r.events.map((e) => e.record.raw.text)).toEqual(['b', 'c']);
  });

  it('survives a restart: a new store on the same storage has every event and goes on numbering', async () => {
    const kv = memoryKv();
    const s = await TabStore.open(kv, 1, { maxEvents: 100, maxBytes: 1e6 }, fresh);
    await s.append([ev('a'), ev('b')]).written;
    const again = await TabStore.open(kv, 1, { maxEvents: 100, maxBytes: 1e6 }, fresh);
    expect((await again.since(0)).events.map((e) => e.seq)).toEqual([1, 2]);
    expect(again.append([ev('c')]).events[0]!.seq).toBe(3);
    expect(again.extra).toEqual({ note: 'x' });
  });

  it('drops the oldest beyond the count bound and counts exactly what it dropped', async () => {
    const kv = memoryKv();
    const s = await TabStore.open(kv, 1, { maxEvents: 5, maxBytes: 1e9 }, fresh);
    let written: Promise<void> = Promise.resolve();
    for (let i = 0; i < 10; i++) ({ written } = s.append([ev(String(i))]));
    const st = s.status();
    expect(st.count).toBe(5);
    expect(st.dropped).toBe(5);
    expect(st.lastSeq).toBe(10);
    const r = await s.since(0);
    expect(r.events.map((e) => e.record.raw.text)).toEqual(['5', '6', '7', '8', '9']);
    // once written, storage holds only what is kept: 5 chunks and the meta
    await written;
    expect([...kv.data.keys()].filter((k) => k.startsWith('tab:1:')).length).toBe(6);
  });

  it('bounds by bytes', async () => {
    const kv = memoryKv();
    const s = await TabStore.open(kv, 1, { maxEvents: 1e6, maxBytes: 2000 }, fresh);
    for (let i = 0; i < 20; i++) s.append([ev('x'.repeat(400))]);
    expect(s.status().bytes).toBeLessThanOrEqual(2000);
    expect(s.status().dropped + s.status().count).toBe(20);
  });

  it('clear frees events but keeps numbering; a seq from before the clear is answered with a reset only when in the future', async () => {
    const kv = memoryKv();
    const s = await TabStore.open(kv, 1, { maxEvents: 100, maxBytes: 1e6 }, fresh);
    s.append([ev('a'), ev('b')]);
    await s.clear();
    expect(s.status()).toMatchObject({ count: 0, dropped: 0, lastSeq: 2 });
    expect(s.append([ev('c')]).events[0]!.seq).toBe(3);
    expect((await s.since(2)).events.map((e) => e.seq)).toEqual([3]);
    const future = await s.since(99);
    expect(future.reset).toBe(true);
    expect(future.events.map((e) => e.seq)).toEqual([3]);
  });

  it('destroy removes every key of the tab and no other', async () => {
    const kv = memoryKv();
    const s1 = await TabStore.open(kv, 1, { maxEvents: 100, maxBytes: 1e6 }, fresh);
    const s2 = await TabStore.open(kv, 2, { maxEvents: 100, maxBytes: 1e6 }, fresh);
    s1.append([ev('a')]);
    await s2.append([ev('b')]).written;
    await s1.destroy();
    expect([...kv.data.keys()].every((k) => k.startsWith('tab:2:'))).toBe(true);
    expect((await s2.since(0)).events).toHaveLength(1);
  });
});

describe('write-behind', () => {
  it('writes many appends at once, never writes a chunk dropped before the write, and resolves written once stored', async () => {
    const kv = memoryKv();
    const sets: string[][] = [];
    const counting: KeyValue = { ...kv, set: (items) => (sets.push(Object.keys(items)), kv.set(items)) };
    const s = await TabStore.open(counting, 3, { maxEvents: 3, maxBytes: 1e9 }, fresh, 20);
    let written: Promise<void> = Promise.resolve();
    for (let i = 0; i < 10; i++) ({ written } = s.append([ev(String(i))]));
    // Not stored yet, but already readable.
    expect(kv.data.size).toBe(0);
    expect((await s.since(0)).events.map((e) => e.record.raw.text)).toEqual(['7', '8', '9']);
    await written;
    expect(sets).toHaveLength(1);
    expect(sets[0]!.sort()).toEqual(['tab:3:7', 'tab:3:8', 'tab:3:9', 'tab:3:meta']);
    const again = await TabStore.open(kv, 3, { maxEvents: 3, maxBytes: 1e9 }, fresh);
    expect((await again.since(0)).events.map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(again.status()).toMatchObject({ dropped: 7, count: 3, lastSeq: 10 });
  });

  it('a destroyed store does not write again', async () => {
    const kv = memoryKv();
    const s = await TabStore.open(kv, 4, { maxEvents: 100, maxBytes: 1e9 }, fresh, 20);
    const { written } = s.append([ev('a')]);
    await s.destroy();
    await written;
    expect(kv.data.size).toBe(0);
  });
});

/** Storage with a quota shared by every key, as chrome.storage.session: a set that would pass it stores nothing and throws. */
function quotaKv(quota: number): KeyValue & { data: Map<string, unknown>; used(): number; sets: number; failures: number } {
  const kv = memoryKv();
  const size = (k: string, v: unknown): number => k.length + JSON.stringify(v).length;
  const used = (): number => [...kv.data].reduce((n, [k, v]) => n + size(k, v), 0);
  const q = {
    ...kv,
    used,
    sets: 0,
    failures: 0,
    async set(items: Record<string, unknown>) {
      q.sets++;
      let after = used();
      for (const [k, v] of Object.entries(items)) after += size(k, v) - (kv.data.has(k) ? size(k, kv.data.get(k)) : 0);
      if (after > quota) {
        q.failures++;
        throw new Error('Session storage quota bytes exceeded. Values were not stored.');
      }
      await kv.set(items);
    },
  };
  return q;
}

describe('storage quota', () => {
  const big = (i: number) => ev(`${i}:${'x'.repeat(1000)}`);

  it('a tab that finds the shared storage full drops its own oldest chunks, counts them apart, and keeps what it says it keeps', async () => {
    const kv = quotaKv(60_000);
    const limits = { maxEvents: 1000, maxBytes: 1e6 };
    const a = await TabStore.open(kv, 1, limits, fresh);
    for (let i = 0; i < 4; i++) await a.append([big(i), big(i), big(i), big(i), big(i)]).written;
    const b = await TabStore.open(kv, 2, limits, fresh);
    let sent = 0;
    for (let i = 0; i < 12; i++) {
      await b.append([big(i), big(i), big(i)]).written;
      sent += 3;
    }
    expect(kv.failures).toBeGreaterThan(0);
    expect(kv.used()).toBeLessThanOrEqual(60_000);
    const st = b.status();
    expect(st.droppedFull).toBeGreaterThan(0);
    expect(st.dropped).toBe(st.droppedFull);
    expect(st.count + st.dropped).toBe(sent);
    // The newest are the ones kept, in order, and a restarted worker finds exactly those.
    const again = await TabStore.open(kv, 2, limits, fresh);
    const kept = (await again.since(0)).events;
    expect(kept.length).toBe(st.count);
    expect(kept.map((e) => e.seq)).toEqual(Array.from({ length: st.count }, (_, i) => sent - st.count + 1 + i));
    expect(again.status()).toEqual(st);
    // The other tab lost nothing.
    expect(a.status()).toMatchObject({ count: 20, dropped: 0, droppedFull: 0 });
    // A clear starts the counts again.
    await b.clear();
    expect(b.status()).toMatchObject({ count: 0, dropped: 0, droppedFull: 0 });
  });

  it('when not even the newest chunk fits, the tab keeps none and says how many; its writes still resolve', async () => {
    const kv = quotaKv(3_000);
    const s = await TabStore.open(kv, 3, { maxEvents: 1000, maxBytes: 1e6 }, fresh);
    await s.append([big(1), big(2), big(3), big(4)]).written;
    expect(s.status()).toMatchObject({ count: 0, dropped: 4, droppedFull: 4 });
    expect((await (await TabStore.open(kv, 3, { maxEvents: 1000, maxBytes: 1e6 }, fresh)).since(0)).events).toEqual([]);
  });

  it('other storage errors are not taken for a full storage', async () => {
    const kv = memoryKv();
    const s = await TabStore.open(kv, 4, { maxEvents: 1000, maxBytes: 1e6 }, fresh);
    kv.set = () => Promise.reject(new Error('storage gone'));
    await expect(s.append([ev('a')]).written).rejects.toThrow('storage gone');
    expect(s.status()).toMatchObject({ count: 1, dropped: 0, droppedFull: 0 });
  });
});

describe('bounds in stored bytes', () => {
  it('one large append is kept in small chunks, so the bound drops its oldest part, not all of it; what is stored stays within the bound', async () => {
    const kv = quotaKv(1e9);
    const limits = { maxEvents: 10_000, maxBytes: 64_000 };
    const s = await TabStore.open(kv, 5, limits, fresh);
    const batch = Array.from({ length: 200 }, (_, i) => ev(`${i}:${'"q"'.repeat(100)}`));
    await s.append(batch).written;
    const st = s.status();
    expect(st.count).toBeGreaterThan(20);
    expect(st.count + st.dropped).toBe(200);
    expect(st.bytes).toBeLessThanOrEqual(64_000);
    // Sizes are what the storage counts (quotes escaped once more), not the estimate made at append.
    const stored = [...kv.data.keys()].reduce((n, k) => n + k.length + JSON.stringify(kv.data.get(k)).length, 0);
    expect(Math.abs(stored - st.bytes)).toBeLessThan(kv.data.size * 4);
    const kept = (await s.since(0)).events.map((e) => e.seq);
    expect(kept).toEqual(Array.from({ length: st.count }, (_, i) => 200 - st.count + 1 + i));
  });
});

describe('a stored meta older than the storage', () => {
  it('chunks it lists that the storage lost are counted as dropped for a full storage when next read', async () => {
    const kv = memoryKv();
    const limits = { maxEvents: 1000, maxBytes: 1e6 };
    const s = await TabStore.open(kv, 6, limits, fresh);
    await s.append([ev('a'), ev('b')]).written;
    await s.append([ev('c')]).written;
    // As a full storage leaves it: the first chunk's key removed, the meta that listed it kept.
    const first = [...kv.data.keys()].filter((k) => k !== 'tab:6:meta').sort()[0]!;
    kv.data.delete(first);
    const again = await TabStore.open(kv, 6, limits, fresh);
    expect((await again.since(0)).events.map((e) => e.record.raw.text)).toEqual(['c']);
    expect(again.status()).toMatchObject({ count: 1, dropped: 2, droppedFull: 2 });
    // And the repaired meta is stored.
    await again.append([]).written;
    expect((await TabStore.open(kv, 6, limits, fresh)).status()).toMatchObject({ count: 1, dropped: 2, droppedFull: 2 });
  });
});

describe('what a tab stores, counted in its bound', () => {
  it('the meta, with what the caller keeps in it, counts in the byte bound: what is stored stays within it', async () => {
    const kv = quotaKv(1e9);
    const limits = { maxEvents: 10_000, maxBytes: 64_000 };
    const s = await TabStore.open(kv, 8, limits, () => ({ urls: [] as string[] }));
    for (let i = 0; i < 20; i++) {
      s.extra.urls.push(`${i}:${'u'.repeat(2_000)}`);
      await s.append([ev(`${i}:${'x'.repeat(1_000)}`)]).written;
    }
    const stored = [...kv.data.entries()].reduce((n, [k, v]) => n + k.length + JSON.stringify(v).length, 0);
    expect(stored).toBeLessThanOrEqual(64_000);
    expect(Math.abs(stored - s.status().bytes)).toBeLessThan(100);
    expect(s.status()).toMatchObject({ dropped: 20 - s.status().count });
    expect(s.status().dropped).toBeGreaterThan(0);
  });

  it('a huge frame kept as a short error record costs what is stored, not the original: the history stays', async () => {
    const s = await TabStore.open(memoryKv(), 9, { maxEvents: 20_000, maxBytes: 4 * 1024 * 1024 }, fresh);
    for (let i = 0; i < 10; i++) await s.append([ev(`${i}`), ev(`${i}`)]).written;
    const text = 'x'.repeat(16 * 1024);
    const huge: Omit<CapturedEvent, 'seq'> = {
      record: { kind: 'error', conn: 1, t: 0, dir: 'in', transport: 'websocket', error: 'frame of 10485760 characters exceeds the limit', raw: { text, length: 10 * 1024 * 1024, truncated: true } },
    };
    await s.append([huge]).written;
    expect(s.status()).toMatchObject({ count: 21, dropped: 0 });
  });
});
