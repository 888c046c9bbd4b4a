// The background (src/background/index.ts) in Node: a fake browser (runtime messages and ports, an
// in-memory storage.session), driven as relays and a panel drive it. Each test imports it afresh, as a
// started (or restarted) service worker.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CapturedEvent } from '../../src/core/model/event';
import { CONTENT_PORT, PANEL_PORT, type BackgroundAck, type BackgroundToPanel, type BackgroundToRelay, type ContentToBackground, type TabStatus } from '../../src/core/messages';
import { flat } from '../fixtures/flat';

type Sender = { id?: string; tab?: { id: number }; frameId?: number; url?: string };
type Port = {
  name: string;
  sender: { id: string; url: string };
  postMessage(msg: BackgroundToPanel): void;
  disconnect(): void;
  onMessage: { addListener(fn: (m: unknown) => void): void };
  onDisconnect: { addListener(fn: () => void): void };
};

const fake = vi.hoisted(() => ({
  session: new Map<string, unknown>(),
  /** What storage.session holds at most, counted as Chrome counts it (key and JSON of the value). */
  quota: Infinity,
  onMessage: [] as ((message: unknown, sender: unknown) => unknown)[],
  onConnect: [] as ((port: unknown) => void)[],
  /** tabs.sendMessage calls (the panel's emits handed to a tab's relay), answered with `answer`. */
  toTabs: [] as unknown[][],
  answer: { ok: true } as unknown,
}));

vi.mock('../../src/background/origins', () => ({ syncContentScripts: async () => {}, publishGrantedOrigins: async () => {} }));
vi.mock('webextension-polyfill', () => {
  const event = <F>(list: F[]) => ({ addListener: (fn: F) => list.push(fn) });
  const noop = { addListener: () => {} };
  return {
    default: {
      runtime: {
        id: 'bg-test',
        getURL: (p: string) => `chrome-extension://bg-test/${p}`,
        onMessage: event(fake.onMessage),
        onConnect: event(fake.onConnect),
        onInstalled: noop,
      },
      storage: {
        session: {
          get: async (keys: string | string[] | null) => {
            const ks = keys === null ? [...fake.session.keys()] : Array.isArray(keys) ? keys : [keys];
            return Object.fromEntries(ks.filter((k) => fake.session.has(k)).map((k) => [k, structuredClone(fake.session.get(k))]));
          },
          set: async (items: Record<string, unknown>) => {
            const after = new Map([...fake.session, ...Object.entries(items)]);
            const used = [...after].reduce((n, [k, v]) => n + k.length + JSON.stringify(v).length, 0);
            if (used > fake.quota) throw new Error('Session storage quota bytes exceeded. Values were not stored.');
            for (const [k, v] of Object.entries(items)) fake.session.set(k, structuredClone(v));
          },
          remove: async (keys: string | string[]) => {
            for (const k of Array.isArray(keys) ? keys : [keys]) fake.session.delete(k);
          },
        },
      },
      tabs: {
        onRemoved: noop,
        sendMessage: async (...args: unknown[]) => {
          fake.toTabs.push(args);
          return fake.answer;
        },
      },
      permissions: { onAdded: noop, onRemoved: noop },
    },
  };
});

const TAB = 7;
const PAGE = 'page-1';

async function start(): Promise<void> {
  fake.onMessage.length = 0;
  fake.onConnect.length = 0;
  vi.resetModules();
  await import('../../src/background/index');
}

/** A relay's Port (in the tab's top frame, unless `sender` says otherwise): what the background posts on it, and whether it was refused. */
function relayPort(sender: Partial<Sender> = {}): { got: BackgroundToRelay[]; send(m: unknown): void; refused(): boolean } {
  const got: BackgroundToRelay[] = [];
  let onMessage: ((m: unknown) => void) | undefined;
  let refused = false;
  fake.onConnect[0]!({
    name: CONTENT_PORT,
    sender: { id: 'bg-test', tab: { id: TAB }, frameId: 0, url: 'http://spaces.test/app', ...sender },
    postMessage: (m: BackgroundToRelay) => got.push(structuredClone(m)),
    disconnect: () => (refused = true),
    onMessage: { addListener: (fn: (m: unknown) => void) => (onMessage = fn) },
    onDisconnect: { addListener: () => {} },
  });
  return { got, send: (m) => onMessage?.(m), refused: () => refused };
}

