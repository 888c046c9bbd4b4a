/// <reference types="chrome" />
// Issue #17, secrets in every direction, in Debian's Chromium with the built extension: the corpus of
// simulator/secrets.ts played both ways over a real Socket.IO server (2.x and 4.x, WebSocket and long polling) by
// the simulator's `?scenario=secrets` and by e2e/lib/secrets-server.ts (which adds the connect query and CONNECT
// auth, a refused connection quoting a token, frames that do not decode, the look-alikes, a socket.io 4 client),
// then no secret (nor its hex or base64 forms) in the DevTools Spaces tab with every row opened and its payload
// tree and raw frame expanded, in chrome.storage.session, nor in the JSON, NDJSON and Anonymize exports made
// through the panel's Export popover; and the look-alikes still there in each.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Frame, type Locator, type Page, type TestInfo } from '@playwright/test';
import { test, type Chromium } from '../fixtures/chromium';
import { SECRET_EVENTS } from '../../simulator/secrets';
import { collectRows, countsLine, frames, panelHtml, rowCount } from '../lib/panel';
import { pageDone } from '../lib/pages';
import { expandDetail, keptMissing, leaksIn } from '../lib/secrets-check';
import { secretsServers, type SecretsServer } from '../lib/secrets-server';
import { rowsUntil, settledCount, until } from '../lib/wait';

const servers = secretsServers();
const server = (gen: 2 | 4): Promise<SecretsServer> => servers.get(gen);
test.afterAll(() => servers.close());

/** Every event name of the corpus: each must be a row (the capture did not pass by dropping them). */
const CORPUS_EVENTS = [...new Set(SECRET_EVENTS.flatMap((e) => (e.event ? [e.event] : [])))];

/** Opens every row in turn with the keyboard (Home, then ArrowDown) and reads its detail pane, fully expanded. */
async function everyDetail(frame: Frame, n: number): Promise<{ title: string; html: string; text: string }[]> {
  const grid = frame.locator('[role=grid]');
  await grid.focus();
  await grid.press('Home');
  const out: { title: string; html: string; text: string }[] = [];
  let last = '';
  for (let i = 0; i < n; i++) {
    if (i > 0) await grid.press('ArrowDown');
    // The row selected is the grid's active descendant; the detail pane follows it.
    const active = await until(`row ${i + 1} of ${n} selected`, () => frame.evaluate(() => document.querySelector('[role=grid]')?.getAttribute('aria-activedescendant') ?? ''), (a) => a !== '' && a !== last);
    last = active;
    await expect(frame.locator('.detail')).toBeVisible();
    await frames(frame);
    out.push(await frame.evaluate<{ title: string; html: string; text: string }>(`(${expandDetail.toString()})(window)`));
  }
  return out;
}

/** Saves through the Export popover with the options given, and returns the new file's text. */
async function exportVia(frame: Frame, downloads: string, opts: { layout: 'JSON' | 'NDJSON'; anonymize: boolean }): Promise<{ name: string; text: string }> {
  const before = new Set(existsSync(downloads) ? readdirSync(downloads) : []);
  const pop = frame.locator('.export-popover');
  // The popover's own controls, pressed as DOM clicks (a click at coordinates can miss inside the DevTools window).
  const press = (l: Locator): Promise<void> => l.evaluate((e: HTMLElement) => e.click());
  if (!(await pop.isVisible())) await press(frame.locator('button[title^="Export"]'));
  await expect(pop).toBeVisible();
  const layout = pop.getByLabel(opts.layout === 'JSON' ? /^\s*JSON$/ : /NDJSON/);
  if (!(await layout.isChecked())) await press(layout);
  await expect(layout).toBeChecked();
  const anon = pop.getByLabel(/Anonymize/);
  if ((await anon.isChecked()) !== opts.anonymize) await press(anon);
  await expect(anon).toBeChecked({ checked: opts.anonymize });
  await press(pop.getByRole('button', { name: 'Save' }));
  await expect(pop.locator('.export-saved')).toHaveText(/^Saved /);
  const added = await until(
    `the ${opts.layout}${opts.anonymize ? ' Anonymize' : ''} export downloaded`,
    async () => (existsSync(downloads) ? readdirSync(downloads) : []).filter((f) => !before.has(f)),
    (fs) => fs.length === 1 && !fs[0]!.endsWith('.crdownload'),
    15_000,
  );
  return { name: added[0]!, text: readFileSync(join(downloads, added[0]!), 'utf8') };
}

/**
 * The corpus in every output of a tab that played it: the DevTools Spaces tab with every row opened (keyboard),
 * storage.session, and the JSON, NDJSON and Anonymize exports of the Export popover. `broken`: the frames that do
 * not decode the source sent last; `kept`: whether the source sent the look-alikes.
 */
