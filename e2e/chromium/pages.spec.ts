// Pages that fight the hook (issue #9), in Debian's Chromium with the built extension, read from the real
// DevTools "Spaces" tab: a page that replaces WebSocket itself, a strict CSP with Trusted Types, several
// sockets at once, sockets in frames of two origins, and a socket in a worker (which can't be captured:
// the panel says so). Every page is a real socket.io-client 2.x against the simulator (simulator/public/pages).
// One tab and one DevTools for every case (DevTools is slow to open), in order: each clears the capture and navigates.
import assert from 'node:assert/strict';
import type { Page } from '@playwright/test';
import { test, type Chromium, type DevToolsWindow } from '../fixtures/chromium';
import type { LoggedSimulator } from '../fixtures/simulators';
import { collectRows, fill, rowCount, type PanelFrame, type Row } from '../lib/panel';
import { pageDone } from '../lib/pages';
import { socketOf } from '../lib/scenario';
import { assertOnlyTheSentinel, FOUR, rowWith, socketEvents } from '../lib/sockets';
import { rowsUntil, settledCount, until } from '../lib/wait';

test.describe.configure({ mode: 'serial' });

let chromium: Chromium;
let sim: LoggedSimulator;
let page: Page;
let devtools: DevToolsWindow | undefined;
let panel: PanelFrame;

test.beforeAll(async ({ chromiumWorker, sims }, testInfo) => {
  chromium = chromiumWorker;
  await chromium.freshPrefsFor(testInfo.file);
  sim = await sims.get(2);
  page = await chromium.newPage();
});

test.afterAll(async () => {
  await devtools?.close();
  await page?.close();
});

/**
 * Shows a simulator page in the tab, with a capture of its own: the Spaces tab is cleared first (it keeps
 * earlier pages' events otherwise), then the page is loaded and `done` awaited (a selector the page sets
 * when its clients got their echoes). The Spaces tab is opened on the first call.
 */
async function visit(path: string, done = 'body[data-sim-done="1"]'): Promise<void> {
  if (devtools) {
    await panel.evaluate(() => (document.querySelector('button[aria-label="Clear events"]') as HTMLButtonElement).click());
    await until('the capture cleared', () => rowCount(panel), (n) => n === 0);
  }
  await page.goto(`${sim.origin}${path}`);
  await pageDone(page, done);
  if (!devtools) ({ devtools, panel } = await chromium.openSpacesPanel(page));
}

/**
 * Each socket's events as the page's clients put them on the wire and took them off, by socket name
 * (data-wire of each frame's document, simulator/public/pages/client.js). Across sockets there is no order
 * to expect; within one, a long-polling socket may get a reply before its next request goes out.
 */
async function wireOf(): Promise<Record<string, string[]>> {
  const all: Record<string, string[]> = {};
  for (const f of page.frames()) Object.assign(all, JSON.parse((await f.evaluate(() => document.body.dataset.wire)) ?? '{}'));
  return all;
}

/** The rendered text of the panel's element matching selector, '' when there is none. */
const inner = (selector: string): Promise<string> => panel.evaluate((q) => (document.querySelector(q) as HTMLElement | null)?.innerText ?? '', selector);

/** The counts line once it matches re (it follows the background's status, which may come after the rows). */
const countsMatch = (re: RegExp) => until(`the counts line to match ${re}`, () => inner('.counts'), (t) => re.test(t));

/** Selects list row `index` (aria-rowindex, rendered) and returns the text of the detail's fields once they mention `mark`. */
async function detailOf(index: number, mark: string): Promise<string> {
  await panel.evaluate((i) => {
    const grid = document.querySelector('[role=grid]') as HTMLElement;
    grid.scrollTop = Math.max(0, (i - 3) * 20);
  }, index);
  await until(
    `row ${index} rendered and selected`,
    () =>
      panel.evaluate((i) => {
        const row = document.querySelector(`[role=row][aria-rowindex="${i}"]`);
        if (row && row.getAttribute('aria-selected') !== 'true') row.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
        return row?.getAttribute('aria-selected') === 'true';
      }, index),
    (selected) => selected,
  );
  return until(`the detail of row ${index}`, () => inner('.detail .fields'), (t) => t.includes(mark));
}

