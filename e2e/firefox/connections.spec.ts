// Why did my socket drop, in Firefox ESR's toolbox: the simulator stopped (a short stop: Chromium's spec
// does the 20 s) with the client reconnecting and not subscribing again, a refused subscription,
// a ping timeout (Engine.IO 3: the server stops answering the page's pings), and long-polling.
import assert from 'node:assert/strict';
import { test } from '../fixtures/firefox';
import { DEMO_TOKEN, MEMBER_TOPICS, UNKNOWN_TOPIC_ID } from '../../simulator/scenario';
import { clickPanelButton, inPanel, openSpacesPanel, openTab, panelContent, panelRows, waitForSimDone, type Firefox } from '../lib/firefox';
import { assertDropShown, assertPingGapShown, connectionsIn, gapRowsIn, gapThenReconnect, reconnectedWithoutResubscribe, type ConnectionsShown } from '../lib/connections';
import { until } from '../lib/wait';

const TOPIC = MEMBER_TOPICS[0]!._id;

async function openView(ff: Firefox, url: string, doneWithin: number): Promise<void> {
  await openTab(ff, url);
  await waitForSimDone(ff, doneWithin);
  await openSpacesPanel(ff);
  await clickPanelButton(ff, 'Connections');
}

const shownUntil = (ff: Firefox, what: string, ok: (v: ConnectionsShown) => boolean, timeout = 30_000) =>
  until(what, () => inPanel(ff, connectionsIn), ok, timeout);

test.describe('Firefox: connections', () => {
  test('the server stopped: the drop, the reconnect, the gap, a refused and a lost subscription', async ({ ff, sims }) => {
    test.setTimeout(150_000);
    const sim = await sims.get(4);
    await openView(ff, `${sim.origin}/pages/connections.html?client=4&transport=websocket&stop=3000&resub=0&refuse=1`, 60_000);
    const v = await shownUntil(ff, 'the drop, the reconnect and the subscription not taken again', reconnectedWithoutResubscribe);
    assertDropShown(v, TOPIC, UNKNOWN_TOPIC_ID);
    assert.ok(!(await panelContent(ff)).html.includes(DEMO_TOKEN), 'the token is redacted everywhere');

    // One click: socket #1's events only.
    await inPanel(ff, (content) => (content.document.querySelector('.conn-row[data-conn=" 1"] .conn-filter') as HTMLElement).click());
    const rows = await until('only socket #1 listed', () => panelRows(ff), (r) => r.some((x) => x.event === 'socket closed'));
    assert.ok(rows.every((r) => r.socket === '' || r.socket === '#1'));
    await inPanel(ff, (content) => (content.document.querySelector('.conn-only button') as HTMLElement).click());
    // The failed attempts came while the endpoint was down.
    await until('rows marked as in the gap', () => inPanel(ff, gapRowsIn), (n) => n >= 1);
  });

  test('a ping timeout with socket.io-client 2.x: the heartbeat gap and the reconnect', async ({ ff, sims }) => {
    test.setTimeout(120_000);
    await openView(ff, `${(await sims.get(2)).origin}/pages/connections.html?client=2&transport=websocket&ping=1`, 60_000);
    const v = await shownUntil(ff, 'the gap on socket #1 and its reconnect', gapThenReconnect);
    assertPingGapShown(v, 3);
  });

  test('long-polling: the failed requests end the session, the reconnect follows', async ({ ff, sims }) => {
    test.setTimeout(120_000);
    await openView(ff, `${(await sims.get(4)).origin}/pages/connections.html?client=4&transport=polling&stop=3000`, 60_000);
    const v = await shownUntil(
      ff,
      'the polling drop and its reconnect',
      (x) => x.conns.some((c) => c.state === 'open' && /↻ #\d/.test(c.socket)) && x.conns[0]?.state === 'dropped',
    );
    assert.equal(v.conns[0]!.transport, 'polling');
    assert.match(v.conns[0]!.closed, /polling request (failed|got HTTP)/, JSON.stringify(v.conns));
  });
});
