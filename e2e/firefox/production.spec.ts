// The composer on a production Spaces origin in Firefox ESR's toolbox (issue 23), as
// e2e/chromium/production.spec.ts: the demo served as https://spaces.avayacloud.com:<port>/ (a TLS proxy in
// front of the simulator; network.dns.localDomains resolves the name to the loopback, the session accepts
// the proxy's certificate). Emitting asks first: Cancel writes nothing (the simulator's own log), "Emit on
// production" writes it; a row's Resend there opens the composer rather than emitting.
import assert from 'node:assert/strict';
import { test } from '../fixtures/firefox';
import type { LoggedSimulator } from '../fixtures/simulators';
import { TOPICS } from '../../simulator/scenario';
import { composeAndEmit, composeResult, renderedRows, rowMenu, type MarkedRow } from '../lib/compose';
import { inChrome, inPanel, openSpacesPanel, openTab, setPref, waitForSimDone, type Firefox } from '../lib/firefox';
import { pause } from '../lib/pages';
import { PRODUCTION_HOST, productionFront } from '../lib/production';
import { until } from '../lib/wait';

const rows = (ff: Firefox): Promise<MarkedRow[]> => inPanel(ff, renderedRows);
const composer = (ff: Firefox): Promise<{ send: string; alert: string; open: boolean; payload: string }> =>
  inPanel(ff, (win) => ({
    send: win.document.querySelector('.composer-send')?.textContent ?? '',
    alert: win.document.querySelector('.composer [role=alert]')?.textContent ?? '',
    open: win.document.querySelector('.composer') !== null,
    payload: (win.document.querySelector('.composer-payload') as HTMLTextAreaElement | null)?.value ?? '',
  }));
const click = (ff: Firefox, selector: string): Promise<boolean> =>
  inPanel(ff, (win, sel: string) => {
    const b = win.document.querySelector<HTMLButtonElement>(sel);
    b?.click();
    return b !== null;
  }, selector);
const pageLog = async (ff: Firefox): Promise<string> => (await ff.m.send<{ value: string }>('WebDriver:ExecuteScript', { script: `return document.getElementById('log')?.textContent ?? ''` })).value;
const sendMessage = (loopback: string, body: string): string =>
  JSON.stringify({ category: 'chat', topicId: TOPICS.falcon._id, content: { bodyText: body, description: '', data: [], assignees: [] }, version: '1.1', loopbackMetadata: loopback });
const received = (sim: LoggedSimulator, loopback: string): string[] => sim.log.filter((l) => l.endsWith(`received SEND_MESSAGE (loopbackMetadata ${loopback})`));

test.describe('Firefox: compose on a production Spaces origin', () => {
  test('Emit asks first: Cancel writes no frame, "Emit on production" writes it, Resend opens the composer', async ({ ff, sims }) => {
    test.setTimeout(150_000);
    const sim = await sims.get(4);
    const front = await productionFront(sim.port);
    await setPref(ff, 'network.dns.localDomains', PRODUCTION_HOST);
    // The session's acceptInsecureCerts does not reach this host (Navigate: "insecure certificate"):
    // certificate checks are turned off for the test, and back on after it.
    const certChecks = (off: boolean): Promise<unknown> =>
      inChrome(ff, `Cc['@mozilla.org/security/certoverride;1'].getService(Ci.nsICertOverrideService).setDisableAllSecurityChecksAndLetAttackersInterceptMyData(args[0]);`, [off]);
    await certChecks(true);
    try {
      const url = `${front.origin}/?transport=websocket`;
      await openTab(ff, url);
      await waitForSimDone(ff);
      const at = (await ff.m.send<{ value: string }>('WebDriver:GetCurrentURL')).value;
      assert.equal(new URL(at).host, new URL(front.origin).host);
      assert.ok(received(sim, 'lb-1').length > 0, sim.log.slice(-20).join('\n'));
      await openSpacesPanel(ff);
      await until('the demo captured on the production host', () => rows(ff), (r) => r.some((x) => x.event === 'MESSAGE_SENT'), 30_000);

      assert.equal(await inPanel(ff, composeAndEmit, { event: 'SEND_MESSAGE', payload: sendMessage('ff-prod-cancel', '<p>cancelled on production</p>'), nsp: '/chat' }), '');
      const asked = await until('the confirmation', () => composer(ff), (c) => c.send === 'Emit on production', 10_000);
      assert.match(asked.alert, /production Spaces origin/);
      assert.ok(await click(ff, '.composer-cancel'));
      await until('the confirmation withdrawn', () => composer(ff), (c) => c.send === 'Emit' && c.alert === '', 10_000);
      // Time enough for a frame to reach the server and come back, were one written.
      await pause(3_000);
      assert.deepEqual(received(sim, 'ff-prod-cancel'), []);
      assert.equal(await inPanel(ff, composeResult), '');
      assert.ok(!(await rows(ff)).some((r) => r.fromPanel));
      assert.doesNotMatch(await pageLog(ff), /cancelled on production/);

      assert.equal(await inPanel(ff, composeAndEmit, { event: 'SEND_MESSAGE', payload: sendMessage('ff-prod-confirm', '<p>confirmed on production</p>'), nsp: '/chat' }), '');
      await until('the confirmation', () => composer(ff), (c) => c.send === 'Emit on production', 10_000);
      await pause(1_000);
      assert.deepEqual(received(sim, 'ff-prod-confirm'), []);
      assert.ok(await click(ff, '.composer-send'));
      const said = await until('the emit answered', () => inPanel(ff, composeResult), (r) => r !== '', 20_000);
      assert.match(said, /^Sent SEND_MESSAGE on socket #\d+$/);
      await until('the server received it', async () => received(sim, 'ff-prod-confirm').length, (n) => n === 1, 10_000);
      await until('the send, marked, and its echo', () => rows(ff), (x) => x.some((row) => row.event === 'SEND_MESSAGE' && row.fromPanel && row.summary.startsWith('✓ echoed in')), 20_000);
      assert.match(await pageLog(ff), /confirmed on production/);

      // A row's Resend on production opens the composer with the send, and writes nothing.
      assert.ok(await click(ff, '.composer button[aria-label="Close the composer"]'));
      const marked = (await rows(ff)).filter((r) => r.fromPanel).length;
      assert.equal(await inPanel(ff, rowMenu, ['SEND_MESSAGE', 'Resend']), '');
      const c = await until('the composer, open with the send', () => composer(ff), (x) => x.open, 10_000);
      assert.match(c.payload, /"topicId"/);
      assert.equal(c.send, 'Emit');
      await pause(2_000);
      assert.equal((await rows(ff)).filter((r) => r.fromPanel).length, marked);
      assert.equal(received(sim, 'ff-prod-confirm').length, 1);
    } finally {
      await inChrome(ff, `Services.prefs.clearUserPref('network.dns.localDomains');`);
      await certChecks(false);
      await front.close();
    }
  });
});