/** Engine and connect rows come first: reads the rows until `n` socket events are shown, not merely n rows. */
const socketEventsShown = (what: string, n: number): Promise<Row[]> => rowsUntil(what, () => collectRows(panel), (r) => socketEvents(r).length >= n, 20_000);

test.describe('pages that fight the hook (Chromium)', () => {
  for (const kind of ['subclass', 'function'] as const) {
    test(`a page that replaces WebSocket with its own ${kind}: still captured, and its wrapper still sees every frame`, async () => {
      await visit(`/pages/replaced.html?kind=${kind}&lb=replaced-${kind}`);
      const seen = await page.evaluate(() => {
        const d = document.documentElement.dataset;
        return { wrapper: d.wrapper, wrapperIn: d.wrapperIn, wrapperOut: d.wrapperOut, wrapperEvents: d.wrapperEvents, echoes: document.body.dataset.echoes };
      });
      // The page's behaviour is unchanged: its own WebSocket was used, it saw frames both ways, the echo came.
      assert.equal(seen.wrapper, kind);
      assert.equal(seen.echoes, `replaced-${kind}`);
      assert.ok(Number(seen.wrapperIn) > 0 && Number(seen.wrapperOut) > 0, JSON.stringify(seen));
      const wrapperEvents = (seen.wrapperEvents ?? '').split(' ').filter(Boolean);
      assert.deepEqual(wrapperEvents, ['↑SUBSCRIBE_CHANNEL', '↑SEND_MESSAGE', '↓CHANNEL_SUBSCRIBED', '↓MESSAGE_SENT']);

      await settledCount('its rows listed', () => rowCount(panel), 4);
      const rows = await socketEventsShown('every event the wrapper saw shown', wrapperEvents.length);
      // What the page's wrapper saw is what the panel shows, event for event, in order.
      assert.deepEqual(socketEvents(rows), wrapperEvents);
      rowWith(rows, 'MESSAGE_SENT', `replaced-${kind}`);
    });
  }

  test('a strict CSP with Trusted Types: captured, and not one violation caused', async () => {
    await visit('/pages/csp.html?lb=csp', 'html[data-sentinel="1"]');
    const csp = (await page.evaluate(() => document.documentElement.dataset.cspViolations)) ?? '[]';
    await assertOnlyTheSentinel(csp, sim);

    await settledCount('its rows listed', () => rowCount(panel), 4);
    const rows = await socketEventsShown('the socket events shown', FOUR.length);
    assert.deepEqual(socketEvents(rows), FOUR);
    rowWith(rows, 'MESSAGE_SENT', 'csp');
  });

  test('several sockets at once: all captured, and each row names its socket', async () => {
    await visit('/pages/multi.html?sockets=2&lb=multi');
    assert.equal(await page.evaluate(() => document.body.dataset.echoes), 'multi-1 multi-2');
    const wire = await wireOf();
    for (const lb of ['multi-1', 'multi-2']) assert.deepEqual([...(wire[lb] ?? [])].sort(), [...FOUR].sort(), `what ${lb} sent and got`);
    await settledCount('their rows listed', () => rowCount(panel), 8);
    const rows = await socketEventsShown("both sockets' events shown", 2 * FOUR.length);
    const one = rowWith(rows, 'MESSAGE_SENT', 'multi-1');
    const two = rowWith(rows, 'MESSAGE_SENT', 'multi-2');
    assert.equal(socketOf(one), '#1', one.summary);
    assert.equal(socketOf(two), '#2', two.summary);
    // Every row says which socket it came by, and each socket's events are all there, in that socket's order
    // (the two sockets' events interleave as they happen to).
    for (const [n, lb] of [[1, 'multi-1'], [2, 'multi-2']] as const) {
      const mine = rows.filter((r) => socketOf(r) === `#${n}`);
      assert.deepEqual(socketEvents(mine), wire[lb], `socket #${n}`);
      assert.ok(mine.some((r) => r.summary.includes(lb)));
    }
    assert.equal(socketEvents(rows).length, 2 * FOUR.length, 'no other events');
    assert.deepEqual(rows.filter((r) => !socketOf(r)), [], 'rows without their socket');
    await countsMatch(/· 2 connections/);
    assert.match(await detailOf(one.index, 'multi-1'), /Connection\s*#1 · websocket/);
    assert.match(await detailOf(two.index, 'multi-2'), /Connection\s*#2 · polling/);
  });

  test('sockets in frames of two origins: captured per frame, and labelled with the frame', async ({}, testInfo) => {
    await visit('/pages/frames.html?lb=frames-top', 'body[data-frames-done="1"]');
    assert.equal(await page.evaluate(() => document.body.dataset.frameEchoes), 'frame-cross frame-same frames-top');
    // Each frame's socket: its four events, in the order its client put them on the wire and took them off
    // (engine.io does not order a reply against the client's next send).
    const wire = await wireOf();
    for (const lb of ['frames-top', 'frame-same', 'frame-cross']) assert.deepEqual([...(wire[lb] ?? [])].sort(), [...FOUR].sort(), `what ${lb} sent and got`);
    await settledCount('their rows listed', () => rowCount(panel), 12);
    const rows = await socketEventsShown("the three sockets' events shown", 3 * FOUR.length);
    const same = `127.0.0.1:${sim.port}`;
    const cross = `localhost:${sim.port}`;
    const labels: Record<string, string> = { 'frames-top': '#1', 'frame-same': `#1 · ${same}`, 'frame-cross': `#1 · ${cross}` };
    assert.deepEqual(rows.filter((r) => !socketOf(r)), [], 'rows without their socket');
    for (const [lb, label] of Object.entries(labels)) {
      const echo = rowWith(rows, 'MESSAGE_SENT', lb);
      assert.equal(socketOf(echo), label, `${lb}: ${echo.summary}`);
      const mine = rows.filter((r) => socketOf(r) === label);
      assert.deepEqual(socketEvents(mine), wire[lb], lb);
    }
    assert.equal(socketEvents(rows).length, 3 * FOUR.length, 'no other events');
    await countsMatch(/· 3 connections/);
    // The detail names the frame in full; the top frame's rows name none.
    const crossEcho = rowWith(rows, 'MESSAGE_SENT', 'frame-cross');
    assert.match(await detailOf(crossEcho.index, 'frame-cross'), new RegExp(`Frame\\s*http://${cross}/pages/frame\\.html`));
    const topEcho = rowWith(rows, 'MESSAGE_SENT', 'frames-top');
    assert.doesNotMatch(await detailOf(topEcho.index, 'frames-top'), /Frame/);
    // A frame's host finds its rows.
    await fill(panel, 'input.filter', cross);
    const found = await until('rows of the cross-origin frame', () => collectRows(panel), (r) => r.length > 0 && r.length < rows.length);
    assert.ok(found.every((r) => socketOf(r) === `#1 · ${cross}`), JSON.stringify(found.map((r) => r.summary)));
    await fill(panel, 'input.filter', '');
    await testInfo.attach('chromium-devtools-frames', { body: await devtools!.screenshot(), contentType: 'image/png' });
  });

  test('a socket in a worker: not capturable from the page, and the panel says so', async () => {
    const sentence = "This page runs 1 worker; sockets opened in workers can't be captured.";
    await visit('/pages/worker.html');
    // The worker's client did talk to the server.
    assert.equal(await page.evaluate(() => document.body.dataset.workerEchoes), 'in-worker');
    await until('the empty state names the worker', () => inner('.empty'), (t) => t.includes(sentence));
    assert.equal(await rowCount(panel), 0);
    assert.match(await inner('.counts'), /· 0 connections/);
    // Beside a socket of the page's own: its events are shown, and the note stays.
    await visit('/pages/worker.html?page=1&lb=beside-worker', 'body[data-sim-done="1"][data-worker-done="1"]');
    await settledCount('its rows listed', () => rowCount(panel), 4);
    const beside = await socketEventsShown('the socket events shown', FOUR.length);
    assert.deepEqual(socketEvents(beside), FOUR);
    await until('the note names the worker', () => inner('.workers-note'), (t) => t.includes(sentence));
    await until('the counts line to say 1 connection', () => inner('.counts'), (t) => /· 1 connection$/.test(t));
  });
});
