// Issue #17, no silent loss, in Debian's Firefox ESR with the built extension (the relay, background and store
// code paths are the ones Chromium runs, e2e/chromium/loss.spec.ts): the pages of simulator/public/pages/loss.html
// (each `?case=` tries to make the capture lose events) against the simulator, read from the real DevTools Spaces
// tab (its counts line, notice and rows) and, where the bound is the point, from the extension's storage.session
// as the panel page itself reads it.
import { expect } from '@playwright/test';
import { test } from '../fixtures/firefox';
import { closeDevTools, inPanel, openSpacesPanel, openTab, panelContent, panelRows, waitForPage, waitForPanelRows, waitForSimDone, type Firefox } from '../lib/firefox';
import { connectionsIn as connections, droppedIn as dropped, isDecodeError as isError, rejectedIn as rejected, type Row } from '../lib/panel';
import { tabKeys } from '../lib/stored';
import { assertScenario, EXPECTED_EVENTS, scenarioShown } from '../lib/scenario';
import { rowsUntil, settledText } from '../lib/wait';

/** The tab's byte bound (src/core/model/store.ts DEFAULT_LIMITS.maxBytes). */
const TAB_BOUND = 4 * 1024 * 1024;

/** Opens loss.html?case=which in a new tab and waits for the page to say it is done. Returns the tab's handle. */
async function lossPage(ff: Firefox, origin: string, which: string, timeout = 60_000): Promise<string> {
  const handle = await openTab(ff, `${origin}/pages/loss.html?case=${which}`);
  await waitForPage(ff, 'body[data-sim-done="1"]', timeout);
  return handle;
}

const countsLine = (ff: Firefox): Promise<string> => inPanel(ff, (content) => content.document.querySelector('.counts')?.textContent ?? '');
/** The counts line once its figures stop changing. */
const settledCounts = (ff: Firefox, ok: (line: string) => boolean, what: string): Promise<string> => settledText(what, () => countsLine(ff), ok);

/**
 * The inspected tab's id and what storage.session holds, read in the panel page (an extension page: Firefox's
 * panel reads storage.session itself, src/panel/sources/extension-env.ts), as JSON.
 */
async function stored(ff: Firefox): Promise<{ tabId: number; all: Record<string, unknown> }> {
  const r = await inPanel(
    ff,
    async (content) => {
      const w = (content as unknown as { wrappedJSObject: { browser: typeof browser; JSON: typeof JSON } }).wrappedJSObject;
      const all = await w.browser.storage.session.get(null);
      return { tabId: w.browser.devtools.inspectedWindow.tabId, json: w.JSON.stringify(all) };
    },
    undefined,
    60_000,
  );
  return { tabId: r.tabId, all: JSON.parse(r.json) as Record<string, unknown> };
}

/** The tab's storage.session keys: their count and size as the quota counts them (key and value as JSON), and their values as JSON. */
async function storedOfTab(ff: Firefox): Promise<{ keys: number; bytes: number; json: string }> {
  const { tabId, all } = await stored(ff);
  const { entries, keys, bytes } = tabKeys(all, tabId);
  return { keys, bytes, json: entries.map(([, v]) => JSON.stringify(v)).join('\n') };
}


