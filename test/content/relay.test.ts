// The content relay (src/content/index.ts) in Node: a fake window and browser.runtime, the hook's port a
// real MessageChannel. Each test imports the relay afresh.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_PORT, HOOK_LEAVE_EVENT, HOOK_PORT_EVENT, MAX_NOTICE, RELAY_ACK, checkContentToBackground, type BackgroundAck, type ContentToBackground, type HookToContent } from '../../src/core/messages';
import { toFrames } from '../../src/core/relay';
import { flat } from '../fixtures/flat';

const bg = vi.hoisted(() => ({
  /** Every message posted on the relay's Ports to the background, in order; answer() answers it on its Port. */
  sent: [] as { msg: ContentToBackground; answer(ack: BackgroundAck): void }[],
  /** Posts refused as Chrome refuses a message over 64 MiB of JSON (or one the test says is). */
  tooLong: 0,
  refuse: (_msg: ContentToBackground): boolean => false,
  /** The relay's runtime.onMessage listener (the background's tabs.sendMessage reaches it). */
  onMessage: undefined as undefined | ((m: unknown, sender: { id?: string; tab?: object }) => Promise<unknown> | undefined),
  /** The relay's Ports (runtime.connect), the newest last: `say` posts to the relay, `stop` is the worker stopping. */
  ports: [] as { name: string; open: boolean; say(m: unknown): void; stop(): void }[],
}));
vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: {
      id: 'relay-test',
      onMessage: { addListener: (fn: typeof bg.onMessage) => (bg.onMessage = fn) },
      connect: ({ name }: { name: string }) => {
        const onMessage: ((m: unknown) => void)[] = [];
        const onDisconnect: (() => void)[] = [];
        const side = {
          name,
          open: true,
          // Delivered after the caller's turn.
          say: (m: unknown) => queueMicrotask(() => side.open && onMessage.forEach((l) => l(m))),
          stop: () => {
            side.open = false;
            onDisconnect.forEach((l) => l());
          },
        };
        bg.ports.push(side);
        return {
          name,
          onMessage: { addListener: (fn: (m: unknown) => void) => onMessage.push(fn) },
          onDisconnect: { addListener: (fn: () => void) => onDisconnect.push(fn) },
          disconnect: () => (side.open = false),
          postMessage: (msg: ContentToBackground) => {
            if (!side.open) throw new Error('Attempting to use a disconnected port object');
            if (bg.refuse(msg) || JSON.stringify(msg).length > 64 * 1024 * 1024) {
              bg.tooLong++;
              throw new Error('Message length exceeded maximum allowed length.');
            }
            bg.sent.push({ msg, answer: (ack) => side.say({ ...ack, batch: msg.batch }) });
          },
        };
      },
    },
  },
}));

type Listener = (ev: unknown) => void;
let listeners: Map<string, Listener[]>;
let hook: MessagePort;
/** What the relay posted to the hook, in order. */
let fromRelay: unknown[];

/** Calls the relay's listeners as the browser would (a plain object can say isTrusted). */
const fire = (type: string, ev: unknown): void => listeners.get(type)?.forEach((l) => l(ev));

const describeSent = (from = 0): string[] =>
  bg.sent.slice(from).map(({ msg }) => `${msg.type.slice('content/'.length)}#${msg.batch}`);

const batch = (c: number, x: string): HookToContent => ({
  type: 'hook/batch',
  conns: [{ c, url: 'ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket', transport: 'websocket' }],
  ...flat([{ c, t: 1, d: 'in', x }]),
});

beforeEach(async () => {
  bg.sent = [];
  bg.ports = [];
  bg.tooLong = 0;
  bg.refuse = () => false;
  listeners = new Map();
  const win = {
    addEventListener: (type: string, fn: Listener) => listeners.set(type, [...(listeners.get(type) ?? []), fn]),
    dispatchEvent: () => true,
  };
  vi.stubGlobal('window', win);
  vi.stubGlobal('location', { href: 'http://127.0.0.1:8080/pages/bfcache.html' });
  vi.resetModules();
  await import('../../src/content/index');
  // The hook hands its port; the relay answers on it.
  const channel = new MessageChannel();
  hook = channel.port1;
  fromRelay = [];
  const acked = new Promise((r) => (hook.onmessage = (ev) => (fromRelay.push(ev.data), r(ev.data))));
  fire(HOOK_PORT_EVENT, new MessageEvent(HOOK_PORT_EVENT, { ports: [channel.port2] }));
  expect(await acked).toBe(RELAY_ACK);
  // The page load told first.
  await vi.waitFor(() => expect(describeSent()).toEqual(['page#1']));
  bg.sent[0]!.answer({ ok: true });
});

