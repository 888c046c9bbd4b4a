// End to end in Debian's Firefox ESR with the built extension (dist/firefox) installed as a temporary
// add-on, driven over Marionette: the simulator in both wire generations, read from the real DevTools
// "Spaces" tab; host permission withdrawn and granted again; DevTools theme; a log file imported in the tab.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSimulator, type Simulator } from '../simulator/server';
import {
  clickPanelButton,
  closeDevTools,
  closeTab,
  inPanel,
  launchFirefox,
  openSpacesPanel,
  openTab,
  panelContent,
  panelRows,
  revokeHostPermission,
  screenshot,
  setPref,
  sleep,
  waitForPanelRows,
  waitForPanelText,
  waitForSimDone,
  type Firefox,
} from './lib/firefox';
import { assertScenario, EXPECTED_EVENTS } from './lib/scenario';
import { writeLog } from '../src/core/log';
import { isEngineChatter, rowText } from '../src/panel/row';
import { generateEvents } from '../test/panel/harness/fake-source';

const ARTIFACTS = resolve(import.meta.dirname, '../artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

/** Per test: a stalled browser fails the test instead of holding the suite. */
const T = { timeout: 90_000 };

let ff: Firefox;
const sims = {} as Record<2 | 4, Simulator>;

before(async () => {
  ff = await launchFirefox();
  sims[2] = await startSimulator({ generation: 2, quiet: true });
  sims[4] = await startSimulator({ generation: 4, quiet: true });
}, T);

after(async () => {
  await ff?.close();
  await Promise.all(Object.values(sims).map((s) => s.close()));
});

/** Runs a step; on failure keeps a screenshot of the browser window as an artifact. */
async function keepShotOnFailure<T>(name: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    await screenshot(ff)
      .then((png) => writeFileSync(resolve(ARTIFACTS, `failure-firefox-${name}.png`), png))
      .catch(() => undefined);
    throw e;
  }
}

for (const gen of [2, 4] as const) {
  for (const transport of ['websocket', 'polling'] as const) {
    describe(`Firefox: socket.io ${gen}.x over ${transport}`, () => {
      it('shows every event the scenario played in the DevTools Spaces tab, in order, and the token nowhere', T, async () => {
        await openTab(ff, `${sims[gen].origin}/?transport=${transport}`);
        await keepShotOnFailure(`${gen}-${transport}`, async () => {
          await waitForSimDone(ff);
          await openSpacesPanel(ff);
          await waitForPanelRows(ff, EXPECTED_EVENTS);
          const rows = await panelRows(ff);
          assertScenario(rows);
          const { html } = await panelContent(ff);
          const token = sims[gen].token;
          assert.ok(!html.includes(token), 'token in the panel DOM');
          assert.ok(!JSON.stringify(rows).includes(token), 'token in a row');
          if (gen === 2 && transport === 'websocket') writeFileSync(resolve(ARTIFACTS, 'firefox-devtools-spaces.png'), await screenshot(ff));
        });
        await closeTab(ff);
      });
    });
  }
}

describe('Firefox: pages that forge the hand-off', () => {
  it('a forged port and what is posted through it are ignored, and the real capture is intact', T, async () => {
    await openTab(ff, `${sims[4].origin}/?transport=websocket`);
    await keepShotOnFailure('forged', async () => {
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
      await sleep(500);
      await openSpacesPanel(ff);
      await waitForPanelRows(ff, EXPECTED_EVENTS);
      assertScenario(await panelRows(ff));
      // The relay took the hook's port first: the forged one is ignored.
      assert.ok(!(await panelContent(ff)).text.includes('FORGED'), 'a forged event reached the panel');
    });
    await closeTab(ff);
  });
});

