// Screenshots of the real Chromium DevTools with the "Spaces" tab, light and dark, for the README (the
// event list with a task selected, its history, the Attachments view, the Connections view):
// node --import tsx scripts/screenshots.ts  (after a build) → docs/screenshots/*.png
// node --import tsx scripts/screenshots.ts sends  → only the failed send (devtools-sends-*.png, 900 px wide)
// node --import tsx scripts/screenshots.ts connections  → only the Connections view's
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, openSpacesPanel, sleep } from '../e2e/lib/chromium';
import { startSimulator } from '../simulator/server';
import { FORBIDDEN_TOPIC_ID } from '../simulator/scenario';

const out = resolve(import.meta.dirname, '../docs/screenshots');
mkdirSync(out, { recursive: true });
const only = process.argv[2];
const sim = await startSimulator({ generation: only === 'connections' ? 4 : 2, quiet: true });
try {
  for (const theme of ['light', 'dark'] as const) {
    // DevTools reads its theme and dock state from the profile's preferences.
    const profile = mkdtempSync(join(tmpdir(), 'spaces-shot-'));
    mkdirSync(join(profile, 'Default'));
    const prefs = { 'ui-theme': JSON.stringify(theme === 'dark' ? 'dark' : 'default'), currentDockState: '"undocked"' };
    writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ devtools: { preferences: prefs } }));
    const chromium = await launchChromium({ userDataDir: profile });
    try {
      if (only === 'sends') {
        await failedSend(chromium, theme);
        continue;
      }
      const page = await chromium.browser.newPage();
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: theme }]);
      if (only === 'connections') {
        // A drop (the server stopped for 3 s), its reconnect attempts, a refused and a lost subscription.
        await page.goto(`${sim.origin}/pages/connections.html?client=4&transport=upgrade&stop=3000&resub=0&refuse=1`);
        await page.waitForSelector('body[data-sim-done="1"]', { timeout: 60_000 });
        const { devtools, panel } = await openSpacesPanel(page, chromium.extensionId, { dockBottom: false });
        await devtools.setViewport({ width: 1400, height: 900 });
        await panel.evaluate(() => document.querySelector<HTMLElement>('#view-connections')?.click());
        await panel.waitForFunction(() => document.body.textContent?.includes('not re-subscribed'), { timeout: 30_000 });
        await sleep(300);
        await devtools.screenshot({ path: resolve(out, `devtools-connections-${theme}.png`) });
        console.log(`docs/screenshots/devtools-connections-${theme}.png`);
        continue;
      }
      await page.goto(`${sim.origin}/?transport=websocket`);
      await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
      const { devtools, panel } = await openSpacesPanel(page, chromium.extensionId, { dockBottom: false });
      await devtools.setViewport({ width: 1400, height: 900 });
      await sleep(500);
      // Select the task's last update (completed) so the detail pane shows a payload and its history.
      await panel.evaluate(() => {
        const rows = [...document.querySelectorAll<HTMLElement>('[role=row][aria-rowindex]')];
        rows.findLast((r) => r.textContent?.includes('app.event.task.updated'))?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
      });
      await sleep(500);
      await devtools.screenshot({ path: resolve(out, `devtools-spaces-${theme}.png`) });
      console.log(`docs/screenshots/devtools-spaces-${theme}.png`);
      // The same task's history, then the Attachments view with the file that failed after a retry.
      await panel.evaluate(() => document.querySelector('.history')?.scrollIntoView());
      await sleep(300);
      await devtools.screenshot({ path: resolve(out, `devtools-history-${theme}.png`) });
      console.log(`docs/screenshots/devtools-history-${theme}.png`);
      await panel.evaluate(() => document.querySelector<HTMLElement>('#view-attachments')?.click());
      await sleep(300);
      await panel.evaluate(() => document.querySelectorAll<HTMLElement>('.att-table .file-name')[1]?.click());
      await sleep(300);
      await devtools.screenshot({ path: resolve(out, `devtools-attachments-${theme}.png`) });
      console.log(`docs/screenshots/devtools-attachments-${theme}.png`);
    } finally {
      await chromium.close();
    }
  }
} finally {
  await sim.close();
}

/** The sends scenario, filtered to the space the user may not post in, a refused send selected: its row, its detail and the problems count. */
async function failedSend(chromium: Awaited<ReturnType<typeof launchChromium>>, theme: 'light' | 'dark'): Promise<void> {
  const page = await chromium.browser.newPage();
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: theme }]);
  await page.goto(`${sim.origin}/?transport=websocket&scenario=sends`);
  await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
  const { devtools, panel } = await openSpacesPanel(page, chromium.extensionId, { dockBottom: false });
  await devtools.setViewport({ width: 900, height: 640 });
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
  await devtools.screenshot({ path: resolve(out, `devtools-sends-${theme}.png`) });
  console.log(`docs/screenshots/devtools-sends-${theme}.png`);
  // Every topic, the detail closed: each send's outcome on its row.
  await panel.evaluate(() => document.querySelector<HTMLElement>('.detail .close')?.click());
  await panel.evaluate(() => [...document.querySelectorAll<HTMLElement>('[role=tree] .tname')].find((e) => e.textContent?.trim() === 'All topics')?.click());
  await sleep(500);
  await devtools.screenshot({ path: resolve(out, `devtools-sends-list-${theme}.png`) });
  console.log(`docs/screenshots/devtools-sends-list-${theme}.png`);
}
