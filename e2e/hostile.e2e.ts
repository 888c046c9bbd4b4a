// A hostile page in Chromium: a real Socket.IO server sends markup, script, `javascript:` and tracking
// URLs, bidi and zero-width characters, a 1 MB string, 10,000-deep nesting, prototype keys and lone
// surrogates (simulator/hostile.ts). In the real DevTools Spaces tab, every row and its detail is
// opened: nothing runs, nothing is fetched, nothing is polluted, the text shows as text, and no task
// of the panel's blocks it for long.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Frame, Page } from 'puppeteer-core';
import { launchChromium, openSpacesPanel, serviceWorkerTarget, type Chromium } from './lib/chromium';
import { startSimulator, type Simulator } from '../simulator/server';
import { BASELINE_SENDER, PWNED_GLOBAL, VISIBLE_MARKERS, hostileCorpus } from '../simulator/hostile';
import { collectRows, rowsWhen, until, waitForRowCount, type Row } from './lib/panel';

/**
 * Longest task the panel may run while a person opens a hostile row: the issue's 100 ms, or, on a
 * machine so loaded that opening the corpus' one ordinary row already takes longer, twice that.
 */
const LONG_TASK_MS = 100;
const LOAD_FACTOR = 2;
/** Opens of a row over the bound before it counts as slow. */
const RETRIES = 4;

let chromium: Chromium;
let sim: Simulator;
let page: Page;
let devtools: Page;
let panel: Frame;
const ROOT = resolve(import.meta.dirname, '..');
const downloads = mkdtempSync(join(tmpdir(), 'spaces-hostile-e2e-'));

before(async () => {
  chromium = await launchChromium();
  sim = await startSimulator({ generation: 4, quiet: true });
  page = await chromium.browser.newPage();
  await page.goto(`${sim.origin}/?transport=websocket&scenario=hostile`);
  await page.waitForSelector('body[data-sim-done="1"]', { timeout: 60_000 });
  ({ devtools, panel } = await openSpacesPanel(page, chromium.extensionId));
});

after(async () => {
  await chromium?.close();
  await sim?.close();
  rmSync(downloads, { recursive: true, force: true });
});

/** What a document shows that a hostile payload could have turned into live content. */
function liveContent(frame: Frame): Promise<string[]> {
  return frame.evaluate((flag) => {
    const found: string[] = [];
    if ((window as unknown as Record<string, unknown>)[flag] !== undefined) found.push(`window.${flag} set`);
    if ((({}) as Record<string, unknown>).polluted !== undefined) found.push('Object.prototype polluted');
    for (const el of document.querySelectorAll('img, iframe, object, embed, svg, video, audio, link[rel=import], base, form')) found.push(`<${el.tagName.toLowerCase()}>`);
    for (const el of document.querySelectorAll('style')) if (el.textContent?.includes('@import')) found.push('<style> with @import');
    for (const s of document.querySelectorAll('script')) if (!s.src) found.push('inline <script>');
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.getAttributeNames()) {
        const v = el.getAttribute(a) ?? '';
        if (a.startsWith('on')) found.push(`${el.tagName.toLowerCase()}[${a}]`);
        if ((a === 'href' || a === 'src' || a === 'action') && /javascript:|\/pwned\//i.test(v)) found.push(`${el.tagName.toLowerCase()}[${a}=${v.slice(0, 40)}]`);
      }
    }
    return found;
  }, PWNED_GLOBAL);
}


interface RowTask {
  r: Row;
  row: string;
  /** Longest task while the row was opened: the least of its tries. */
  ms: number;
  tries: number;
}

/**
 * Opens each row with every collapsed part of its detail expanded; checks after each that nothing turned
 * live; returns the longest task per row and the text shown meanwhile (the list renders only rows in view).
 */
