// The per-tab event buffer: bounded by count and bytes (oldest dropped first, drops counted), written
// through to a key-value store in chunks so that a restarted service worker loses nothing it held.
// Pure: the background hands it browser.storage.session; tests hand it a Map.
import type { CapturedEvent } from './event';

export interface KeyValue {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export interface StoreLimits {
  maxEvents: number;
  maxBytes: number;
}

export const DEFAULT_LIMITS: StoreLimits = { maxEvents: 20_000, maxBytes: 4 * 1024 * 1024 };

interface Chunk {
  /** Chunk number, part of its storage key. */
  n: number;
  first: number;
  last: number;
  count: number;
  bytes: number;
}

/** What the store keeps besides the events; `extra` belongs to the caller (connections, page). */
export interface StoreMeta<Extra> {
  v: 1;
  nextSeq: number;
  nextChunk: number;
  chunks: Chunk[];
  dropped: number;
  extra: Extra;
}

export interface SinceResult {
  events: CapturedEvent[];
  /** The caller's view is from another generation (cleared, or a seq from the future): replace it. */
  reset: boolean;
}

export class TabStore<Extra> {
  private writes: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly kv: KeyValue,
    private readonly prefix: string,
    private readonly limits: StoreLimits,
    private meta: StoreMeta<Extra>,
  ) {}

  static async open<Extra>(kv: KeyValue, tabId: number, limits: StoreLimits, fresh: () => Extra): Promise<TabStore<Extra>> {
    const prefix = `tab:${tabId}:`;
    const got = (await kv.get([prefix + 'meta']))[prefix + 'meta'];
    const meta = isMeta<Extra>(got) ? got : { v: 1 as const, nextSeq: 1, nextChunk: 0, chunks: [], dropped: 0, extra: fresh() };
    return new TabStore(kv, prefix, limits, meta);
  }

  get extra(): Extra {
    return this.meta.extra;
  }

  /** Sequence number the next event gets. */
  get nextSeq(): number {
    return this.meta.nextSeq;
  }

  status(): { count: number; bytes: number; dropped: number } {
    let count = 0;
    let bytes = 0;
    for (const c of this.meta.chunks) {
      count += c.count;
      bytes += c.bytes;
    }
    return { count, bytes, dropped: this.meta.dropped };
  }

  /** Numbers the events (seq) and writes them as one chunk, dropping the oldest chunks beyond the limits. */
  /** `extra` is persisted with it as it is now (the caller mutates it in place). */
  append(events: Omit<CapturedEvent, 'seq'>[]): { events: CapturedEvent[]; written: Promise<void> } {
    const numbered = events.map((e) => ({ ...e, seq: this.meta.nextSeq++ }) as CapturedEvent);
    const items: Record<string, unknown> = {};
    let removed: string[] = [];
    if (numbered.length > 0) {
      const n = this.meta.nextChunk++;
      // One JSON string per chunk: the storage converts a string far more cheaply than a deep object,
      // and its length is the chunk's size.
      const text = JSON.stringify(numbered);
      const bytes = text.length;
      this.meta.chunks.push({ n, first: numbered[0]!.seq, last: numbered[numbered.length - 1]!.seq, count: numbered.length, bytes });
      items[this.prefix + n] = text;
      removed = this.enforce();
    }
    items[this.prefix + 'meta'] = structuredClone(this.meta);
    const written = this.enqueue(async () => {
      await this.kv.set(items);
      if (removed.length) await this.kv.remove(removed);
    });
    return { events: numbered, written };
  }

  /** Events with seq > since, in order. */
  async since(since: number): Promise<SinceResult> {
    await this.writes;
    const reset = since >= this.meta.nextSeq;
    const from = reset ? 0 : since;
    const wanted = this.meta.chunks.filter((c) => c.last > from);
    const keys = wanted.map((c) => this.prefix + c.n);
    const got = keys.length ? await this.kv.get(keys) : {};
    const events: CapturedEvent[] = [];
    for (const key of keys) {
      const stored = got[key];
      const chunk: unknown = typeof stored === 'string' ? JSON.parse(stored) : undefined;
      if (!Array.isArray(chunk)) continue;
      for (const e of chunk as CapturedEvent[]) if (e.seq > from) events.push(e);
    }
    return { events, reset };
  }

  /** Frees every event; sequence numbers go on from where they were. */
  clear(): Promise<void> {
    const keys = this.meta.chunks.map((c) => this.prefix + c.n);
    this.meta.chunks = [];
    this.meta.dropped = 0;
    const meta = structuredClone(this.meta);
    return this.enqueue(async () => {
      await this.kv.remove(keys);
      await this.kv.set({ [this.prefix + 'meta']: meta });
    });
  }

  /** Removes everything the tab had, meta included. */
  destroy(): Promise<void> {
    const keys = [...this.meta.chunks.map((c) => this.prefix + c.n), this.prefix + 'meta'];
    this.meta.chunks = [];
    return this.enqueue(() => this.kv.remove(keys));
  }

  private enforce(): string[] {
    const removed: string[] = [];
    let { count, bytes } = this.status();
    // The newest chunk always stays, so one oversized batch is still shown.
    while (this.meta.chunks.length > 1 && (count > this.limits.maxEvents || bytes > this.limits.maxBytes)) {
      const old = this.meta.chunks.shift()!;
      count -= old.count;
      bytes -= old.bytes;
      this.meta.dropped += old.count;
      removed.push(this.prefix + old.n);
    }
    return removed;
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.writes.then(work, work);
    this.writes = next.catch(() => undefined);
    return next;
  }
}

function isMeta<Extra>(x: unknown): x is StoreMeta<Extra> {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Partial<StoreMeta<Extra>>;
  return m.v === 1 && typeof m.nextSeq === 'number' && Array.isArray(m.chunks) && typeof m.dropped === 'number';
}
