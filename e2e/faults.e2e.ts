// Faults in Chromium, against the simulator's load generator (socket.io 4.x): the service worker stopped at
// random moments of a burst while DevTools is closed and reopened, the browser's storage for the extension
// full, the extension updated under an open page. For each: what is kept, what is dropped, and that the
// panel says which. Every test closes its pages, passed or not, so that one failure does not cascade.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { CHROME_BUILD, inExtensionPage, launchChromium, openSpacesPanel, sleep, stopServiceWorker, type Chromium } from './lib/chromium';
import type { CDPSession, Frame } from 'puppeteer-core';
import { collectRows, rowsWhen, until, waitForRowCount, type Row } from './lib/panel';
import { EXPECTED_COUNTS, EXPECTED_EVENTS, assertScenario, countsOf, scenarioShown } from './lib/scenario';
import { startSimulator, type Simulator } from '../simulator/server';
import { DEFAULT_LIMITS } from '../src/core/model/store';

let chromium: Chromium;
let sim: Simulator;

before(async () => {
  chromium = await launchChromium();
  sim = await startSimulator({ generation: 4, quiet: true });
});

after(async () => {
  await chromium?.close();
  await sim?.close();
});

/** Pages a test opened; closed after it whatever its outcome (their DevTools close with them). */
const opened: Page[] = [];
afterEach(async () => {
  for (const p of opened.splice(0)) await p.close().catch(() => undefined);
});

/** Opens the demo page in load mode: `count` MESSAGE_SENT of ~`size` bytes at `rate` per second. */
async function load(rate: number, count: number, size: number): Promise<Page> {
  const page = await chromium.browser.newPage();
  opened.push(page);
  await page.goto(`${sim.origin}/?transport=websocket&rate=${rate}&count=${count}&size=${size}`);
  return page;
}

const done = (page: Page, timeout = 60_000) => page.waitForSelector('body[data-sim-done="1"]', { timeout });

/** The load generator's sequence numbers among the rows ("seq=12" in each summary). */
const loadSeqs = (rows: Row[]): number[] =>
  rows.flatMap((r) => {
    const m = r.event === 'MESSAGE_SENT' ? /seq=(\d+)/.exec(r.summary) : null;
    return m ? [Number(m[1])] : [];
  });

/** The panel's counts line, e.g. "1,234 events · 56 dropped by the buffer (56: storage full) · 0 rejected". */
const countsLine = (panel: Awaited<ReturnType<typeof openSpacesPanel>>['panel']) =>
  panel.evaluate(() => document.querySelector('.counts')?.textContent ?? '');

const num = (text: string, re: RegExp): number => Number((re.exec(text)?.[1] ?? 'NaN').replace(/,/g, ''));

interface StoredMeta {
  nextSeq: number;
  dropped: number;
  droppedFull?: number;
  chunks: { count: number; bytes: number }[];
}

/** Every tab's meta as the background stored it, by key. */
async function storedMetas(): Promise<Record<string, StoredMeta>> {
  const json = await inExtensionPage(chromium, async () => JSON.stringify(await chrome.storage.session.get(null)));
  const all = JSON.parse(json) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(all).filter(([k]) => /^tab:\d+:meta$/.test(k))) as Record<string, StoredMeta>;
}

async function storedMeta(tabId: number): Promise<StoredMeta> {
  const meta = (await storedMetas())[`tab:${tabId}:meta`];
  if (!meta) throw new Error(`no stored state for tab ${tabId}`);
  return meta;
}

/**
 * Waits until the panel's counts line and the stored meta agree (the meta is written 200 ms behind), then
 * checks that they are exact: every event the tab ever had is either held or counted as dropped, by the
 * background and by the panel. The panel may hold events the background dropped after sending them (the
 * storage filled meanwhile): it counts as dropped only those it does not hold, and their storage-full part.
 */
async function consistent(panel: Awaited<ReturnType<typeof openSpacesPanel>>['panel'], tabId: number): Promise<{ meta: StoredMeta; held: number; shown: number }> {
  let meta: StoredMeta | undefined;
  let held = 0;
  let shown = 0;
  await until(
    'the counts line to match the stored state',
    async () => {
      meta = await storedMeta(tabId);
      held = meta.chunks.reduce((n, c) => n + c.count, 0);
      const line = await countsLine(panel);
      shown = num(line, /^([\d,]+) events/);
      return { line, held, dropped: meta.dropped, full: meta.droppedFull ?? 0, had: meta.nextSeq - 1 };
    },
    (v) => {
      const panelHeld = num(v.line, /^([\d,]+) events/);
      const panelDropped = num(v.line, /([\d,]+) dropped/);
      const panelFull = /storage full/.test(v.line) ? num(v.line, /\((?:up to )?([\d,]+): storage full\)/) : 0;
      return (
        panelHeld + panelDropped === v.had &&
        panelHeld >= v.held &&
        panelDropped <= v.dropped &&
        panelFull <= v.full &&
        (panelHeld > v.held || (panelDropped === v.dropped && panelFull === v.full))
      );
    },
    20_000,
  );
  assert.ok(meta);
  assert.equal(held + meta.dropped, meta.nextSeq - 1, 'held + dropped = every event the tab had');
  return { meta, held, shown };
}

