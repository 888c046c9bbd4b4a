// Background (Chrome service worker / Firefox event page): decodes what the relays send, keeps a bounded
// per-tab buffer written through to storage.session (a stopped worker loses nothing), and serves panels.
import browser, { type Runtime } from 'webextension-polyfill';
import {
  CONTENT_PORT,
  PANEL_PORT,
  checkContentToBackground,
  checkPanelToBackground,
  type BackgroundAck,
  type BackgroundToPanel,
  type BackgroundToRelay,
  type ContentToBackground,
  type BackgroundToContent,
  type TabStatus,
  MAX_LOADS,
  pageStarted,
} from '../core/messages';
import { toFrames } from '../core/relay';
import { TabCapture, frameLabel, type KnownConnection } from '../core/model/capture';
import type { CapturedEvent } from '../core/model/event';
import { DEFAULT_LIMITS, TabStore, type KeyValue } from '../core/model/store';
import { publishGrantedOrigins, syncContentScripts } from './origins';

/** A page (a relay: the top frame's or a sub-frame's) heard from. */
interface Page {
  /** Last message taken, so that one sent again after a lost acknowledgement is not taken twice. */
  batch: number;
  /** The top-level page load it said hello in (0: none). */
  load: number;
  /** Connections and workers it started: those of the current page load are counted. */
  conns: number;
  workers: number;
}

interface Extra {
  /** The tab's connections, least recently active first (bounded: see TabCapture.prune). */
  conns: Record<string, KnownConnection>;
  connsPruned?: number;
  pageUrl?: string;
  rejected: number;
  /** Frames the relays said they dropped. */
  relayDropped?: number;
  notices: string[];
  /** Pages heard from, the most recent last. */
  pages?: Record<string, Page>;
  /** Top-level page loads (top frame hellos) so far. */
  load?: number;
  /** The next seq at each of the latest top-level page loads (the first event of that load), oldest first. */
  loads?: number[];
  /** The page URL of each of those loads (redacted by the content script), in step with `loads`. */
  loadUrls?: string[];
}

interface PanelClient {
  port: Runtime.Port;
  /** Live events wait here while the backlog is being read. */
  pending?: CapturedEvent[];
}

interface Tab {
  store: TabStore<Extra>;
  capture: TabCapture;
}

const MAX_NOTICES = 50;
/** Pages a tab remembers, the least recently heard from forgotten first: far more than a page has frames. */
const MAX_PAGES = 1_000;
/**
 * Batches that come within this time are stored with one write. A relay sends its next batch once the last
 * one is stored, so while a panel shows the tab the write goes at once: the relay's wait is the write itself
 * (what comes meanwhile still goes in one write), not the write-behind too.
 */
const WRITE_BEHIND_MS = 200;
const WATCHED_WRITE_BEHIND_MS = 0;
/** Events per message to a panel. */
const BATCH = 500;

const kv: KeyValue = {
  get: (keys) => browser.storage.session.get(keys),
  set: (items) => browser.storage.session.set(items),
  remove: (keys) => browser.storage.session.remove(keys),
};

/**
 * When this extension (not this worker) started: storage.session outlives a stopped worker, not an update
 * or a reload. A relay that started before it runs the extension that was there before.
 */
const started: Promise<number> = browser.storage.session.get('started').then(async (got: Record<string, unknown>) => {
  if (typeof got.started === 'number') return got.started;
  const now = Date.now();
  await browser.storage.session.set({ started: now });
  return now;
});

const tabs = new Map<number, Promise<Tab>>();
const panels = new Map<number, Set<PanelClient>>();
/** Whether a Spaces panel shows the tab. */
const watchedTab = (tabId: number): boolean => (panels.get(tabId)?.size ?? 0) > 0;
/** Per-tab queue: batches are handled one after another, in the order they came. */
const queues = new Map<number, Promise<unknown>>();

function tab(tabId: number): Promise<Tab> {
  let t = tabs.get(tabId);
  if (!t) {
    t = TabStore.open<Extra>(kv, tabId, DEFAULT_LIMITS, () => ({ conns: {}, rejected: 0, notices: [], pages: {}, load: 0 }), WRITE_BEHIND_MS).then((store) => ({
      store,
      capture: new TabCapture(store.extra.conns),
    }));
    tabs.set(tabId, t);
  }
  return t;
}

