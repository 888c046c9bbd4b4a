// Screenshots of the People and Meetings views (issue #22) in the real Chromium DevTools "Spaces" tab,
// light and dark, on the simulator's people scenario:
// node --import tsx scripts/screenshots-people.ts  (after a build) → docs/screenshots/devtools-{people,meetings}-*.png
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, openSpacesPanel, sleep } from '../e2e/lib/chromium';
import { PEOPLE_TOPIC } from '../simulator/people';
import { startSimulator } from '../simulator/server';

const out = resolve(import.meta.dirname, '../docs/screenshots');
mkdirSync(out, { recursive: true });
const sim = await startSimulator({ generation: 2, quiet: true });
try {
  for (const theme of ['light', 'dark'] as const) {
    const profile = mkdtempSync(join(tmpdir(), 'spaces-shot-'));
    mkdirSync(join(profile, 'Default'));
    const prefs = { 'ui-theme': JSON.stringify(theme === 'dark' ? 'dark' : 'default'), currentDockState: '"undocked"' };
    writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ devtools: { preferences: prefs } }));
    const chromium = await launchChromium({ userDataDir: profile });
    try {
      const page = await chromium.browser.newPage();
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: theme }]);
      await page.goto(`${sim.origin}/?transport=websocket&scenario=people`);
      await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
      const { devtools, panel } = await openSpacesPanel(page, chromium.extensionId, { dockBottom: false });
      await devtools.setViewport({ width: 1400, height: 800 });
      await sleep(500);
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
      await devtools.screenshot({ path: resolve(out, `devtools-people-${theme}.png`) });
      console.log(`docs/screenshots/devtools-people-${theme}.png`);
      await panel.evaluate(() => document.querySelector<HTMLElement>('#view-meetings')?.click());
      await sleep(300);
      await panel.evaluate(() => [...document.querySelectorAll<HTMLElement>('.moment button')].find((b) => b.textContent === 'Latest')?.click());
      await sleep(300);
      await devtools.screenshot({ path: resolve(out, `devtools-meetings-${theme}.png`) });
      console.log(`docs/screenshots/devtools-meetings-${theme}.png`);
    } finally {
      await chromium.close();
    }
  }
} finally {
  await sim.close();
}
