// Event logs end to end in Chromium: a HAR built from Chromium's own network events (CDP Network.webSocket*,
// in the `_webSocketMessages` layout of DevTools' HAR export) against the simulator (socket.io 2.x and 4.x),
// imported by the CLI and by the offline viewer; and an export from the real DevTools Spaces tab
// imported in the offline viewer, showing the same rows.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { startSimulator, type Generation } from '../simulator/server';
import { findChromium } from './lib/browsers';
import { launchChromium, openSpacesPanel, sleep } from './lib/chromium';
import { collectRows, rowsWhen, waitForRowCount, type Row } from './lib/panel';
import { EXPECTED_COUNTS, EXPECTED_EVENTS, assertScenario, countsOf, scenarioShown } from './lib/scenario';

const ROOT = resolve(import.meta.dirname, '..');
const VIEWER = `file://${resolve(ROOT, 'dist/viewer/index.html')}`;
const CLI = resolve(ROOT, 'bin/spaces-devtools.mjs');
const dir = mkdtempSync(join(tmpdir(), 'spaces-logs-e2e-'));

interface WsEntry {
  url: string;
  wallOffset: number;
  started: number;
  messages: { type: 'send' | 'receive'; time: number; opcode: number; data: string }[];
}

/** Records a page's WebSocket traffic from Chromium's Network domain, as DevTools does for its HAR export. */
async function recordHar(page: Page, run: () => Promise<void>): Promise<object> {
  const cdp = await page.createCDPSession();
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
  const version = await page.browser().version();
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
async function viewerRows(browser: Browser, file: string, expected: number): Promise<{ rows: Row[]; banner: string; page: Page }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(VIEWER);
  const input = await page.waitForSelector('input[type=file]');
  await input!.uploadFile(file);
  await page.waitForFunction(() => document.querySelector('.log-banner .log-count') !== null, { timeout: 20_000, polling: 200 });
  await waitForRowCount(page.mainFrame(), expected);
  const banner = await page.$eval('.log-banner', (e) => e.textContent ?? '');
  assert.deepEqual(errors, []);
  return { rows: await collectRows(page.mainFrame()), banner, page };
}

/** The Socket.IO events among the rows (the demo's own frames; keep-alives are hidden by default). */
const spacesRows = (rows: Row[]): Row[] => rows.filter((r) => r.event in EXPECTED_COUNTS);

let browser: Browser;

before(async () => {
  assert.ok(existsSync(resolve(ROOT, 'dist/viewer/index.html')), 'run npm run build first');
  browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, pipe: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HAR from Chromium network events', () => {
  for (const generation of [2, 4] as Generation[]) {
    it(`socket.io ${generation}.x: every scenario event imports, by the CLI and in the offline viewer`, async () => {
      const sim = await startSimulator({ generation, quiet: true });
      try {
        const page = await browser.newPage();
        const har = await recordHar(page, async () => {
          await page.goto(`${sim.origin}/?transport=websocket`);
          await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
        });
        await page.close();
        const file = join(dir, `demo-${generation}.har`);
        writeFileSync(file, JSON.stringify(har, null, 2));

        const sum = await cli('log', 'summarize', file, '--json');
        assert.equal(sum.code, 0, sum.stderr);
        const s = JSON.parse(sum.stdout) as { layout: string; header: { browser: string }; summary: { byEvent: Record<string, number>; decodeErrors: number } };
        assert.equal(s.layout, 'har');
        assert.match(s.header.browser, /^HAR: WebInspector/);
        assert.equal(s.summary.decodeErrors, 0);
        const counts = Object.fromEntries(Object.keys(EXPECTED_COUNTS).map((k) => [k, s.summary.byEvent[k] ?? 0]));
        assert.deepEqual(counts, EXPECTED_COUNTS);

        const converted = join(dir, `demo-${generation}.ndjson`);
        const conv = await cli('log', 'convert', file, '-o', converted);
        assert.equal(conv.code, 0, conv.stderr);
        assert.equal((await cli('log', 'validate', converted)).code, 0);

        const { rows, banner, page: viewer } = await viewerRows(browser, file, EXPECTED_EVENTS);
        assert.match(banner, /Viewing HAR/);
        assertScenario(spacesRows(rows));
        await viewer.close();
      } finally {
        await sim.close();
      }
    });
  }

  it('a HAR without WebSocket data: the viewer says so', async () => {
    const file = join(dir, 'plain.har');
    writeFileSync(file, JSON.stringify({ log: { version: '1.2', entries: [{ request: { method: 'GET', url: 'http://127.0.0.1/' }, response: { status: 200 } }] } }));
    const page = await browser.newPage();
    await page.goto(VIEWER);
    await (await page.waitForSelector('input[type=file]'))!.uploadFile(file);
    const text = await page.waitForFunction(() => document.querySelector('.log-issues')?.textContent ?? '', { timeout: 10_000 });
    assert.match(String(await text.jsonValue()), /HAR without WebSocket data/);
    assert.equal((await cli('log', 'summarize', file)).code, 3);
    await page.close();
  });
});

