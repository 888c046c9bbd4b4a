// The composer in the real Chromium DevTools Spaces tab (issue 23): a SEND_MESSAGE composed in the panel
// is written on the demo's own socket and its echo pairs with it; a page's SUBSCRIBE_CHANNEL is resent
// from its row; an emit on a long-polling socket (Socket.IO 2, Engine.IO 3) is answered; a page that forges every
// message it can toward the emit path causes no emit; with Trace on, every send of the demo's burst names its
// emit (WebSocket and long-polling).
import assert from 'node:assert/strict';
import type { Page } from '@playwright/test';
import { openDemoPanel, test, type DevToolsWindow } from '../fixtures/chromium';
import { DEMO_PLAN, TOPICS } from '../../simulator/scenario';
import { BUFFERED } from '../../src/core/compose/encoded';
import { HOOK_PORT_EVENT, RELAY_READY_EVENT } from '../../src/core/messages';
import type { PanelFrame } from '../lib/panel';
import { pageDone } from '../lib/pages';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeAndEmit, composeResult, forgeEmits, renderedRows, rowMenu, setTrace, tracesOf, type ComposeInput, type MarkedRow } from '../lib/compose';
import { until } from '../lib/wait';

test.describe.configure({ mode: 'serial' });

let page: Page;
let devtools: DevToolsWindow;
let panel: PanelFrame;

const emit = (p: PanelFrame, input: ComposeInput): Promise<string> => p.evaluate(`(${composeAndEmit.toString()})(window, ${JSON.stringify(input)})`);
const rows = (p: PanelFrame): Promise<MarkedRow[]> => p.evaluate(`(${renderedRows.toString()})(window)`);
const result = (p: PanelFrame): Promise<string> => p.evaluate(`(${composeResult.toString()})(window)`);
const sendMessage = (loopback: string, body: string): string =>
  JSON.stringify({ category: 'chat', topicId: TOPICS.falcon._id, content: { bodyText: body, description: '', data: [], assignees: [] }, version: '1.1', loopbackMetadata: loopback });

test.beforeAll(async ({ chromiumWorker: chromium, sims }, testInfo) => {
  ({ page, devtools, panel } = await openDemoPanel(chromium, sims, testInfo.file));
  await until('the demo captured', () => rows(panel), (r) => r.some((x) => x.event === 'MESSAGE_SENT'), 30_000);
});

test.afterAll(async () => {
  await devtools?.close();
  await page?.close();
});

