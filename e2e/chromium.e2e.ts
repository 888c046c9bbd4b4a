/// <reference types="chrome" />
// End to end in Debian's Chromium with the built extension, against the Spaces simulator in both wire
// generations and both transports, read from the real DevTools "Spaces" tab.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { startSimulator, type Simulator } from '../simulator/server';
import { SCENARIO_EVENT_COUNT } from '../simulator/scenario';
import { inExtensionPage, launchChromium, openSpacesPanel, sleep, stopServiceWorker, type Chromium } from './lib/chromium';
import { collectRows, panelHtml, rowsWhen, waitForRowCount, type Row } from './lib/panel';
import { assertScenario, ECHOES as echoes, EXPECTED_EVENTS, scenarioShown } from './lib/scenario';

const ARTIFACTS = resolve(import.meta.dirname, '../artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

let chromium: Chromium;
const sims: Record<2 | 4, Simulator> = {} as Record<2 | 4, Simulator>;

before(async () => {
  chromium = await launchChromium();
  sims[2] = await startSimulator({ generation: 2, quiet: true });
  sims[4] = await startSimulator({ generation: 4, quiet: true });
});

after(async () => {
  await chromium?.close();
  await Promise.all(Object.values(sims).map((s) => s.close()));
});

async function demo(gen: 2 | 4, transport: 'websocket' | 'polling', extra = ''): Promise<Page> {
  const page = await chromium.browser.newPage();
  await page.goto(`${sims[gen].origin}/?transport=${transport}${extra}`);
  return page;
}

/** Waits for the panel's rows; on failure keeps a screenshot of DevTools as an artifact. */
async function rowsAtLeast(devtools: Page, panel: Frame, n: number, name: string): Promise<number> {
  try {
    return await waitForRowCount(panel, n);
  } catch (e) {
    await devtools.screenshot({ path: resolve(ARTIFACTS, `failure-${name}.png`) }).catch(() => undefined);
    throw e;
  }
}

/** The extension's settings and granted origins, as its own pages see them. */
async function settings(): Promise<string> {
  return inExtensionPage(chromium, async () => JSON.stringify([await chrome.storage.local.get(null), await chrome.permissions.getAll()]));
}

async function storedState(): Promise<string> {
  return inExtensionPage(chromium, async () => JSON.stringify(await chrome.storage.session.get(null)));
}

for (const gen of [2, 4] as const) {
  for (const transport of ['websocket', 'polling'] as const) {
    describe(`socket.io ${gen}.x over ${transport}`, () => {
      it('shows every event the scenario played in the DevTools Spaces tab, in order, and the token nowhere', async () => {
        const page = await demo(gen, transport);
        await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
        const { devtools, panel } = await openSpacesPanel(page, chromium.extensionId);
        await rowsAtLeast(devtools, panel, EXPECTED_EVENTS, `${gen}-${transport}`);
        const rows = await rowsWhen(panel, 'every event of the demo shown', scenarioShown);
        assertScenario(rows);
        if (gen === 2 && transport === 'websocket') await devtools.screenshot({ path: resolve(ARTIFACTS, 'chromium-devtools-spaces.png') });

        const token = sims[gen].token;
        assert.ok(!(await panelHtml(panel)).includes(token), 'token in the panel DOM');
        assert.ok(!JSON.stringify(rows).includes(token), 'token in a row');
        const stored = await storedState();
        assert.ok(stored.includes('MESSAGE_SENT'), 'the background stored the events');
        assert.ok(!stored.includes(token), 'token in the background storage');
        assert.ok(stored.includes('[redacted]'), 'the connect query is kept, redacted');
        const tabId = await panel.evaluate(() => chrome.devtools.inspectedWindow.tabId);
        assert.ok(stored.includes(`"tab:${tabId}:meta"`));
        await devtools.close();
        await page.close();
        // The tab's buffer is freed with it.
        await sleep(300);
        assert.ok(!(await storedState()).includes(`"tab:${tabId}:`), 'the closed tab left data behind');
      });
    });
  }
}

describe('service worker restarts', () => {
  it('loses no event when the worker is stopped mid-scenario', async () => {
    const page = await demo(2, 'websocket');
    // Stop it a few times while the scenario plays.
    for (let i = 0; i < 4; i++) {
      await sleep(250);
      await stopServiceWorker(chromium, page);
    }
    await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
    const { devtools, panel } = await openSpacesPanel(page, chromium.extensionId);
    await rowsAtLeast(devtools, panel, EXPECTED_EVENTS, 'sw-stop');
    assertScenario(await rowsWhen(panel, 'every event of the demo shown', scenarioShown));
    await devtools.close();
    await page.close();
  });

  it('a panel open across a restart reconnects and gets what came meanwhile', async () => {
    const page = await demo(4, 'websocket', '&scenario=none');
    await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
    const { devtools, panel } = await openSpacesPanel(page, chromium.extensionId);
    const before = await rowsAtLeast(devtools, panel, 1, 'sw-reconnect');
    await stopServiceWorker(chromium, page);
    // More traffic after the restart: the page plays the scenario now.
    await page.goto(`${sims[4].origin}/?transport=websocket`);
    await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
    await waitForRowCount(panel, before + EXPECTED_EVENTS);
    const echoed = (rows: Row[]): number => rows.filter((r) => r.event === 'MESSAGE_SENT').length;
    const rows = await rowsWhen(panel, 'every MESSAGE_SENT of both loads shown', (r) => echoed(r) >= 2 * echoes + SCENARIO_EVENT_COUNT);
    assert.equal(echoed(rows), 2 * echoes + SCENARIO_EVENT_COUNT);
    await devtools.close();
    await page.close();
  });
});

describe('pages that are not Spaces', () => {
  it('a page whose sockets are not Socket.IO forwards nothing', async () => {
    const page = await chromium.browser.newPage();
    await page.goto(`${sims[2].origin}/plain.html`);
    await page.waitForSelector('body[data-sim-done="1"]', { timeout: 15_000 });
    const { devtools, panel } = await openSpacesPanel(page, chromium.extensionId);
    await sleep(500);
    assert.equal((await collectRows(panel)).length, 0);
    const tabState = await storedState();
    assert.ok(!tabState.includes('plain-ws'), 'no frame of the plain socket was stored');
    await devtools.close();
    await page.close();
  });

  it('the hook leaves nothing the page can see', async () => {
    const page = await demo(2, 'websocket', '&scenario=none');
    await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
    const seen = await page.evaluate(() => {
      const native = /\{\s*\[native code\]\s*\}\s*$/;
      const str = Function.prototype.toString;
      const ws = new WebSocket(`ws://${location.host}/plain-ws`);
      ws.close();
      return {
        globals: Object.getOwnPropertyNames(window).filter((k) => /spaces|devtools|hook|relay/i.test(k)),
        nativeLooking: [WebSocket, WebSocket.prototype.send, XMLHttpRequest.prototype.open, XMLHttpRequest.prototype.send, fetch, Worker, SharedWorker].every((f) =>
          native.test(str.call(f)),
        ),
        names: [WebSocket.name, Worker.name, SharedWorker.name],
        instance: ws instanceof WebSocket && Object.getPrototypeOf(ws) === WebSocket.prototype,
        // The constructor an instance names is the one the page sees (a wrapper must not show through it).
        constructors: ws.constructor === WebSocket && Worker.prototype.constructor === Worker && SharedWorker.prototype.constructor === SharedWorker,
        constants: [WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED],
      };
    });
    assert.deepEqual(seen, {
      globals: [],
      nativeLooking: true,
      names: ['WebSocket', 'Worker', 'SharedWorker'],
      instance: true,
      constructors: true,
      constants: [0, 1, 2, 3],
    });
    await page.close();
  });

  it('a client that takes WebSocket before any other script still gets captured', async () => {
    const page = await chromium.browser.newPage();
    await page.goto(`${sims[2].origin}/early.html`);
    await page.waitForSelector('body[data-sim-done="1"]', { timeout: 15_000 });
    const { devtools, panel } = await openSpacesPanel(page, chromium.extensionId);
    await rowsAtLeast(devtools, panel, 1, 'early');
    await devtools.close();
    await page.close();
  });

  it('forged relay messages from the page, floods and replays, cannot crash the panel, change settings or reach another tab', async () => {
    const other = await demo(2, 'websocket', '&scenario=none');
    await other.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
    const page = await demo(2, 'websocket');
    await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
    // The page forges a port hand-off and posts garbage and plausible-looking batches through it.
    await page.evaluate(() => {
      const ch = new MessageChannel();
      window.dispatchEvent(new MessageEvent('spaces-devtools:hook-port', { ports: [ch.port2] }));
      window.dispatchEvent(new Event('spaces-devtools:relay-ready'));
      const junk: unknown[] = [null, 42, 'x', { type: 'hook/batch' }, { type: 'hook/batch', conns: 'no', frames: [] }, { type: 'bg/status', status: {} }];
      for (const j of junk) ch.port1.postMessage(j);
      ch.port1.postMessage({ type: 'hook/batch', conns: [{ c: 999, url: 'ws://evil/?EIO=4&transport=websocket', transport: 'websocket' }], frames: [{ c: 999, t: 1, d: 'in', x: '42["FORGED",{"tabId":1}]' }] });
    });
    // Then floods and replays: a thousand more hand-offs, each with its own flood of plausible batches, the
    // relay's ready signal replayed, and privileged-looking requests.
    const settingsBefore = await settings();
    const pageAlive = await page.evaluate(async () => {
      const forged = { type: 'hook/batch', conns: [{ c: 7, url: 'ws://evil/?EIO=4&transport=websocket', transport: 'websocket' }], frames: Array.from({ length: 20 }, (_, i) => ({ c: 7, t: i, d: 'in', x: `42["FORGED",{"n":${i}}]` })) };
      for (let i = 0; i < 1000; i++) {
        const ch = new MessageChannel();
        window.dispatchEvent(new MessageEvent('spaces-devtools:hook-port', { ports: [ch.port2] }));
        window.dispatchEvent(new Event('spaces-devtools:relay-ready'));
        for (let k = 0; k < 20; k++) ch.port1.postMessage(forged);
        ch.port1.postMessage({ type: 'content/grant', origin: 'https://evil.example/*' });
        ch.port1.postMessage({ type: 'panel/clear', tabId: 1 });
      }
      // The page itself keeps running: a timer still fires.
      return new Promise<boolean>((ok) => setTimeout(() => ok(true), 50));
    });
    assert.equal(pageAlive, true);
    await sleep(500);
    const { devtools, panel } = await openSpacesPanel(page, chromium.extensionId);
    await waitForRowCount(panel, EXPECTED_EVENTS);
    const mine = await rowsWhen(panel, 'every event of the demo shown', scenarioShown);
    assertScenario(mine);
    assert.ok(!mine.some((r) => r.event === 'FORGED'), 'a forged batch reached the panel');
    assert.ok(!(await storedState()).includes('FORGED'), 'a forged batch was stored');
    assert.deepEqual(await settings(), settingsBefore, 'the settings or permissions changed');
    await devtools.close();
    // The other tab's panel sees none of it.
    const second = await openSpacesPanel(other, chromium.extensionId);
    // Its own backlog first (the panel loads it after opening), then nothing of the forging tab.
    await rowsAtLeast(second.devtools, second.panel, 1, 'forged-other-tab');
    const rows = await collectRows(second.panel);
    assert.ok(!rows.some((r) => r.event === 'FORGED' || r.category === 'task'), "another tab's data reached this panel");
    await second.devtools.close();
    await page.close();
    await other.close();
  });
});
