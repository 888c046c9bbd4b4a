// A hostile page in Chromium: a real Socket.IO server sends markup, script, `javascript:` and tracking
// URLs, bidi and zero-width characters, a 1 MB string, 10,000-deep nesting, prototype keys and lone
// surrogates (simulator/hostile.ts). In the real DevTools Spaces tab, every row and its detail is
// opened: nothing runs, nothing is fetched, nothing is polluted, the text shows as text, and no task
// of the panel's blocks it for long. The tests share one tab and its DevTools, in order.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, type Page } from '@playwright/test';
import { test, type DevToolsWindow } from '../fixtures/chromium';
import type { LoggedSimulator } from '../fixtures/simulators';
import { BASELINE_SENDER, PWNED_GLOBAL, VISIBLE_MARKERS, hostileCorpus } from '../../simulator/hostile';
import { click, clickWhenShown, collectRows, frames, rowCount, shown, type PanelFrame, type Row } from '../lib/panel';
import { pageDone } from '../lib/pages';
import { rowsUntil, settledCount, until } from '../lib/wait';

test.describe.configure({ mode: 'serial' });

/**
 * Longest task the panel may run while a person opens a hostile row: the issue's 100 ms, or, on a
 * machine so loaded that opening the corpus' one ordinary row already takes longer, twice that.
 */
const LONG_TASK_MS = 100;
const LOAD_FACTOR = 2;
/** Opens of a row over the bound before it counts as slow. */
const RETRIES = 4;
const ROOT = resolve(import.meta.dirname, '../..');

let sim: LoggedSimulator;
let page: Page;
let devtools: DevToolsWindow;
let panel: PanelFrame;

test.beforeAll(async ({ chromiumWorker: chromium, sims }, testInfo) => {
  await chromium.freshPrefsFor(testInfo.file);
  sim = await sims.get(4);
  page = await chromium.newPage();
  await page.goto(`${sim.origin}/?transport=websocket&scenario=hostile`);
  await pageDone(page, undefined, 60_000);
  ({ devtools, panel } = await chromium.openSpacesPanel(page));
});

test.afterAll(async () => {
  await devtools?.close();
  await page?.close();
});

/** What a document shows that a hostile payload could have turned into live content. */
function liveContent(frame: PanelFrame): Promise<string[]> {
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
async function openEveryRow(frame: PanelFrame, received: Row[]): Promise<{ worstByRow: RowTask[]; shownText: string[] }> {
  await frame.evaluate(() => {
    const w = window as unknown as { __longTasks: number[]; __longTaskObserver?: PerformanceObserver };
    w.__longTasks = [];
    w.__longTaskObserver?.disconnect();
    w.__longTaskObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    });
    w.__longTaskObserver.observe({ type: 'longtask' });
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
    const rendered = await frame.evaluate((index) => !!document.querySelector(`[role=row][aria-rowindex="${index}"]`), r.index);
    if (!rendered) {
      await frame.evaluate((index) => {
        const grid = document.querySelector('[role=grid]') as HTMLElement;
        grid.scrollTop = (index - 2) * 20;
      }, r.index);
      await frames(frame);
      await frame.evaluate((index) => {
        document.querySelector(`[role=row][aria-rowindex="${index}"]`)?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
      }, r.index);
    }
    await frames(frame);
    // Expand every collapsed part of the detail (the content tree, the raw frame, the markup).
    await frame.evaluate(() => {
      for (const d of document.querySelectorAll('.detail-pane details:not([open])')) (d as HTMLDetailsElement).open = true;
      for (const b of document.querySelectorAll('.detail-pane [aria-expanded="false"]')) (b as HTMLElement).click();
    });
    await frames(frame);
    assert.deepEqual(await liveContent(frame), [], `after opening row ${r.index} (${r.summary.slice(0, 60)})`);
    shownText.push(await frame.evaluate(() => document.body.innerText));
    // Long tasks are reported after they end: the observer's pending records are taken with the others.
    const tasks = await frame.evaluate(() => {
      const w = window as unknown as { __longTasks: number[]; __longTaskObserver: PerformanceObserver };
      return [...w.__longTasks, ...w.__longTaskObserver.takeRecords().map((e) => e.duration)];
    });
    worstByRow.push({ r, row: `${r.index} ${r.sender.slice(0, 20)} ${r.summary.slice(0, 40)}`, ms: Math.max(0, ...tasks), tries: 1 });
  }
  return { worstByRow, shownText };
}

/** The hostile messages' rows (the engine and connect rows are listed too). */
const hostileRows = (rows: Row[]): Row[] => rows.filter((r) => r.event === 'MESSAGE_SENT' || r.event === 'decode error');

