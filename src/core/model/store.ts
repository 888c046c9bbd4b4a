// The per-tab event buffer: bounded by count and bytes (oldest dropped first, drops counted), written
// through to a key-value store in chunks so that a restarted service worker loses nothing it held.
// The byte bound counts everything the tab stores: its chunks and its meta (with the caller's `extra`).
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
  /** Of `dropped`, those dropped because the browser's storage was full (it is shared by every tab). */
  droppedFull?: number;
  extra: Extra;
}

export interface SinceResult {
  events: CapturedEvent[];
  /** The caller's view is from another generation (cleared, or a seq from the future): replace it. */
  reset: boolean;
}

export class TabStore<Extra> {
  private writes: Promise<unknown> = Promise.resolve();
  /** Chunks not written yet, by number; a chunk dropped before its write is never written. */
  private readonly unwritten = new Map<number, CapturedEvent[]>();
  /** Keys of written chunks dropped since the last write. */
  private removed: string[] = [];
  private flushing: Promise<void> | undefined;
  private destroyed = false;
  /** What the stored meta takes, as last written (the caller's `extra` included). */
  private metaBytes: number;

  private constructor(
    private readonly kv: KeyValue,
    private readonly prefix: string,
    private readonly limits: StoreLimits,
    private meta: StoreMeta<Extra>,
    /** Write-behind: appends within this time are written together (the caller may change it between appends). */
    public flushMs: number,
  ) {
    this.metaBytes = metaStoredBytes(prefix, JSON.stringify(meta));
  }

  /**
   * `flushMs`: appends within this time are written together (write-behind); each append's `written`
   * resolves once it is stored, so a caller that acknowledges only then loses nothing on a restart.
   */
  static async open<Extra>(kv: KeyValue, tabId: number, limits: StoreLimits, fresh: () => Extra, flushMs = 0): Promise<TabStore<Extra>> {
    const prefix = `tab:${tabId}:`;
    const got = (await kv.get([prefix + 'meta']))[prefix + 'meta'];
    const meta = isMeta<Extra>(got) ? got : { v: 1 as const, nextSeq: 1, nextChunk: 0, chunks: [], dropped: 0, extra: fresh() };
    return new TabStore(kv, prefix, limits, meta, flushMs);
  }

  get extra(): Extra {
    return this.meta.extra;
  }

  /** Sequence number the next event gets. */
  get nextSeq(): number {
    return this.meta.nextSeq;
  }

  /**
   * lastSeq: the newest event's seq (0: none yet); count + dropped are the events since the last clear, the
   * newest of them last; bytes: the chunks and the meta, as last written.
   */
  status(): { count: number; bytes: number; dropped: number; droppedFull: number; lastSeq: number } {
    let count = 0;
    let bytes = this.metaBytes;
    for (const c of this.meta.chunks) {
      count += c.count;
      bytes += c.bytes;
    }
    return { count, bytes, dropped: this.meta.dropped, droppedFull: this.meta.droppedFull ?? 0, lastSeq: this.meta.nextSeq - 1 };
  }

  /**
   * Numbers the events (seq) and keeps them as one chunk, dropping the oldest chunks beyond the limits.
   * `extra` is stored with it as it is then (the caller mutates it in place).
   */
  append(events: Omit<CapturedEvent, 'seq'>[]): { events: CapturedEvent[]; written: Promise<void> } {
    const numbered = events.map((e) => ({ ...e, seq: this.meta.nextSeq++ }) as CapturedEvent);
    // Chunks of a sixteenth of the bound at most: the oldest go a little at a time, never all at once.
    const most = this.limits.maxBytes / 16;
    let part: CapturedEvent[] = [];
    let bytes = 0;
    for (const e of numbered) {
      const b = estimateBytes(e);
      if (part.length > 0 && bytes + b > most) {
        this.addChunk(part, bytes);
        part = [];
        bytes = 0;
      }
      part.push(e);
      bytes += b;
    }
    if (part.length > 0) this.addChunk(part, bytes);
    this.enforce();
    return { events: numbered, written: this.scheduleFlush() };
  }

