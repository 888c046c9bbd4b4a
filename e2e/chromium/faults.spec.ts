/// <reference types="chrome" />
// Faults in Chromium, against the simulator's load generator (socket.io 4.x): the service worker stopped at
// random moments of a burst while DevTools is closed and reopened, the browser's storage for the extension
// full, the extension updated under an open page. For each: what is kept, what is dropped, and that the
// panel says which. The fixture closes every tab a test opened, passed or not.
import assert from 'node:assert/strict';
import type { Page } from '@playwright/test';
import { test, type Chromium, type SpacesView } from '../fixtures/chromium';
import { DEFAULT_LIMITS } from '../../src/core/model/store';
import { CHROME_BUILD } from '../lib/chromium';
import { collectRows, countsLine, num, rowCount, type PanelFrame } from '../lib/panel';
import { pageDone, pause } from '../lib/pages';
import { heldIn, loadSeqs, seeded, storedMeta, storedMetas, type StoredMeta } from '../lib/stored';
import { rowsUntil, settledCount, until } from '../lib/wait';

/** Opens the demo page in load mode: `count` MESSAGE_SENT of ~`size` bytes at `rate` per second. */
async function load(chromium: Chromium, origin: string, rate: number, count: number, size: number): Promise<Page> {
  const page = await chromium.newPage();
  await page.goto(`${origin}/?transport=websocket&rate=${rate}&count=${count}&size=${size}`);
  return page;
}

const done = (page: Page, timeout = 60_000): Promise<void> => pageDone(page, undefined, timeout);

/**
 * Waits until the panel's counts line and the stored meta agree (the meta is written 200 ms behind), then
 * checks that they are exact: every event the tab ever had is either held or counted as dropped, by the
 * background and by the panel. The panel may hold events the background dropped after sending them (the
 * storage filled meanwhile): it counts as dropped only those it does not hold, and their storage-full part.
 */
async function consistent(chromium: Chromium, panel: PanelFrame, tabId: number): Promise<{ meta: StoredMeta; held: number; shown: number }> {
  const v = await until(
    'the counts line to match the stored state',
    async () => {
      const meta = await storedMeta(chromium, tabId);
      return { line: await countsLine(panel), meta, held: heldIn(meta), dropped: meta.dropped, full: meta.droppedFull ?? 0, had: meta.nextSeq - 1 };
    },
    (x) => {
      const panelHeld = num(x.line, /^([\d,]+) events/);
      const panelDropped = num(x.line, /([\d,]+) dropped/);
      const panelFull = /storage full/.test(x.line) ? num(x.line, /\((?:up to )?([\d,]+): storage full\)/) : 0;
      return (
        panelHeld + panelDropped === x.had &&
        panelHeld >= x.held &&
        panelDropped <= x.dropped &&
        panelFull <= x.full &&
        (panelHeld > x.held || (panelDropped === x.dropped && panelFull === x.full))
      );
    },
    20_000,
    (x) => `"${x.line}", stored: held ${x.held}, dropped ${x.dropped} (${x.full} full), had ${x.had}`,
  );
  assert.equal(v.held + v.meta.dropped, v.meta.nextSeq - 1, 'held + dropped = every event the tab had');
  return { meta: v.meta, held: v.held, shown: num(v.line, /^([\d,]+) events/) };
}

