// Pages that fight the hook, in Firefox ESR's DevTools Spaces tab: a page that replaces WebSocket itself, a
// strict CSP with Trusted Types, several sockets at once, sockets in frames of two origins, and a socket in
// a worker (which can't be captured: the panel says so).
import assert from 'node:assert/strict';
import { test } from '../fixtures/firefox';
import { openSpacesPanel, openTab, pageData, panelCounts, panelRows, waitForPage, waitForPanelRows, waitForPanelText, waitForSimDone, type Firefox } from '../lib/firefox';
import { socketOf } from '../lib/scenario';
import { assertOnlyTheSentinel, FOUR, socketEvents } from '../lib/sockets';
import type { Row } from '../lib/panel';
import { rowsUntil, until } from '../lib/wait';

/** Engine and connect rows come first: reads the rows until `n` socket events are shown, not merely n rows. */
const socketEventsShown = (ff: Firefox, what: string, n: number): Promise<Row[]> => rowsUntil(what, () => panelRows(ff), (r) => socketEvents(r).length >= n, 20_000);

/**
 * Each socket's events as its client put them on the wire and took them off, by socket name: data-wire of
 * the page and of each of its frames (simulator/public/pages/client.js).
 */
async function wireOf(ff: Firefox): Promise<Record<string, string[]>> {
  const all = JSON.parse((await pageData(ff, 'body', 'wire')) ?? '{}') as Record<string, string[]>;
  const frames = await ff.m.send<Record<string, string>[]>('WebDriver:FindElements', { using: 'css selector', value: 'iframe' });
  for (const el of frames) {
    await ff.m.send('WebDriver:SwitchToFrame', { element: Object.values(el)[0] });
    try {
      Object.assign(all, JSON.parse((await pageData(ff, 'body', 'wire')) ?? '{}'));
    } finally {
      await ff.m.send('WebDriver:SwitchToParentFrame');
    }
  }
  return all;
}

