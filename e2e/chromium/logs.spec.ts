// Event logs end to end in Chromium: a HAR built from Chromium's own network events (CDP Network.webSocket*,
// in the `_webSocketMessages` layout of DevTools' HAR export) against the simulator (socket.io 2.x and 4.x),
// imported by the CLI and by the offline viewer; and an export from the real DevTools Spaces tab
// imported in the offline viewer, showing the same rows.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, type Page } from '@playwright/test';
import { test, type Chromium } from '../fixtures/chromium';
import type { Generation } from '../../simulator/server';
import { clickWhenShown, collectRows, pickFile, rowCount, text, type Row } from '../lib/panel';
import { pageDone } from '../lib/pages';
import { EXPECTED_COUNTS, EXPECTED_EVENTS, assertScenario, countsOf, scenarioShown } from '../lib/scenario';
import { rowsUntil, settledCount, until } from '../lib/wait';

const ROOT = resolve(import.meta.dirname, '../..');
const VIEWER = `file://${resolve(ROOT, 'dist/viewer/index.html')}`;
const CLI = resolve(ROOT, 'bin/spaces-devtools.mjs');

/**
 * An imported log shows the times it recorded in UTC ("…Z"), the same for every reader; the live panel
 * shows local time. On a UTC machine they are the same instants; elsewhere the times are left out.
 */
const utcMachine = new Date().getTimezoneOffset() === 0;
const asLive = (rows: Row[]): Row[] => rows.map((r) => ({ ...r, time: utcMachine ? r.time.replace(/Z$/, '') : '' }));

interface WsEntry {
  url: string;
  wallOffset: number;
  started: number;
  messages: { type: 'send' | 'receive'; time: number; opcode: number; data: string }[];
}