afterEach(() => {
  hook.close();
  vi.unstubAllGlobals();
});

describe('content relay and the back/forward cache', () => {
  it('a send in flight when the page entered the cache, never answered: sent again after the restore, then the page, then what came next', async () => {
    hook.postMessage(batch(1, '2'));
    await vi.waitFor(() => expect(describeSent()).toEqual(['page#1', 'frames#2']));
    // The page goes into the back/forward cache: Chromium never answers that send, even after the restore.
    fire('pageshow', { persisted: true, isTrusted: true });
    hook.postMessage(batch(2, '3'));
    for (let i = 2; i <= 4; i++) {
      await vi.waitFor(() => expect(bg.sent.length).toBe(i + 1));
      bg.sent[i]!.answer({ ok: true });
    }
    expect(describeSent(2)).toEqual(['frames#2', 'page#3', 'frames#4']);
    // The same message and number, so the background stores it once.
    expect(bg.sent[2]!.msg).toEqual(bg.sent[1]!.msg);
    await new Promise((r) => setTimeout(r, 100));
    expect(bg.sent.length).toBe(5);
  });

  it('restored with nothing in flight: the Port that did not survive the cache is left, the page told on a new one', async () => {
    fire('pageshow', { persisted: true, isTrusted: true });
    await vi.waitFor(() => expect(describeSent(1)).toEqual(['page#2']));
    expect(bg.ports.map((p) => p.open)).toEqual([false, true]);
  });

  it('a pageshow the page dispatched itself changes nothing', async () => {
    hook.postMessage(batch(1, '2'));
    await vi.waitFor(() => expect(describeSent(1)).toEqual(['frames#2']));
    fire('pageshow', { persisted: true, isTrusted: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(describeSent(1)).toEqual(['frames#2']);
    bg.sent[1]!.answer({ ok: true });
    hook.postMessage(batch(1, '3'));
    await vi.waitFor(() => expect(describeSent(1)).toEqual(['frames#2', 'frames#3']));
  });
});

describe('content relay, a background that does not keep up', () => {
  it('numbers messages in the order sent, the "frames dropped" notice put ahead of queued frames included', async () => {
    hook.postMessage(batch(1, '2'));
    await vi.waitFor(() => expect(describeSent(1)).toEqual(['frames#2']));
    // 2,100 more batches while frames#2 waits: the queue keeps 2,000 messages and drops the oldest unsent.
    for (let i = 0; i < 2_100; i++) hook.postMessage(batch(1, `42["MESSAGE_SENT",{"n":${i}}]`));
    await new Promise((r) => setTimeout(r, 200));
    // Answer each message as it comes, until none comes.
    for (let n = 1; n < bg.sent.length; n++) {
      bg.sent[n]!.answer({ ok: true });
      await new Promise((r) => setTimeout(r, 100));
    }
    const sent = bg.sent.map(({ msg }) => msg);
    expect(sent.length).toBeGreaterThan(3);
    expect(sent.map((m) => m.batch)).toEqual(sent.map((_, i) => i + 1));
    const notices = sent.filter((m) => m.type === 'content/notice');
    expect(notices).toEqual([expect.objectContaining({ text: expect.stringMatching(/^\d+ frames dropped/) })]);
    const dropped = Number(/^(\d+)/.exec((notices[0] as { text: string }).text)![1]);
    const forwarded = sent.slice(2).reduce((n, m) => n + (m.type === 'content/frames' ? m.data.length : 0), 0);
    expect(dropped).toBeGreaterThan(0);
    expect(dropped + forwarded).toBe(2_100);
  });
});

/** Answers every message as it comes (as a background that takes everything would), until none comes for 150 ms. */
async function answerAll(ack: (msg: ContentToBackground) => BackgroundAck = () => ({ ok: true })): Promise<ContentToBackground[]> {
  for (let n = 1; ; n++) {
    try {
      await vi.waitFor(() => expect(bg.sent.length).toBeGreaterThan(n), { timeout: 150 });
    } catch {
      break;
    }
    bg.sent[n]!.answer(ack(bg.sent[n]!.msg));
  }
  return bg.sent.slice(1).map(({ msg }) => msg);
}

const notices = (sent: ContentToBackground[]) => sent.flatMap((m) => (m.type === 'content/notice' ? [m] : []));
const framesOf = (sent: ContentToBackground[]) => sent.flatMap((m) => (m.type === 'content/frames' ? toFrames(m) : []));

describe('content relay, what cannot go through', () => {
  it('a message the background refuses is not sent again, and what came behind it goes', async () => {
    hook.postMessage(batch(1, '2'));
    hook.postMessage(batch(1, '3'));
    const sent = await answerAll((m) => (m.type === 'content/frames' && m.data[0] === '2' ? { ok: false, error: 'refused' } : { ok: true }));
    expect(framesOf(sent).map((f) => f.x)).toEqual(['2', '3']);
    expect(describeSent(1)).toEqual(['frames#2', 'frames#3']);
  });

  it('a malformed message with a long, page-chosen key: a notice the background takes, bounded and escaped, counted as rejected', async () => {
    const key = `k\u0000${'<b>'.repeat(5_000)}`;
    hook.postMessage({ ...batch(1, '2'), [key]: 1 });
    hook.postMessage(batch(1, '3'));
    const sent = await answerAll();
    for (const m of sent) expect(checkContentToBackground(m).ok).toBe(true);
    const [n] = notices(sent);
    expect(n).toMatchObject({ rejected: 1 });
    expect(n!.text.length).toBeLessThanOrEqual(MAX_NOTICE);
    expect(n!.text).not.toContain('\u0000');
    expect(n!.text).toContain('\\u0000');
    expect(framesOf(sent).map((f) => f.x)).toEqual(['3']);
  });

  it('one connection’s URL too long once redacted: only its frames are refused, and counted; a long token is redacted first', async () => {
    const ws = 'ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket';
    hook.postMessage({
      type: 'hook/batch',
      conns: [
        { c: 1, url: ws, transport: 'websocket' },
        { c: 2, url: `${ws}&pad=${'p'.repeat(9_000)}`, transport: 'websocket' },
        { c: 3, url: `${ws}&token=${'t'.repeat(9_000)}`, transport: 'websocket' },
      ],
      ...flat([1, 2, 3, 2].map((c) => ({ c, t: 1, d: 'in', x: `${c}` }))),
    } satisfies HookToContent);
    hook.postMessage({ type: 'hook/batch', conns: [], ...flat([{ c: 2, t: 2, d: 'in', x: 'later' }]) } satisfies HookToContent);
    const sent = await answerAll();
    for (const m of sent) expect(checkContentToBackground(m).ok).toBe(true);
    expect(sent.flatMap((m) => (m.type === 'content/frames' ? m.conns.map((c) => c.c) : []))).toEqual([1, 3]);
    expect(framesOf(sent).map((f) => f.x)).toEqual(['1', '3']);
    expect(notices(sent).reduce((n, m) => n + (m.rejected ?? 0), 0)).toBe(3);
  });

  it('a batch over 64 MiB is split into messages the browser takes; a frame too long to decode goes cut, with its length', async () => {
    const eight = 'x'.repeat(8 * 1024 * 1024);
    const huge = 'y'.repeat(20 * 1024 * 1024);
    hook.postMessage({
      type: 'hook/batch',
      conns: [{ c: 1, url: 'ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket', transport: 'websocket' }],
      ...flat([...Array.from({ length: 9 }, () => eight), huge].map((x, i) => ({ c: 1, t: i, d: 'in', x }))),
    } satisfies HookToContent);
    hook.postMessage(batch(1, 'after'));
    const sent = await answerAll();
    expect(bg.tooLong).toBe(0);
    const got = framesOf(sent);
    expect(got.map((f) => f.t)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1]);
    expect(got[9]).toMatchObject({ n: huge.length });
    expect((got[9]!.x as string).length).toBeLessThan(64 * 1024);
    expect(got.at(-1)!.x).toBe('after');
  }, 20_000);

  it('merged batches stay within the background’s bound of connections per message', async () => {
    hook.postMessage(batch(1, 'head'));
    await vi.waitFor(() => expect(describeSent(1)).toEqual(['frames#2']));
    const conns = (from: number) => Array.from({ length: 4_000 }, (_, i) => ({ c: from + i, url: 'ws://h/socket.io/?EIO=4', transport: 'websocket' as const }));
    for (let k = 0; k < 3; k++) hook.postMessage({ type: 'hook/batch', conns: conns(10 + k * 4_000), meta: [], data: [] } satisfies HookToContent);
    // All three queued behind the head before it is answered: then they are merged.
    await new Promise((r) => setTimeout(r, 300));
    const sent = await answerAll();
    for (const m of sent) expect(checkContentToBackground(m).ok).toBe(true);
    expect(sent.reduce((n, m) => n + (m.type === 'content/frames' ? m.conns.length : 0), 0)).toBe(12_001);
  });

  it('the panel’s marks and Trace’s stacks keep their frames when queued batches are merged', async () => {
    hook.postMessage(batch(1, 'head'));
    await vi.waitFor(() => expect(describeSent(1)).toEqual(['frames#2']));
    const sent = (x: string, more: Partial<HookToContent>): HookToContent => ({ ...batch(1, x), ...flat([{ c: 1, t: 1, d: 'in', x: 'in' }, { c: 1, t: 2, d: 'out', x }]), ...more }) as HookToContent;
    hook.postMessage(sent('page', { traces: [{ i: 1, s: 'at f (http://h/app.js?token=abc:1:2)' }] }));
    hook.postMessage(sent('panel', { panel: [1] }));
    await new Promise((r) => setTimeout(r, 300));
    const msgs = (await answerAll()).filter((m) => m.type === 'content/frames');
    // The two queued behind the head went as one message.
    expect(msgs).toHaveLength(2);
    const got = msgs.flatMap((m) => (expect(checkContentToBackground(m).ok).toBe(true), toFrames(m)));
    expect(got.map((f) => [f.x, f.p === true, f.s ?? ''])).toEqual([
      ['head', false, ''],
      ['in', false, ''],
      ['page', false, 'at f (http://h/app.js?token=[redacted]:1:2)'],
      ['in', false, ''],
      ['panel', true, ''],
    ]);
  });

  it('a message the browser says is too long is dropped and counted, not sent again', async () => {
    // The relay's bounds keep its messages under the browser's; should one still be refused as too long:
    bg.refuse = (m) => m.type === 'content/frames' && m.data.includes('too long');
    hook.postMessage(batch(1, 'too long'));
    hook.postMessage(batch(1, 'after'));
    const sent = await answerAll();
    expect(bg.tooLong).toBe(1);
    expect(framesOf(sent).map((f) => f.x)).toEqual(['after']);
    expect(notices(sent)).toEqual([expect.objectContaining({ dropped: 1 })]);
  });

  it('frames the hook dropped before the relay started are counted as dropped', async () => {
    hook.postMessage({ type: 'hook/dropped', frames: 12 } satisfies HookToContent);
    const sent = await answerAll();
    expect(notices(sent)).toEqual([expect.objectContaining({ dropped: 12, text: expect.stringMatching(/^12 frames dropped: before the relay started/) })]);
  });

  it('counts a page makes up stay within what the background takes', async () => {
    for (let i = 0; i < 2; i++) hook.postMessage({ type: 'hook/dropped', frames: Number.MAX_SAFE_INTEGER } satisfies HookToContent);
    const sent = await answerAll();
    for (const m of sent) expect(checkContentToBackground(m).ok).toBe(true);
    expect(notices(sent).length).toBeGreaterThan(0);
  });
});

describe('content relay, a socket’s life', () => {
  it('forwards life events with their batch, keeps them when batches are merged, and refuses a forged one', async () => {
    hook.postMessage({ ...batch(1, '2'), life: [{ c: 1, t: 1, e: 'start' }, { c: 1, t: 1, e: 'open' }] });
    await vi.waitFor(() => expect(describeSent(1)).toEqual(['frames#2']));
    // Two more batches queue behind it and go out merged, their life events with them.
    hook.postMessage({ type: 'hook/batch', conns: [], meta: [], data: [], life: [{ c: 1, t: 2, e: 'close', code: 1006, clean: false }] });
    hook.postMessage({ type: 'hook/batch', conns: [], meta: [1, 3, 0], data: ['3'], life: [{ c: 1, t: 3, e: 'error', status: 0 }] });
    await new Promise((r) => setTimeout(r, 50));
    bg.sent[1]!.answer({ ok: true });
    await vi.waitFor(() => expect(describeSent(1)).toEqual(['frames#2', 'frames#3']));
    expect(bg.sent[1]!.msg).toMatchObject({ life: [{ e: 'start' }, { e: 'open' }] });
    expect(bg.sent[2]!.msg).toMatchObject({ data: ['3'], life: [{ e: 'close', code: 1006, clean: false }, { e: 'error', status: 0 }] });
    expect(checkContentToBackground(bg.sent[2]!.msg).ok).toBe(true);
    bg.sent[2]!.answer({ ok: true });
    // A close reason longer than a WebSocket's can be: the message is refused, and said so.
    hook.postMessage({ type: 'hook/batch', conns: [], meta: [], data: [], life: [{ c: 1, t: 4, e: 'close', reason: 'x'.repeat(5000) }] });
    await vi.waitFor(() => expect(describeSent(3)).toEqual(['notice#4']));
    expect(bg.sent[3]!.msg).toMatchObject({ rejected: 1 });
  });
});

describe('content relay, its Port to the background', () => {
  it('one Port for every message; the worker stopped with a message unanswered: sent again, same number, on a new Port', async () => {
    expect(bg.ports.map((p) => p.name)).toEqual([CONTENT_PORT]);
    hook.postMessage(batch(1, '2'));
    await vi.waitFor(() => expect(describeSent(1)).toEqual(['frames#2']));
    bg.ports[0]!.stop();
    await vi.waitFor(() => expect(describeSent(1)).toEqual(['frames#2', 'frames#2']));
    expect(bg.ports.length).toBe(2);
    expect(bg.sent[2]!.msg).toEqual(bg.sent[1]!.msg);
    // An answer of the same number only: another one (a late answer to an earlier message) is not taken.
    bg.ports[1]!.say({ ok: true, batch: 1 });
    hook.postMessage(batch(1, '3'));
    await new Promise((r) => setTimeout(r, 100));
    expect(describeSent(1)).toEqual(['frames#2', 'frames#2']);
    bg.sent[2]!.answer({ ok: true });
    await vi.waitFor(() => expect(describeSent(3)).toEqual(['frames#3']));
  });

  it('a worker that keeps stopping: the message is dropped after its attempts, and counted', { timeout: 90_000 }, async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      hook.postMessage(batch(1, 'lost'));
      await vi.waitFor(() => expect(describeSent(1)).toEqual(['frames#2']));
      for (let i = 0; i < 40 && bg.sent.every(({ msg }) => msg.type !== 'content/notice'); i++) {
        bg.ports.at(-1)!.stop();
        await vi.advanceTimersByTimeAsync(2_500);
      }
    } finally {
      vi.useRealTimers();
    }
    const notice = bg.sent.map(({ msg }) => msg).find((m) => m.type === 'content/notice');
    expect(notice).toMatchObject({ dropped: 1, text: expect.stringMatching(/the background did not answer/) });
  });

  it('tells the hook, with its key, whether a Spaces panel shows the tab', async () => {
    await vi.waitFor(() => expect(fromRelay.length).toBe(3));
    const { key } = fromRelay[1] as { key: string };
    bg.ports[0]!.say({ type: 'bg/watched', on: false });
    await vi.waitFor(() => expect(fromRelay.at(-1)).toEqual({ type: 'relay/watched', key, on: false }));
    bg.ports[0]!.say({ type: 'bg/watched', on: true });
    await vi.waitFor(() => expect(fromRelay.at(-1)).toEqual({ type: 'relay/watched', key, on: true }));
  });
});