  private addChunk(events: CapturedEvent[], bytes: number): void {
    const n = this.meta.nextChunk++;
    this.meta.chunks.push({ n, first: events[0]!.seq, last: events[events.length - 1]!.seq, count: events.length, bytes });
    this.unwritten.set(n, events);
  }

  private scheduleFlush(): Promise<void> {
    this.flushing ??= new Promise<void>((resolve) => setTimeout(resolve, this.flushMs)).then(() => {
      this.flushing = undefined;
      return this.flush();
    });
    return this.flushing;
  }

  /** Writes the kept chunks not written yet, the meta, and removes dropped chunks: one write for many appends. */
  private flush(): Promise<void> {
    if (this.destroyed) return Promise.resolve();
    const items: Record<string, unknown> = {};
    // One JSON string per chunk: the storage converts a string far more cheaply than a deep object.
    for (const [n, events] of this.unwritten) {
      const json = JSON.stringify(events);
      items[this.prefix + n] = json;
      // The estimate made at append is replaced by what the storage will count.
      const chunk = this.meta.chunks.find((c) => c.n === n);
      if (chunk) chunk.bytes = storedBytes(this.prefix + n, json);
    }
    this.unwritten.clear();
    // Real sizes may pass the bound, the meta's too: older chunks go (the meta shrinks with them), and one
    // still in `items` is never written.
    let json: string;
    do {
      this.enforce();
      json = JSON.stringify(this.meta);
      this.metaBytes = metaStoredBytes(this.prefix, json);
    } while (this.meta.chunks.length > 1 && this.over());
    this.removed = this.removed.filter((key) => !(key in items && delete items[key]));
    items[this.prefix + 'meta'] = JSON.parse(json) as StoreMeta<Extra>;
    const removed = this.removed;
    this.removed = [];
    return this.enqueue(async () => {
      // Dropped chunks go first: their room may be what the new ones need.
      if (removed.length) await this.kv.remove(removed);
      await this.setWithinQuota(items);
    });
  }

  /**
   * Writes `items`; while the storage says it is full (its quota is shared by every tab), drops this tab's
   * oldest chunk, as its own bounds would, and tries again. What is dropped this way is counted apart.
   */
  private async setWithinQuota(items: Record<string, unknown>): Promise<void> {
    const metaKey = this.prefix + 'meta';
    const written = items[metaKey] as StoreMeta<Extra>;
    for (let dropped = false; ; dropped = true) {
      try {
        await this.kv.set(items);
        // The meta written lists fewer chunks than it did when measured.
        if (dropped) this.metaBytes = metaStoredBytes(this.prefix, JSON.stringify(written));
        return;
      } catch (e) {
        const old = isQuotaError(e) ? written.chunks[0] : undefined;
        if (!old) throw e;
        dropForFullStorage(written, old.n);
        // The live meta may have dropped it already (its own bounds, meanwhile).
        dropForFullStorage(this.meta, old.n);
        const key = this.prefix + old.n;
        if (key in items) delete items[key];
        else await this.kv.remove([key]);
      }
    }
  }

  /** Events with seq > since, in order. */
  async since(since: number): Promise<SinceResult> {
    await this.writes;
    const reset = since >= this.meta.nextSeq;
    const from = reset ? 0 : since;
    const wanted = this.meta.chunks.filter((c) => c.last > from);
    // Taken before reading storage: a write may move chunks out of memory meanwhile.
    const inMemory = new Map(wanted.map((c) => [c.n, this.unwritten.get(c.n)]));
    const keys = wanted.filter((c) => !inMemory.get(c.n)).map((c) => this.prefix + c.n);
    const got = keys.length ? await this.kv.get(keys) : {};
    const events: CapturedEvent[] = [];
    const missing: Chunk[] = [];
    for (const c of wanted) {
      const stored = got[this.prefix + c.n];
      const chunk: unknown = inMemory.get(c.n) ?? (typeof stored === 'string' ? JSON.parse(stored) : undefined);
      if (!Array.isArray(chunk)) {
        missing.push(c);
        continue;
      }
      for (const e of chunk as CapturedEvent[]) if (e.seq > from) events.push(e);
    }
    if (missing.length) this.forgetMissing(missing);
    return { events, reset };
  }