async function openEveryRow(frame: Frame, received: Row[]): Promise<{ worstByRow: RowTask[]; shownText: string[] }> {
  await frame.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
  });
  const worstByRow: RowTask[] = [];
  // What the panel showed while each row was open (the list renders only the rows in view).
  const shownText: string[] = [];
  for (const r of received) {
    await frame.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks.length = 0));
    await frame.evaluate((index) => {
      const row = document.querySelector(`[role=row][aria-rowindex="${index}"]`) ?? null;
      row?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
    }, r.index);
    // Scroll the row into view first when it is not rendered (the list is virtualized).
    const shown = await frame.evaluate((index) => !!document.querySelector(`[role=row][aria-rowindex="${index}"]`), r.index);
    if (!shown) {
      await frame.evaluate((index) => {
        const grid = document.querySelector('[role=grid]') as HTMLElement;
        grid.scrollTop = (index - 2) * 20;
      }, r.index);
      await frame.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
      await frame.evaluate((index) => {
        document.querySelector(`[role=row][aria-rowindex="${index}"]`)?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
      }, r.index);
    }
    await frame.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    // Expand every collapsed part of the detail (the content tree, the raw frame, the markup).
    await frame.evaluate(() => {
      for (const d of document.querySelectorAll('.detail-pane details:not([open])')) (d as HTMLDetailsElement).open = true;
      for (const b of document.querySelectorAll('.detail-pane [aria-expanded="false"]')) (b as HTMLElement).click();
    });
    await frame.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    assert.deepEqual(await liveContent(frame), [], `after opening row ${r.index} (${r.summary.slice(0, 60)})`);
    shownText.push(await frame.evaluate(() => document.body.innerText));
    // Long tasks are reported after they end: let the observer catch up.
    await new Promise((ok) => setTimeout(ok, 100));
    const tasks = await frame.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.slice());
    worstByRow.push({ r, row: `${r.index} ${r.sender.slice(0, 20)} ${r.summary.slice(0, 40)}`, ms: Math.max(0, ...tasks), tries: 1 });
  }
  return { worstByRow, shownText };
}

