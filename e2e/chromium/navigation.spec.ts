/// <reference types="chrome" />
// Navigation and the back/forward cache in Chromium (socket.io 4.x): a page of the same origin and back,
// pages restored from the cache, with "Preserve log" off and on. What the panel counts must match what the
// background stored, exactly. The fixture closes every tab a test opened, passed or not.
import assert from 'node:assert/strict';
import type { CDPSession, Page } from '@playwright/test';
import { test, type Chromium } from '../fixtures/chromium';
import { EXPECTED_COUNTS, EXPECTED_EVENTS, assertScenario, countsOf, scenarioShown } from '../lib/scenario';
import { collectRows, countsLine, num, rowCount, type PanelFrame } from '../lib/panel';
import { pageDone, pause } from '../lib/pages';
import { heldIn, loadSeqs, storedMeta } from '../lib/stored';
import { distinctRows, echoedBy } from '../lib/sockets';
import { rowsUntil, settledCount, until } from '../lib/wait';

const done = (page: Page, timeout = 60_000): Promise<void> => pageDone(page, undefined, timeout);

/** Sets the panel's "Preserve log" (kept in the panel's prefs, so every test sets it). */
async function setPreserve(panel: PanelFrame, on: boolean): Promise<void> {
  await panel.evaluate((want) => {
    const box = [...document.querySelectorAll('label.tb-check')].find((l) => /Preserve log/.test(l.textContent ?? ''))?.querySelector('input');
    if (!box) throw new Error('no "Preserve log" checkbox');
    if (box.checked !== want) box.click();
  }, on);
  await until('"Preserve log" set', () => panel.evaluate(() => [...document.querySelectorAll('label.tb-check')].find((l) => /Preserve log/.test(l.textContent ?? ''))?.querySelector('input')?.checked), (v) => v === on);
}

/** The counts line's figures: events held, dropped, connections; and the empty state's text. */
async function panelSays(panel: PanelFrame): Promise<{ held: number; dropped: number; connections: number; empty: string; line: string }> {
  const line = await countsLine(panel);
  const empty = await panel.evaluate(() => document.querySelector('.empty')?.textContent ?? '');
  return { held: num(line, /^([\d,]+) events?/), dropped: num(line, /([\d,]+) dropped/), connections: num(line, /(\d+) connections?/), empty, line };
}

/** Events the background has numbered for the tab, once its stored state stops changing (written 200 ms behind). */
const settledSeq = (chromium: Chromium, tabId: number): Promise<number> =>
  settledCount('the stored state settled', async () => (await storedMeta(chromium, tabId)).nextSeq - 1, 0);

/**
 * Polls the panel and the stored state together until the panel holds want(seq) events, seq being the number
 * of events the tab had (a page with an open socket keeps adding keep-alives), none dropped, and says how many
 * connections the page has.
 */
function counted(chromium: Chromium, panel: PanelFrame, tabId: number, what: string, want: (seq: number) => number, connections: number) {
  return until(
    what,
    async () => ({ ...(await panelSays(panel)), seq: (await storedMeta(chromium, tabId)).nextSeq - 1 }),
    (v) => v.held === want(v.seq) && v.dropped === 0 && v.connections === connections,
    20_000,
  );
}

/** Watches a page for the back/forward cache: what Chromium says when it does not use it. */
async function watchBfcache(chromium: Chromium, page: Page): Promise<{ cdp: CDPSession; notUsed: string[] }> {
  const cdp = await chromium.context.newCDPSession(page);
  const notUsed: string[] = [];
  await cdp.send('Page.enable');
  cdp.on('Page.backForwardCacheNotUsed', (e) => notUsed.push(...e.notRestoredExplanations.map((x) => x.reason)));
  return { cdp, notUsed };
}

/** Marks the page's window: a page restored from the back/forward cache keeps the mark, a page loaded again has none. */
const mark = (page: Page) => page.evaluate(() => void ((window as unknown as { navMark?: number }).navMark = 1));
const marked = (page: Page) => page.evaluate(() => (window as unknown as { navMark?: number }).navMark === 1);

/** Waits until the page restored from the back/forward cache is done again (its pageshow handler ran and its new socket got its echo). */
const restoredDone = (page: Page) => pageDone(page, 'body[data-restores="1"][data-sim-done="1"]', 60_000);

/** A new tab on `path` of the simulator, watched for the back/forward cache, its Spaces tab open with "Preserve log" set. */
async function openWatched(chromium: Chromium, origin: string, path: string, preserve: boolean) {
  const page = await chromium.newPage();
  const bf = await watchBfcache(chromium, page);
  await page.goto(`${origin}${path}`);
  await done(page);
  const { devtools, panel } = await chromium.openSpacesPanel(page);
  const tabId = await panel.evaluate(() => chrome.devtools.inspectedWindow.tabId);
  await setPreserve(panel, preserve);
  return { page, bf, devtools, panel, tabId };
}