  /**
   * Chunks the meta lists that the storage does not have (a full storage refused even the meta after their
   * removal, so the stored meta was older than the storage): counted as dropped for a full storage, so
   * that held + dropped stays every event the tab had.
   */
  private forgetMissing(missing: Chunk[]): void {
    for (const m of missing) dropForFullStorage(this.meta, m.n);
    void this.scheduleFlush().catch(() => undefined);
  }

  /** Frees every event; sequence numbers go on from where they were. */
  clear(): Promise<void> {
    const keys = this.meta.chunks.map((c) => this.prefix + c.n);
    this.unwritten.clear();
    this.meta.chunks = [];
    this.meta.dropped = 0;
    this.meta.droppedFull = 0;
    const meta = structuredClone(this.meta);
    return this.enqueue(async () => {
      await this.kv.remove(keys);
      await this.kv.set({ [this.prefix + 'meta']: meta });
    });
  }

  /** Removes everything the tab had, meta included. */
  destroy(): Promise<void> {
    const keys = [...this.meta.chunks.map((c) => this.prefix + c.n), ...this.removed, this.prefix + 'meta'];
    this.destroyed = true;
    this.unwritten.clear();
    this.meta.chunks = [];
    return this.enqueue(() => this.kv.remove(keys));
  }

  private over(): boolean {
    const { count, bytes } = this.status();
    return count > this.limits.maxEvents || bytes > this.limits.maxBytes;
  }

  private enforce(): void {
    // The newest chunk always stays, so one oversized batch is still shown.
    while (this.meta.chunks.length > 1 && this.over()) {
      const old = this.meta.chunks.shift()!;
      this.meta.dropped += old.count;
      if (!this.unwritten.delete(old.n)) this.removed.push(this.prefix + old.n);
    }
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.writes.then(work, work);
    this.writes = next.catch(() => undefined);
    return next;
  }
}

/** What a string value takes in storage that counts it as JSON: quotes and backslashes are escaped once more. */
export function storedBytes(key: string, json: string): number {
  let n = key.length + json.length + 2;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 34 || c === 92) n++;
  }
  return n;
}

/** What an object value takes in storage that counts it as JSON, with its key. */
function metaStoredBytes(prefix: string, json: string): number {
  return prefix.length + 'meta'.length + json.length;
}

/**
 * About what an event takes once stored, without serialising it (that is left to the write, and a chunk
 * dropped before it is never serialised): the kept raw text and the other fields, and for a Socket.IO
 * packet its decoded arguments, about as long as the original frame. Other records keep no more than
 * their raw text, however long the original was.
 */
export function estimateBytes(e: CapturedEvent): number {
  const decoded = e.record.kind === 'socket' ? e.record.raw.length : 0;
  return decoded + e.record.raw.text.length + 256;
}

/** Takes chunk `n` out of `meta`, if it is there, counting its events as dropped for a full storage. */
function dropForFullStorage(meta: StoreMeta<unknown>, n: number): void {
  const i = meta.chunks.findIndex((c) => c.n === n);
  if (i < 0) return;
  const [c] = meta.chunks.splice(i, 1);
  meta.dropped += c!.count;
  meta.droppedFull = (meta.droppedFull ?? 0) + c!.count;
}

/** Chrome: "Session storage quota bytes exceeded…"; Firefox: a QuotaExceededError. */
export function isQuotaError(e: unknown): boolean {
  const text = e instanceof Error ? `${e.name} ${e.message}` : String(e);
  return /quota/i.test(text);
}

function isMeta<Extra>(x: unknown): x is StoreMeta<Extra> {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Partial<StoreMeta<Extra>>;
  return m.v === 1 && typeof m.nextSeq === 'number' && Array.isArray(m.chunks) && typeof m.dropped === 'number';
}