test.describe('compose in Chromium DevTools', () => {
  test('a composed SEND_MESSAGE goes out on the page socket, marked as sent from the panel, and its echo pairs with it', async ({}, testInfo) => {
    assert.equal(await emit(panel, { event: 'SEND_MESSAGE', payload: sendMessage('e2e-compose-1', '<p>from the panel</p>'), nsp: '/chat' }), '');
    await until('the emit answered', () => result(panel), (r) => r !== '', 20_000);
    assert.match(await result(panel), /^Sent SEND_MESSAGE on socket #\d+$/);
    const r = await until('the send and its echo', () => rows(panel), (x) => x.some((row) => row.event === 'SEND_MESSAGE' && row.fromPanel && row.summary.startsWith('✓ echoed in')), 20_000);
    const sent = r.filter((row) => row.fromPanel);
    assert.equal(sent.length, 1);
    assert.match(sent[0]!.summary, /^✓ echoed in \d+ ms/);
    assert.ok(r.some((row) => row.event === 'MESSAGE_SENT' && row.summary.includes('from the panel')));
    // Its detail says so too, and offers to send it again.
    await panel.evaluate(() => (document.querySelector('.rows .row.from-panel [role=gridcell]') as HTMLElement | null)?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })));
    await until('the detail of the panel\'s send', () => panel.evaluate(() => document.querySelector('.detail-head')?.textContent ?? ''), (t) => t.includes('✎ Sent from the panel') && t.includes('Edit and resend…'), 10_000);
    const page2 = await page.evaluate(() => document.getElementById('log')?.textContent ?? '');
    assert.match(page2, /from the panel/);
    await testInfo.attach('chromium-devtools-composer', { body: await devtools.screenshot(), contentType: 'image/png' });
  });

  test('resending a page SUBSCRIBE_CHANNEL from its row emits it again, answered', async () => {
    const before = (await rows(panel)).filter((x) => x.event === 'SUBSCRIBE_CHANNEL' && x.fromPanel).length;
    assert.equal(await panel.evaluate(`(${rowMenu.toString()})(window, ${JSON.stringify(['SUBSCRIBE_CHANNEL', 'Resend'])})`), '');
    const r = await until('the resent subscription', () => rows(panel), (x) => x.filter((row) => row.event === 'SUBSCRIBE_CHANNEL' && row.fromPanel).length === before + 1, 20_000);
    const resent = r.filter((row) => row.event === 'SUBSCRIBE_CHANNEL' && row.fromPanel).pop()!;
    assert.equal(resent.summary, `topic ${TOPICS.falcon._id}`);
    // The server's answer follows it.
    await until('its answer', () => rows(panel), (x) => {
      const at = x.findLastIndex((row) => row.event === 'SUBSCRIBE_CHANNEL' && row.fromPanel);
      return at >= 0 && x.slice(at + 1).some((row) => row.event === 'CHANNEL_SUBSCRIBED' && row.summary.startsWith(`topic ${TOPICS.falcon._id}`));
    }, 20_000);
  });

  test('a page forging every message it can toward the emit path causes no emit', async () => {
    const forged = '42/chat,["SEND_MESSAGE",{"topicId":"' + TOPICS.falcon._id + '","category":"chat","content":{"bodyText":"FORGED"},"loopbackMetadata":"forged"}]';
    const tried = await page.evaluate(forgeEmits, { packet: forged, hookPortEvent: HOOK_PORT_EVENT, relayReadyEvent: RELAY_READY_EVENT });
    assert.ok(tried.length >= 4, tried.join('; '));
    assert.ok(!tried.some((t) => t.startsWith('relay answered')), tried.join('; '));
    // Nothing of the hook's channel showed through the natives the page replaced: only its own 3 channels.
    assert.ok(tried.includes('leaks: none; handlers 3, ports 3'), tried.join('; '));
    // A panel emit after the forgeries: once it is in the list, anything they caused would be too.
    assert.equal(await emit(panel, { event: 'SEND_MESSAGE', payload: sendMessage('e2e-after-forgery', '<p>after the forgery</p>'), nsp: '/chat' }), '');
    const r = await until('the emit after the forgeries', () => rows(panel), (x) => x.some((row) => row.event === 'MESSAGE_SENT' && row.summary.includes('after the forgery')), 20_000);
    assert.ok(!r.some((row) => row.summary.includes('FORGED')), JSON.stringify(r.slice(-10)));
    assert.doesNotMatch(await page.evaluate(() => document.getElementById('log')?.textContent ?? ''), /FORGED/);
  });

  test('with Trace on, a page send\'s trace names the demo\'s function and line, linked to Sources', async () => {
    const demo = readFileSync(resolve(import.meta.dirname, '../../simulator/public/demo.js'), 'utf8').split('\n');
    const line = demo.findIndex((l) => l.includes('else socket.emit(event, payload);')) + 1;
    assert.ok(line > 0);
    assert.equal(await panel.evaluate(`(${setTrace.toString()})(window, true)`), true);
    // The setting reaches the page's hook through its relay; a page load then sends with it on.
    await page.reload();
    await pageDone(page);
    // Every send of the burst names the demo's call: the first is written from it, the rest from the
    // socket's buffer when it drains, traced to where the page's emit encoded them (and said so).
    // Chromium has panels.openResource: the place is a link named by the file (a full URL otherwise).
    const names = (t: string[]): boolean => t.some((l) => new RegExp(`^emit demo\\.js:${line}:\\d+$`).test(l)) && t.some((l) => l.startsWith('runPlan '));
    const all = DEMO_PLAN.subscribe.length;
    const traces = await until('every traced SUBSCRIBE_CHANNEL of the demo', () => panel.evaluate<string[][]>(`(${tracesOf.toString()})(window, 'SUBSCRIBE_CHANNEL')`), (t) => t.length >= all, 30_000);
    assert.deepEqual(traces.filter((t) => !names(t)), [], 'a trace that does not name the demo\'s emit');
    assert.ok(traces.some((t) => t[0] === BUFFERED), JSON.stringify(traces.map((t) => t[0])));
    assert.ok(traces.some((t) => t[0] !== BUFFERED));
    assert.ok(traces.every((t) => t.length <= 41));
    assert.equal(await panel.evaluate(`(${setTrace.toString()})(window, false)`), true);
  });

  test('with Trace on, a long-polling page\'s sends (several events a request) name the demo\'s emit', async ({ chromiumWorker: chromium, sims }) => {
    const demo = readFileSync(resolve(import.meta.dirname, '../../simulator/public/demo.js'), 'utf8').split('\n');
    const line = demo.findIndex((l) => l.includes('else socket.emit(event, payload);')) + 1;
    assert.equal(await panel.evaluate(`(${setTrace.toString()})(window, true)`), true);
    const polling = await chromium.newPage();
    try {
      await polling.goto(`${(await sims.get(2)).origin}/?transport=polling`);
      await pageDone(polling);
      const view = await chromium.openSpacesPanel(polling);
      try {
        const names = (t: string[]): boolean => t.some((l) => new RegExp(`^emit demo\\.js:${line}:\\d+$`).test(l)) && t.some((l) => l.startsWith('runPlan '));
        const traces = await until('the traced SUBSCRIBE_CHANNELs of the polling demo', () => view.panel.evaluate<string[][]>(`(${tracesOf.toString()})(window, 'SUBSCRIBE_CHANNEL')`), (t) => t.length >= DEMO_PLAN.subscribe.length, 30_000);
        assert.deepEqual(traces.filter((t) => !names(t)), [], 'a trace that does not name the demo\'s emit');
        // The client batches what waited while a POST was out: one request, several events, said so.
        assert.ok(traces.some((t) => t[0]!.startsWith(`${BUFFERED} (the first of the `)), JSON.stringify(traces.map((t) => t[0])));
      } finally {
        await view.devtools.close();
      }
    } finally {
      await polling.close();
      assert.equal(await panel.evaluate(`(${setTrace.toString()})(window, false)`), true);
    }
  });

  test('an emit on a long-polling socket (Socket.IO 2, Engine.IO 3) is posted to its session and echoed', async ({ chromiumWorker: chromium, sims }) => {
    const polling = await chromium.newPage();
    await polling.goto(`${(await sims.get(2)).origin}/?transport=polling`);
    await pageDone(polling);
    const view = await chromium.openSpacesPanel(polling);
    try {
      await until('the polling demo captured', () => rows(view.panel), (r) => r.some((x) => x.event === 'MESSAGE_SENT'), 30_000);
      assert.equal(await emit(view.panel, { event: 'SEND_MESSAGE', payload: sendMessage('e2e-polling-1', '<p>over polling</p>'), nsp: '/chat' }), '');
      await until('the emit answered', () => result(view.panel), (r) => r !== '', 20_000);
      assert.match(await result(view.panel), /^Sent SEND_MESSAGE on socket #\d+$/);
      await until('the polling send and its echo', () => rows(view.panel), (x) => x.some((row) => row.event === 'SEND_MESSAGE' && row.fromPanel && row.summary.startsWith('✓ echoed in')), 20_000);
    } finally {
      await view.devtools.close();
      await polling.close();
    }
  });
});
