// Issue #22 in Chromium's real DevTools "Spaces" tab: the simulator's people scenario (?scenario=people,
// socket.io 2.x and 4.x) shown as people and sessions: the People view (online, idle, typing replayed at
// its moment, roles, media) and the Meetings view (a video meeting, its attendees and recording, a call
// not answered). An export of the same capture, imported in the offline viewer, shows the same views.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from '@playwright/test';
import { test } from '../fixtures/chromium';
import type { Generation } from '../../simulator/server';
import { axeViolations, click, clickWhenShown, collectRows, frames, rowCount, shown } from '../lib/panel';
import { pageDone } from '../lib/pages';
import { checkPeopleAndMeetings, checkRows, inFrame, showEvents, snapshot } from '../lib/people';
import { settledCount, until } from '../lib/wait';

const ROOT = resolve(import.meta.dirname, '../..');
const VIEWER = `file://${resolve(ROOT, 'dist/viewer/index.html')}`;

for (const generation of [2, 4] as Generation[]) {
  test(`socket.io ${generation}.x: the People and Meetings views of the people scenario${generation === 4 ? ', and of its export in the offline viewer' : ''}`, async ({ chromium, sims }, testInfo) => {
    const sim = await sims.get(generation);
    const page = await chromium.newPage();
    await page.goto(`${sim.origin}/?transport=websocket&scenario=people`);
    await pageDone(page);
    const { devtools, panel } = await chromium.openSpacesPanel(page);
    const shot = async (name: string): Promise<void> => {
      await testInfo.attach(`chromium-${name}`, { body: await devtools.screenshot(), contentType: 'image/png' });
    };
    await showEvents(inFrame(panel));
    await until('the scenario listed', () => collectRows(panel), (rows) => rows.some((r) => r.summary === 'meeting ended'), 30_000);
    checkRows(await collectRows(panel));
    const live = await checkPeopleAndMeetings(inFrame(panel), shot);
    if (generation !== 4) {
      // Both views, both themes: no serious or critical axe-core violation.
      const violations = [...(await axeViolations(panel, 'light')), ...(await axeViolations(panel, 'dark'))];
      await clickWhenShown(panel, '#view-people');
      await until('the People view', () => panel.evaluate(() => document.querySelectorAll('.ppl-table tbody tr').length), (n) => n === 3);
      violations.push(...(await axeViolations(panel, 'light')), ...(await axeViolations(panel, 'dark')));
      assert.deepEqual(violations, []);

      // "At the selected event": the first party.typing chosen in the Events view.
      await showEvents(inFrame(panel));
      const rows = await collectRows(panel);
      const typingRow = rows.find((r) => r.summary === 'Vidas Andrijaitis is typing');
      assert.ok(typingRow, 'a typing row');
      await panel.evaluate((i) => {
        (document.querySelector('.list') as HTMLElement).scrollTop = (i - 2) * 20 - 40;
      }, typingRow.index);
      await frames(panel);
      await click(panel, `.rows [role=row][aria-rowindex="${typingRow.index}"]`);
      await shown(panel, '.detail', 15_000);
      await clickWhenShown(panel, '#view-people');
      await until('the People view', () => panel.evaluate(() => document.querySelectorAll('.ppl-table tbody tr').length), (n) => n === 3);
      await panel.evaluate(() => [...document.querySelectorAll<HTMLElement>('.moment button')].find((b) => b.textContent === 'At the selected event')?.click());
      const at = await until('the state at the selected event', () => snapshot(inFrame(panel)), (v) => /^typing since /.test(v.people.find((r) => r[0] === 'Vidas Andrijaitis')?.[2] ?? ''));
      assert.equal(at.counts, '3 online · 0 idle · 1 typing · 0 offline');
      assert.match(at.people.find((r) => r[0] === 'Vidas Andrijaitis')?.[2] ?? '', /\(0 ms\)$/);
      return;
    }

    // Export what the panel holds, and read it in the offline viewer.
    await clickWhenShown(panel, '#view-events');
    const held = await settledCount('the capture listed', () => rowCount(panel), 1);
    const downloads = testInfo.outputPath('downloads');
    await chromium.allowDownloads(downloads);
    await clickWhenShown(panel, 'button[title^="Export"]');
    await clickWhenShown(panel, '.export-popover .popover-actions .btn:first-child');
    const saved = await until('the export saved', () => panel.evaluate(() => document.querySelector('.export-saved')?.textContent ?? ''), (t) => t !== '', 5_000);
    const file = join(downloads, saved.replace(/^Saved /, ''));
    await until(`download ${file}`, async () => (existsSync(downloads) ? readdirSync(downloads) : []), () => existsSync(file), 15_000);

    const viewer = await chromium.newPage();
    const errors: string[] = [];
    viewer.on('pageerror', (e) => errors.push(String(e)));
    await viewer.goto(VIEWER);
    await viewer.locator('input[type=file]').setInputFiles(file);
    await expect(viewer.locator('.log-banner .log-count')).toBeAttached({ timeout: 20_000 });
    await settledCount('the log listed in the viewer', () => rowCount(viewer.mainFrame()), held);
    checkRows(await collectRows(viewer.mainFrame()));
    const fromLog = await checkPeopleAndMeetings(inFrame(viewer.mainFrame()), async (name) => {
      await testInfo.attach(`viewer-${name}`, { body: await viewer.screenshot(), contentType: 'image/png' });
    });
    assert.deepEqual(fromLog, live);
    assert.deepEqual(errors, []);
  });
}