/** What a relay sends on its Port, answered (with its number) once stored; undefined when the Port is refused. */
async function fromRelay(msg: ContentToBackground, sender: Partial<Sender> = {}): Promise<BackgroundAck | undefined> {
  const port = relayPort(sender);
  if (port.refused()) return undefined;
  port.send(msg);
  await vi.waitFor(() => expect(port.got.some((m) => !('type' in m))).toBe(true));
  const { batch, ...ack } = port.got.find((m): m is BackgroundAck => !('type' in m))!;
  expect(batch).toBe(msg.batch);
  return ack as BackgroundAck;
}

const hello = (pageId = PAGE): ContentToBackground => ({ type: 'content/page', pageId, batch: 1, url: 'http://spaces.test/app' });

const frames = (batch: number, texts: string[], pageId = PAGE): ContentToBackground => ({
  type: 'content/frames',
  pageId,
  batch,
  conns: [{ c: 1, url: 'ws://spaces.test/socket.io/?EIO=3&transport=websocket&token=s3cr3t', transport: 'websocket' }],
  cut: [],
  ...flat(texts.map((x, i) => ({ c: 1, t: 1_000 + i, d: 'in' as const, x }))),
});

/** A panel's port subscribed to the tab: the events and the last status it was sent. */
async function panel(tabId = TAB): Promise<{ events: CapturedEvent[]; status(): TabStatus }> {
  const got: BackgroundToPanel[] = [];
  let onMessage: ((m: unknown) => void) | undefined;
  const port: Port = {
    name: PANEL_PORT,
    sender: { id: 'bg-test', url: 'chrome-extension://bg-test/src/panel/index.html' },
    postMessage: (m) => got.push(structuredClone(m)),
    disconnect: () => {},
    onMessage: { addListener: (fn) => (onMessage = fn) },
    onDisconnect: { addListener: () => {} },
  };
  fake.onConnect[0]!(port);
  onMessage!({ type: 'panel/subscribe', tabId, since: 0 });
  await vi.waitFor(() => expect(got.some((m) => m.type === 'bg/status')).toBe(true));
  return {
    get events() {
      return got.flatMap((m) => (m.type === 'bg/events' ? m.events : []));
    },
    status: () => {
      const s = got.filter((m) => m.type === 'bg/status').pop();
      if (s?.type !== 'bg/status') throw new Error('no status');
      return s.status;
    },
  };
}

const OPEN = '0{"sid":"s1","upgrades":[],"pingInterval":25000,"pingTimeout":5000}';
const CHAT = '42/chat,["MESSAGE_SENT",{"_id":"m1","category":"chat","topicId":"t1","content":{"bodyText":"<p>hi</p>"}}]';

beforeEach(async () => {
  fake.session.clear();
  fake.quota = Infinity;
  await start();
});