function serial<T>(tabId: number, work: () => Promise<T>): Promise<T> {
  const next = (queues.get(tabId) ?? Promise.resolve()).then(work, work);
  queues.set(tabId, next.catch(() => undefined));
  return next;
}

function status(tabId: number, t: Tab): TabStatus {
  const s = t.store.status();
  const x = t.store.extra;
  const current = Object.values(x.pages ?? {}).filter((p) => p.load === (x.load ?? 0));
  return {
    tabId,
    ...s,
    rejected: x.rejected,
    relayDropped: x.relayDropped ?? 0,
    connectionsPruned: x.connsPruned ?? 0,
    pageUrl: x.pageUrl,
    loadSeqs: x.loads ?? [],
    loadUrls: x.loadUrls ?? [],
    connections: current.reduce((n, p) => n + p.conns, 0),
    workers: current.reduce((n, p) => n + p.workers, 0),
    notices: x.notices,
  };
}

function send(client: PanelClient, msg: BackgroundToPanel): void {
  try {
    client.port.postMessage(msg);
  } catch {
    /* the panel went away; onDisconnect cleans up */
  }
}

function broadcast(tabId: number, t: Tab, events: CapturedEvent[], reset = false): void {
  for (const client of panels.get(tabId) ?? []) {
    if (client.pending) client.pending.push(...events);
    else if (events.length || reset) send(client, { type: 'bg/events', tabId, events, reset });
    send(client, { type: 'bg/status', status: status(tabId, t) });
  }
}

/** Counts a relay sends (a page may make them up) stay safe integers, as the panel requires. */
const safeSum = (a = 0, b = 0): number => Math.min(Number.MAX_SAFE_INTEGER, a + b);

/** The page's entry, made the most recent; the least recent beyond MAX_PAGES are forgotten. */
function touchPage(x: Extra, pageId: string): Page {
  const pages = (x.pages ??= {});
  const page = pages[pageId] ?? { batch: 0, load: 0, conns: 0, workers: 0 };
  delete pages[pageId];
  pages[pageId] = page;
  const ids = Object.keys(pages);
  for (const id of ids.slice(0, Math.max(0, ids.length - MAX_PAGES))) delete pages[id];
  return page;
}

function notice(x: Extra, text: string): void {
  x.notices.push(`${new Date().toISOString().slice(11, 19)} ${text}`);
  if (x.notices.length > MAX_NOTICES) x.notices.splice(0, x.notices.length - MAX_NOTICES);
}

/** Where a relay runs, as the browser says (the page cannot choose it): a sub-frame's label, or undefined for the top frame. */
interface SenderFrame {
  top: boolean;
  label: string | undefined;
}

/** Takes one message in; `written` resolves when what it added is stored (the relay is answered then). */
async function handleContent(tabId: number, msg: ContentToBackground, from: SenderFrame): Promise<{ written: Promise<void>; t?: Tab }> {
  const t = await tab(tabId);
  const x = t.store.extra;
  let events: CapturedEvent[] = [];
  let written: Promise<void>;
  const known = x.pages?.[msg.pageId];
  if ((known?.batch ?? 0) >= msg.batch) return { written: Promise.resolve() };
  const page = touchPage(x, msg.pageId);
  page.batch = msg.batch;
  if (msg.type === 'content/frames') {
    // A relay's first message is its hello; frames from a relay not heard from that started before this
    // extension come from the one before an update or reload (one forgotten beyond MAX_PAGES started after).
    if (!known && (pageStarted(msg.pageId) ?? 0) < (await started)) {
      notice(x, 'Events came from a page that was capturing before the extension started (it was updated or reloaded); its earlier events are not here. Reload the page to capture from the start.');
    }
    page.conns += msg.conns.filter((c) => !x.conns[`${msg.pageId}:${c.c}`]).length;
    t.store.flushMs = watchedTab(tabId) ? WATCHED_WRITE_BEHIND_MS : WRITE_BEHIND_MS;
    const fresh = t.capture.ingest(msg.pageId, msg.conns, toFrames(msg), t.store.nextSeq, from.top ? undefined : from.label, msg.life);
    const pruned = t.capture.prune();
    if (pruned) x.connsPruned = (x.connsPruned ?? 0) + pruned;
    ({ events, written } = t.store.append(fresh));
  } else {
    if (msg.type === 'content/page') {
      // A new top-level page load, or one restored from the back/forward cache: the workers and
      // connections counted are this page's and those of the frames that say hello after it.
      if (from.top) {
        x.pageUrl = msg.url;
        x.load = (x.load ?? 0) + 1;
        x.loads = [...(x.loads ?? []), t.store.nextSeq].slice(-MAX_LOADS);
        x.loadUrls = [...(x.loadUrls ?? []), msg.url].slice(-MAX_LOADS);
      }
      page.load = x.load ?? 0;
    }
    if (msg.type === 'content/notice') {
      notice(x, msg.text);
      x.rejected = safeSum(x.rejected, msg.rejected);
      x.relayDropped = safeSum(x.relayDropped, msg.dropped);
    }
    if (msg.type === 'content/worker') page.workers++;
    ({ written } = t.store.append([]));
  }
  broadcast(tabId, t, events);
  return { written, t };
}