test.describe('a hostile page, in the Spaces panel of Chromium DevTools', () => {
  test('shows every hostile message as text, runs and fetches nothing, and stays responsive', async ({ chromium }) => {
    test.setTimeout(240_000);
    const corpus = hostileCorpus(sim.origin);
    await settledCount('the corpus listed', () => rowCount(panel), corpus.length, 60_000);
    // The engine and connect rows are counted too: wait for the hostile rows themselves.
    const received = hostileRows(await rowsUntil(`${corpus.length} hostile messages sent: a row for each`, () => collectRows(panel), (r) => hostileRows(r).length >= corpus.length, 60_000));

    const { worstByRow, shownText } = await openEveryRow(panel, received);
    const text = shownText.join('\n');
    for (const m of VISIBLE_MARKERS) assert.ok(text.includes(m), `the panel shows ${JSON.stringify(m)} as text`);

    // DevTools' own document has its icons and frames: only what a script from the corpus would change.
    assert.equal(await devtools.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag], PWNED_GLOBAL), undefined);
    assert.equal(await page.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag], PWNED_GLOBAL), undefined);
    assert.equal(await chromium.serviceWorker().evaluate(() => (({}) as Record<string, unknown>).polluted), undefined, 'the background is not polluted');
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

  test('shows it as text in the diffs, the changes, the attachments and the topics, in an export and in the offline viewer', async ({ chromium }, testInfo) => {
    test.setTimeout(180_000);
    const rows = await collectRows(panel);
    // The edited message: its two versions compared.
    const edit = rows.find((r) => r.category === 'app.event.message.updated');
    assert.ok(edit, 'the edit of a hostile message is listed');
    await openEveryRow(panel, [edit]);
    await clickWhenShown(panel, '.compare .tb-btn');
    await shown(panel, '.compare .ver-diff');
    const seen: string[] = [await panel.evaluate(() => document.body.innerText)];
    assert.deepEqual(await liveContent(panel), [], 'after comparing versions');

    await clickWhenShown(panel, '#view-changes');
    await shown(panel, '.chg-view');
    assert.deepEqual(await liveContent(panel), [], 'in the changes view');
    seen.push(await panel.evaluate(() => document.body.innerText));

    await clickWhenShown(panel, '#view-attachments');
    await shown(panel, '.att-view');
    const files = await panel.evaluate(() => document.querySelectorAll('.att-table .file-name').length);
    assert.ok(files >= 6, `${files} files listed`);
    for (let i = 0; i < files; i++) {
      await click(panel, '.att-table .file-name', i);
      await shown(panel, '.att-detail');
      assert.deepEqual(await liveContent(panel), [], `with file ${i} open`);
      seen.push(await panel.evaluate(() => document.body.innerText));
    }
    const sidebar = await panel.evaluate(() => (document.querySelector('.sidebar') as HTMLElement).innerText);
    assert.ok(sidebar.includes('<img src='), 'a topic named with markup shows it as text');
    assert.ok(sidebar.includes('\u202Efdp.exe'), 'a topic name keeps its bidi override visible');
    const text = seen.join('\n');
    for (const m of VISIBLE_MARKERS) assert.ok(text.includes(m), `the views show ${JSON.stringify(m)} as text`);
    await clickWhenShown(panel, '#view-events');

    // Export: it validates, carries the markers as data and no token.
    const downloads = testInfo.outputPath('downloads');
    await chromium.allowDownloads(downloads);
    await clickWhenShown(panel, 'button[title^="Export"]');
    await clickWhenShown(panel, '.export-popover .popover-actions .btn:first-child');
    const saved = await until('the export saved', () => panel.evaluate(() => document.querySelector('.export-saved')?.textContent ?? ''), (t) => t !== '');
    const file = join(downloads, saved.replace(/^Saved /, ''));
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
    const viewer = await chromium.newPage();
    const errors: string[] = [];
    viewer.on('pageerror', (e) => errors.push(String(e)));
    await viewer.goto(`file://${resolve(ROOT, 'dist/viewer/index.html')}`);
    await viewer.locator('input[type=file]').setInputFiles(file);
    await expect(viewer.locator('.log-banner .log-count')).toBeAttached({ timeout: 30_000 });
    await settledCount('the export listed in the viewer', () => rowCount(viewer.mainFrame()), rows.length);
    const viewerRows = hostileRows(await collectRows(viewer.mainFrame()));
    assert.ok(viewerRows.length >= hostileCorpus(sim.origin).length, `${viewerRows.length} hostile rows in the viewer`);
    const { shownText } = await openEveryRow(viewer.mainFrame(), viewerRows);
    for (const m of VISIBLE_MARKERS) assert.ok(shownText.join('\n').includes(m), `the viewer shows ${JSON.stringify(m)} as text`);
    assert.equal(await viewer.evaluate((flag) => (window as unknown as Record<string, unknown>)[flag], PWNED_GLOBAL), undefined);
    assert.deepEqual(errors, [], 'the viewer threw');
    assert.deepEqual(sim.pwned, [], 'nothing fetched a URL from the page data');
  });
});