describe('background, as relays drive it', () => {
  it('takes each of a page’s messages once, even when one comes again after a lost answer', async () => {
    expect(await fromRelay(hello())).toEqual({ ok: true });
    expect(await fromRelay(frames(2, [OPEN, CHAT]))).toEqual({ ok: true });
    expect(await fromRelay(frames(2, [OPEN, CHAT]))).toEqual({ ok: true });
    expect(await fromRelay(frames(3, ['3']))).toEqual({ ok: true });
    const notice: ContentToBackground = { type: 'content/notice', pageId: PAGE, batch: 4, text: '12 frames dropped: the background did not keep up' };
    const worker: ContentToBackground = { type: 'content/worker', pageId: PAGE, batch: 5, kind: 'Worker' };
    for (const m of [notice, notice, worker, worker]) expect(await fromRelay(m)).toEqual({ ok: true });
    const p = await panel();
    expect(p.status()).toMatchObject({ count: 3, connections: 1, rejected: 0, workers: 1, pageUrl: 'http://spaces.test/app' });
    expect(p.status().notices).toEqual([expect.stringMatching(/ 12 frames dropped/)]);
    expect(JSON.stringify([...fake.session.values()])).not.toContain('s3cr3t');
  });

  it('tells a panel where each top-level page load starts (its first seq), so that one opened later can start at the current load', async () => {
    await fromRelay(hello());
    await fromRelay(frames(2, [OPEN, CHAT]));
    const second = `${PAGE.split('-')[0]}-second`;
    await fromRelay({ type: 'content/page', pageId: second, batch: 1, url: 'http://spaces.test/app?again' });
    await fromRelay(frames(2, [OPEN, CHAT], second));
    const p = await panel();
    expect(p.status().loadSeqs).toEqual([1, 3]);
    expect(p.status().loadUrls).toEqual(['http://spaces.test/app', 'http://spaces.test/app?again']);
    expect(p.events.filter((e) => e.seq >= 3).map((e) => e.record.kind)).toEqual(['engine', 'socket']);
  });

  it('frames from a page it never heard from (a relay older than the extension) bring a notice to reload; the events are kept', async () => {
    await fromRelay(frames(5, [CHAT], 'old-page'));
    await fromRelay(frames(6, [CHAT], 'old-page'));
    const p = await panel();
    const { notices, count } = p.status();
    expect(count).toBe(2);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/capturing before the extension started.*Reload the page/);
  });

  it('no such notice after a restart of the worker: the hello it stored is read back', async () => {
    await fromRelay(hello());
    await fromRelay(frames(2, [OPEN]));
    await start();
    await fromRelay(frames(2, [OPEN]));
    await fromRelay(frames(3, [CHAT]));
    const p = await panel();
    expect(p.status()).toMatchObject({ count: 2, notices: [] });
    expect(p.events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('a page with 60 frames, each with a socket: no notice to reload, every connection counted', async () => {
    // Relays started after the extension did, as their ids say.
    const now = (Date.now() + 1).toString(36);
    const id = (i: number) => `${now}-frame${i}`;
    const sub = (i: number) => ({ frameId: i + 1, url: `http://spaces.test/frame/${i}` });
    await fromRelay(hello(id(0)));
    // Every frame's hello first, then every frame's socket: the first frames are the longest silent.
    await Promise.all(Array.from({ length: 60 }, (_, i) => fromRelay(hello(id(i + 1)), sub(i + 1))));
    await Promise.all(Array.from({ length: 60 }, (_, i) => fromRelay(frames(2, [OPEN], id(i + 1)), sub(i + 1))));
    await fromRelay(frames(2, [OPEN], id(0)));
    const p = await panel();
    expect(p.status()).toMatchObject({ count: 61, connections: 61, notices: [] });
  });

  it('frames from a relay that started before the extension (updated or reloaded) bring the notice, once', async () => {
    const old = `${(Date.now() - 60_000).toString(36)}-before`;
    await fromRelay(frames(7, [CHAT], old));
    await fromRelay(frames(8, [CHAT], old));
    expect((await panel()).status().notices).toEqual([expect.stringMatching(/Reload the page/)]);
  });

  it('one tab’s 1,250 long-polling connections with 8 KB URLs cost only that tab', async () => {
    fake.quota = 10 * 1024 * 1024;
    const A = TAB;
    const B = TAB + 1;
    await fromRelay(hello());
    const long = (c: number) => `http://spaces.test/socket.io/?EIO=4&transport=polling&sid=s${c}&pad=${'p'.repeat(8_000)}`;
    for (let m = 0; m < 25; m++) {
      const cs = Array.from({ length: 50 }, (_, i) => m * 50 + i + 1);
      await fromRelay({
        type: 'content/frames',
        pageId: PAGE,
        batch: m + 2,
        conns: cs.map((c) => ({ c, url: long(c), transport: 'polling' as const })),
        cut: [],
        ...flat(cs.map((c) => ({ c, t: 1_000, d: 'in' as const, x: '6' }))),
      });
    }
    // Another tab, 1 MB of events.
    const text = `42/chat,["MESSAGE_SENT",{"_id":"m1","category":"chat","content":{"bodyText":"${'b'.repeat(2_000)}"}}]`;
    await fromRelay(hello(), { tab: { id: B } });
    for (let m = 0; m < 5; m++) await fromRelay(frames(m + 2, Array.from({ length: 100 }, () => text)), { tab: { id: B } });
    const b = await panel(B);
    expect(b.status()).toMatchObject({ count: 500, dropped: 0, droppedFull: 0 });
    const a = (await panel(A)).status();
    expect(a).toMatchObject({ connections: 1_250, connectionsPruned: 1_150, droppedFull: 0 });
    const storedA = [...fake.session].filter(([k]) => k.startsWith(`tab:${A}:`)).reduce((n, [k, v]) => n + k.length + JSON.stringify(v).length, 0);
    expect(storedA).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(Math.abs(storedA - a.bytes)).toBeLessThan(1_000);
  });

  it('what a relay could not forward is counted: its dropped frames and rejected ones', async () => {
    await fromRelay(hello());
    await fromRelay({ type: 'content/notice', pageId: PAGE, batch: 2, text: '3 frames dropped, 2 rejected: …', dropped: 3, rejected: 2 });
    expect((await panel()).status()).toMatchObject({ rejected: 2, relayDropped: 3 });
  });

  it('a malformed message is counted as rejected and answered with the reason; another extension’s is ignored', async () => {
    const bad = (await fromRelay({ type: 'content/frames', pageId: PAGE, batch: -1 } as unknown as ContentToBackground)) as BackgroundAck;
    expect(bad.ok).toBe(false);
    expect(await fromRelay(hello(), { id: 'someone-else' })).toBeUndefined();
    const p = await panel();
    expect(p.status()).toMatchObject({ rejected: 1, count: 0, pageUrl: undefined });
  });

  it('a sub-frame’s hello does not change the page address; its events carry the frame', async () => {
    await fromRelay(hello());
    await fromRelay({ type: 'content/page', pageId: 'frame-1', batch: 1, url: 'http://other.test/embed' }, { frameId: 3, url: 'http://other.test/embed' });
    await fromRelay(frames(2, [CHAT], 'frame-1'), { frameId: 3, url: 'http://other.test/embed' });
    const p = await panel();
    expect(p.status()).toMatchObject({ pageUrl: 'http://spaces.test/app', count: 1, notices: [], connections: 1 });
    expect(p.events.map((e) => e.frame)).toEqual(['http://other.test/embed']);
  });
});

describe('background: the relays\' Ports', () => {
  it('tells a relay whether a Spaces panel shows its tab: when it connects and when that changes', async () => {
    const relay = relayPort();
    const other = relayPort({ tab: { id: TAB + 1 } });
    expect(relay.got).toEqual([{ type: 'bg/watched', on: false }]);
    let onMessage: ((m: unknown) => void) | undefined;
    let onDisconnect: (() => void) | undefined;
    fake.onConnect[0]!({
      name: PANEL_PORT,
      sender: { id: 'bg-test', url: 'chrome-extension://bg-test/src/panel/index.html' },
      postMessage: () => {},
      disconnect: () => {},
      onMessage: { addListener: (fn: (m: unknown) => void) => (onMessage = fn) },
      onDisconnect: { addListener: (fn: () => void) => (onDisconnect = fn) },
    });
    onMessage!({ type: 'panel/subscribe', tabId: TAB, since: 0 });
    await vi.waitFor(() => expect(relay.got.at(-1)).toEqual({ type: 'bg/watched', on: true }));
    expect(relayPort().got).toEqual([{ type: 'bg/watched', on: true }]);
    onDisconnect!();
    expect(relay.got.at(-1)).toEqual({ type: 'bg/watched', on: false });
    expect(other.got).toEqual([{ type: 'bg/watched', on: false }]);
  });

  it('answers each message on the Port it came on with its number (a refusal at once, a taken one once stored)', async () => {
    const relay = relayPort();
    relay.send(hello());
    relay.send(frames(2, [OPEN]));
    relay.send({ type: 'content/frames', pageId: PAGE, batch: 3 });
    await vi.waitFor(() => expect(relay.got.length).toBe(4));
    const acks = (relay.got.slice(1) as BackgroundAck[]).sort((a, b) => a.batch! - b.batch!);
    expect(acks).toEqual([{ ok: true, batch: 1 }, { ok: true, batch: 2 }, { ok: false, batch: 3, error: expect.any(String) }]);
  });
});

describe('background: a panel watching the tab', () => {
  const chat = (batch: number): ContentToBackground => frames(batch, [`42/chat,["MESSAGE_SENT",{"_id":"batch-${batch}"}]`]);
  const stored = (batch: number): boolean =>
    [...fake.session.entries()].some(([k, v]) => k !== `tab:${TAB}:meta` && k.startsWith(`tab:${TAB}:`) && String(v).includes(`"batch-${batch}"`));

  it('gets each batch at once; the relay is answered once the batch is stored, without the write-behind wait', async () => {
    await fromRelay(hello());
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      // No panel: batches that come within the write-behind time (200 ms) share one write; the answer waits for it.
      const relay = relayPort();
      const answered = (batch: number): boolean => relay.got.some((m) => !('type' in m) && m.batch === batch);
      relay.send(chat(2));
      await vi.advanceTimersByTimeAsync(199);
      expect([answered(2), stored(2)]).toEqual([false, false]);
      await vi.advanceTimersByTimeAsync(1);
      expect([answered(2), stored(2)]).toEqual([true, true]);
      vi.useRealTimers();
      const p = await panel();
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      // Watched: the panel has the batch as it comes, and the write goes at once.
      relay.send(chat(3));
      await vi.advanceTimersByTimeAsync(0);
      expect(p.events.some((e) => e.record.raw.text.includes('batch-3'))).toBe(true);
      expect([answered(3), stored(3)]).toEqual([true, true]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('background: the panel\'s emit', () => {
  function port(url = 'chrome-extension://bg-test/src/panel/index.html') {
    const got: BackgroundToPanel[] = [];
    let onMessage: ((m: unknown) => void) | undefined;
    let disconnected = false;
    const p: Port = {
      name: PANEL_PORT,
      sender: { id: 'bg-test', url },
      postMessage: (m) => got.push(structuredClone(m)),
      disconnect: () => (disconnected = true),
      onMessage: { addListener: (fn) => (onMessage = fn) },
      onDisconnect: { addListener: () => {} },
    };
    fake.onConnect[0]!(p);
    return { got, send: (m: unknown) => onMessage?.(m), disconnected: () => disconnected };
  }

  it('hands an emit to the top frame of the tab the panel subscribed to, and answers the panel', async () => {
    fake.toTabs = [];
    fake.answer = { ok: false, error: 'the WebSocket is not open' };
    const p = port();
    p.send({ type: 'panel/emit', id: 1, conn: 2, packet: '42/chat,["x"]' });
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.toTabs).toEqual([]); // not subscribed yet: no tab to emit on
    p.send({ type: 'panel/subscribe', tabId: TAB, since: 0 });
    p.send({ type: 'panel/emit', id: 2, conn: 2, packet: '42/chat,["x"]', tabId: 99 }); // malformed: ignored
    p.send({ type: 'panel/emit', id: 3, conn: 2, packet: '42/chat,["x"]' });
    await vi.waitFor(() => expect(p.got.some((m) => m.type === 'bg/emitted')).toBe(true));
    expect(fake.toTabs).toHaveLength(1);
    expect(fake.toTabs[0]![0]).toBe(TAB);
    expect(fake.toTabs[0]![1]).toMatchObject({ type: 'bg/emit', c: 2, packet: '42/chat,["x"]' });
    expect(fake.toTabs[0]![2]).toEqual({ frameId: 0 });
    expect(p.got.filter((m) => m.type === 'bg/emitted')).toEqual([{ type: 'bg/emitted', tabId: TAB, id: 3, ok: false, error: 'the WebSocket is not open' }]);
  });

  it('takes no emit from a port that is not the extension\'s page', async () => {
    fake.toTabs = [];
    const p = port('http://spaces.test/app');
    expect(p.disconnected()).toBe(true);
    p.send({ type: 'panel/subscribe', tabId: TAB, since: 0 });
    p.send({ type: 'panel/emit', id: 1, conn: 1, packet: '42["x"]' });
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.toTabs).toEqual([]);
  });
});

describe('background, when storage fails', () => {
  it('a write that fails is said to an open panel at once, not with the next batch', async () => {
    await fromRelay(hello());
    const p = await panel();
    fake.quota = 0;
    expect(await fromRelay(frames(2, [OPEN, CHAT]))).toEqual({ ok: true });
    expect(p.events.length).toBe(2);
    await vi.waitFor(() => expect(p.status().notices).toEqual([expect.stringMatching(/could not persist events: Session storage quota/)]));
  });
});