/** Answers the relay once its batch is stored; the next message is taken in meanwhile. */
async function acknowledge(tabId: number, done: { written: Promise<void>; t?: Tab }): Promise<BackgroundAck> {
  try {
    await done.written;
  } catch (e) {
    // Storage full or gone: the panel still got the events live; say what could not be kept, to a panel now.
    if (done.t) {
      notice(done.t.store.extra, `could not persist events: ${e instanceof Error ? e.message : String(e)}`);
      broadcast(tabId, done.t, []);
    }
  }
  return { ok: true };
}

/** Takes a relay's message (from a tab's content script: `tabId`), answered once what it added is stored. */
function intake(tabId: number, message: unknown, sender: Runtime.MessageSender): Promise<BackgroundAck> {
  const checked = checkContentToBackground(message);
  if (!checked.ok) {
    return serial(tabId, async () => {
      const t = await tab(tabId);
      t.store.extra.rejected++;
      broadcast(tabId, t, []);
      return { ok: false, error: checked.error } satisfies BackgroundAck;
    });
  }
  // frameId 0 is the tab's top frame (Chrome and Firefox); an unknown one is taken for a sub-frame.
  const from: SenderFrame = { top: sender.frameId === 0, label: frameLabel(sender.url) };
  return serial(tabId, () => handleContent(tabId, checked.value, from)).then((done) => acknowledge(tabId, done));
}

/** The relays' Ports, by tab. */
const relays = new Map<number, Set<Runtime.Port>>();

function postRelay(port: Runtime.Port, msg: BackgroundToRelay): void {
  try {
    port.postMessage(msg);
  } catch {
    /* the relay went away: it sends again on its next Port */
  }
}

/** Tells the tab's relays whether a Spaces panel shows it (while none does, the hook batches a slow page less often). */
function tellWatched(tabId: number): void {
  const on = watchedTab(tabId);
  for (const port of relays.get(tabId) ?? []) postRelay(port, { type: 'bg/watched', on });
}

/** A relay's Port: each message answered on it with its number, in order. */
function relayPort(port: Runtime.Port, tabId: number, sender: Runtime.MessageSender): void {
  let set = relays.get(tabId);
  if (!set) relays.set(tabId, (set = new Set()));
  set.add(port);
  port.onDisconnect.addListener(() => {
    relays.get(tabId)?.delete(port);
    if (relays.get(tabId)?.size === 0) relays.delete(tabId);
  });
  postRelay(port, { type: 'bg/watched', on: watchedTab(tabId) });
  port.onMessage.addListener((message: unknown) => {
    const n = (message as { batch?: unknown } | null)?.batch;
    const batch = typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
    void intake(tabId, message, sender).then((ack) => postRelay(port, batch === undefined ? ack : { ...ack, batch }));
  });
}