test.describe('faults, in Chromium', () => {
  test('the service worker stopped at random moments of a burst, DevTools closed and reopened meanwhile: every event once', async ({ chromium, sims }) => {
    // ~1.5 KB stored each: well within the tab's 4 MB, so nothing may be dropped.
    const COUNT = 1_500;
    const page = await load(chromium, (await sims.get(4)).origin, 1_000, COUNT, 200);
    let view: SpacesView = await chromium.openSpacesPanel(page);
    // Random moments, printed so that a failure can be replayed.
    const { seed, rand } = seeded();
    const stops = [0, 1, 2].map(() => Math.round(100 + rand() * 500));
    console.log(`# seed ${seed}: stops after ${stops.join(', ')} ms`);
    for (const [i, wait] of stops.entries()) {
      await pause(wait);
      await chromium.stopServiceWorker(page);
      if (i === 0) await view.devtools.close();
    }
    await done(page);
    view = await chromium.openSpacesPanel(page);
    await settledCount('the burst listed', () => rowCount(view.panel), COUNT);
    // The engine and connect rows are counted too: wait for every load message.
    const seqs = loadSeqs(await rowsUntil('every load message shown', () => collectRows(view.panel), (r) => loadSeqs(r).length >= COUNT, 60_000));
    assert.equal(seqs.length, COUNT, `${seqs.length} load messages shown, ${COUNT} sent`);
    assert.deepEqual(seqs, Array.from({ length: COUNT }, (_, i) => i + 1), 'each load message once, in order');
    assert.match(await countsLine(view.panel), / 0 dropped/);
  });

  test('storage full: the tab keeps its newest events, counts the others apart, and the panel says so', async ({ chromium, sims }) => {
    test.setTimeout(180_000);
    const origin = (await sims.get(4)).origin;
    // Each tab's own bound is 4 MB (stored bytes); four tabs at their bound pass the 10 MB that Chrome gives
    // the extension's session storage.
    let last: Page | undefined;
    for (let i = 0; i < 4; i++) {
      last = await load(chromium, origin, 3_000, 2_500, 2_000);
      await done(last);
    }
    if (!last) throw new Error('no page');
    const { devtools, panel } = await chromium.openSpacesPanel(last);
    const tabId = await panel.evaluate(() => chrome.devtools.inspectedWindow.tabId);
    await until('the panel says the storage was full', () => countsLine(panel), (t) => /storage full/.test(t), 20_000);
    // A burst of 15× the soak's rate into four tabs: each stays within its bound in stored bytes.
    for (const [key, m] of Object.entries(await storedMetas(chromium))) {
      const bytes = m.chunks.reduce((n, c) => n + c.bytes, 0);
      assert.ok(bytes <= DEFAULT_LIMITS.maxBytes, `${key} stores ${bytes} bytes`);
    }
    const before = await consistent(chromium, panel, tabId);
    assert.ok((before.meta.droppedFull ?? 0) > 0, 'the background counted events dropped for a full storage');
    // A restarted worker serves what it says it holds, the newest ones in order, and counts any it lost.
    await devtools.close();
    await chromium.stopServiceWorker(last);
    const again = await chromium.openSpacesPanel(last);
    const after = await consistent(chromium, again.panel, tabId);
    assert.ok(after.meta.nextSeq >= before.meta.nextSeq, 'numbering goes on across the restart');
    const rows = await collectRows(again.panel);
    const line = await countsLine(again.panel);
    const shown = /\(([\d,]+) shown\)/.test(line) ? num(line, /\(([\d,]+) shown\)/) : after.shown;
    assert.equal(rows.length, shown, `rows listed vs "${line}"`);
    const seqs = loadSeqs(rows);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => 2_500 - seqs.length + 1 + i), 'the newest load messages, in order');
  });

  test('the extension updated under an open page: the page keeps working; the panel asks for a reload, which captures again', async ({ chromium, sims }) => {
    const COUNT = 1_500;
    const page = await load(chromium, (await sims.get(4)).origin, 500, COUNT, 300);
    // Into the burst.
    await pause(800);
    // Updated in place, as the store or a developer's "reload" does (here chrome.runtime.reload() leaves
    // DevTools without the extension's devtools page; loading the build again does not).
    const cdp = await chromium.browserSession();
    const { id } = (await cdp.send('Extensions.loadUnpacked' as 'Browser.getVersion', { path: CHROME_BUILD } as never)) as unknown as { id: string };
    assert.equal(id, chromium.extensionId);
    await until('the updated service worker', async () => chromium.context.serviceWorkers().map((w) => w.url()), (urls) => urls.some((u) => u.startsWith(`chrome-extension://${id}/`)), 15_000);
    await done(page);
    // The page got every message: its socket never noticed.
    assert.equal(await page.evaluate(() => Number(document.body.dataset.messages)), COUNT);
    assert.equal(await page.evaluate(() => document.body.dataset.simError ?? ''), '');
    const first = await chromium.openSpacesPanel(page);
    // What came before the reload went with the extension's memory: the panel says how to get a capture.
    // Its empty state says so; or, when the old relay's last batches reached the new extension (a retry
    // once its ID answered again: seen as "200 events · 0 connections"), a notice over those events does.
    await until(
      'the panel asks for a reload',
      () => first.panel.evaluate(() => `${document.querySelector('.empty')?.textContent ?? ''} | ${document.querySelector('.notice')?.textContent ?? ''} | counts: ${document.querySelector('.counts')?.textContent ?? ''}`),
      (t) => /Reload the page to capture from the start/.test(t),
      15_000,
    );
    // The person reloads with the panel open, as its prompt asks: without "Preserve log" it clears at the
    // page load, whether or not the old relay's last batches reached the new extension (the tab keeps those).
    await page.reload();
    await done(page);
    await settledCount('the burst listed', () => rowCount(first.panel), COUNT);
    const seqs = loadSeqs(await rowsUntil('every load message shown', () => collectRows(first.panel), (r) => loadSeqs(r).length >= COUNT, 60_000));
    assert.equal(seqs.length, COUNT);
  });
});