describe('content relay: the panel\'s emit', () => {
  const emit = { type: 'bg/emit', id: 7, c: 1, packet: '42/chat,["SUBSCRIBE_CHANNEL",{"channel":{"_id":"t1","type":"topic"}}]' };
  const fromBackground = { id: 'relay-test' };
  const keyOf = async (): Promise<string> => {
    await vi.waitFor(() => expect(fromRelay.length).toBe(3));
    const key = fromRelay[1] as { type: string; key: string };
    expect(key.type).toBe('relay/key');
    expect(key.key).toMatch(/^[0-9a-f]{48}$/);
    return key.key;
  };

  it('hands the background\'s emit to the hook with the key given after the ack, and answers with the hook\'s result', async () => {
    const key = await keyOf();
    const answer = bg.onMessage!(emit, fromBackground);
    await vi.waitFor(() => expect(fromRelay.length).toBe(4));
    expect(fromRelay[3]).toEqual({ type: 'relay/emit', key, id: 7, c: 1, packet: emit.packet });
    hook.postMessage({ type: 'hook/emitted', id: 7, ok: false, error: 'the WebSocket is not open' } satisfies HookToContent);
    expect(await answer).toEqual({ ok: false, error: 'the WebSocket is not open' });
  });

  it('ignores runtime messages from a tab (a content script) or another extension, and refuses malformed emits', async () => {
    await keyOf();
    expect(bg.onMessage!(emit, { id: 'relay-test', tab: { id: 3 } })).toBeUndefined();
    expect(bg.onMessage!(emit, { id: 'other-extension' })).toBeUndefined();
    expect(await bg.onMessage!({ ...emit, packet: '2probe' }, fromBackground)).toMatchObject({ ok: false });
    expect(await bg.onMessage!({ ...emit, extra: 1 }, fromBackground)).toMatchObject({ ok: false });
    await new Promise((r) => setTimeout(r, 50));
    expect(fromRelay.length).toBe(3);
  });
});

