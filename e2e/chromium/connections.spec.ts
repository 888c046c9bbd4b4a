// Why did my socket drop, in Chromium's real DevTools: the simulator stopped for the 20 s with the
// client reconnecting and not subscribing again, a subscription refused, a ping timeout, and long-polling.
// The Connections view lists each socket with its close reason, the reconnect and its failed attempts,
// the heartbeat gap, and the subscriptions' states; one click limits the list to a socket; the events
// while the endpoint was down are marked in the list.
import assert from 'node:assert/strict';
import { test, type Chromium } from '../fixtures/chromium';
import { DEMO_TOKEN, MEMBER_TOPICS, UNKNOWN_TOPIC_ID } from '../../simulator/scenario';
import { click, clickWhenShown, collectRows, fill, panelHtml, type PanelFrame } from '../lib/panel';
import { pageDone } from '../lib/pages';
import { assertDropShown, assertPingGapShown, gapRows, gapThenReconnect, readConnections, reconnectedWithoutResubscribe, type ConnectionsShown } from '../lib/connections';
import { until } from '../lib/wait';

const TOPIC = MEMBER_TOPICS[0]!._id;

/** Opens the connections page, waits until it is done, opens the Spaces panel on its Connections view. */
async function openView(chromium: Chromium, url: string, doneWithin: number): Promise<PanelFrame> {
  const page = await chromium.newPage();
  await page.goto(url);
  await pageDone(page, undefined, doneWithin);
  const { panel } = await chromium.openSpacesPanel(page);
  await clickWhenShown(panel, '#view-connections');
  return panel;
}

const shownUntil = (panel: PanelFrame, what: string, ok: (v: ConnectionsShown) => boolean, timeout = 30_000) =>
  until(what, () => readConnections(panel), ok, timeout);

test.describe('connections, in Chromium', () => {
  test('the server stopped for 20 s: the drop, the attempts, the reconnect, the gap, a refused and a lost subscription', async ({ chromium, sims }) => {
    test.setTimeout(180_000);
    const sim = await sims.get(4);
    const panel = await openView(chromium, `${sim.origin}/pages/connections.html?client=4&transport=websocket&stop=20000&resub=0&refuse=1`, 90_000);
    const v = await shownUntil(panel, 'the drop, the reconnect and the subscription not taken again', reconnectedWithoutResubscribe);
    assertDropShown(v, TOPIC, UNKNOWN_TOPIC_ID);
    const first = v.conns[0]!;
    assert.equal(first.transport, 'websocket');
    assert.match(first.endpoint, /^127\.0\.0\.1:\d+\/socket\.io\/$/);
    assert.match(first.ping, /every 10 s, timeout 5 s/);
    // While stopped, each attempt failed to connect; the last one is the reconnect. The attempts are one row
    // ("#2–#n ↻ #1", "failed to connect ×k") until unfolded, then each is a reconnect of the socket before it.
    const folded = v.conns.filter((c) => c.state.startsWith('failed to connect'));
    assert.equal(folded.length, 1, JSON.stringify(folded));
    const [, a, b] = /#(\d+)–#(\d+) ↻ #1$/.exec(folded[0]!.socket) ?? [];
    const n = Number(b) - Number(a) + 1;
    assert.ok(n >= 3, `${folded[0]!.socket}: ${n} failed attempts in 20 s`);
    assert.match(folded[0]!.state, new RegExp(`^failed to connect ×${n}$`));
    assert.match(folded[0]!.closed, /^→ \d\d:\d\d:\d\d\.\d{3} · /);
    await click(panel, '.conn-attempts .conn-fold');
    const each = await shownUntil(panel, 'each attempt on its own row', (x) => x.conns.filter((c) => c.state === 'failed to connect').length === n);
    const attempts = each.conns.filter((c) => c.state === 'failed to connect');
    assert.ok(attempts.every((c, k) => c.socket.endsWith(`#${Number(a) + k} ↻ #${Number(a) + k - 1}`)), JSON.stringify(attempts.map((c) => c.socket)));
    assert.ok(!(await panelHtml(panel)).includes(DEMO_TOKEN), 'the token is redacted everywhere');

    // One click: the event list shows socket #1's events only, its close among them.
    await click(panel, '.conn-row[data-conn=" 1"] .conn-filter');
    const rows = await until('only socket #1 listed', () => collectRows(panel), (r) => r.length > 0 && r.some((x) => x.event === 'socket closed'));
    assert.ok(rows.every((r) => r.socket === '' || r.socket === '#1'), `rows of other sockets: ${JSON.stringify(rows.filter((r) => r.socket !== '#1').slice(0, 3))}`);
    assert.ok(rows.some((r) => r.event === 'socket closed' && /1006/.test(r.summary)));
    await clickWhenShown(panel, '.conn-only button');
    // The attempts came while the endpoint was down: marked in the list.
    await fill(panel, 'input.filter', 'socket');
    await until('rows marked as in the gap', () => gapRows(panel), (n) => n >= 3);
  });

  test('a ping timeout: the heartbeat gap, the close, the reconnect that subscribes again', async ({ chromium, sims }) => {
    test.setTimeout(120_000);
    // The simulator's heartbeat: a ping every 10 s, 5 s to answer; the client gives up after 15 s.
    const panel = await openView(chromium, `${(await sims.get(4)).origin}/pages/connections.html?client=4&transport=websocket&ping=1`, 60_000);
    const v = await shownUntil(panel, 'the gap on socket #1 and its reconnect', gapThenReconnect);
    assertPingGapShown(v, 4);
    assert.match(v.conns[0]!.gaps, /\+\d/);
    assert.match(v.conns[0]!.ping, /every 10 s, timeout 5 s/);
  });

  test('long-polling (Socket.IO 2.x): the failed requests end the session, the reconnect follows', async ({ chromium, sims }) => {
    const sim = await sims.get(2);
    const panel = await openView(chromium, `${sim.origin}/pages/connections.html?client=2&transport=polling&stop=3000`, 60_000);
    const v = await shownUntil(panel, 'the polling drop and its reconnect', (x) => x.conns.some((c) => c.state === 'open' && /↻ #\d/.test(c.socket)));
    const first = v.conns[0]!;
    assert.equal(first.transport, 'polling');
    assert.match(first.generation, /Engine\.IO 3 · Socket\.IO 2\.x/);
    assert.equal(first.state, 'dropped');
    assert.match(first.closed, /polling request (failed|got HTTP)/);
    assert.deepEqual(v.subs.map((s) => s.state), ['resubscribed', 'subscribed']);
  });
});
