// The Spaces tab of Firefox ESR's DevTools: host permission withdrawn and granted again, DevTools' theme,
// and a log file imported in the tab.
import assert from 'node:assert/strict';
import { test } from '../fixtures/firefox';
import { writeLog } from '../../src/core/log';
import { isEngineChatter, rowText } from '../../src/panel/store/row';
import { generateEvents } from '../../test/panel/harness/fake-source';
import {
  clickPanelButton,
  closeDevTools,
  inPanel,
  markBeforeReload,
  openSpacesPanel,
  openTab,
  panelContent,
  panelRows,
  revokeHostPermission,
  screenshot,
  setPref,
  waitForPanelRows,
  waitForPanelText,
  waitForReloaded,
  waitForSimDone,
  type Firefox,
} from '../lib/firefox';
import { assertScenario, EXPECTED_EVENTS, scenarioShown } from '../lib/scenario';
import { rowsUntil, until } from '../lib/wait';
import { firefoxAxeViolations } from '../lib/firefox-axe';

/** The panel's theme once it is `theme`. */
const themeIs = (ff: Firefox, theme: string): Promise<string | null> => until(`the panel's theme ${theme}`, async () => (await panelContent(ff)).theme, (t) => t === theme, 5_000);

test.describe('Firefox: host permission', () => {
  test('says it cannot capture where the permission was withdrawn, grants it in one click, and captures after a reload', async ({ ff, sims }, testInfo) => {
    const sim = await sims.get(4);
    await revokeHostPermission(ff, 'http://127.0.0.1/*');
    await openTab(ff, `${sim.origin}/?transport=websocket`);
    await waitForSimDone(ff);
    await openSpacesPanel(ff);
    await waitForPanelText(ff, `can't capture on ${sim.origin}`);
    assert.equal((await panelRows(ff)).length, 0, 'captured without the permission');
    await testInfo.attach('firefox-devtools-spaces-permission', { body: await screenshot(ff), contentType: 'image/png' });

    // The panel's button opens the extension's grant window (Firefox panels cannot ask themselves).
    const before = await ff.m.send<string[]>('WebDriver:GetWindowHandles');
    const { value: main } = await ff.m.send<{ value: string }>('WebDriver:GetWindowHandle');
    await clickPanelButton(ff, `Allow on ${sim.origin}`);
    const handles = await until('the grant window opened', () => ff.m.send<string[]>('WebDriver:GetWindowHandles'), (h) => h.some((x) => !before.includes(x)), 5_000);
    const grant = handles.find((h) => !before.includes(h))!;
    await ff.m.send('WebDriver:SwitchToWindow', { handle: grant, focus: true });
    try {
      // The window may still be loading: wait for its button (FindElement does not wait by itself), then
      // click it as a person would.
      const el = await until(
        'the grant window shows its Allow button',
        () => ff.m.send<{ value: Record<string, string> }>('WebDriver:FindElement', { using: 'css selector', value: '#allow:not([hidden])' }).then((r) => r.value, () => undefined),
        (x) => x !== undefined,
      );
      await ff.m.send('WebDriver:ElementClick', { id: Object.values(el!)[0] });
    } finally {
      await ff.m.send('WebDriver:SwitchToWindow', { handle: main, focus: true });
    }

    await waitForPanelText(ff, `Allowed on ${sim.origin}`);
    await markBeforeReload(ff);
    await clickPanelButton(ff, 'Reload page');
    await waitForReloaded(ff);
    await waitForPanelRows(ff, EXPECTED_EVENTS);
    assertScenario(await rowsUntil('every event of the demo shown', () => panelRows(ff), scenarioShown, 20_000));
  });
});

test.describe('Firefox: theme', () => {
  test("follows DevTools' theme while the panel is open, and starts in it", async ({ ff, sims }, testInfo) => {
    await openTab(ff, `${(await sims.get(2)).origin}/?transport=websocket`);
    await waitForSimDone(ff);
    await openSpacesPanel(ff);
    await waitForPanelRows(ff, EXPECTED_EVENTS);
    assert.equal((await panelContent(ff)).theme, 'light');
    await setPref(ff, 'devtools.theme', 'dark');
    assert.equal(await themeIs(ff, 'dark'), 'dark');
    // Opened again while dark: the panel starts dark.
    await closeDevTools(ff);
    await openSpacesPanel(ff);
    await waitForPanelRows(ff, EXPECTED_EVENTS);
    assert.equal((await panelContent(ff)).theme, 'dark');
    await testInfo.attach('firefox-devtools-spaces-dark', { body: await screenshot(ff), contentType: 'image/png' });
    await setPref(ff, 'devtools.theme', 'light');
    assert.equal(await themeIs(ff, 'light'), 'light');
  });
});

