/// <reference types="chrome" />
// Issue #17, no silent loss, in Debian's Chromium with the built extension: the pages of
// simulator/public/pages/loss.html (each `?case=` tries to make the capture lose events) against the simulator,
// read from the real DevTools Spaces tab (its counts line, notice and rows) and, where the bound is the point,
// from chrome.storage.session.
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { test } from '../fixtures/chromium';
import type { Chromium } from '../fixtures/chromium';
import { collectRows, connectionsIn as connections, countsLine, droppedIn as dropped, isDecodeError as isError, rejectedIn as rejected, rowCount, type PanelFrame, type Row } from '../lib/panel';
import { tabKeys } from '../lib/stored';
import { pageDone } from '../lib/pages';
import { assertScenario, EXPECTED_EVENTS, scenarioShown } from '../lib/scenario';
import { rowsUntil, settledCount, settledText } from '../lib/wait';

/** The counts line once its figures stop changing. */
const settledCounts = (panel: PanelFrame, ok: (line: string) => boolean, what: string): Promise<string> => settledText(what, () => countsLine(panel), ok);

/** The tab's byte bound (src/core/model/store.ts DEFAULT_LIMITS.maxBytes). */
const TAB_BOUND = 4 * 1024 * 1024;

async function lossPage(chromium: Chromium, origin: string, which: string, timeout = 60_000): Promise<Page> {
  const page = await chromium.newPage();
  await page.goto(`${origin}/pages/loss.html?case=${which}`);
  await pageDone(page, 'body[data-sim-done="1"]', timeout);
  return page;
}

const panelText = (panel: PanelFrame): Promise<string> => panel.evaluate(() => document.body.innerText);
const tabIdOf = (panel: PanelFrame): Promise<number> => panel.evaluate(() => chrome.devtools.inspectedWindow.tabId);

/** What the tab holds in storage.session: its keys' sizes as the quota counts them (key and value as JSON). */
async function storedBytes(chromium: Chromium, tabId: number): Promise<{ keys: number; bytes: number }> {
  const json = await chromium.inExtensionPage(async () => JSON.stringify(await chrome.storage.session.get(null)));
  const { keys, bytes } = tabKeys(JSON.parse(json) as Record<string, unknown>, tabId);
  return { keys, bytes };
}