describe('a hostile page, in the Spaces panel of Chromium DevTools', () => {
  it('shows every hostile message as text, runs and fetches nothing, and stays responsive', async () => {
    const corpus = hostileCorpus(sim.origin);
    await waitForRowCount(panel, corpus.length, 60_000);
    // The engine and connect rows are counted too: wait for the hostile rows themselves.
    const hostileRows = (rows: Row[]): Row[] => rows.filter((r) => r.event === 'MESSAGE_SENT' || r.event === 'decode error');
    const received = hostileRows(await rowsWhen(panel, `${corpus.length} hostile messages sent: a row for each`, (r) => hostileRows(r).length >= corpus.length, 60_000));

    const { worstByRow, shownText } = await openEveryRow(panel, received);
    const text = shownText.join('\n');
    for (const m of VISIBLE_MARKERS) assert.ok(text.includes(m), `the panel shows ${JSON.stringify(m)} as text`);

    // DevTools' own document has its icons and frames: only what a script from the corpus would change.
    assert.equal(await devtools.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag], PWNED_GLOBAL), undefined);
    assert.equal(await page.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag], PWNED_GLOBAL), undefined);
    const sw = await serviceWorkerTarget(chromium)?.worker();
    assert.equal(await sw?.evaluate(() => (({}) as Record<string, unknown>).polluted), undefined, 'the background is not polluted');
    assert.deepEqual(sim.pwned, [], 'nothing fetched a URL from the page data');
    const baseline = worstByRow.find((w) => w.row.includes(BASELINE_SENDER));
    assert.ok(baseline, 'the ordinary row was opened');
    const hostile = worstByRow.filter((w) => w !== baseline);
    const bound = Math.max(LONG_TASK_MS, LOAD_FACTOR * baseline.ms);
    // Other processes only ever lengthen a task: a row over the bound is opened again (after the ordinary
    // one) and keeps its least. A row that is slow itself is slow every time.
    for (const w of hostile) {
      while (w.ms > bound && w.tries < RETRIES) {
        await openEveryRow(panel, [baseline.r]);
        const again = (await openEveryRow(panel, [w.r])).worstByRow[0]!;
        w.ms = Math.min(w.ms, again.ms);
        w.tries++;
      }
    }
    const worst = hostile.reduce((a, b) => (b.ms > a.ms ? b : a));
    console.log(`# longest panel task opening the ordinary row ${Math.round(baseline.ms)} ms, each hostile row (ms): ${hostile.map((w) => `${Math.round(w.ms)}${w.tries > 1 ? ` (${w.tries} tries)` : ''}`).join(' ')}; bound ${Math.round(bound)} ms`);
    assert.ok(worst.ms <= bound, `opening row ${worst.row} took a ${Math.round(worst.ms)} ms task (bound ${Math.round(bound)} ms)`);
  });

  it('shows it as text in the diffs, the changes, the attachments and the topics, in an export and in the offline viewer', async () => {
    const rows = await collectRows(panel);
    // The edited message: its two versions compared.
    const edit = rows.find((r) => r.category === 'app.event.message.updated');
    assert.ok(edit, 'the edit of a hostile message is listed');
    await openEveryRow(panel, [edit]);
    await clickIn(panel, '.compare .tb-btn');
    await panel.waitForSelector('.compare .ver-diff', { timeout: 5000 });
    const seen: string[] = [await panel.evaluate(() => document.body.innerText)];
    assert.deepEqual(await liveContent(panel), [], 'after comparing versions');

    await clickIn(panel, '#view-changes');
    await panel.waitForSelector('.chg-view', { timeout: 5000 });
    assert.deepEqual(await liveContent(panel), [], 'in the changes view');
    seen.push(await panel.evaluate(() => document.body.innerText));

    await clickIn(panel, '#view-attachments');
    await panel.waitForSelector('.att-view', { timeout: 5000 });
    const files = await panel.$$eval('.att-table .file-name', (bs) => bs.length);
    assert.ok(files >= 6, `${files} files listed`);
    for (let i = 0; i < files; i++) {
      await panel.$$eval('.att-table .file-name', (bs, n) => (bs[n] as HTMLElement).click(), i);
      await panel.waitForSelector('.att-detail', { timeout: 5000 });
      assert.deepEqual(await liveContent(panel), [], `with file ${i} open`);
      seen.push(await panel.evaluate(() => document.body.innerText));
    }
    const sidebar = await panel.$eval('.sidebar', (e) => (e as HTMLElement).innerText);
    assert.ok(sidebar.includes('<img src='), 'a topic named with markup shows it as text');
    assert.ok(sidebar.includes('\u202Efdp.exe'), 'a topic name keeps its bidi override visible');
    const text = seen.join('\n');
    for (const m of VISIBLE_MARKERS) assert.ok(text.includes(m), `the views show ${JSON.stringify(m)} as text`);
    await clickIn(panel, '#view-events');

    // Export: it validates, carries the markers as data and no token.
    const cdp = await chromium.browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await clickIn(panel, 'button[title^="Export"]');
    await clickIn(panel, '.export-popover .popover-actions .btn:first-child');
    const saved = await panel.waitForFunction(() => document.querySelector('.export-saved')?.textContent ?? '', { timeout: 10_000, polling: 200 });
    const file = join(downloads, String(await saved.jsonValue()).replace(/^Saved /, ''));
    await until('the export on disk', async () => existsSync(file), (ok) => ok, 15_000);
    const exported = readFileSync(file, 'utf8');
    assert.ok(!exported.includes(sim.token), 'token in the export');
    assert.ok(exported.includes('<script>'), 'the export carries the hostile text as data');
    const validate = await promisify(execFile)(process.execPath, [resolve(ROOT, 'bin/spaces-devtools.mjs'), 'log', 'validate', file]).then(
      () => 0,
      (e: { code?: number }) => e.code ?? -1,
    );
    assert.equal(validate, 0, 'the export validates against the schema');

    // The offline viewer (file://, no extension): every row opened, nothing live, the markers as text.
    const viewer = await chromium.browser.newPage();
    const errors: string[] = [];
    viewer.on('pageerror', (e) => errors.push(String(e)));
    await viewer.goto(`file://${resolve(ROOT, 'dist/viewer/index.html')}`);
    const input = await viewer.waitForSelector('input[type=file]');
    await input!.uploadFile(file);
    await viewer.waitForFunction(() => document.querySelector('.log-banner .log-count') !== null, { timeout: 30_000, polling: 200 });
    await waitForRowCount(viewer.mainFrame(), rows.length);
    const viewerRows = (await collectRows(viewer.mainFrame())).filter((r) => r.event === 'MESSAGE_SENT' || r.event === 'decode error');
    assert.ok(viewerRows.length >= hostileCorpus(sim.origin).length, `${viewerRows.length} hostile rows in the viewer`);
    const { shownText } = await openEveryRow(viewer.mainFrame(), viewerRows);
    for (const m of VISIBLE_MARKERS) assert.ok(shownText.join('\n').includes(m), `the viewer shows ${JSON.stringify(m)} as text`);
    assert.equal(await viewer.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag], PWNED_GLOBAL), undefined);
    assert.deepEqual(errors, [], 'the viewer threw');
    assert.deepEqual(sim.pwned, [], 'nothing fetched a URL from the page data');
    await viewer.close();
  });
});

/** A click dispatched in the panel's frame (puppeteer's mouse does not reach a DevTools extension panel). */
async function clickIn(frame: Frame, selector: string): Promise<void> {
  await frame.waitForSelector(selector, { timeout: 5000 });
  await frame.$eval(selector, (e) => (e as HTMLElement).click());
}
