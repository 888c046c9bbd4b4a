// Pages that fight the hook (issue #9), in Debian's Chromium with the built extension, read from the real
// DevTools "Spaces" tab: a page that replaces WebSocket itself, a strict CSP with Trusted Types, several
// sockets at once, sockets in frames of two origins, and a socket in a worker (which can't be captured:
// the panel says so). Every page is a real socket.io-client 2.x against the simulator (simulator/public/pages).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { startSimulator, type Simulator } from '../simulator/server';
import { launchChromium, openSpacesPanel, type Chromium } from './lib/chromium';
import { rowCount, until, waitForRowCount, type Row } from './lib/panel';
import { rowOf, socketOf } from './lib/scenario';

const ARTIFACTS = resolve(import.meta.dirname, '../artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

let chromium: Chromium;
let sim: Simulator;
/** One tab and one DevTools for every case (DevTools is slow to open): each case clears the capture and navigates. */
let page: Page;
let devtools: Page | undefined;
let panel: Frame;

before(async () => {
  chromium = await launchChromium();
  sim = await startSimulator({ generation: 2, quiet: true });
  page = await chromium.browser.newPage();
});

after(async () => {
  await chromium?.close();
  await sim?.close();
});

/**
 * Shows a simulator page in the tab, with a capture of its own: the Spaces tab is cleared first (it keeps
 * earlier pages' events otherwise), then the page is loaded and `done` awaited (a selector the page sets
 * when its clients got their echoes). The Spaces tab is opened on the first call.
 */
async function visit(path: string, done = 'body[data-sim-done="1"]'): Promise<void> {
  if (devtools) {
    await panel.$eval('button[aria-label="Clear events"]', (b) => (b as HTMLButtonElement).click());
    await until('the capture cleared', () => rowCount(panel), (n) => n === 0);
  }
  await page.goto(`${sim.origin}${path}`);
  await page.waitForSelector(done, { timeout: 30_000 });
  if (!devtools) ({ devtools, panel } = await openSpacesPanel(page, chromium.extensionId));
}

/**
 * Every row of the list, in order. The DevTools window gets about one animation frame a second here, so
 * instead of waiting for frames (as collectRows does) this scrolls and polls until the rows it needs are
 * rendered.
 */
async function readRows(): Promise<Row[]> {
  // No named inner functions: tsx would wrap them in a helper the panel's page doesn't have.
  const raw = await panel.evaluate(async () => {
    const grid = document.querySelector('[role=grid]') as HTMLElement | null;
    if (!grid) return [];
    const total = Number(grid.getAttribute('aria-rowcount') ?? 1) - 1;
    const rows = new Map<number, string[]>();
    const deadline = Date.now() + 20_000;
    grid.scrollTop = 0;
    while (rows.size < total && Date.now() < deadline) {
      const before = rows.size;
      for (const r of grid.querySelectorAll('[role=row][aria-rowindex]')) {
        if (r.querySelector('[role=columnheader]')) continue;
        const cells = [...r.querySelectorAll('[role=gridcell]')];
        rows.set(Number(r.getAttribute('aria-rowindex')), [...cells.map((c) => (c.textContent ?? '').trim()), cells[1]?.getAttribute('aria-label') ?? '']);
      }
      if (rows.size === before) await new Promise((ok) => setTimeout(ok, 50));
      else grid.scrollTop += Math.max(20, grid.clientHeight / 2);
    }
    return [...rows.entries()].sort((x, y) => x[0] - y[0]);
  });
  return raw.map(([index, cells]) => rowOf(index, cells));
}

/** Waits for at least `rows` rows; on failure keeps a screenshot of DevTools. */
async function rowsAtLeast(rows: number, name: string): Promise<void> {
  try {
    await waitForRowCount(panel, rows);
  } catch (e) {
    await devtools?.screenshot({ path: resolve(ARTIFACTS, `failure-pages-${name}.png`) }).catch(() => undefined);
    throw e;
  }
}

const PACKET_TYPES = new Set(['CONNECT', 'DISCONNECT', 'ACK', 'CONNECT_ERROR', 'BINARY_ACK']);

/** Socket.IO events (named EVENT packets) of the rows, as "↑NAME" / "↓NAME" in list order. */
const socketEvents = (rows: Row[]): string[] =>
  rows.filter((r) => /^[A-Z_]+$/.test(r.event) && !PACKET_TYPES.has(r.event)).map((r) => `${r.dir.slice(0, 1)}${r.event}`);

const FOUR = ['↑SUBSCRIBE_CHANNEL', '↑SEND_MESSAGE', '↓CHANNEL_SUBSCRIBED', '↓MESSAGE_SENT'];

/**
 * Each socket's events as the page's client put them on the wire and took them off, by socket name
 * (data-wire, simulator/public/pages/client.js). Across sockets there is no order to expect; within one,
 * a long-polling socket may get a reply before its next request goes out.
 */
async function wireOf(): Promise<Record<string, string[]>> {
  return JSON.parse((await page.evaluate(() => document.body.dataset.wire)) ?? '{}') as Record<string, string[]>;
}

/** The counts line once it matches re (it follows the background's status, which may come after the rows). */
const countsMatch = (re: RegExp) =>
  until(`the counts line to match ${re}`, () => panel.$eval('.counts', (e) => (e as HTMLElement).innerText), (t) => re.test(t));

/** The row whose summary mentions `text`, of event `event`. */
function rowWith(rows: Row[], event: string, text: string): Row {
  const row = rows.find((r) => r.event === event && r.summary.includes(text));
  assert.ok(row, `no ${event} row with ${text} in ${JSON.stringify(rows.map((r) => `${r.event} ${r.summary}`))}`);
  return row;
}

/** Selects list row `index` (aria-rowindex, rendered) and returns the text of the detail's fields once they mention `mark`. */
async function detailOf(panel: Frame, index: number, mark: string): Promise<string> {
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
  return until(
    `the detail of row ${index}`,
    () => panel.evaluate(() => (document.querySelector('.detail .fields') as HTMLElement | null)?.innerText ?? ''),
    (t) => t.includes(mark),
  );
}

async function search(panel: Frame, q: string): Promise<void> {
  await panel.evaluate((text) => {
    const input = document.querySelector('input.filter') as HTMLInputElement;
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, q);
}

describe('pages that fight the hook (Chromium)', () => {
  for (const kind of ['subclass', 'function'] as const) {
    it(`a page that replaces WebSocket with its own ${kind}: still captured, and its wrapper still sees every frame`, async () => {
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

      await rowsAtLeast(4, `replaced-${kind}`);
      // Engine and connect rows come first: wait until the replies are shown too, not merely four rows.
      const rows = await until('every event the wrapper saw shown', readRows, (r) => socketEvents(r).length >= wrapperEvents.length, 20_000);
      // What the page's wrapper saw is what the panel shows, event for event, in order.
      assert.deepEqual(socketEvents(rows), wrapperEvents);
      rowWith(rows, 'MESSAGE_SENT', `replaced-${kind}`);
    });
  }

  it('a strict CSP with Trusted Types: captured, and not one violation caused', async () => {
    await visit('/pages/csp.html?lb=csp', 'html[data-sentinel="1"]');
    const csp = (await page.evaluate(() => document.documentElement.dataset.cspViolations)) ?? '[]';
    const violations = JSON.parse(csp) as { directive: string; blocked: string; sample: string; source: string }[];
    // The page's own eval after its echo is the one violation expected (Trusted Types or script-src, as the
    // browser reports it): it shows violations are seen at all.
    const sentinel = (blocked: unknown, sample: unknown): boolean => blocked === 'eval' || (typeof sample === 'string' && sample.startsWith('eval'));
    assert.ok(violations.some((v) => sentinel(v.blocked, v.sample)), `the sentinel violation was not seen: ${csp}`);
    assert.deepEqual(violations.filter((v) => !sentinel(v.blocked, v.sample)), [], 'violations other than the sentinel');
    // The reports the browser posts (from document_start on, before any page script listens) say the same.
    const isSentinel = (r: unknown): boolean => {
      const report = (r as { 'csp-report'?: Record<string, unknown> })['csp-report'];
      return sentinel(report?.['blocked-uri'], report?.['script-sample']);
    };
    await until('the sentinel report', async () => sim.cspReports.filter(isSentinel).length, (n) => n > 0);
    assert.deepEqual(sim.cspReports.filter((r) => !isSentinel(r)), [], 'reports other than the sentinel');

    await rowsAtLeast(4, 'csp');
    // Engine and connect rows come first: wait for the socket's events, not merely four rows.
    const rows = await until('the socket events shown', readRows, (r) => socketEvents(r).length >= FOUR.length, 20_000);
    assert.deepEqual(socketEvents(rows), FOUR);
    rowWith(rows, 'MESSAGE_SENT', 'csp');
  });

  it('several sockets at once: all captured, and each row names its socket', async () => {
    await visit('/pages/multi.html?sockets=2&lb=multi');
    assert.equal(await page.evaluate(() => document.body.dataset.echoes), 'multi-1 multi-2');
    const wire = await wireOf();
    for (const lb of ['multi-1', 'multi-2']) assert.deepEqual([...(wire[lb] ?? [])].sort(), [...FOUR].sort(), `what ${lb} sent and got`);
    await rowsAtLeast(8, 'multi');
    // Engine and connect rows come first: wait for both sockets' events, not merely eight rows.
    const rows = await until('both sockets\' events shown', readRows, (r) => socketEvents(r).length >= 2 * FOUR.length, 20_000);
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
    assert.match(await detailOf(panel, one.index, 'multi-1'), /Connection\s*#1 · websocket/);
    assert.match(await detailOf(panel, two.index, 'multi-2'), /Connection\s*#2 · polling/);
  });

  it('sockets in frames of two origins: captured per frame, and labelled with the frame', async () => {
    await visit('/pages/frames.html?lb=frames-top', 'body[data-frames-done="1"]');
    assert.equal(await page.evaluate(() => document.body.dataset.frameEchoes), 'frame-cross frame-same frames-top');
    await rowsAtLeast(12, 'frames');
    // Engine and connect rows come first: wait for the three sockets' events, not merely twelve rows.
    const rows = await until('the three sockets\' events shown', readRows, (r) => socketEvents(r).length >= 3 * FOUR.length, 20_000);
    const same = `127.0.0.1:${sim.port}`;
    const cross = `localhost:${sim.port}`;
    const labels: Record<string, string> = { 'frames-top': '#1', 'frame-same': `#1 · ${same}`, 'frame-cross': `#1 · ${cross}` };
    assert.deepEqual(rows.filter((r) => !socketOf(r)), [], 'rows without their socket');
    for (const [lb, label] of Object.entries(labels)) {
      const echo = rowWith(rows, 'MESSAGE_SENT', lb);
      assert.equal(socketOf(echo), label, `${lb}: ${echo.summary}`);
      const mine = rows.filter((r) => socketOf(r) === label);
      assert.deepEqual(socketEvents(mine), FOUR, lb);
    }
    assert.equal(socketEvents(rows).length, 3 * FOUR.length, 'no other events');
    await countsMatch(/· 3 connections/);
    // The detail names the frame in full; the top frame's rows name none.
    const crossEcho = rowWith(rows, 'MESSAGE_SENT', 'frame-cross');
    assert.match(await detailOf(panel, crossEcho.index, 'frame-cross'), new RegExp(`Frame\\s*http://${cross}/pages/frame\\.html`));
    const topEcho = rowWith(rows, 'MESSAGE_SENT', 'frames-top');
    assert.doesNotMatch(await detailOf(panel, topEcho.index, 'frames-top'), /Frame/);
    // A frame's host finds its rows.
    await search(panel, cross);
    const found = await until('rows of the cross-origin frame', () => readRows(), (r) => r.length > 0 && r.length < rows.length);
    assert.ok(found.every((r) => socketOf(r) === `#1 · ${cross}`), JSON.stringify(found.map((r) => r.summary)));
    await search(panel, '');
    await devtools?.screenshot({ path: resolve(ARTIFACTS, 'chromium-devtools-frames.png') });
  });

  it('a socket in a worker: not capturable from the page, and the panel says so', async () => {
    const sentence = "This page runs 1 worker; sockets opened in workers can't be captured.";
    const text = (sel: string) => panel.evaluate((q) => (document.querySelector(q) as HTMLElement | null)?.innerText ?? '', sel);
    await visit('/pages/worker.html');
    // The worker's client did talk to the server.
    assert.equal(await page.evaluate(() => document.body.dataset.workerEchoes), 'in-worker');
    await until('the empty state names the worker', () => text('.empty'), (t) => t.includes(sentence));
    assert.equal(await rowCount(panel), 0);
    assert.match(await text('.counts'), /· 0 connections/);
    // Beside a socket of the page's own: its events are shown, and the note stays.
    await visit('/pages/worker.html?page=1&lb=beside-worker', 'body[data-sim-done="1"][data-worker-done="1"]');
    await rowsAtLeast(4, 'worker-beside');
    const beside = await until('the socket events shown', readRows, (r) => socketEvents(r).length >= FOUR.length, 20_000);
    assert.deepEqual(socketEvents(beside), FOUR);
    await until('the note names the worker', () => text('.workers-note'), (t) => t.includes(sentence));
    await until('the counts line to say 1 connection', () => text('.counts'), (t) => /· 1 connection$/.test(t));
  });
});