test.describe('Firefox: no silent loss (issue #17)', () => {
  test('polls: 1,250 long-polling connections with 8 KB URLs cost only their tab: another tab drops nothing; this one forgets connections, within its bound', async ({ ff, sims }) => {
    test.setTimeout(240_000);
    const sim = await sims.get(4);
    const flood = await lossPage(ff, sim.origin, 'polls', 120_000);
    const polls = Number(await ff.m.executeAsync<string>(`arguments[arguments.length - 1](document.body.dataset.polls);`));
    expect(polls, 'the page made its 1,250 polls').toBe(1250);

    // Another tab, after the flood: the demo, all of it.
    await openTab(ff, `${sim.origin}/?transport=websocket`);
    await waitForSimDone(ff);
    await openSpacesPanel(ff);
    await waitForPanelRows(ff, EXPECTED_EVENTS, 30_000);
    assertScenario(await rowsUntil('every event of the demo shown in the other tab', () => panelRows(ff), scenarioShown));
    const otherLine = await settledCounts(ff, (l) => /dropped by the buffer/.test(l), 'the other tab counts');
    expect(otherLine).toMatch(/(^|· )0 dropped by the buffer/);
    expect(dropped(otherLine)).toBe(0);
    await closeDevTools(ff);

    // The flooding tab: every connection counted, all but the 100 most recent forgotten.
    await ff.m.send('WebDriver:SwitchToWindow', { handle: flood, focus: true });
    await openSpacesPanel(ff);
    const line = await settledCounts(ff, (l) => connections(l) >= polls, 'the flooding tab counts every connection');
    const held = await storedOfTab(ff);
    test.info().annotations.push({ type: 'storage.session of the flooding tab', description: `${held.keys} keys, ${held.bytes} bytes` });
    expect(held.keys, 'the flooding tab stored something').toBeGreaterThan(0);
    expect(held.bytes, `the flooding tab's storage.session keys (${held.keys}) within its 4 MiB bound`).toBeLessThanOrEqual(TAB_BOUND);
    expect(line).toMatch(/· 1,250 connections \(1,150 forgotten\)/);
  });

  test('frames: 60 frames, each with a socket: 60 connections, no "Reload the page" notice, rows from every frame', async ({ ff, sims }) => {
    test.setTimeout(150_000);
    const sim = await sims.get(4);
    await lossPage(ff, sim.origin, 'frames', 90_000);
    await openSpacesPanel(ff);
    const line = await settledCounts(ff, (l) => connections(l) >= 60, 'the 60 frames counted');
    expect(line).toMatch(/· 60 connections($|\s)/);
    // Each frame's client sends "hello from loss-frame-<i>" (frame.html?lb=…): all 60 of them are rows.
    const framesSaid = (rs: Row[]): Set<string> => new Set(rs.flatMap((r) => /hello from (loss-frame-\d+)/.exec(r.summary)?.[1] ?? []));
    const rows = await rowsUntil('rows from all 60 frames', () => panelRows(ff, 60_000), (rs) => framesSaid(rs).size >= 60, 90_000);
    expect(framesSaid(rows).size).toBe(60);
    expect((await panelContent(ff)).text).not.toContain('Reload the page');
    expect(dropped(line)).toBe(0);
  });

  test('url: an over-long socket URL refuses only its own frames, counted as rejected with a notice; the others (a long token redacted) are shown', async ({ ff, sims }) => {
    test.setTimeout(120_000);
    const sim = await sims.get(4);
    await lossPage(ff, sim.origin, 'url');
    await openSpacesPanel(ff);
    const said = (rs: Row[], socket: string): Row[] => rs.filter((r) => r.summary.includes(`socket:"${socket}"`) || r.summary.includes(`"socket":"${socket}"`));
    const rows = await rowsUntil("the plain and token sockets' hello and echo shown", () => panelRows(ff), (rs) => said(rs, 'plain').length >= 2 && said(rs, 'token').length >= 2);
    expect(said(rows, 'long'), 'rows of the socket whose URL is too long').toEqual([]);
    const line = await settledCounts(ff, (l) => rejected(l) > 0, 'its frames counted as rejected');
    // Its four frames: CONNECT and hello sent, and their echoes.
    expect(rejected(line)).toBe(4);
    expect(dropped(line)).toBe(0);
    const { text, html } = await panelContent(ff);
    const notice = /(\d+) rejected: frames of a connection whose URL is over [\d,]+ characters once redacted/;
    expect(text).toMatch(notice);
    expect(html, 'the 9,000-character token or pad shown').not.toContain('q'.repeat(100));
    // The token socket's URL is kept, redacted; the pad socket's is not kept at all.
    const mine = (await storedOfTab(ff)).json;
    expect(mine).toContain('token=[redacted]');
    expect(mine, 'the token or the pad stored').not.toContain('q'.repeat(100));
    // One notice, or one per relay message that refused some (with a panel open each batch goes soon): four in all.
    const { tabId, all } = await stored(ff);
    const meta = all[`tab:${tabId}:meta`] as { extra?: { notices?: string[] } } | undefined;
    const refused = (meta?.extra?.notices ?? []).reduce((n, s) => n + Number(notice.exec(s)?.[1] ?? 0), 0);
    expect(refused, 'frames the notices say were refused').toBe(4);
  });

  test('big: a 10 MB frame after 20 small ones is an error row and pushes none of them out', async ({ ff, sims }) => {
    test.setTimeout(120_000);
    const sim = await sims.get(4);
    await lossPage(ff, sim.origin, 'big');
    await openSpacesPanel(ff);
    const small = (rs: Row[]): Row[] => rs.filter((r) => r.event === 'small');
    const rows = await rowsUntil('the 20 small frames both ways and the big one', () => panelRows(ff), (rs) => small(rs).length >= 40 && rs.some(isError), 60_000);
    expect(small(rows).length, 'small rows (sent and echoed)').toBe(40);
    expect(rows.filter((r) => r.event === 'big'), 'the 10 MB frame decoded as an event').toEqual([]);
    expect(rows.filter(isError).length, 'the big frame, sent and echoed, as error rows').toBe(2);
    const line = await settledCounts(ff, (l) => /dropped by the buffer/.test(l), 'the counts');
    expect(dropped(line)).toBe(0);
  });

  test('batch: over 64 MiB in one task, then one more frame: every frame captured, none dropped by the relay', async ({ ff, sims }) => {
    test.setTimeout(240_000);
    const sim = await sims.get(4);
    await lossPage(ff, sim.origin, 'batch', 180_000);
    await openSpacesPanel(ff, 60_000);
    const after = (rs: Row[]): Row[] => rs.filter((r) => r.event === 'after');
    // Nine 8 MiB frames sent and echoed: 18 rows, then `after` both ways.
    const rows = await rowsUntil('the after frame both ways and every big frame', () => panelRows(ff, 60_000), (rs) => after(rs).length >= 2 && rs.length >= 20, 120_000);
    expect(after(rows).length).toBe(2);
    const big = rows.filter((r) => r.event !== 'after');
    expect(big.length, `the big frames (${JSON.stringify(big.slice(0, 3))}…)`).toBe(18);
    const line = await settledCounts(ff, (l) => /dropped by the buffer/.test(l), 'the counts');
    expect(dropped(line), 'frames dropped (by the relay or the buffer)').toBe(0);
    expect(rejected(line)).toBe(0);
  });
});
