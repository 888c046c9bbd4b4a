// The content relay (src/content/index.ts) in Node: a fake window and browser.runtime, the hook's port a
// real MessageChannel. Each test imports the relay afresh.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOOK_PORT_EVENT, RELAY_ACK, type BackgroundAck, type ContentToBackground, type HookToContent } from '../../src/core/messages';

const bg = vi.hoisted(() => ({
  /** Every runtime.sendMessage, in order; answer() settles it. */
  sent: [] as { msg: ContentToBackground; answer(ack: BackgroundAck): void }[],
}));
vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: {
      id: 'relay-test',
      sendMessage: (msg: ContentToBackground) => new Promise<BackgroundAck>((answer) => bg.sent.push({ msg, answer })),
    },
  },
}));

type Listener = (ev: unknown) => void;
let listeners: Map<string, Listener[]>;
let hook: MessagePort;

/** Calls the relay's listeners as the browser would (a plain object can say isTrusted). */
const fire = (type: string, ev: unknown): void => listeners.get(type)?.forEach((l) => l(ev));

const describeSent = (from = 0): string[] =>
  bg.sent.slice(from).map(({ msg }) => `${msg.type.slice('content/'.length)}#${msg.batch}`);

const batch = (c: number, x: string): HookToContent => ({
  type: 'hook/batch',
  conns: [{ c, url: 'ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket', transport: 'websocket' }],
  frames: [{ c, t: 1, d: 'in', x }],
});

beforeEach(async () => {
  bg.sent = [];
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
  const acked = new Promise((r) => (hook.onmessage = (ev) => r(ev.data)));
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
    const forwarded = sent.slice(2).reduce((n, m) => n + (m.type === 'content/frames' ? m.frames.length : 0), 0);
    expect(dropped).toBeGreaterThan(0);
    expect(dropped + forwarded).toBe(2_100);
  });
});