/** Marks the page, then leaves it for a plain page of the same origin. */
async function toPlain(page: Page, origin: string): Promise<void> {
  await mark(page);
  await page.goto(`${origin}/plain.html`);
  await pageDone(page, undefined, 20_000);
}

/** Goes back (a restore fires no load event: the commit is awaited), and checks that the page came back from the back/forward cache, its pageshow handled. */
async function backRestored(page: Page, bf: { notUsed: string[] }): Promise<void> {
  await page.goBack({ waitUntil: 'commit' });
  await restoredDone(page);
  assert.equal(await marked(page), true, 'restored from the back/forward cache, not loaded again');
  assert.deepEqual(bf.notUsed, [], 'Chromium used the back/forward cache');
}

test.describe('navigation and the back/forward cache, in Chromium', () => {
  test('a page of the same origin and back, "Preserve log" off and on: the earlier page kept or gone, and said so', async ({ chromium, sims }) => {
    test.setTimeout(180_000);
    const origin = (await sims.get(4)).origin;
    for (const preserve of [false, true]) {
      const { page, bf, devtools, panel, tabId } = await openWatched(chromium, origin, '/?transport=websocket', preserve);
      await settledCount('the demo listed', () => rowCount(panel), EXPECTED_EVENTS);
      assertScenario(await rowsUntil('every event of the demo shown', () => collectRows(panel), scenarioShown));
      await counted(chromium, panel, tabId, 'the first load counted', (seq) => seq, 1);

      // Another page of the same origin, with a WebSocket that is not Socket.IO: nothing of it is captured.
      await toPlain(page, origin);
      const left = await settledSeq(chromium, tabId);
      const away = await counted(chromium, panel, tabId, 'the panel on the plain page', (seq) => (preserve ? seq : 0), 0);
      if (preserve) assert.deepEqual(countsOf(await collectRows(panel)), EXPECTED_COUNTS, 'the first load is kept');
      else assert.match(away.empty, /No Spaces socket seen on this page yet\. Reload the page to capture from the start/);

      // Back: the demo page (no-store, an open WebSocket) is loaded again, not restored, and captured as any load.
      await page.goBack({ waitUntil: 'commit' });
      await done(page);
      assert.equal(await marked(page), false, 'the demo page was loaded again');
      assert.ok(bf.notUsed.length > 0, 'Chromium says why it did not use the back/forward cache');
      console.log(`# not restored from the back/forward cache: ${[...new Set(bf.notUsed)].join(', ')}`);
      await counted(chromium, panel, tabId, 'the second load counted', (seq) => (preserve ? seq : seq - left), 1);
      const rows = await collectRows(panel);
      if (preserve) {
        const twice = Object.fromEntries(Object.entries(EXPECTED_COUNTS).map(([k, n]) => [k, 2 * n]));
        assert.deepEqual(countsOf(rows), twice, 'both loads, each event once');
      } else assertScenario(rows);
      await bf.cdp.detach();
      await devtools.close();
    }
  });

  test('a page restored from the back/forward cache: its new socket captured, nothing twice, counts exact', async ({ chromium, sims }) => {
    test.setTimeout(180_000);
    const origin = (await sims.get(4)).origin;
    for (const preserve of [false, true]) {
      const name = `bf-${preserve ? 'kept' : 'cleared'}`;
      const { page, bf, devtools, panel, tabId } = await openWatched(chromium, origin, `/pages/bfcache.html?lb=${name}`, preserve);
      await until('the first visit shown', () => collectRows(panel), (rows) => echoedBy(rows).includes(name));
      await counted(chromium, panel, tabId, 'the first visit counted', (seq) => seq, 1);

      await toPlain(page, origin);
      const left = await settledSeq(chromium, tabId);
      await counted(chromium, panel, tabId, 'the panel on the plain page', (seq) => (preserve ? seq : 0), 0);

      await backRestored(page, bf);
      assert.equal(await page.evaluate(() => document.body.dataset.restores), '1');
      assert.equal(await page.evaluate(() => document.body.dataset.echoes), `${name} ${name}-back1`);
      // The page's connections: the one pagehide closed and the new one (the plain page's count was 0).
      const back = await counted(chromium, panel, tabId, 'the restored page counted', (seq) => (preserve ? seq : seq - left), 2);
      assert.ok(back.seq > left, 'the restored page captured again');
      const rows = await collectRows(panel);
      // The page's own send and its echo once per socket, the earlier visit's only with "Preserve log".
      assert.deepEqual(echoedBy(rows), preserve ? [name, `${name}-back1`] : [`${name}-back1`]);
      assert.equal(rows.filter((r) => r.event === 'SEND_MESSAGE').length, preserve ? 2 : 1);
      assert.equal(rows.filter((r) => r.event === 'open').length, preserve ? 2 : 1, 'one engine open per socket');
      assert.equal(distinctRows(rows), rows.length, 'no row twice');
      // The background holds every event it numbered.
      const meta = await storedMeta(chromium, tabId);
      assert.equal(heldIn(meta), meta.nextSeq - 1, 'held = every event the tab had');
      await bf.cdp.detach();
      await devtools.close();
    }
  });

  test('a page that leaves its socket open is restored from the back/forward cache too: its client reconnects, captured', async ({ chromium, sims }) => {
    const origin = (await sims.get(4)).origin;
    const name = 'bf-open';
    // open=1: pagehide leaves the socket open, as a page that does nothing about the cache.
    const { page, bf, panel, tabId } = await openWatched(chromium, origin, `/pages/bfcache.html?lb=${name}&open=1`, true);
    await counted(chromium, panel, tabId, 'the first visit counted', (seq) => seq, 1);
    await toPlain(page, origin);
    await backRestored(page, bf);
    // The browser closed the socket in the cache; socket.io reconnects it (and sends again on connect), and
    // the page opens its new one: three connections, each captured once.
    await counted(chromium, panel, tabId, 'the reconnection counted', (seq) => seq, 3);
    const rows = await until('every echo shown', () => collectRows(panel), (r) => echoedBy(r).length === 3);
    assert.deepEqual(echoedBy(rows).sort(), [name, name, `${name}-back1`]);
    assert.equal(rows.filter((r) => r.event === 'open').length, 3, 'one engine open per socket');
    assert.equal(distinctRows(rows), rows.length, 'no row twice');
    await bf.cdp.detach();
  });

  test('a page that enters the back/forward cache while the relay waits for an answer: after the restore every event captured and counted', async ({ chromium, sims }) => {
    const origin = (await sims.get(4)).origin;
    const name = 'bf-busy';
    const { page, bf, panel, tabId } = await openWatched(chromium, origin, `/pages/bfcache.html?lb=${name}`, true);
    await counted(chromium, panel, tabId, 'the first visit counted', (seq) => seq, 1);
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
    await until('the busy socket shown', () => countsLine(panel), (t) => / 2 connections/.test(t), 20_000);
    // Let it send a while, so that the relay is busy when the page leaves.
    await pause(500);
    await toPlain(page, origin);
    await backRestored(page, bf);
    // The first socket, the busy one and the restored page's new one.
    await counted(chromium, panel, tabId, 'the restored page counted', (seq) => seq, 3);
    const rows = await until('the restored socket shown', () => collectRows(panel), (r) => echoedBy(r).length === 2);
    assert.deepEqual(echoedBy(rows), [name, `${name}-back1`]);
    const meta = await storedMeta(chromium, tabId);
    assert.equal(heldIn(meta), meta.nextSeq - 1, 'held = every event the tab had');
    await bf.cdp.detach();
  });

  // With no panel watching, the hook batches once a second (sooner past 2 M characters), so some frames always
  // wait when the page leaves: at 50/s and at 1,000/s.
  for (const { rate, size, count } of [
    { rate: 50, size: 200, count: 3000 },
    { rate: 1000, size: 200, count: 1500 },
  ])
    test(`no panel open, a page left mid-stream at ${rate}/s × ${size} B (its last frames still batched): every frame it got is kept`, async ({ chromium, sims }) => {
      const origin = (await sims.get(4)).origin;
      const page = await chromium.newPage();
      await page.goto(`${origin}/?transport=websocket&rate=${rate}&count=${count}&size=${size}`, { waitUntil: 'domcontentloaded' });
      // The demo publishes its exact count on pagehide; this listener, added later, runs after and keeps it.
      await page.evaluate(() => addEventListener('pagehide', () => sessionStorage.setItem('got', document.body.dataset.messages ?? '')));
      // The page leaves by itself within a second of the load (a test polling it from outside, on a busy machine,
      // would let it get more than the tab's buffer keeps at 1,000/s: 1,500 do fit).
      const leaveAt = Math.round(rate * (0.6 + Math.random() * 0.4));
      await page.evaluate((n) => {
        const timer = setInterval(() => {
          if (Number(document.body.dataset.messages ?? 0) < n) return;
          clearInterval(timer);
          location.href = '/plain.html';
        }, 5);
      }, leaveAt);
      await page.waitForURL(/\/plain\.html$/, { timeout: 30_000 });
      await pageDone(page, undefined, 20_000);
      const got = Number(await page.evaluate(() => sessionStorage.getItem('got')));
      const { panel } = await chromium.openSpacesPanel(page);
      await setPreserve(panel, true);
      const rows = await until('the first load listed', () => collectRows(panel), (r) => loadSeqs(r).length >= got, 20_000).catch(() => collectRows(panel));
      const seqs = loadSeqs(rows);
      assert.deepEqual(seqs, Array.from({ length: got }, (_, i) => i + 1), `the page got ${got} MESSAGE_SENT; listed ${seqs.length}, the first ${seqs[0]}, the last ${seqs.at(-1)}; ${await countsLine(panel)}`);
      assert.match(await countsLine(panel), / 0 dropped by the buffer · 0 rejected/);
    });
});