describe('content relay: the page going away', () => {
  const leaveEvent = (detail: unknown) => ({ detail, stopImmediatePropagation: () => {} });

  it('takes the hook\'s last batch in the same task with the one-time secret and sends all it holds at once; a forged or reused hand-off is refused and counted', async () => {
    await vi.waitFor(() => expect(fromRelay.length).toBe(3));
    const { key, leave, type } = fromRelay[2] as { type: string; key: string; leave: string };
    expect([type, key]).toEqual(['relay/leave', (fromRelay[1] as { key: string }).key]);
    expect(leave).toMatch(/^[0-9a-f]{48}$/);
    hook.postMessage(batch(1, '2'));
    await vi.waitFor(() => expect(describeSent(1)).toEqual(['frames#2']));
    // frames#2 unanswered: the next batch waits behind it.
    hook.postMessage(batch(1, '3'));
    await new Promise((r) => setTimeout(r, 30));
    expect(describeSent(1)).toEqual(['frames#2']);
    fire(HOOK_LEAVE_EVENT, leaveEvent(JSON.stringify({ key: leave, msg: batch(1, '42["MESSAGE_SENT",{"last":1}]') })));
    // In the same task: what waited and the last batch, numbered after the one in flight.
    expect(describeSent(1)).toEqual(['frames#2', 'frames#3', 'frames#4']);
    expect(framesOf([bg.sent[3]!.msg]).map((f) => f.x)).toEqual(['42["MESSAGE_SENT",{"last":1}]']);
    // A new secret for the next time (a page restored from the back/forward cache leaves again).
    await vi.waitFor(() => expect(fromRelay.length).toBe(4));
    const next = fromRelay[3] as { type: string; leave: string };
    expect(next.type).toBe('relay/leave');
    expect(next.leave).not.toBe(leave);
    // The page replays the hand-off it saw, or makes one up: refused, counted.
    fire(HOOK_LEAVE_EVENT, leaveEvent(JSON.stringify({ key: leave, msg: batch(1, '42["MESSAGE_SENT",{"forged":1}]') })));
    fire(HOOK_LEAVE_EVENT, leaveEvent({ key: next.leave }));
    const sent = await answerAll();
    expect(framesOf(sent).some((f) => String(f.x).includes('forged'))).toBe(false);
    expect(notices(sent)).toEqual([expect.objectContaining({ rejected: 2, text: expect.stringMatching(/a hand-off the hook did not make/) })]);
    // Sent again once answered (same numbers: the background drops repeats).
    expect(sent.filter((m) => m.type === 'content/frames').map((m) => m.batch)).toEqual([2, 3, 4, 3, 4]);
  });
});
