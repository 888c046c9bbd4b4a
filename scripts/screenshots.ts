// Screenshots of the real Chromium DevTools with the "Spaces" tab, light and dark, for the README and docs:
// node --import tsx scripts/screenshots.ts [set]  (after a build) → docs/screenshots/*.png
//   spaces       (the default) the event list with a task selected, its history, the Attachments view
//   sends        the failed send (devtools-sends-*.png, 900 px wide)
//   connections  the Connections view after a drop
//   people       the People and Meetings views
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { launchChromium, openSpacesPanel, sleep } from '../e2e/lib/chromium';
import { PEOPLE_TOPIC } from '../simulator/people';
import { startSimulator } from '../simulator/server';
import { FORBIDDEN_TOPIC_ID } from '../simulator/scenario';

type Panel = Awaited<ReturnType<typeof openSpacesPanel>>;
interface ShotSet {
  generation: 2 | 4;
  /** Loads the page, opens the panel on it and shoots; `shoot(devtools, name)` writes devtools-<name>-<theme>.png. */
  run(ctx: { open: (path: string, size: { width: number; height: number }) => Promise<Panel>; shoot: (devtools: Page, name: string) => Promise<void> }): Promise<void>;
}

const out = resolve(import.meta.dirname, '../docs/screenshots');

const SETS: Record<string, ShotSet> = {
  spaces: {
    generation: 2,
    async run({ open, shoot }) {
      const { devtools, panel } = await open('/?transport=websocket', { width: 1400, height: 900 });
      // Select the task's last update (completed) so the detail pane shows a payload and its history.
      await panel.evaluate(() => {
        const rows = [...document.querySelectorAll<HTMLElement>('[role=row][aria-rowindex]')];
        rows.findLast((r) => r.textContent?.includes('app.event.task.updated'))?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
      });
      await sleep(500);
      await shoot(devtools, 'spaces');
      // The same task's history, then the Attachments view with the file that failed after a retry.
      await panel.evaluate(() => document.querySelector('.history')?.scrollIntoView());
      await sleep(300);
      await shoot(devtools, 'history');
      await panel.evaluate(() => document.querySelector<HTMLElement>('#view-attachments')?.click());
      await sleep(300);
      await panel.evaluate(() => document.querySelectorAll<HTMLElement>('.att-table .file-name')[1]?.click());
      await sleep(300);
      await shoot(devtools, 'attachments');
    },
  },
  sends: {
    generation: 2,
    /** The sends scenario, filtered to the space the user may not post in, a refused send selected. */
    async run({ open, shoot }) {
      const { devtools, panel } = await open('/?transport=websocket&scenario=sends', { width: 900, height: 640 });
      // The detail pane takes its width from the window the panel opened in: open it again at 900 px.
      await panel.evaluate(() => location.reload());
      await sleep(1500);
      // Sends unanswered after 2 s, so the shot shows them flagged.
      await panel.evaluate(() => {
        const input = document.querySelector<HTMLInputElement>('input.unanswered-after');
        if (!input) return;
        input.value = '2';
        input.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await sleep(2500);
      await panel.evaluate((id) => {
        [...document.querySelectorAll<HTMLElement>('[role=tree] .tname')].find((e) => e.textContent?.trim() === id)?.click();
      }, FORBIDDEN_TOPIC_ID);
      await sleep(400);
      await panel.evaluate(() => document.querySelector('.rows .row .badge-send.send-error')?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true })));
      await sleep(500);
      await shoot(devtools, 'sends');
      // Every topic, the detail closed: each send's outcome on its row.
      await panel.evaluate(() => document.querySelector<HTMLElement>('.detail .close')?.click());
      await panel.evaluate(() => [...document.querySelectorAll<HTMLElement>('[role=tree] .tname')].find((e) => e.textContent?.trim() === 'All topics')?.click());
      await sleep(500);
      await shoot(devtools, 'sends-list');
    },
  },
  connections: {
    generation: 4,
    /** A drop (the server stopped for 12 s), its reconnect attempts (folded into one row), a refused and a lost subscription. */
    async run({ open, shoot }) {
      const { devtools, panel } = await open('/pages/connections.html?client=4&transport=upgrade&stop=12000&resub=0&refuse=1', { width: 1400, height: 900 });
      await panel.evaluate(() => document.querySelector<HTMLElement>('#view-connections')?.click());
      await panel.waitForFunction(() => document.body.textContent?.includes('not re-subscribed'), { timeout: 30_000 });
      await sleep(300);
      await shoot(devtools, 'connections');
    },
  },
  people: {
    generation: 2,
    async run({ open, shoot }) {
      const { devtools, panel } = await open('/?transport=websocket&scenario=people', { width: 1400, height: 800 });
      await panel.evaluate(() => document.querySelector<HTMLElement>('#view-people')?.click());
      await sleep(300);
      await panel.evaluate((id) => document.querySelector<HTMLElement>(`.ppl-topics button[data-topic="${id}"]`)?.click(), PEOPLE_TOPIC._id);
      await sleep(300);
      // Replayed to the moment Vidas started typing.
      await panel.evaluate(() => {
        const row = [...document.querySelectorAll('.ppl-history tbody tr')].find((r) => r.textContent?.includes('started typing'));
        row?.querySelector<HTMLElement>('td:first-child button')?.click();
      });
      await sleep(300);
      await shoot(devtools, 'people');
      await panel.evaluate(() => document.querySelector<HTMLElement>('#view-meetings')?.click());
      await sleep(300);
      await panel.evaluate(() => [...document.querySelectorAll<HTMLElement>('.moment button')].find((b) => b.textContent === 'Latest')?.click());
      await sleep(300);
      await shoot(devtools, 'meetings');
    },
  },
};

const name = process.argv[2] ?? 'spaces';
const set = SETS[name];
if (!set) throw new Error(`no screenshot set "${name}": one of ${Object.keys(SETS).join(', ')}`);
mkdirSync(out, { recursive: true });
const sim = await startSimulator({ generation: set.generation, quiet: true });
try {
  for (const theme of ['light', 'dark'] as const) {
    // DevTools reads its theme and dock state from the profile's preferences.
    const profile = mkdtempSync(join(tmpdir(), 'spaces-shot-'));
    mkdirSync(join(profile, 'Default'));
    const prefs = { 'ui-theme': JSON.stringify(theme === 'dark' ? 'dark' : 'default'), currentDockState: '"undocked"' };
    writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ devtools: { preferences: prefs } }));
    const chromium = await launchChromium({ userDataDir: profile });
    try {
      const open = async (path: string, size: { width: number; height: number }): Promise<Panel> => {
        const page = await chromium.browser.newPage();
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: theme }]);
        await page.goto(`${sim.origin}${path}`);
        await page.waitForSelector('body[data-sim-done="1"]', { timeout: 60_000 });
        const opened = await openSpacesPanel(page, chromium.extensionId, { dockBottom: false });
        await opened.devtools.setViewport(size);
        await sleep(500);
        return opened;
      };
      const shoot = async (devtools: Page, shot: string): Promise<void> => {
        await devtools.screenshot({ path: resolve(out, `devtools-${shot}-${theme}.png`) });
        console.log(`docs/screenshots/devtools-${shot}-${theme}.png`);
      };
      await set.run({ open, shoot });
    } finally {
      await chromium.close();
    }
  }
} finally {
  await sim.close();
}
