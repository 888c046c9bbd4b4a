// End to end in Debian's Firefox ESR with the built extension (dist/firefox) installed as a temporary
// add-on, driven over Marionette: the simulator in both wire generations, read from the real DevTools
// "Spaces" tab, and a page that forges the hook's hand-off.
import assert from 'node:assert/strict';
import { test } from '../fixtures/firefox';
import { openSpacesPanel, openTab, panelContent, panelRows, screenshot, waitForPanelRows, waitForSimDone } from '../lib/firefox';
import { assertScenario, EXPECTED_EVENTS, scenarioShown } from '../lib/scenario';
import { rowsUntil } from '../lib/wait';

for (const gen of [2, 4] as const) {
  for (const transport of ['websocket', 'polling'] as const) {
    test.describe(`Firefox: socket.io ${gen}.x over ${transport}`, () => {
      test('shows every event the scenario played in the DevTools Spaces tab, in order, and the token nowhere', async ({ ff, sims }, testInfo) => {
        const sim = await sims.get(gen);
        await openTab(ff, `${sim.origin}/?transport=${transport}`);
        await waitForSimDone(ff);
        await openSpacesPanel(ff);
        await waitForPanelRows(ff, EXPECTED_EVENTS);
        const rows = await rowsUntil('every event of the demo shown', () => panelRows(ff), scenarioShown, 20_000);
        assertScenario(rows);
        const { html } = await panelContent(ff);
        assert.ok(!html.includes(sim.token), 'token in the panel DOM');
        assert.ok(!JSON.stringify(rows).includes(sim.token), 'token in a row');
        if (gen === 2 && transport === 'websocket') await testInfo.attach('firefox-devtools-spaces', { body: await screenshot(ff), contentType: 'image/png' });
      });
    });
  }
}

test.describe('Firefox: pages that forge the hand-off', () => {
  test('a forged port and what is posted through it are ignored, and the real capture is intact', async ({ ff, sims }) => {
    await openTab(ff, `${(await sims.get(4)).origin}/?transport=websocket`);
    await waitForSimDone(ff);
    // A page script (not Marionette's sandbox) forges a port hand-off and posts junk through it.
    await ff.m.send('WebDriver:ExecuteScript', {
      script: `const s = document.createElement('script');
      s.textContent = ${JSON.stringify(`{
        const ch = new MessageChannel();
        window.dispatchEvent(new MessageEvent('spaces-devtools:hook-port', { ports: [ch.port2] }));
        window.dispatchEvent(new Event('spaces-devtools:relay-ready'));
        for (const j of [null, 42, 'x', { type: 'hook/batch' }, { type: 'hook/batch', conns: 'no', frames: [] }])
          ch.port1.postMessage(j);
        ch.port1.postMessage({ type: 'hook/batch', conns: [{ c: 999, url: 'ws://evil/?EIO=4&transport=websocket', transport: 'websocket' }],
          frames: [{ c: 999, t: 1, d: 'in', x: '42["FORGED",{}]' }] });
      }`)};
      document.documentElement.appendChild(s);`,
    });
    await openSpacesPanel(ff);
    await waitForPanelRows(ff, EXPECTED_EVENTS);
    assertScenario(await rowsUntil('every event of the demo shown', () => panelRows(ff), scenarioShown, 20_000));
    // The relay took the hook's port first: the forged one is ignored.
    assert.ok(!(await panelContent(ff)).text.includes('FORGED'), 'a forged event reached the panel');
  });
});