/** Records a page's WebSocket traffic from Chromium's Network domain, as DevTools does for its HAR export. */
async function recordHar(chromium: Chromium, page: Page, run: () => Promise<void>): Promise<object> {
  const cdp = await chromium.context.newCDPSession(page);
  const sockets = new Map<string, WsEntry>();
  cdp.on('Network.webSocketCreated', (e) => sockets.set(e.requestId, { url: e.url, wallOffset: 0, started: Date.now(), messages: [] }));
  cdp.on('Network.webSocketWillSendHandshakeRequest', (e) => {
    const s = sockets.get(e.requestId);
    if (s) {
      s.wallOffset = e.wallTime - e.timestamp; // monotonic seconds → epoch seconds
      s.started = e.wallTime * 1000;
    }
  });
  const frame = (type: 'send' | 'receive') => (e: { requestId: string; timestamp: number; response: { opcode: number; payloadData: string } }) => {
    const s = sockets.get(e.requestId);
    s?.messages.push({ type, time: e.timestamp + s.wallOffset, opcode: e.response.opcode, data: e.response.payloadData });
  };
  cdp.on('Network.webSocketFrameSent', frame('send'));
  cdp.on('Network.webSocketFrameReceived', frame('receive'));
  await cdp.send('Network.enable');
  await run();
  await cdp.detach();
  const version = chromium.context.browser()!.version();
  return {
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: version.replace(/^\D+/, '') },
      pages: [],
      entries: [...sockets.values()].map((s) => ({
        startedDateTime: new Date(s.started).toISOString(),
        time: 0,
        request: { method: 'GET', url: s.url, httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
        response: { status: 101, statusText: 'Switching Protocols', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 0, mimeType: 'x-unknown' }, redirectURL: '', headersSize: -1, bodySize: 0 },
        cache: {},
        timings: { send: 0, wait: 0, receive: 0 },
        _resourceType: 'websocket',
        _webSocketMessages: s.messages,
      })),
    },
  };
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Opens a file in the offline viewer (file://, no extension) and returns its rows once the log is read. */
async function viewerRows(chromium: Chromium, file: string, expected: number): Promise<{ rows: Row[]; banner: string; page: Page }> {
  const page = await chromium.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(VIEWER);
  await page.locator('input[type=file]').setInputFiles(file);
  await expect(page.locator('.log-banner .log-count')).toBeAttached({ timeout: 20_000 });
  await settledCount('the log listed in the viewer', () => rowCount(page.mainFrame()), expected);
  const banner = (await page.locator('.log-banner').textContent()) ?? '';
  assert.deepEqual(errors, []);
  return { rows: await collectRows(page.mainFrame()), banner, page };
}

/** The Socket.IO events among the rows (the demo's own frames; keep-alives are hidden by default). */
const spacesRows = (rows: Row[]): Row[] => rows.filter((r) => r.event in EXPECTED_COUNTS);

test.beforeAll(() => {
  assert.ok(existsSync(resolve(ROOT, 'dist/viewer/index.html')), 'run npm run build first');
});

test.describe('HAR from Chromium network events', () => {
  for (const generation of [2, 4] as Generation[]) {
    test(`socket.io ${generation}.x: every scenario event imports, by the CLI and in the offline viewer`, async ({ chromium, sims }, testInfo) => {
      const sim = await sims.get(generation);
      const page = await chromium.newPage();
      const har = await recordHar(chromium, page, async () => {
        await page.goto(`${sim.origin}/?transport=websocket`);
        await pageDone(page);
      });
      await page.close();
      const file = testInfo.outputPath(`demo-${generation}.har`);
      writeFileSync(file, JSON.stringify(har, null, 2));

      const sum = await cli('log', 'summarize', file, '--json');
      assert.equal(sum.code, 0, sum.stderr);
      const s = JSON.parse(sum.stdout) as { layout: string; header: { browser: string }; summary: { byEvent: Record<string, number>; decodeErrors: number } };
      assert.equal(s.layout, 'har');
      assert.match(s.header.browser, /^HAR: WebInspector/);
      assert.equal(s.summary.decodeErrors, 0);
      const counts = Object.fromEntries(Object.keys(EXPECTED_COUNTS).map((k) => [k, s.summary.byEvent[k] ?? 0]));
      assert.deepEqual(counts, EXPECTED_COUNTS);

      const converted = testInfo.outputPath(`demo-${generation}.ndjson`);
      const conv = await cli('log', 'convert', file, '-o', converted);
      assert.equal(conv.code, 0, conv.stderr);
      assert.equal((await cli('log', 'validate', converted)).code, 0);

      const { rows, banner } = await viewerRows(chromium, file, EXPECTED_EVENTS);
      assert.match(banner, /Viewing HAR/);
      assertScenario(spacesRows(rows));
    });
  }

  test('a HAR without WebSocket data: the viewer says so', async ({ chromium }, testInfo) => {
    const file = testInfo.outputPath('plain.har');
    writeFileSync(file, JSON.stringify({ log: { version: '1.2', entries: [{ request: { method: 'GET', url: 'http://127.0.0.1/' }, response: { status: 200 } }] } }));
    const page = await chromium.newPage();
    await page.goto(VIEWER);
    await page.locator('input[type=file]').setInputFiles(file);
    const issues = await until('the viewer names an issue', async () => (await page.locator('.log-issues').textContent().catch(() => null)) ?? '', (t) => t !== '');
    assert.match(issues, /HAR without WebSocket data/);
    assert.equal((await cli('log', 'summarize', file)).code, 3);
  });
});

test.describe('export from the DevTools Spaces tab', () => {
  test('imports in the offline viewer with the same rows', async ({ chromium, sims }, testInfo) => {
    const downloads = testInfo.outputPath('downloads');
    await chromium.allowDownloads(downloads);
    const page = await chromium.newPage();
    await page.goto(`${(await sims.get(4)).origin}/?transport=websocket`);
    await pageDone(page);
    const { panel } = await chromium.openSpacesPanel(page);
    await settledCount('the demo listed', () => rowCount(panel), EXPECTED_EVENTS);
    const live = await rowsUntil('every event of the demo shown', () => collectRows(panel), scenarioShown);
    assertScenario(spacesRows(live));

    await clickWhenShown(panel, 'button[title^="Export"]');
    await clickWhenShown(panel, '.export-popover .popover-actions .btn:first-child');
    const saved = await until('the export saved', () => panel.evaluate(() => document.querySelector('.export-saved')?.textContent ?? ''), (t) => t !== '', 5_000);
    const name = saved.replace(/^Saved /, '');
    const file = join(downloads, name);
    await until(`download ${name}`, async () => (existsSync(downloads) ? readdirSync(downloads) : []), () => existsSync(file), 15_000);
    assert.equal((await cli('log', 'validate', file)).code, 0);

    // Imported in the DevTools panel itself: shown as a log, then back to live capture.
    await pickFile(panel, name, readFileSync(file, 'utf8'), 'application/json');
    await until(
      'the log read in the panel',
      () => panel.evaluate(() => ({ read: document.querySelector('.log-banner .log-count') !== null, banner: document.querySelector('.log-banner')?.textContent ?? 'none' })),
      (v) => v.read,
      20_000,
      (v) => `banner: ${v.banner}`,
    );
    assert.match(await text(panel, '.log-banner'), /Viewing log: .*Back to live capture/);
    // The panel redraws arriving data at most every 100 ms: wait for the status line.
    await until('the status says Log', () => panel.evaluate(() => document.querySelector('.conn')?.textContent ?? ''), (t) => /Log/.test(t), 5_000);
    await settledCount('the log listed', () => rowCount(panel), live.length);
    assert.deepEqual(asLive(await collectRows(panel)), asLive(live));
    await clickWhenShown(panel, '.log-banner .btn');
    await until('the log banner gone', () => panel.evaluate(() => !!document.querySelector('.log-banner')), (b) => !b);
    await until('the status says Live', () => panel.evaluate(() => document.querySelector('.conn')?.textContent ?? ''), (t) => /Live/.test(t), 5_000);
    await settledCount('the capture listed again', () => rowCount(panel), live.length);
    assert.deepEqual(spacesRows(await collectRows(panel)), spacesRows(live));

    // The offline viewer, last: once a page is in front of DevTools, the panel gets no animation frames.
    const { rows, banner, page: viewer } = await viewerRows(chromium, file, live.length);
    assert.match(banner, /Viewing log/);
    assert.deepEqual(asLive(rows), asLive(live));
    assert.deepEqual(countsOf(rows), EXPECTED_COUNTS);

    // Dropped on the viewer: the same log, by drag and drop.
    await viewer.locator('.log-banner .btn').click();
    await expect(viewer.locator('.log-banner')).toHaveCount(0);
    await viewer.evaluate(
      ([content, fileName]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([content], fileName, { type: 'application/json' }));
        const root = document.querySelector('.log-drop-root')!;
        root.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        root.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      [readFileSync(file, 'utf8'), name] as const,
    );
    await expect(viewer.locator('.log-banner .log-count')).toBeAttached();
    await settledCount('the dropped log listed', () => rowCount(viewer.mainFrame()), live.length);
    assert.deepEqual(asLive(await collectRows(viewer.mainFrame())), asLive(live));
  });
});
