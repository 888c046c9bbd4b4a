// The composer in Firefox ESR's toolbox (issue 23), as e2e/chromium/compose.spec.ts: a composed
// SEND_MESSAGE echoed and paired, a SUBSCRIBE_CHANNEL resent from its row, an emit on long-polling
// (Socket.IO 2, Engine.IO 3), a page forging the emit path's messages causes no emit, and a traced send
// names the demo's function and line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from '../fixtures/firefox';
import { DEMO_PLAN, TOPICS } from '../../simulator/scenario';
import { BUFFERED } from '../../src/core/compose/encoded';
import { HOOK_PORT_EVENT, RELAY_READY_EVENT } from '../../src/core/messages';
import { inPanel, openSpacesPanel, openTab, waitForSimDone, type Firefox } from '../lib/firefox';
import { composeAndEmit, composeResult, forgeEmits, renderedRows, rowMenu, setTrace, tracesOf, type MarkedRow } from '../lib/compose';
import { until } from '../lib/wait';

const sendMessage = (loopback: string, body: string): string =>
  JSON.stringify({ category: 'chat', topicId: TOPICS.falcon._id, content: { bodyText: body, description: '', data: [], assignees: [] }, version: '1.1', loopbackMetadata: loopback });
const rows = (ff: Firefox): Promise<MarkedRow[]> => inPanel(ff, renderedRows);
const pageLog = async (ff: Firefox): Promise<string> => (await ff.m.send<{ value: string }>('WebDriver:ExecuteScript', { script: `return document.getElementById('log')?.textContent ?? ''` })).value;

async function openDemo(ff: Firefox, url: string): Promise<void> {
  await openTab(ff, url);
  await waitForSimDone(ff);
  await openSpacesPanel(ff);
  await until('the demo captured', () => rows(ff), (r) => r.some((x) => x.event === 'MESSAGE_SENT'), 30_000);
}

async function emitAndSee(ff: Firefox, loopback: string, body: string): Promise<void> {
  assert.equal(await inPanel(ff, composeAndEmit, { event: 'SEND_MESSAGE', payload: sendMessage(loopback, body), nsp: '/chat' }), '');
  const said = await until('the emit answered', () => inPanel(ff, composeResult), (r) => r !== '', 20_000);
  assert.match(said, /^Sent SEND_MESSAGE on socket #\d+$/);
  await until('the send, marked, and its echo', () => rows(ff), (x) => x.some((row) => row.event === 'SEND_MESSAGE' && row.fromPanel && row.summary.startsWith('✓ echoed in')) && x.some((row) => row.event === 'MESSAGE_SENT' && row.summary.includes(body.replace(/<\/?p>/g, ''))), 20_000);
}

test.describe('Firefox: compose', () => {
  test('compose a SEND_MESSAGE, resend a SUBSCRIBE_CHANNEL, and a forging page emits nothing', async ({ ff, sims }) => {
    test.setTimeout(150_000);
    await openDemo(ff, `${(await sims.get(4)).origin}/?transport=websocket`);
    await emitAndSee(ff, 'ff-compose-1', '<p>from the Firefox panel</p>');
    assert.match(await pageLog(ff), /from the Firefox panel/);

    assert.equal(await inPanel(ff, rowMenu, ['SUBSCRIBE_CHANNEL', 'Resend'] as [string, string]), '');
    await until('the resent subscription, answered', () => rows(ff), (x) => {
      const at = x.findLastIndex((row) => row.event === 'SUBSCRIBE_CHANNEL' && row.fromPanel);
      return at >= 0 && x[at]!.summary === `topic ${TOPICS.falcon._id}` && x.slice(at + 1).some((row) => row.event === 'CHANNEL_SUBSCRIBED' && row.summary.startsWith(`topic ${TOPICS.falcon._id}`));
    }, 20_000);

    // A page script (not Marionette's sandbox) forges everything it can toward the emit path.
    const forged = `42/chat,["SEND_MESSAGE",{"topicId":"${TOPICS.falcon._id}","category":"chat","content":{"bodyText":"FORGED"},"loopbackMetadata":"forged"}]`;
    await ff.m.send('WebDriver:ExecuteScript', {
      script: `const s = document.createElement('script');
      s.textContent = ${JSON.stringify(`document.body.dataset.forged = JSON.stringify((${forgeEmits.toString()})(${JSON.stringify({ packet: forged, hookPortEvent: HOOK_PORT_EVENT, relayReadyEvent: RELAY_READY_EVENT })}));`)};
      document.documentElement.appendChild(s);`,
    });
    const tried = (await ff.m.send<{ value: string }>('WebDriver:ExecuteScript', { script: 'return document.body.dataset.forged ?? ""' })).value;
    assert.match(tried, /relay-ready event/);
    assert.doesNotMatch(tried, /relay answered/);
    assert.match(tried, /leaks: none; handlers 3, ports 3/);
    // A panel emit after the forgeries: once it is in the list, anything they caused would be too.
    await emitAndSee(ff, 'ff-after-forgery', '<p>after the forgery</p>');
    assert.ok(!(await rows(ff)).some((row) => row.summary.includes('FORGED')));
    assert.doesNotMatch(await pageLog(ff), /FORGED/);
  });

  test('an emit on a long-polling socket (Socket.IO 2, Engine.IO 3) is echoed', async ({ ff, sims }) => {
    test.setTimeout(120_000);
    await openDemo(ff, `${(await sims.get(2)).origin}/?transport=polling`);
    await emitAndSee(ff, 'ff-polling-1', '<p>over polling in Firefox</p>');
  });

  test('with Trace on, a page send\'s trace names the demo\'s function and line', async ({ ff, sims }) => {
    test.setTimeout(120_000);
    const demo = readFileSync(resolve(import.meta.dirname, '../../simulator/public/demo.js'), 'utf8').split('\n');
    const line = demo.findIndex((l) => l.includes('else socket.emit(event, payload);')) + 1;
    assert.ok(line > 0);
    const origin = (await sims.get(4)).origin;
    await openDemo(ff, `${origin}/?transport=websocket`);
    assert.equal(await inPanel(ff, setTrace, true), true);
    // A page loaded after the setting sends with it on (the setting is the extension's, in storage.local).
    try {
      await openDemo(ff, `${origin}/?transport=websocket&trace=1`);
      // With panels.openResource the place is a button named by the file, else the full URL.
      const names = (t: string[]): boolean => t.some((l) => new RegExp(`^emit (\\S*/)?demo\\.js:${line}:\\d+$`).test(l)) && t.some((l) => l.startsWith('runPlan '));
      // Every send of the burst names the demo's call (those the socket sent from its buffer say so).
      const traces = await until('every traced SUBSCRIBE_CHANNEL of the demo', () => inPanel(ff, tracesOf, 'SUBSCRIBE_CHANNEL'), (t) => t.length >= DEMO_PLAN.subscribe.length, 30_000);
      assert.deepEqual(traces.filter((t) => !names(t)), [], 'a trace that does not name the demo\'s emit');
      assert.ok(traces.some((t) => t[0] === BUFFERED), JSON.stringify(traces.map((t) => t[0])));
    } finally {
      await inPanel(ff, setTrace, false);
    }
  });
});