test.describe('Firefox: event logs', () => {
  test('imports a log file in the DevTools Spaces tab (read by its module worker) and shows its rows, then goes back to live capture', async ({ ff, sims }) => {
    const events = generateEvents(60, 11, 4).map((e, i) => ({ ...e, seq: i + 1 }));
    const log = [...writeLog(events, { tool: { name: 'e2e', version: '0' }, browser: null, filter: null }, { layout: 'ndjson', raw: true, anonymize: false })].join('');
    const shown = events.filter((e) => !isEngineChatter(e));
    await openTab(ff, `${(await sims.get(4)).origin}/?transport=websocket`);
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
    // While it reads, the banner says "reading… 100% (60 events)"; then the log's count.
    const read = /Viewing NDJSON log:\s*firefox-import\.ndjson[^]*·\s*60 events\s*Back to live capture/;
    const { text } = await until('the log read', () => panelContent(ff), (c) => read.test(c.text), 15_000, (c) => c.text.slice(0, 1000));
    assert.match(text, read);
    const rows = await panelRows(ff);
    assert.deepEqual(
      rows.map((r) => [r.category, r.sender]),
      shown.map((e) => [rowText(e).category, rowText(e).sender]),
    );
    await clickPanelButton(ff, 'Back to live capture');
    await waitForPanelText(ff, 'Live');
    await waitForPanelRows(ff, EXPECTED_EVENTS);
    assertScenario(await rowsUntil('every event of the demo shown', () => panelRows(ff), scenarioShown, 20_000));
  });
});

test.describe('Firefox: widths', () => {
  test('at 550, 900, 1280 and 1920 px the toolbar fits, a selected MESSAGE_SENT reads as its category, pop-ups stay inside, no axe-core violation, "↓ Newest" stays over the list; screenshots in both themes', async ({ ff, sims }, testInfo) => {
    await openTab(ff, `${(await sims.get(4)).origin}/?transport=websocket`);
    await waitForSimDone(ff);
    await openSpacesPanel(ff);
    await waitForPanelRows(ff, EXPECTED_EVENTS);
    for (const width of [550, 900, 1280, 1920]) {
      await ff.m.send('WebDriver:SetWindowRect', { width, height: 900 });
      await until(`the panel at ${width} px`, () => inPanel(ff, (w) => w.innerWidth), (w) => Math.abs(w - width) < 60, 10_000);
      if (width <= 900) await narrowChecks(ff, width);
      const layout = await until(
        'the toolbar laid out',
        () =>
          inPanel(ff, (w) => {
            const d = w.document;
            const outside = [...d.querySelectorAll<HTMLElement>('.toolbar button, .toolbar input:not(.sr-only), .toolbar select, .toolbar .tb-check')]
              .filter((e) => e.getClientRects().length > 0)
              .filter((e) => {
                const r = e.getBoundingClientRect();
                return r.left < 0 || r.right > w.innerWidth + 0.5;
              })
              .map((e) => e.getAttribute('aria-label') ?? e.textContent ?? '');
            // Scrolled up: "↓ Newest" shows, and sits over the list, not over the sidebar.
            const list = d.querySelector<HTMLElement>('.list')!;
            list.scrollTop = 0;
            list.dispatchEvent(new (w as unknown as typeof globalThis).Event('scroll'));
            return { outside, listLeft: list.getBoundingClientRect().left };
          }),
        (x) => x.outside.length === 0,
      );
      const jump = await until(
        '"↓ Newest" shown',
        () => inPanel(ff, (w) => w.document.querySelector('.jump')?.getBoundingClientRect().left ?? null),
        (x) => x !== null,
      );
      assert.ok(jump! >= layout.listLeft, `"↓ Newest" at ${jump} left of the list at ${layout.listLeft}`);
      for (const theme of ['light', 'dark']) {
        await setPref(ff, 'devtools.theme', theme);
        await themeIs(ff, theme);
        assert.deepEqual(await firefoxAxeViolations(ff), [], `axe-core at ${width} px, ${theme}`);
        await testInfo.attach(`firefox-devtools-${width}-${theme}`, { body: await screenshot(ff), contentType: 'image/png' });
      }
      await setPref(ff, 'devtools.theme', 'light');
      await themeIs(ff, 'light');
      await inPanel(ff, (w) => w.document.querySelector<HTMLElement>('.jump')?.click());
    }
  });
});

