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
  bg.sent.slice(from).map(({ msg }) => (msg.type === 'content/frames' ? `frames#${msg.batch}` : msg.type));

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
  await vi.waitFor(() => expect(describeSent()).toEqual(['content/page']));
  bg.sent[0]!.answer({ ok: true });
});

afterEach(() => {
  hook.close();
  vi.unstubAllGlobals();
});

describe('content relay and the back/forward cache', () => {
  it('a send in flight when the page entered the cache, never answered: sent again after the restore, then the page, then what came next', async () => {
    hook.postMessage(batch(1, '2'));
    await vi.waitFor(() => expect(describeSent(1)).toEqual(['frames#1']));
    // The page goes into the back/forward cache: Chromium never answers that send, even after the restore.
    fire('pageshow', { persisted: true, isTrusted: true });
    hook.postMessage(batch(2, '3'));
    for (let i = 2; i <= 4; i++) {
      await vi.waitFor(() => expect(bg.sent.length).toBe(i + 1));
      bg.sent[i]!.answer({ ok: true });
    }
    expect(describeSent(2)).toEqual(['frames#1', 'content/page', 'frames#2']);
    // The same batch, so the background stores it once.
    expect(bg.sent[2]!.msg).toEqual(bg.sent[1]!.msg);
    await new Promise((r) => setTimeout(r, 100));
    expect(bg.sent.length).toBe(5);
  });

  it('a pageshow the page dispatched itself changes nothing', async () => {
    hook.postMessage(batch(1, '2'));
    await vi.waitFor(() => expect(describeSent(1)).toEqual(['frames#1']));
    fire('pageshow', { persisted: true, isTrusted: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(describeSent(1)).toEqual(['frames#1']);
    bg.sent[1]!.answer({ ok: true });
    hook.postMessage(batch(1, '3'));
    await vi.waitFor(() => expect(describeSent(1)).toEqual(['frames#1', 'frames#2']));
  });
});