test.describe('Firefox: pages that fight the hook', () => {
  for (const kind of ['subclass', 'function'] as const) {
    test(`a page that replaces WebSocket with its own ${kind}: still captured, and its wrapper still sees every frame`, async ({ ff, sims }) => {
      await openTab(ff, `${(await sims.get(2)).origin}/pages/replaced.html?kind=${kind}&lb=replaced-ff-${kind}`);
      await waitForSimDone(ff);
      assert.equal(await pageData(ff, 'html', 'wrapper'), kind);
      assert.equal(await pageData(ff, 'body', 'echoes'), `replaced-ff-${kind}`);
      const wrapperEvents = ((await pageData(ff, 'html', 'wrapperEvents')) ?? '').split(' ').filter(Boolean);
      assert.deepEqual(wrapperEvents, ['↑SUBSCRIBE_CHANNEL', '↑SEND_MESSAGE', '↓CHANNEL_SUBSCRIBED', '↓MESSAGE_SENT']);
      await openSpacesPanel(ff);
      await waitForPanelRows(ff, 4);
      const rows = await socketEventsShown(ff, 'every event the wrapper saw shown', wrapperEvents.length);
      assert.deepEqual(socketEvents(rows), wrapperEvents);
    });
  }

  test('a strict CSP with Trusted Types: captured, and not one violation caused', async ({ ff, sims }) => {
    const sim = await sims.get(2);
    await openTab(ff, `${sim.origin}/pages/csp.html?lb=csp-ff`);
    await waitForPage(ff, 'html[data-sentinel="1"]');
    const csp = (await pageData(ff, 'html', 'cspViolations')) ?? '[]';
    await assertOnlyTheSentinel(csp, sim);
    await openSpacesPanel(ff);
    await waitForPanelRows(ff, 4);
    const rows = await socketEventsShown(ff, 'the socket events shown', FOUR.length);
    assert.deepEqual(socketEvents(rows), FOUR);
    assert.ok(rows.some((r) => r.event === 'MESSAGE_SENT' && r.summary.includes('csp-ff')));
  });

  test('several sockets at once: all captured, and each row names its socket', async ({ ff, sims }) => {
    await openTab(ff, `${(await sims.get(2)).origin}/pages/multi.html?sockets=2&lb=multi-ff`);
    await waitForSimDone(ff);
    assert.equal(await pageData(ff, 'body', 'echoes'), 'multi-ff-1 multi-ff-2');
    // Each socket's events in the order its client put them on the wire and took them off (the two
    // sockets' events interleave as they happen to; a long-polling socket may get a reply before its next request goes out).
    const wire = await wireOf(ff);
    for (const n of [1, 2]) assert.deepEqual([...(wire[`multi-ff-${n}`] ?? [])].sort(), [...FOUR].sort(), `what multi-ff-${n} sent and got`);
    await openSpacesPanel(ff);
    await waitForPanelRows(ff, 8);
    const rows = await socketEventsShown(ff, "both sockets' events shown", 2 * FOUR.length);
    assert.deepEqual(rows.filter((r) => !socketOf(r)), [], 'rows without their socket');
    for (const n of [1, 2]) {
      const mine = rows.filter((r) => socketOf(r) === `#${n}`);
      assert.deepEqual(socketEvents(mine), wire[`multi-ff-${n}`], `socket #${n}`);
      assert.ok(mine.some((r) => r.event === 'MESSAGE_SENT' && r.summary.includes(`multi-ff-${n}`)), `socket #${n}`);
    }
    assert.equal(socketEvents(rows).length, 2 * FOUR.length, 'no other events');
    await until('the counts line to say 2 connections', () => panelCounts(ff), (c) => c.connections === 2, 20_000, (c) => `"${c.line}" ${c.empty}`);
  });

  test('sockets in frames of two origins: captured per frame, and labelled with the frame', async ({ ff, sims }) => {
    const sim = await sims.get(2);
    await openTab(ff, `${sim.origin}/pages/frames.html?lb=frames-top`);
    await waitForPage(ff, 'body[data-frames-done="1"]');
    assert.equal(await pageData(ff, 'body', 'frameEchoes'), 'frame-cross frame-same frames-top');
    // Each frame's socket: its four events, in the order its client put them on the wire and took them off
    // (engine.io does not order a reply against the client's next send).
    const wire = await wireOf(ff);
    for (const lb of ['frames-top', 'frame-same', 'frame-cross']) assert.deepEqual([...(wire[lb] ?? [])].sort(), [...FOUR].sort(), `what ${lb} sent and got`);
    await openSpacesPanel(ff);
    await waitForPanelRows(ff, 12);
    const rows = await socketEventsShown(ff, "the three sockets' events shown", 3 * FOUR.length);
    assert.deepEqual(rows.filter((r) => !socketOf(r)), [], 'rows without their socket');
    const labels: Record<string, string> = { 'frames-top': '#1', 'frame-same': `#1 · 127.0.0.1:${sim.port}`, 'frame-cross': `#1 · localhost:${sim.port}` };
    for (const [lb, label] of Object.entries(labels)) {
      const mine = rows.filter((r) => socketOf(r) === label);
      assert.deepEqual(socketEvents(mine), wire[lb], lb);
      assert.ok(mine.some((r) => r.event === 'MESSAGE_SENT' && r.summary.includes(lb)), lb);
    }
  });

  test('a socket in a worker: not capturable from the page, and the panel says so', async ({ ff, sims }) => {
    await openTab(ff, `${(await sims.get(2)).origin}/pages/worker.html`);
    await waitForSimDone(ff);
    assert.equal(await pageData(ff, 'body', 'workerEchoes'), 'in-worker');
    await openSpacesPanel(ff);
    const text = await waitForPanelText(ff, "This page runs 1 worker; sockets opened in workers can't be captured.");
    assert.match(text, /No Spaces socket seen on this page yet/);
  });
});