test.describe('no silent loss (issue #17)', () => {
  test('polls: 1,250 long-polling connections with 8 KB URLs cost only their tab: another tab drops nothing; this one forgets connections, within its bound', async ({ chromium, sims }) => {
    test.setTimeout(240_000);
    const sim = await sims.get(4);
    const flood = await lossPage(chromium, sim.origin, 'polls', 120_000);
    const polls = Number(await flood.locator('body').getAttribute('data-polls'));
    expect(polls, 'the page made its 1,250 polls').toBe(1250);

    // Another tab, after the flood: the demo, all of it.
    const demo = await chromium.newPage();
    await demo.goto(`${sim.origin}/?transport=websocket`);
    await pageDone(demo);
    const other = await chromium.openSpacesPanel(demo);
    await settledCount('the demo listed in the other tab', () => rowCount(other.panel), EXPECTED_EVENTS);
    assertScenario(await rowsUntil('every event of the demo shown in the other tab', () => collectRows(other.panel), scenarioShown));
    const otherLine = await settledCounts(other.panel, (l) => /dropped by the buffer/.test(l), 'the other tab counts');
    expect(otherLine).toMatch(/(^|· )0 dropped by the buffer/);
    expect(dropped(otherLine)).toBe(0);
    await other.devtools.close();

    // The flooding tab: every connection counted, all but the 100 most recent forgotten.
    const mine = await chromium.openSpacesPanel(flood);
    const line = await settledCounts(mine.panel, (l) => connections(l) >= polls, 'the flooding tab counts every connection');
    const held = await storedBytes(chromium, await tabIdOf(mine.panel));
    expect(held.keys, 'the flooding tab stored something').toBeGreaterThan(0);
    expect(held.bytes, `the flooding tab's storage.session keys (${held.keys}) within its 4 MiB bound`).toBeLessThanOrEqual(TAB_BOUND);
    expect(line).toMatch(/· 1,250 connections \(1,150 forgotten\)/);
  });

  test('frames: 60 frames, each with a socket: 60 connections, no "Reload the page" notice, rows from every frame', async ({ chromium, sims }) => {
    test.setTimeout(150_000);
    const sim = await sims.get(4);
    const page = await lossPage(chromium, sim.origin, 'frames', 90_000);
    const { panel } = await chromium.openSpacesPanel(page);
    const line = await settledCounts(panel, (l) => connections(l) >= 60, 'the 60 frames counted');
    expect(line).toMatch(/· 60 connections($|\s)/);
    // Each frame's client sends "hello from loss-frame-<i>" (frame.html?lb=…): all 60 of them are rows.
    const framesSaid = (rs: Row[]): Set<string> => new Set(rs.flatMap((r) => /hello from (loss-frame-\d+)/.exec(r.summary)?.[1] ?? []));
    const rows = await rowsUntil('rows from all 60 frames', () => collectRows(panel), (rs) => framesSaid(rs).size >= 60, 60_000);
    expect(framesSaid(rows).size).toBe(60);
    expect(await panelText(panel)).not.toContain('Reload the page');
    expect(dropped(line)).toBe(0);
  });

  test('url: an over-long socket URL refuses only its own frames, counted as rejected with a notice; the others (a long token redacted) are shown', async ({ chromium, sims }) => {
    const sim = await sims.get(4);
    const page = await lossPage(chromium, sim.origin, 'url');
    const { panel } = await chromium.openSpacesPanel(page);
    const said = (rs: Row[], socket: string): Row[] => rs.filter((r) => r.summary.includes(`socket:"${socket}"`) || r.summary.includes(`"socket":"${socket}"`));
    const rows = await rowsUntil('the plain and token sockets\' hello and echo shown', () => collectRows(panel), (rs) => said(rs, 'plain').length >= 2 && said(rs, 'token').length >= 2);
    expect(said(rows, 'long'), 'rows of the socket whose URL is too long').toEqual([]);
    const line = await settledCounts(panel, (l) => rejected(l) > 0, 'its frames counted as rejected');
    // Its four frames: CONNECT and hello sent, and their echoes.
    expect(rejected(line)).toBe(4);
    expect(dropped(line)).toBe(0);
    const text = await panelText(panel);
    const notice = /(\d+) rejected: frames of a connection whose URL is over [\d,]+ characters once redacted/;
    expect(text).toMatch(notice);
    const html = await panel.evaluate(() => document.documentElement.outerHTML);
    expect(html, 'the 9,000-character token or pad shown').not.toContain('q'.repeat(100));
    // The token socket's URL is kept, redacted; the pad socket's is not kept at all.
    const tabId = await tabIdOf(panel);
    const stored = await chromium.inExtensionPage(async () => JSON.stringify(await chrome.storage.session.get(null)));
    const mine = Object.entries(JSON.parse(stored) as Record<string, unknown>).filter(([k]) => k.startsWith(`tab:${tabId}:`)).map(([, v]) => JSON.stringify(v)).join('\n');
    expect(mine).toContain('token=[redacted]');
    // One notice, or one per relay message that refused some (with a panel open each batch goes soon): four in all.
    const meta = (JSON.parse(stored) as Record<string, { extra?: { notices?: string[] } }>)[`tab:${tabId}:meta`];
    const refused = (meta?.extra?.notices ?? []).reduce((n, s) => n + Number(notice.exec(s)?.[1] ?? 0), 0);
    expect(refused, 'frames the notices say were refused').toBe(4);
    expect(mine, 'the token or the pad stored').not.toContain('q'.repeat(100));
  });

  test('big: a 10 MB frame after 20 small ones is an error row and pushes none of them out', async ({ chromium, sims }) => {
    test.setTimeout(120_000);
    const sim = await sims.get(4);
    const page = await lossPage(chromium, sim.origin, 'big');
    const { panel } = await chromium.openSpacesPanel(page);
    const small = (rs: Row[]): Row[] => rs.filter((r) => r.event === 'small');
    const rows = await rowsUntil('the 20 small frames both ways and the big one', () => collectRows(panel), (rs) => small(rs).length >= 40 && rs.some(isError));
    expect(small(rows).length, 'small rows (sent and echoed)').toBe(40);
    expect(rows.filter((r) => r.event === 'big'), 'the 10 MB frame decoded as an event').toEqual([]);
    expect(rows.filter(isError).length, 'the big frame, sent and echoed, as error rows').toBe(2);
    const line = await settledCounts(panel, (l) => /dropped by the buffer/.test(l), 'the counts');
    expect(dropped(line)).toBe(0);
  });

  test('batch: over 64 MiB in one task, then one more frame: every frame captured, none dropped by the relay', async ({ chromium, sims }) => {
    test.setTimeout(240_000);
    const sim = await sims.get(4);
    const page = await lossPage(chromium, sim.origin, 'batch', 180_000);
    const { panel } = await chromium.openSpacesPanel(page);
    const after = (rs: Row[]): Row[] => rs.filter((r) => r.event === 'after');
    // Nine 8 MiB frames sent and echoed: 18 rows, then `after` both ways.
    const rows = await rowsUntil('the after frame both ways and every big frame', () => collectRows(panel), (rs) => after(rs).length >= 2 && rs.length >= 20, 120_000);
    expect(after(rows).length).toBe(2);
    const big = rows.filter((r) => r.event !== 'after');
    expect(big.length, `the big frames (${JSON.stringify(big.slice(0, 3))}…)`).toBe(18);
    const line = await settledCounts(panel, (l) => /dropped by the buffer/.test(l), 'the counts');
    expect(dropped(line), 'frames dropped (by the relay or the buffer)').toBe(0);
    expect(rejected(line)).toBe(0);
  });
});