async function subscribe(client: PanelClient, tabId: number, since: number): Promise<void> {
  client.pending = [];
  let set = panels.get(tabId);
  if (!set) panels.set(tabId, (set = new Set()));
  set.add(client);
  tellWatched(tabId);
  const t = await tab(tabId);
  const { events, reset } = await t.store.since(since);
  let last = reset ? 0 : since;
  for (let i = 0; i < events.length || (i === 0 && reset); i += BATCH) {
    const part = events.slice(i, i + BATCH);
    send(client, { type: 'bg/events', tabId, events: part, reset: reset && i === 0 });
    last = part[part.length - 1]?.seq ?? last;
  }
  const live = (client.pending ?? []).filter((e) => e.seq > last);
  client.pending = undefined;
  if (live.length) send(client, { type: 'bg/events', tabId, events: live, reset: false });
  send(client, { type: 'bg/status', status: status(tabId, t) });
}

function leave(tabId: number, client: PanelClient): void {
  panels.get(tabId)?.delete(client);
  tellWatched(tabId);
}

/** Hands a panel's emit to the tab's top-frame relay and returns its answer. */
async function emitOnPage(tabId: number, c: number, packet: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const msg: BackgroundToContent = { type: 'bg/emit', id: ++emitIds, c, packet };
  try {
    const r = (await browser.tabs.sendMessage(tabId, msg, { frameId: 0 })) as unknown;
    if (typeof r === 'object' && r !== null && (r as { ok?: unknown }).ok === true) return { ok: true };
    const error = typeof r === 'object' && r !== null ? (r as { error?: unknown }).error : undefined;
    return { ok: false, error: typeof error === 'string' ? error.slice(0, 1000) : 'the page did not answer' };
  } catch (e) {
    return { ok: false, error: `the page's relay is not reachable (${e instanceof Error ? e.message : String(e)})` };
  }
}
let emitIds = 0;

browser.runtime.onConnect.addListener((port) => {
  // A relay: our content script in a tab (a page cannot connect: the extension is not externally connectable).
  const tabId = port.sender?.tab?.id;
  if (port.name === CONTENT_PORT && port.sender?.id === browser.runtime.id && tabId !== undefined && tabId >= 0) return relayPort(port, tabId, port.sender);
  // Only our own pages (the panel) may connect: a content script's sender URL is the web page's.
  // (sender.tab can't tell: an undocked DevTools window has one.)
  if (port.name !== PANEL_PORT || port.sender?.id !== browser.runtime.id || !port.sender.url?.startsWith(browser.runtime.getURL(''))) {
    port.disconnect();
    return;
  }
  const client: PanelClient = { port };
  let subscribed: number | undefined;
  port.onMessage.addListener((message: unknown) => {
    const checked = checkPanelToBackground(message);
    if (!checked.ok) return;
    const msg = checked.value;
    if (msg.type === 'panel/subscribe') {
      if (subscribed !== undefined) leave(subscribed, client);
      subscribed = msg.tabId;
      void serial(msg.tabId, () => subscribe(client, msg.tabId, msg.since));
    } else if (msg.type === 'panel/emit') {
      // Only to the tab this panel subscribed to (the one it inspects), and only its top frame's relay.
      const tabId = subscribed;
      if (tabId === undefined) return;
      void emitOnPage(tabId, msg.conn, msg.packet).then((r) =>
        send(client, r.ok ? { type: 'bg/emitted', tabId, id: msg.id, ok: true } : { type: 'bg/emitted', tabId, id: msg.id, ok: false, error: r.error }),
      );
    } else if (msg.type === 'panel/clear') {
      void serial(msg.tabId, async () => {
        const t = await tab(msg.tabId);
        t.store.extra.relayDropped = 0;
        await t.store.clear();
        broadcast(msg.tabId, t, [], true);
      });
    }
  });
  port.onDisconnect.addListener(() => {
    if (subscribed !== undefined) leave(subscribed, client);
  });
});

browser.tabs.onRemoved.addListener((tabId) => {
  void serial(tabId, async () => {
    const t = await tab(tabId);
    await t.store.destroy();
    tabs.delete(tabId);
    panels.delete(tabId);
  }).finally(() => queues.delete(tabId));
});

function onPermissions(): void {
  void syncContentScripts();
  void publishGrantedOrigins();
}
browser.permissions.onAdded.addListener(onPermissions);
browser.permissions.onRemoved.addListener(onPermissions);
browser.runtime.onInstalled.addListener(() => void syncContentScripts());
void publishGrantedOrigins();