async function checkEveryOutput(chromium: Chromium, page: Page, downloads: string, testInfo: TestInfo, opts: { broken: number; kept: boolean }): Promise<void> {
  await chromium.allowDownloads(downloads);
  const { panel, frame } = await chromium.openSpacesPanel(page);
  test.skip(!frame, 'the Export popover and the keyboard are driven through a Playwright frame (not on the puppeteer path)');
  await settledCount('the corpus listed', () => rowCount(panel), CORPUS_EVENTS.length + 4);
  const rows = await rowsUntil(`${opts.broken} frames that do not decode listed`, () => collectRows(panel), (rs) => rs.filter((r) => r.event.endsWith('decode error')).length >= opts.broken);
  const n = await settledCount('the corpus listed', () => rowCount(panel), rows.length);
  const names = new Set(rows.map((r) => r.event));
  expect(CORPUS_EVENTS.filter((e) => !names.has(e)), 'corpus events with no row').toEqual([]);
  expect(await countsLine(panel)).toMatch(/ 0 dropped by the buffer · /);

  const leaks: string[] = [];
  const details = await everyDetail(frame!, n);
  details.forEach((d, i) => leaks.push(...leaksIn(`detail of row ${i + 1} (${d.title})`, d.html + '\n' + d.text)));
  const allDetails = details.map((d) => d.text).join('\n');
  const dom = await panelHtml(panel);
  leaks.push(...leaksIn('panel DOM', dom), ...leaksIn('rows', JSON.stringify(rows)));

  const tabId = await panel.evaluate(() => chrome.devtools.inspectedWindow.tabId);
  const stored = await chromium.inExtensionPage(async () => JSON.stringify(await chrome.storage.session.get(null)));
  expect(stored, 'the background stored the tab').toContain(`"tab:${tabId}:meta"`);
  leaks.push(...leaksIn('storage.session', stored));

  const json = await exportVia(frame!, downloads, { layout: 'JSON', anonymize: false });
  const ndjson = await exportVia(frame!, downloads, { layout: 'NDJSON', anonymize: false });
  const anon = await exportVia(frame!, downloads, { layout: 'JSON', anonymize: true });
  for (const f of [json, ndjson, anon]) await testInfo.attach(f.name, { body: f.text, contentType: 'application/json' });
  leaks.push(...leaksIn(`JSON export ${json.name}`, json.text), ...leaksIn(`NDJSON export ${ndjson.name}`, ndjson.text), ...leaksIn(`Anonymize export ${anon.name}`, anon.text));
  expect(ndjson.text.split('\n').filter(Boolean).length, 'NDJSON: a line an event').toBeGreaterThan(n);
  expect(anon.text).toMatch(/"anonymized":\s*true/);
  expect(leaks, 'secrets found').toEqual([]);

  // The redaction is visible where secrets were.
  expect(allDetails).toContain('[redacted]');
  if (!opts.kept) return;
  // The look-alikes stay where a person or a tool reads them: so nothing passes by blanking everything.
  const missing = [
    ...keptMissing('the detail panes', allDetails),
    ...keptMissing('storage.session', stored),
    ...keptMissing('the JSON export', json.text),
    ...keptMissing('the NDJSON export', ndjson.text),
    // Anonymize replaces names and message text; ids stay.
    ...keptMissing('the Anonymize export', anon.text, ['5f04251caa4a347af9946e06', '63cb20f5-12d8-4dea-b784-ae13c11a1cb8']),
  ];
  expect(missing, 'look-alikes lost').toEqual([]);
}

for (const gen of [2, 4] as const) {
  for (const transport of ['websocket', 'polling'] as const) {
    test.describe(`secrets: socket.io ${gen}.x over ${transport}`, () => {
      test('the simulator\'s ?scenario=secrets: no secret in the panel with every row opened, storage.session or any export', async ({ chromium, sims }, testInfo) => {
        test.setTimeout(150_000);
        const sim = await sims.get(gen);
        const page = await chromium.newPage();
        await page.goto(`${sim.origin}/?transport=${transport}&scenario=secrets`);
        await pageDone(page);
        await checkEveryOutput(chromium, page, testInfo.outputPath('downloads'), testInfo, { broken: 0, kept: false });
      });

      test('the corpus with connect frames, a refusal, frames that do not decode and look-alikes (socket.io ' + gen + '.x client): no secret anywhere, the look-alikes stay', async ({ chromium }, testInfo) => {
        test.setTimeout(150_000);
        const srv = await server(gen);
        const page = await chromium.newPage();
        await page.goto(srv.pageUrl(transport));
        try {
          await pageDone(page);
        } finally {
          await testInfo.attach('secrets server log', { body: srv.log.join('\n'), contentType: 'text/plain' });
        }
        // The server's frames that do not decode come last: a socket.io 4 client closes on the first (the PIN).
        await checkEveryOutput(chromium, page, testInfo.outputPath('downloads'), testInfo, { broken: gen === 2 ? 2 : 1, kept: true });
      });
    });
  }
}