/** Controls matching `sel` drawn outside the panel's window (their labels), and how many are drawn. */
const outsideOf = (ff: Firefox, sel: string): Promise<{ n: number; out: string[] }> =>
  inPanel(
    ff,
    (w, q) => {
      const shown = [...w.document.querySelectorAll<HTMLElement>(q)].filter((e) => e.getClientRects().length > 0);
      const out = shown.filter((e) => {
        const r = e.getBoundingClientRect();
        return r.left < 0 || r.top < 0 || r.right > w.innerWidth + 0.5 || r.bottom > w.innerHeight + 0.5;
      });
      return { n: shown.length, out: out.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? e.className) };
    },
    sel,
  );

const clickIn = (ff: Firefox, sel: string): Promise<boolean> =>
  inPanel(
    ff,
    (w, q) => {
      const e = w.document.querySelector<HTMLElement>(q);
      e?.click();
      return !!e;
    },
    sel,
  );

/** At 550 and 900 px: a selected MESSAGE_SENT shows its category and summary; the toolbar, », Export and Settings fit. */
async function narrowChecks(ff: Firefox, width: number): Promise<void> {
  // The newest MESSAGE_SENT in view: its Event cell's title names the event, its text the category.
  const row = await until(
    `a MESSAGE_SENT row in view at ${width} px`,
    () =>
      inPanel(ff, (w) => {
        const rows = [...w.document.querySelectorAll<HTMLElement>('.rows .row')].filter((r) => r.querySelector('.c-event')?.getAttribute('title')?.startsWith('MESSAGE_SENT: '));
        const r = rows.at(-1);
        r?.dispatchEvent(new (w as unknown as typeof globalThis).MouseEvent('mousedown', { bubbles: true }));
        return r?.id ?? '';
      }),
    (id) => id !== '',
  );
  const seen = await until(
    'the selected row drawn with the detail',
    () =>
      inPanel(
        ff,
        (w, id) => {
          const r = w.document.getElementById(id);
          const s = r?.querySelector('.c-summary')?.getBoundingClientRect();
          return { selected: r?.getAttribute('aria-selected'), event: r?.querySelector('.c-event')?.textContent ?? '', summary: r?.querySelector('.c-summary')?.textContent ?? '', summaryW: s?.width ?? 0, right: s?.right ?? 0, width: w.innerWidth, detail: !!w.document.querySelector('.detail') };
        },
        row,
      ),
    (x) => x.selected === 'true' && x.detail,
  );
  assert.ok(seen.event !== 'MESSAGE_SENT' && seen.event.length > 0 && seen.summary.length > 0 && seen.summaryW >= 150 && seen.right <= seen.width + 0.5, JSON.stringify(seen));
  const bar = await outsideOf(ff, '.toolbar button, .toolbar input:not(.sr-only), .toolbar select, .toolbar .tb-check');
  assert.ok(bar.n >= 6 && bar.out.length === 0, `toolbar at ${width} px: ${JSON.stringify(bar)}`);
  const compact = await inPanel(ff, (w) => !!w.document.querySelector('.more-btn'));
  if (compact) {
    await clickIn(ff, '.more-btn');
    const more = await until('the overflow menu open', () => outsideOf(ff, '#tb-more.open button, #tb-more.open .tb-check, #tb-more.open select'), (c) => c.n >= 5);
    assert.deepEqual(more.out, [], `the overflow menu's controls at ${width} px`);
  }
  // Export: in the overflow menu when compact, else in the toolbar.
  await clickIn(ff, '.settings-anchor button[title^="Export"]');
  const exp = await until('the Export pop-up open', () => outsideOf(ff, '.export-popover'), (c) => c.n === 1);
  assert.deepEqual(exp.out, [], `the Export pop-up at ${width} px`);
  await clickIn(ff, '.settings-anchor button[title^="Export"]');
  await until('the Export pop-up closed', () => outsideOf(ff, '.export-popover'), (c) => c.n === 0);
  if (compact && (await inPanel(ff, (w) => !!w.document.querySelector('#tb-more.open')))) await clickIn(ff, '.more-btn');
  await clickIn(ff, '.settings-btn');
  const set = await until('the Settings pop-up open', () => outsideOf(ff, '.popover'), (c) => c.n === 1);
  assert.deepEqual(set.out, [], `the Settings pop-up at ${width} px`);
  await clickIn(ff, '.settings-btn');
  await until('the Settings pop-up closed', () => outsideOf(ff, '.popover'), (c) => c.n === 0);
}
