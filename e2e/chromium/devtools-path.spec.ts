// Which way the suite reached Chromium's DevTools window: through Playwright itself ('page', the default) or,
// with E2E_DEVTOOLS=puppeteer, through puppeteer-core on the same browser. Playwright's way rests on an
// undocumented switch (PW_CHROMIUM_ATTACH_TO_OTHER); when it stops working, this test fails first.
import { expect } from '@playwright/test';
import { DEVTOOLS_PATH, test } from '../fixtures/chromium';
import { pageDone } from '../lib/pages';

test('the DevTools window is reached by the path asked for, and its Spaces panel answers', async ({ chromium, sims }, testInfo) => {
  const wanted = process.env.E2E_DEVTOOLS === 'puppeteer' ? 'puppeteer' : 'page';
  testInfo.annotations.push({ type: 'DevTools path', description: chromium.path });
  console.log(`# DevTools reached through ${chromium.path === 'page' ? 'Playwright (PW_CHROMIUM_ATTACH_TO_OTHER)' : 'puppeteer-core (E2E_DEVTOOLS=puppeteer)'}`);
  expect(chromium.path).toBe(wanted);
  expect(DEVTOOLS_PATH).toBe(wanted);

  const page = await chromium.newPage();
  await page.goto(`${(await sims.get(4)).origin}/?transport=websocket&scenario=none`);
  await pageDone(page);
  const { panel, frame } = await chromium.openSpacesPanel(page);
  expect(await panel.evaluate(() => location.href)).toMatch(new RegExp(`^chrome-extension://${chromium.extensionId}/src/panel/`));
  const devtoolsPages = chromium.context.pages().filter((p) => p.url().startsWith('devtools://'));
  if (chromium.path === 'page') {
    // Playwright holds the DevTools window as a page and the panel as one of its frames.
    expect(devtoolsPages).toHaveLength(1);
    await expect(devtoolsPages[0]!.locator('.tabbed-pane-header-tab.selected')).toHaveText('Spaces');
    expect(frame).toBeDefined();
    await expect(frame!.getByRole('grid')).toBeVisible();
    await expect(frame!.getByRole('treeitem', { name: /All topics/ })).toBeVisible();
  } else {
    // Playwright does not see the DevTools window: puppeteer holds it.
    expect(devtoolsPages).toHaveLength(0);
    expect(frame).toBeUndefined();
  }
});