describe('faults, in Chromium', () => {
  it('the service worker stopped at random moments of a burst, DevTools closed and reopened meanwhile: every event once', async () => {
    // ~1.5 KB stored each: well within the tab's 4 MB, so nothing may be dropped.
    const COUNT = 1_500;
    const page = await load(1_000, COUNT, 200);
    let panelView = await openSpacesPanel(page, chromium.extensionId);
    // Random moments, printed so that a failure can be replayed.
    const seed = Date.now() % 100_000;
    let x = seed;
    const rand = (): number => ((x = (x * 48271) % 2147483647) % 1000) / 1000;
    const stops = [0, 1, 2].map(() => Math.round(100 + rand() * 500));
    console.log(`# seed ${seed}: stops after ${stops.join(', ')} ms`);
    for (const [i, wait] of stops.entries()) {
      await sleep(wait);
      await stopServiceWorker(chromium, page);
      if (i === 0) await panelView.devtools.close();
    }
    await done(page);
    panelView = await openSpacesPanel(page, chromium.extensionId);
    await waitForRowCount(panelView.panel, COUNT);
    // The engine and connect rows are counted too: wait for every load message.
    const seqs = loadSeqs(await rowsWhen(panelView.panel, 'every load message shown', (r) => loadSeqs(r).length >= COUNT, 60_000));
    assert.equal(seqs.length, COUNT, `${seqs.length} load messages shown, ${COUNT} sent`);
    assert.deepEqual(seqs, Array.from({ length: COUNT }, (_, i) => i + 1), 'each load message once, in order');
    assert.match(await countsLine(panelView.panel), / 0 dropped/);
    await panelView.devtools.close();
  });

  it('storage full: the tab keeps its newest events, counts the others apart, and the panel says so', async () => {
    // Each tab's own bound is 4 MB (stored bytes); four tabs at their bound pass the 10 MB that Chrome gives
    // the extension's session storage.
    let last: Page | undefined;
    for (let i = 0; i < 4; i++) {
      last = await load(3_000, 2_500, 2_000);
      await done(last);
    }
    if (!last) throw new Error('no page');
    const { devtools, panel } = await openSpacesPanel(last, chromium.extensionId);
    const tabId = await panel.evaluate(() => chrome.devtools.inspectedWindow.tabId);
    await until('the panel says the storage was full', () => countsLine(panel), (t) => /storage full/.test(t), 20_000);
    // A burst of 15× the soak's rate into four tabs: each stays within its bound in stored bytes.
    for (const [key, m] of Object.entries(await storedMetas())) {
      const bytes = m.chunks.reduce((n, c) => n + c.bytes, 0);
      assert.ok(bytes <= DEFAULT_LIMITS.maxBytes, `${key} stores ${bytes} bytes`);
    }
    const before = await consistent(panel, tabId);
    assert.ok((before.meta.droppedFull ?? 0) > 0, 'the background counted events dropped for a full storage');
    // A restarted worker serves what it says it holds, the newest ones in order, and counts any it lost.
    await devtools.close();
    await stopServiceWorker(chromium, last);
    const again = await openSpacesPanel(last, chromium.extensionId);
    const after = await consistent(again.panel, tabId);
    assert.ok(after.meta.nextSeq >= before.meta.nextSeq, "numbering goes on across the restart");
    const rows = await collectRows(again.panel);
    const line = await countsLine(again.panel);
    const shown = /\(([\d,]+) shown\)/.test(line) ? num(line, /\(([\d,]+) shown\)/) : after.shown;
    assert.equal(rows.length, shown, `rows listed vs "${line}"`);
    const seqs = loadSeqs(rows);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => 2_500 - seqs.length + 1 + i), 'the newest load messages, in order');
    await again.devtools.close();
  });

  it('the extension updated under an open page: the page keeps working; the panel asks for a reload, which captures again', async () => {
    const COUNT = 1_500;
    const page = await load(500, COUNT, 300);
    await sleep(800);
    // Updated in place, as the store or a developer's "reload" does (here chrome.runtime.reload() leaves
    // DevTools without the extension's devtools page; loading the build again does not).
    assert.equal(await chromium.browser.installExtension(CHROME_BUILD), chromium.extensionId);
    await chromium.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${chromium.extensionId}/`), { timeout: 15_000 });
    await done(page);
    // The page got every message: its socket never noticed.
    assert.equal(await page.evaluate(() => Number(document.body.dataset.messages)), COUNT);
    assert.equal(await page.evaluate(() => document.body.dataset.simError ?? ''), '');
    const first = await openSpacesPanel(page, chromium.extensionId);
    // What came before the reload went with the extension's memory: the panel says how to get a capture.
    // Its empty state says so; or, when the old relay's last batches reached the new extension (a retry
    // once its ID answered again: seen as "200 events · 0 connections"), a notice over those events does.
    await until(
      'the panel asks for a reload',
      () => first.panel.evaluate(() => `${document.querySelector('.empty')?.textContent ?? ''} | ${document.querySelector('.notice')?.textContent ?? ''} | counts: ${document.querySelector('.counts')?.textContent ?? ''}`),
      (t) => /Reload the page to capture from the start/.test(t),
      15_000,
    );
    await first.devtools.close();
    await page.reload();
    await done(page);
    const second = await openSpacesPanel(page, chromium.extensionId);
    await waitForRowCount(second.panel, COUNT);
    const seqs = loadSeqs(await rowsWhen(second.panel, 'every load message shown', (r) => loadSeqs(r).length >= COUNT, 60_000));
    assert.equal(seqs.length, COUNT);
    await second.devtools.close();
  });
});

/** Sets the panel's "Preserve log" (kept in the panel's prefs, so every test sets it). */
async function setPreserve(panel: Frame, on: boolean): Promise<void> {
  await panel.evaluate((want) => {
    const box = [...document.querySelectorAll('label.tb-check')].find((l) => /Preserve log/.test(l.textContent ?? ''))?.querySelector('input');
    if (!box) throw new Error('no "Preserve log" checkbox');
    if (box.checked !== want) box.click();
  }, on);
  await until('"Preserve log" set', () => panel.evaluate(() => [...document.querySelectorAll('label.tb-check')].find((l) => /Preserve log/.test(l.textContent ?? ''))?.querySelector('input')?.checked), (v) => v === on);
}

/** The counts line's figures: events held, dropped, connections; and the empty state's text. */
async function panelSays(panel: Frame): Promise<{ held: number; dropped: number; connections: number; empty: string; line: string }> {
  const line = await countsLine(panel);
  const empty = await panel.evaluate(() => document.querySelector('.empty')?.textContent ?? '');
  return { held: num(line, /^([\d,]+) events?/), dropped: num(line, /([\d,]+) dropped/), connections: num(line, /(\d+) connections?/), empty, line };
}

/** Events the background has numbered for the tab, once its stored state stops changing (written 200 ms behind). */
async function settledSeq(tabId: number): Promise<number> {
  let last = -1;
  let same = 0;
  for (;;) {
    const seq = (await storedMeta(tabId)).nextSeq - 1;
    same = seq === last ? same + 1 : 0;
    last = seq;
    if (same >= 3) return seq;
    await sleep(250);
  }
}

/**
 * Polls the panel and the stored state together until the panel holds want(seq) events, seq being the number
 * of events the tab had (a page with an open socket keeps adding keep-alives), none dropped, and says how many
 * connections the page has.
 */
function counted(panel: Frame, tabId: number, what: string, want: (seq: number) => number, connections: number) {
  return until(
    what,
    async () => ({ ...(await panelSays(panel)), seq: (await storedMeta(tabId)).nextSeq - 1 }),
    (v) => v.held === want(v.seq) && v.dropped === 0 && v.connections === connections,
    20_000,
  );
}

/** Watches a page for the back/forward cache: what Chromium says when it does not use it. */
async function watchBfcache(page: Page): Promise<{ cdp: CDPSession; notUsed: string[] }> {
  const cdp = await page.createCDPSession();
  const notUsed: string[] = [];
  await cdp.send('Page.enable');
  cdp.on('Page.backForwardCacheNotUsed', (e) => notUsed.push(...e.notRestoredExplanations.map((x) => x.reason)));
  return { cdp, notUsed };
}

/** Marks the page's window: a page restored from the back/forward cache keeps the mark, a page loaded again has none. */
const mark = (page: Page) => page.evaluate(() => void ((window as unknown as { navMark?: number }).navMark = 1));
const marked = (page: Page) => page.evaluate(() => (window as unknown as { navMark?: number }).navMark === 1);

/** Waits until the page restored from the back/forward cache is done again (its pageshow handler ran and its new socket got its echo). */
const restoredDone = (page: Page) => page.waitForSelector('body[data-restores="1"][data-sim-done="1"]', { timeout: 60_000 });

/** A new tab on `path` of the simulator, watched for the back/forward cache, its Spaces tab open with "Preserve log" set. */
async function openWatched(path: string, preserve: boolean) {
  const page = await chromium.browser.newPage();
  opened.push(page);
  const bf = await watchBfcache(page);
  await page.goto(`${sim.origin}${path}`);
  await done(page);
  const { devtools, panel } = await openSpacesPanel(page, chromium.extensionId);
  const tabId = await panel.evaluate(() => chrome.devtools.inspectedWindow.tabId);
  await setPreserve(panel, preserve);
  return { page, bf, devtools, panel, tabId };
}

/** Marks the page, then leaves it for a plain page of the same origin. */
async function toPlain(page: Page): Promise<void> {
  await mark(page);
  await page.goto(`${sim.origin}/plain.html`);
  await page.waitForSelector('body[data-sim-done="1"]', { timeout: 20_000 });
}

/** Goes back, and checks that the page came back from the back/forward cache, its pageshow handled. */
async function backRestored(page: Page, bf: { notUsed: string[] }): Promise<void> {
  await page.goBack();
  await restoredDone(page);
  assert.equal(await marked(page), true, 'restored from the back/forward cache, not loaded again');
  assert.deepEqual(bf.notUsed, [], 'Chromium used the back/forward cache');
}

/** Whose send each MESSAGE_SENT row echoes ("hello from <name>"). */
const echoedBy = (rows: Row[]): string[] => rows.filter((r) => r.event === 'MESSAGE_SENT').map((r) => /hello from ([^"\s]+)/.exec(r.summary)?.[1] ?? r.summary);

describe('navigation and the back/forward cache, in Chromium', () => {
  it('a page of the same origin and back, "Preserve log" off and on: the earlier page kept or gone, and said so', async () => {
    for (const preserve of [false, true]) {
      const { page, bf, devtools, panel, tabId } = await openWatched('/?transport=websocket', preserve);
      await waitForRowCount(panel, EXPECTED_EVENTS);
      assertScenario(await rowsWhen(panel, 'every event of the demo shown', scenarioShown));
      await counted(panel, tabId, 'the first load counted', (seq) => seq, 1);

      // Another page of the same origin, with a WebSocket that is not Socket.IO: nothing of it is captured.
      await toPlain(page);
      const left = await settledSeq(tabId);
      const away = await counted(panel, tabId, 'the panel on the plain page', (seq) => (preserve ? seq : 0), 0);
      if (preserve) assert.deepEqual(countsOf(await collectRows(panel)), EXPECTED_COUNTS, 'the first load is kept');
      else assert.match(away.empty, /No Spaces socket seen on this page yet\. Reload the page to capture from the start/);

      // Back: the demo page (no-store, an open WebSocket) is loaded again, not restored, and captured as any load.
      await page.goBack();
      await done(page);
      assert.equal(await marked(page), false, 'the demo page was loaded again');
      assert.ok(bf.notUsed.length > 0, 'Chromium says why it did not use the back/forward cache');
      console.log(`# not restored from the back/forward cache: ${[...new Set(bf.notUsed)].join(', ')}`);
      await counted(panel, tabId, 'the second load counted', (seq) => (preserve ? seq : seq - left), 1);
      const rows = await collectRows(panel);
      if (preserve) {
        const twice = Object.fromEntries(Object.entries(EXPECTED_COUNTS).map(([k, n]) => [k, 2 * n]));
        assert.deepEqual(countsOf(rows), twice, 'both loads, each event once');
      } else assertScenario(rows);
      await bf.cdp.detach();
      await devtools.close();
    }
  });

  it('a page restored from the back/forward cache: its new socket captured, nothing twice, counts exact', async () => {
    for (const preserve of [false, true]) {
      const name = `bf-${preserve ? 'kept' : 'cleared'}`;
      const { page, bf, devtools, panel, tabId } = await openWatched(`/pages/bfcache.html?lb=${name}`, preserve);
      await until('the first visit shown', () => collectRows(panel), (rows) => echoedBy(rows).includes(name));
      await counted(panel, tabId, 'the first visit counted', (seq) => seq, 1);

      await toPlain(page);
      const left = await settledSeq(tabId);
      await counted(panel, tabId, 'the panel on the plain page', (seq) => (preserve ? seq : 0), 0);

      await backRestored(page, bf);
      assert.equal(await page.evaluate(() => document.body.dataset.restores), '1');
      assert.equal(await page.evaluate(() => document.body.dataset.echoes), `${name} ${name}-back1`);
      // The page's connections: the one pagehide closed and the new one (the plain page's count was 0).
      const back = await counted(panel, tabId, 'the restored page counted', (seq) => (preserve ? seq : seq - left), 2);
      assert.ok(back.seq > left, 'the restored page captured again');
      const rows = await collectRows(panel);
      // The page's own send and its echo once per socket, the earlier visit's only with "Preserve log".
      assert.deepEqual(echoedBy(rows), preserve ? [name, `${name}-back1`] : [`${name}-back1`]);
      assert.equal(rows.filter((r) => r.event === 'SEND_MESSAGE').length, preserve ? 2 : 1);
      assert.equal(rows.filter((r) => r.event === 'open').length, preserve ? 2 : 1, 'one engine open per socket');
      const distinct = new Set(rows.map((r) => JSON.stringify([r.time, r.dir, r.event, r.summary])));
      assert.equal(distinct.size, rows.length, 'no row twice');
      // The background holds every event it numbered.
      const meta = await storedMeta(tabId);
      assert.equal(meta.chunks.reduce((n, c) => n + c.count, 0), meta.nextSeq - 1, 'held = every event the tab had');
      await bf.cdp.detach();
      await devtools.close();
    }
  });

  it('a page that leaves its socket open is restored from the back/forward cache too: its client reconnects, captured', async () => {
    const name = 'bf-open';
    // open=1: pagehide leaves the socket open, as a page that does nothing about the cache.
    const { page, bf, devtools, panel, tabId } = await openWatched(`/pages/bfcache.html?lb=${name}&open=1`, true);
    await counted(panel, tabId, 'the first visit counted', (seq) => seq, 1);
    await toPlain(page);
    await backRestored(page, bf);
    // The browser closed the socket in the cache; socket.io reconnects it (and sends again on connect), and
    // the page opens its new one: three connections, each captured once.
    await counted(panel, tabId, 'the reconnection counted', (seq) => seq, 3);
    const rows = await until('every echo shown', () => collectRows(panel), (r) => echoedBy(r).length === 3);
    assert.deepEqual(echoedBy(rows).sort(), [name, name, `${name}-back1`]);
    assert.equal(rows.filter((r) => r.event === 'open').length, 3, 'one engine open per socket');
    const distinct = new Set(rows.map((r) => JSON.stringify([r.time, r.dir, r.event, r.summary])));
    assert.equal(distinct.size, rows.length, 'no row twice');
    await bf.cdp.detach();
    await devtools.close();
  });

  it('a page that enters the back/forward cache while the relay waits for an answer: after the restore every event captured and counted', async () => {
    const name = 'bf-busy';
    const { page, bf, devtools, panel, tabId } = await openWatched(`/pages/bfcache.html?lb=${name}`, true);
    await counted(panel, tabId, 'the first visit counted', (seq) => seq, 1);
    // A socket that sends every 20 ms keeps the relay sending (each answer comes >= 200 ms later, once stored),
    // so a send is in flight when the page enters the cache; pagehide stops and closes it.
    await page.evaluate(() => {
      const ws = new WebSocket(`ws://${location.host}/socket.io/?EIO=4&transport=websocket`);
      const timer = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('3'), 20);
      addEventListener('pagehide', () => {
        clearInterval(timer);
        ws.close();
      });
    });
    await until('the busy socket shown', () => panel.evaluate(() => document.querySelector('.counts')?.textContent ?? ''), (t) => / 2 connections/.test(t), 20_000);
    await sleep(500);
    await toPlain(page);
    await backRestored(page, bf);
    // The first socket, the busy one and the restored page's new one.
    await counted(panel, tabId, 'the restored page counted', (seq) => seq, 3);
    const rows = await until('the restored socket shown', () => collectRows(panel), (r) => echoedBy(r).length === 2);
    assert.deepEqual(echoedBy(rows), [name, `${name}-back1`]);
    const meta = await storedMeta(tabId);
    assert.equal(meta.chunks.reduce((n, c) => n + c.count, 0), meta.nextSeq - 1, 'held = every event the tab had');
    await bf.cdp.detach();
    await devtools.close();
  });
});
