// Issue #22 in Firefox ESR's toolbox "Spaces" tab: the simulator's people scenario (?scenario=people,
// socket.io 2.x and 4.x) in the People view (online, idle, typing replayed at its moment, roles, media)
// and the Meetings view (a video meeting, its attendees and recording, a call not answered).
import { test } from '../fixtures/firefox';
import type { Generation } from '../../simulator/server';
import { inPanel, openSpacesPanel, openTab, panelRows, screenshot, waitForSimDone } from '../lib/firefox';
import { checkPeopleAndMeetings, checkRows, showEvents, type InPanel } from '../lib/people';
import { until } from '../lib/wait';

for (const generation of [2, 4] as Generation[]) {
  test(`socket.io ${generation}.x: the People and Meetings views of the people scenario`, async ({ ff, sims }, testInfo) => {
    const sim = await sims.get(generation);
    await openTab(ff, `${sim.origin}/?transport=websocket&scenario=people`);
    await waitForSimDone(ff);
    await openSpacesPanel(ff);
    const run: InPanel = (fn, arg) => inPanel(ff, fn, arg);
    await showEvents(run);
    checkRows(await until('the scenario listed', () => panelRows(ff), (rows) => rows.some((r) => r.summary === 'meeting ended'), 30_000));
    await checkPeopleAndMeetings(run, async (name) => {
      await testInfo.attach(`firefox-${name}`, { body: await screenshot(ff), contentType: 'image/png' });
    });
  });
}