describe('Firefox: host permission', () => {
  it('says it cannot capture where the permission was withdrawn, grants it in one click, and captures after a reload', T, async () => {
    const sim = sims[4];
    await revokeHostPermission(ff, 'http://127.0.0.1/*');
    await openTab(ff, `${sim.origin}/?transport=websocket`);
    await keepShotOnFailure('permission', async () => {
      await waitForSimDone(ff);
      await openSpacesPanel(ff);
      await waitForPanelText(ff, `can't capture on ${sim.origin}`);
      assert.equal((await panelRows(ff)).length, 0, 'captured without the permission');
      writeFileSync(resolve(ARTIFACTS, 'firefox-devtools-spaces-permission.png'), await screenshot(ff));

      // The panel's button opens the extension's grant window (Firefox panels cannot ask themselves).
      const before = await ff.m.send<string[]>('WebDriver:GetWindowHandles');
      const { value: main } = await ff.m.send<{ value: string }>('WebDriver:GetWindowHandle');
      await clickPanelButton(ff, `Allow on ${sim.origin}`);
      let grant: string | undefined;
      for (let i = 0; i < 50 && !grant; i++) {
        grant = (await ff.m.send<string[]>('WebDriver:GetWindowHandles')).find((h) => !before.includes(h));
        if (!grant) await sleep(100);
      }
      assert.ok(grant, 'no grant window opened');
      await ff.m.send('WebDriver:SwitchToWindow', { handle: grant, focus: true });
      try {
        // The window may still be loading: wait for its button, then click it as a person would.
        const { value: el } = await ff.m.send<{ value: Record<string, string> }>('WebDriver:FindElement', {
          using: 'css selector',
          value: '#allow:not([hidden])',
        });
        await ff.m.send('WebDriver:ElementClick', { id: Object.values(el)[0] });
      } finally {
        await ff.m.send('WebDriver:SwitchToWindow', { handle: main, focus: true });
      }

      await waitForPanelText(ff, `Allowed on ${sim.origin}`);
      await clickPanelButton(ff, 'Reload page');
      await waitForSimDone(ff);
      await waitForPanelRows(ff, EXPECTED_EVENTS);
      assertScenario(await panelRows(ff));
    });
    await closeTab(ff);
  });
});

describe('Firefox: theme', () => {
  it("follows DevTools' theme while the panel is open, and starts in it", T, async () => {
    await openTab(ff, `${sims[2].origin}/?transport=websocket`);
    await keepShotOnFailure('theme', async () => {
      await waitForSimDone(ff);
      await openSpacesPanel(ff);
      await waitForPanelRows(ff, EXPECTED_EVENTS);
      assert.equal((await panelContent(ff)).theme, 'light');
      await setPref(ff, 'devtools.theme', 'dark');
      for (let i = 0; i < 50 && (await panelContent(ff)).theme !== 'dark'; i++) await sleep(100);
      assert.equal((await panelContent(ff)).theme, 'dark');
      // Opened again while dark: the panel starts dark.
      await closeDevTools(ff);
      await openSpacesPanel(ff);
      await waitForPanelRows(ff, EXPECTED_EVENTS);
      assert.equal((await panelContent(ff)).theme, 'dark');
      await sleep(300);
      writeFileSync(resolve(ARTIFACTS, 'firefox-devtools-spaces-dark.png'), await screenshot(ff));
      await setPref(ff, 'devtools.theme', 'light');
      for (let i = 0; i < 50 && (await panelContent(ff)).theme !== 'light'; i++) await sleep(100);
      assert.equal((await panelContent(ff)).theme, 'light');
    });
    await closeTab(ff);
  });
});

describe('Firefox: event logs', () => {
  it('imports a log file in the DevTools Spaces tab (read by its module worker) and shows its rows, then goes back to live capture', T, async () => {
    const events = generateEvents(60, 11, 4).map((e, i) => ({ ...e, seq: i + 1 }));
    const log = [...writeLog(events, { tool: { name: 'e2e', version: '0' }, browser: null, filter: null }, { layout: 'ndjson', raw: true, anonymize: false })].join('');
    const shown = events.filter((e) => !isEngineChatter(e));
    await openTab(ff, `${sims[4].origin}/?transport=websocket`);
    await keepShotOnFailure('import', async () => {
      await waitForSimDone(ff);
      await openSpacesPanel(ff);
      await waitForPanelRows(ff, EXPECTED_EVENTS);
      // As the Import… button's file picker would: the file set on the panel's input, then its change event.
      const picked = await inPanel(
        ff,
        (content, t) => {
          const w = content as unknown as typeof globalThis;
          const input = content.document.querySelector('input[type=file]') as HTMLInputElement | null;
          if (!input) return 0;
          const dt = new w.DataTransfer();
          dt.items.add(new w.File([t], 'firefox-import.ndjson', { type: 'application/x-ndjson' }));
          input.files = dt.files;
          input.dispatchEvent(new w.Event('change', { bubbles: true }));
          return dt.files.length;
        },
        log,
      );
      assert.equal(picked, 1);
      const text = await waitForPanelText(ff, `${events.length} events`, 15_000);
      assert.match(text, /Viewing NDJSON log:\s*firefox-import\.ndjson[^]*·\s*60 events\s*Back to live capture/);
      const rows = await panelRows(ff);
      assert.deepEqual(
        rows.map((r) => [r.category, r.sender]),
        shown.map((e) => [rowText(e).category, rowText(e).sender]),
      );
      await clickPanelButton(ff, 'Back to live capture');
      await waitForPanelText(ff, 'Live');
      await waitForPanelRows(ff, EXPECTED_EVENTS);
      assertScenario(await panelRows(ff));
    });
    await closeTab(ff);
  });
});