describe('export from the DevTools Spaces tab', () => {
  it('imports in the offline viewer with the same rows', async () => {
    const chromium = await launchChromium();
    const sim = await startSimulator({ generation: 4, quiet: true });
    try {
      const downloads = join(dir, 'downloads');
      const cdp = await chromium.browser.target().createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
      const page = await chromium.browser.newPage();
      await page.goto(`${sim.origin}/?transport=websocket`);
      await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
      const { panel } = await openSpacesPanel(page, chromium.extensionId);
      await waitForRowCount(panel, EXPECTED_EVENTS);
      const live = await rowsWhen(panel, 'every event of the demo shown', scenarioShown);
      assertScenario(spacesRows(live));

      await clickIn(panel, 'button[title^="Export"]');
      await clickIn(panel, '.export-popover .popover-actions .btn:first-child');
      const saved = await panel.waitForFunction(() => document.querySelector('.export-saved')?.textContent ?? '', { timeout: 5000, polling: 200 });
      const name = String(await saved.jsonValue()).replace(/^Saved /, '');
      const file = join(downloads, name);
      const deadline = Date.now() + 15_000;
      while (!existsSync(file) && Date.now() < deadline) await sleep(100);
      assert.ok(existsSync(file), `download ${name} not in ${existsSync(downloads) ? readdirSync(downloads).join(', ') : 'nothing downloaded'}`);
      assert.equal((await cli('log', 'validate', file)).code, 0);

      // Imported in the DevTools panel itself: shown as a log, then back to live capture.
      const input = await panel.$('input[type=file]');
      await input!.uploadFile(file);
      await panel
        .waitForFunction(() => document.querySelector('.log-banner .log-count') !== null, { timeout: 20_000, polling: 200 })
        .catch(async (e: unknown) => {
          throw new Error(`${String(e)}; banner: ${await panel.evaluate(() => document.querySelector('.log-banner')?.textContent ?? 'none')}`);
        });
      assert.match(await panel.$eval('.log-banner', (e) => e.textContent ?? ''), /Viewing log: .*Back to live capture/);
      // The panel redraws arriving data at most every 100 ms: wait for the status line.
      await panel.waitForFunction(() => /Log/.test(document.querySelector('.conn')?.textContent ?? ''), { timeout: 5000, polling: 100 });
      await waitForRowCount(panel, live.length);
      assert.deepEqual(await collectRows(panel), live);
      await clickIn(panel, '.log-banner .btn');
      await panel.waitForFunction(() => !document.querySelector('.log-banner'), { polling: 200 });
      await panel.waitForFunction(() => /Live/.test(document.querySelector('.conn')?.textContent ?? ''), { timeout: 5000, polling: 100 });
      await waitForRowCount(panel, live.length);
      assert.deepEqual(spacesRows(await collectRows(panel)), spacesRows(live));

      // The offline viewer, last: once a page is in front of DevTools, the panel gets no animation frames.
      const { rows, banner, page: viewer } = await viewerRows(chromium.browser, file, live.length);
      assert.match(banner, /Viewing log/);
      assert.deepEqual(rows, live);
      assert.deepEqual(countsOf(rows), EXPECTED_COUNTS);

      // Dropped on the viewer: the same log, by drag and drop.
      await viewer.click('.log-banner .btn');
      await viewer.waitForFunction(() => !document.querySelector('.log-banner'));
      await viewer.evaluate((text, fileName) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], fileName, { type: 'application/json' }));
        const root = document.querySelector('.log-drop-root')!;
        root.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        root.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, readFileSync(file, 'utf8'), name);
      await viewer.waitForFunction(() => document.querySelector('.log-banner .log-count') !== null, { timeout: 10_000 });
      await waitForRowCount(viewer.mainFrame(), live.length);
      assert.deepEqual(await collectRows(viewer.mainFrame()), live);
    } finally {
      await chromium.close();
      await sim.close();
    }
  });
});

/** A click dispatched in the panel's frame (puppeteer's mouse does not reach a DevTools extension panel). */
async function clickIn(panel: Frame, selector: string): Promise<void> {
  await panel.waitForSelector(selector, { timeout: 5000 });
  await panel.$eval(selector, (e) => (e as HTMLElement).click());
}
