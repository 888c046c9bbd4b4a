/// <reference types="chrome" />
// End to end in Debian's Chromium with the built extension, against the Spaces simulator in both wire
// generations and both transports, read from the real DevTools "Spaces" tab.
import assert from 'node:assert/strict';
import type { Page } from '@playwright/test';
import { test, type Chromium } from '../fixtures/chromium';
import { SCENARIO_EVENT_COUNT } from '../../simulator/scenario';
import { collectRows, countsLine, panelHtml, rowCount, type Row } from '../lib/panel';
import { pageDone, pause } from '../lib/pages';
import { assertScenario, ECHOES as echoes, EXPECTED_EVENTS, scenarioShown } from '../lib/scenario';
import { rowsUntil, settledCount, until } from '../lib/wait';

/** The extension's settings and granted origins, as its own pages see them. */
const settings = (chromium: Chromium): Promise<string> =>
  chromium.inExtensionPage(async () => JSON.stringify([await chrome.storage.local.get(null), await chrome.permissions.getAll()]));

const storedState = (chromium: Chromium): Promise<string> => chromium.inExtensionPage(async () => JSON.stringify(await chrome.storage.session.get(null)));

async function open(chromium: Chromium, url: string): Promise<Page> {
  const page = await chromium.newPage();
  await page.goto(url);
  return page;
}

for (const gen of [2, 4] as const) {
  for (const transport of ['websocket', 'polling'] as const) {
    test.describe(`socket.io ${gen}.x over ${transport}`, () => {
      test('shows every event the scenario played in the DevTools Spaces tab, in order, and the token nowhere', async ({ chromium, sims }, testInfo) => {
        const sim = await sims.get(gen);
        const page = await open(chromium, `${sim.origin}/?transport=${transport}`);
        await pageDone(page);
        const { devtools, panel } = await chromium.openSpacesPanel(page);
        await settledCount('the demo listed', () => rowCount(panel), EXPECTED_EVENTS);
        const rows = await rowsUntil('every event of the demo shown', () => collectRows(panel), scenarioShown);
        assertScenario(rows);
        if (gen === 2 && transport === 'websocket') await testInfo.attach('chromium-devtools-spaces', { body: await devtools.screenshot(), contentType: 'image/png' });

        const token = sim.token;
        assert.ok(!(await panelHtml(panel)).includes(token), 'token in the panel DOM');
        assert.ok(!JSON.stringify(rows).includes(token), 'token in a row');
        const stored = await storedState(chromium);
        assert.ok(stored.includes('MESSAGE_SENT'), 'the background stored the events');
        assert.ok(!stored.includes(token), 'token in the background storage');
        assert.ok(stored.includes('[redacted]'), 'the connect query is kept, redacted');
        const tabId = await panel.evaluate(() => chrome.devtools.inspectedWindow.tabId);
        assert.ok(stored.includes(`"tab:${tabId}:meta"`));
        await devtools.close();
        await page.close();
        // The tab's buffer is freed with it.
        await until('the closed tab left no data behind', () => storedState(chromium), (s) => !s.includes(`"tab:${tabId}:`));
      });
    });
  }
}

test.describe('service worker restarts', () => {
  test('loses no event when the worker is stopped mid-scenario', async ({ chromium, sims }) => {
    const page = await open(chromium, `${(await sims.get(2)).origin}/?transport=websocket`);
    // Stop it a few times while the scenario plays.
    for (let i = 0; i < 4; i++) {
      await pause(250);
      await chromium.stopServiceWorker(page);
    }
    await pageDone(page);
    const { panel } = await chromium.openSpacesPanel(page);
    await settledCount('the demo listed', () => rowCount(panel), EXPECTED_EVENTS);
    assertScenario(await rowsUntil('every event of the demo shown', () => collectRows(panel), scenarioShown));
  });

  test('a panel open across a restart reconnects and gets what came meanwhile', async ({ chromium, sims }) => {
    const sim = await sims.get(4);
    const page = await open(chromium, `${sim.origin}/?transport=websocket&scenario=none`);
    await pageDone(page);
    const { panel } = await chromium.openSpacesPanel(page);
    const before = await settledCount('the connection listed', () => rowCount(panel), 1);
    await chromium.stopServiceWorker(page);
    // More traffic after the restart: the page plays the scenario now.
    await page.goto(`${sim.origin}/?transport=websocket`);
    await pageDone(page);
    await settledCount('both loads listed', () => rowCount(panel), before + EXPECTED_EVENTS);
    const echoed = (rows: Row[]): number => rows.filter((r) => r.event === 'MESSAGE_SENT').length;
    const rows = await rowsUntil('every MESSAGE_SENT of both loads shown', () => collectRows(panel), (r) => echoed(r) >= 2 * echoes + SCENARIO_EVENT_COUNT);
    assert.equal(echoed(rows), 2 * echoes + SCENARIO_EVENT_COUNT);
  });
});

test.describe('pages that are not Spaces', () => {
  test('a page whose sockets are not Socket.IO forwards nothing', async ({ chromium, sims }) => {
    const page = await open(chromium, `${(await sims.get(2)).origin}/plain.html`);
    await pageDone(page, undefined, 15_000);
    const { panel } = await chromium.openSpacesPanel(page);
    // The panel has its backlog and the background's status: the page's capture as it stands.
    await until('the panel shows the capture', () => countsLine(panel), (t) => /^0 events .*0 connections/.test(t));
    assert.equal((await collectRows(panel)).length, 0);
    const tabState = await storedState(chromium);
    assert.ok(!tabState.includes('plain-ws'), 'no frame of the plain socket was stored');
  });

  test('the hook leaves nothing the page can see', async ({ chromium, sims }) => {
    const page = await open(chromium, `${(await sims.get(2)).origin}/?transport=websocket&scenario=none`);
    await pageDone(page);
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
  });

  test('a client that takes WebSocket before any other script still gets captured', async ({ chromium, sims }) => {
    const page = await open(chromium, `${(await sims.get(2)).origin}/early.html`);
    await pageDone(page, undefined, 15_000);
    const { panel } = await chromium.openSpacesPanel(page);
    await settledCount('its socket listed', () => rowCount(panel), 1);
  });

  test('forged relay messages from the page, floods and replays, cannot crash the panel, change settings or reach another tab', async ({ chromium, sims }) => {
    const origin = (await sims.get(2)).origin;
    const other = await open(chromium, `${origin}/?transport=websocket&scenario=none`);
    await pageDone(other);
    const page = await open(chromium, `${origin}/?transport=websocket`);
    await pageDone(page);
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
    const settingsBefore = await settings(chromium);
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
    const { devtools, panel } = await chromium.openSpacesPanel(page);
    await settledCount('the demo listed', () => rowCount(panel), EXPECTED_EVENTS);
    const mine = await rowsUntil('every event of the demo shown', () => collectRows(panel), scenarioShown);
    assertScenario(mine);
    assert.ok(!mine.some((r) => r.event === 'FORGED'), 'a forged batch reached the panel');
    assert.ok(!(await storedState(chromium)).includes('FORGED'), 'a forged batch was stored');
    assert.deepEqual(await settings(chromium), settingsBefore, 'the settings or permissions changed');
    await devtools.close();
    // The other tab's panel sees none of it.
    const second = await chromium.openSpacesPanel(other);
    // Its own backlog first (the panel loads it after opening), then nothing of the forging tab.
    await settledCount("the other tab's connection listed", () => rowCount(second.panel), 1);
    const rows = await collectRows(second.panel);
    assert.ok(!rows.some((r) => r.event === 'FORGED' || r.category === 'task'), "another tab's data reached this panel");
  });
});
