// The Spaces panel in the real Chromium DevTools against the simulator's scenario: the topic tree and its
// counts, the detail pane, search and filters (kept across a panel reload), pause, preserve, clear,
// keyboard use, and an axe-core scan. The tests share one tab and its DevTools, in order.
import assert from 'node:assert/strict';
import type { Page } from '@playwright/test';
import { openDemoPanel, test, type DevToolsWindow } from '../fixtures/chromium';
import { DEMO_PLAN, SCENARIO, TOPICS, UNKNOWN_TOPIC_ID } from '../../simulator/scenario';
import { axeViolations, choose, click, collectRows, fill, focus, press, rowCount, shown, text, valueOf, type PanelFrame } from '../lib/panel';
import { pageDone } from '../lib/pages';
import { EXPECTED_EVENTS, scenarioShown } from '../lib/scenario';
import { rowsUntil, settledCount, until } from '../lib/wait';

test.describe.configure({ mode: 'serial' });

const inScenario = (topicId: string): number => SCENARIO.filter((s) => s.payload.topicId === topicId).length;
const sendsTo = (topicId: string): number => DEMO_PLAN.sends.filter((s) => s.topicId === topicId).length;

interface TreeItem {
  level: number;
  name: string;
  meta: string;
  count: number;
  selected: boolean;
}

function readTree(panel: PanelFrame): Promise<TreeItem[]> {
  return panel.evaluate(() =>
    [...document.querySelectorAll('.side [role=tree] [role=treeitem]')].map((e) => ({
      level: Number(e.getAttribute('aria-level')),
      name: (e.querySelector('.tname')?.textContent ?? '').trim(),
      meta: (e.querySelector('.tmeta')?.textContent ?? '').trim(),
      count: Number((e.querySelector('.tcount')?.lastChild?.textContent ?? '').replace(/[^\d]/g, '')),
      selected: e.getAttribute('aria-selected') === 'true',
    })),
  );
}

const PROBLEMS = '.tb-check:nth-of-type(2) input';
const PRESERVE = '.tb-check:nth-of-type(3) input';

let page: Page;
let devtools: DevToolsWindow;
let panel: PanelFrame;

test.beforeAll(async ({ chromiumWorker: chromium, sims }, testInfo) => {
  ({ page, devtools, panel } = await openDemoPanel(chromium, sims, testInfo.file));
  await settledCount('the demo listed', () => rowCount(panel), EXPECTED_EVENTS);
  await rowsUntil('every event of the demo shown', () => collectRows(panel), scenarioShown);
});

test.afterAll(async () => {
  await devtools?.close();
  await page?.close();
});

test.describe('the Spaces panel in Chromium DevTools', () => {
  test('groups the scenario by topic with the right counts, titles, members and archive state', async () => {
    // The tree takes new counts at most once a second: wait until it has caught up with the list (read
    // together: a keep-alive may come meanwhile).
    const { tree } = await until(
      'the tree counts every event held',
      async () => ({ held: Number(/^([\d,]+) events/.exec(await text(panel, '.counts'))?.[1]?.replace(/,/g, '') ?? NaN), tree: await readTree(panel) }),
      (v) => v.tree.find((x) => x.name === 'All topics')?.count === v.held,
    );
    const topics = new Map(tree.filter((t) => t.level === 1).map((t) => [t.name, t]));
    // Subscribe + subscribed, the page's sends and their echoes, and the scenario's events.
    const expect = (id: string): number => 2 + 2 * sendsTo(id) + inScenario(id);
    assert.equal(topics.get('Project Falcon')?.count, expect(TOPICS.falcon._id));
    assert.equal(topics.get('Release planning')?.count, expect(TOPICS.release._id));
    assert.equal(topics.get('Vidas Andrijaitis')?.count, expect(TOPICS.direct._id));
    // Renamed and archived by topic.updated (whose content lists two members).
    const retro = topics.get('Q3 retrospective');
    assert.equal(retro?.count, expect(TOPICS.retro._id));
    assert.match(retro!.meta, /group · 2 members · archived/);
    assert.equal(topics.get('Design reviews')?.count, inScenario(TOPICS.joined._id));
    // A topic known only by its id, and the events that name none.
    assert.match(topics.get(UNKNOWN_TOPIC_ID)?.meta ?? '', /title not seen/);
    assert.ok((topics.get('No topic')?.count ?? 0) > 0);
    assert.ok(!tree.some((t) => t.level === 2), 'topics start collapsed');
  });

  test('filters the list from the tree, by keyboard; the flat timeline keeps its columns', async () => {
    await click(panel, '.side [role=tree] [role=treeitem][aria-level="1"]');
    const tree = await readTree(panel);
    const index = tree.findIndex((t) => t.name === 'Release planning');
    for (let i = 0; i < index; i++) await press(panel, 'ArrowDown');
    await until('Release planning selected', () => readTree(panel), (t) => t.find((x) => x.selected)?.name === 'Release planning');
    const expected = tree[index]!.count;
    const rows = await collectRows(panel);
    assert.equal(rows.length, expected);
    assert.ok(rows.every((r) => r.topic === 'Release planning'), 'a row of another topic is shown');
    // Right opens the topic, Down goes to its first (largest) category.
    await focus(panel, '[role=tree]');
    await press(panel, 'ArrowRight');
    await press(panel, 'ArrowDown');
    const open = await until('a category selected', () => readTree(panel), (t) => t.find((x) => x.selected)?.level === 2);
    const category = open.find((x) => x.selected)!;
    const catRows = await collectRows(panel);
    assert.equal(catRows.length, category.count);
    assert.ok(catRows.every((r) => r.category === category.name || (category.name === 'other (no category)' && r.category === '')));
    await press(panel, 'Home');
    await until('All topics selected', () => readTree(panel), (t) => t.find((x) => x.selected)?.name === 'All topics');
    assert.ok((await rowCount(panel)) >= EXPECTED_EVENTS);
  });

  test('searches body text (HTML), descriptions and attachment names; the detail shows text and jumps to the parent', async () => {
    await fill(panel, 'input.filter', 'roadmap.pdf');
    let rows = await collectRows(panel);
    assert.ok(rows.length >= 4 && rows.every((r) => /idea/.test(r.category)), JSON.stringify(rows.map((r) => r.category)));
    await fill(panel, 'input.filter', 'compressed user actions log');
    rows = await collectRows(panel);
    assert.ok(rows.length > 0 && rows.every((r) => /task/.test(r.category)));
    await fill(panel, 'input.filter', 'comment inside a post');
    rows = await collectRows(panel);
    assert.equal(rows.length, 1);
    // Keyboard: Down to the list, Down selects, Enter opens the detail.
    await press(panel, 'Enter');
    await press(panel, 'ArrowDown');
    await shown(panel, '.detail', 30_000);
    const detail = await text(panel, '.detail');
    assert.match(detail, /Vidas Andrijaitis/);
    assert.match(detail, /Body text\s*This is a comment inside a post/);
    assert.ok(!(await text(panel, '.html-text')).includes('<p>'), 'markup shown as text by default');
    await click(panel, '.html-text .link');
    assert.match(await text(panel, '.html-text'), /<p>This is a comment inside a post<\/p>/);
    // The parent idea is in the capture: the link clears the search and selects it.
    await click(panel, '.fields button.link[title^="Go to event"]');
    await until('parent selected', () => text(panel, '.detail .fields'), (t) => /Category\s*(idea|app\.event\.idea\.updated)/.test(t));
    assert.equal(await valueOf(panel, 'input.filter'), '');
    await click(panel, '.detail .close');
  });

  test('only problems, direction, and the filters survive a panel reload', async () => {
    await click(panel, PROBLEMS);
    let rows = await collectRows(panel);
    const events = new Set(rows.map((r) => r.event));
    assert.ok(events.has('SUBSCRIBE_CHANNEL_FAILED') && events.has('SEND_MESSAGE_FAILED'), [...events].join());
    assert.ok(!events.has('CHANNEL_SUBSCRIBED'));
    await click(panel, PROBLEMS);
    await fill(panel, 'input.filter', 'hello');
    await choose(panel, 'select.tb-select', 'out');
    rows = await collectRows(panel);
    assert.equal(rows.length, DEMO_PLAN.sends.length);
    assert.ok(rows.every((r) => r.dir === '↑' && r.event === 'SEND_MESSAGE'), JSON.stringify(rows.map((r) => r.event)));
    const n = rows.length;
    // Reload the panel page: the same filters come back.
    await panel.evaluate(() => location.reload());
    await shown(panel, '[role=grid]', 30_000);
    await until('filters restored', () => rowCount(panel), (c) => c === n);
    assert.equal(await valueOf(panel, 'select.tb-select'), 'out');
    assert.equal(await valueOf(panel, 'input.filter'), 'hello');
    await choose(panel, 'select.tb-select', 'all');
    await focus(panel, 'input.filter');
    await press(panel, 'Escape');
    await until('filters cleared', () => rowCount(panel), (c) => c >= EXPECTED_EVENTS);
  });

  test('pause holds new events back; without "Preserve log" a page load starts afresh; clear empties', async () => {
    const n0 = await rowCount(panel);
    await click(panel, 'button[aria-pressed]');
    await page.reload();
    await pageDone(page);
    await until('pending counted', () => text(panel, 'button[aria-pressed]'), (t) => /Resume \(\d+ new\)/.test(t));
    assert.equal(await rowCount(panel), n0);
    await click(panel, 'button[aria-pressed]');
    await until('resumed', () => rowCount(panel), (c) => c >= n0 + EXPECTED_EVENTS);

    await click(panel, PRESERVE);
    // Another URL: the panel takes the same URL again within 3 s for the same page load (src/panel/store/page-loads.ts).
    await page.goto(`${page.url()}&load=3`);
    await pageDone(page);
    assert.equal(await panel.evaluate((sel) => document.querySelector<HTMLInputElement>(sel)?.checked, PRESERVE), false, '"Preserve log" off');
    // The earlier loads' rows already hold every event of the demo: wait for the new load's alone (the list
    // renders behind the store).
    const rows = await rowsUntil('every event of the new load shown, and the earlier loads gone', () => collectRows(panel), (r) => scenarioShown(r) && r.length < n0 + EXPECTED_EVENTS);
    assert.ok(rows.length < n0 + EXPECTED_EVENTS, `${rows.length} rows after a page load`);

    await click(panel, 'button[aria-label="Clear events"]');
    await until('cleared', () => rowCount(panel), (c) => c === 0);
    // A keep-alive (ping/pong, hidden) may arrive right after the clear: then the list says so instead. Both
    // read at once, so that one cannot come between.
    const { counts, empty } = await panel.evaluate(() => ({ counts: document.querySelector('.counts')?.textContent ?? '', empty: document.querySelector('.empty')?.textContent ?? '' }));
    const held = Number(counts.match(/^([\d,]+) events?/)?.[1]?.replace(/,/g, '') ?? NaN);
    // The page's socket is live: the empty list says so, not "no socket seen".
    assert.match(empty.trim(), held === 0 ? /No events since the list was cleared\. The page’s socket is captured/ : /engine keep-alives are hidden/);
    await click(panel, PRESERVE);
  });

  test('at 550, 900, 1280 and 1920 px: a selected MESSAGE_SENT reads as its category, the toolbar and its pop-ups fit, no axe-core violation', async ({}, testInfo) => {
    // The previous test cleared the list: the demo again.
    await page.reload();
    await pageDone(page);
    await settledCount('the demo listed', () => rowCount(panel), EXPECTED_EVENTS);
    for (const width of [550, 900, 1280, 1920]) {
      await devtools.setViewportSize({ width, height: 800 });
      await until(`the panel at ${width} px`, () => panel.evaluate(() => window.innerWidth), (w) => Math.abs(w - width) < 40);
      // The newest MESSAGE_SENT in view: its Event cell's title names the event, its text the category.
      const row = await panel.evaluate(() => {
        const rows = [...document.querySelectorAll<HTMLElement>('.rows .row')].filter((r) => r.querySelector('.c-event')?.getAttribute('title')?.startsWith('MESSAGE_SENT: '));
        const r = rows.at(-1);
        r?.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
        return r?.id ?? '';
      });
      assert.ok(row, `a MESSAGE_SENT row in view at ${width} px`);
      const seen = await until(
        'the selected row drawn',
        () =>
          panel.evaluate((id) => {
            const r = document.getElementById(id);
            const s = r?.querySelector('.c-summary')?.getBoundingClientRect();
            return { selected: r?.getAttribute('aria-selected'), event: r?.querySelector('.c-event')?.textContent ?? '', summary: r?.querySelector('.c-summary')?.textContent ?? '', summaryW: s?.width ?? 0, right: s?.right ?? 0, detail: !!document.querySelector('.detail') };
          }, row),
        (x) => x.selected === 'true' && x.detail,
      );
      assert.ok(seen.event !== 'MESSAGE_SENT' && seen.event.length > 0 && seen.summary.length > 0 && seen.summaryW >= 150 && seen.right <= width, JSON.stringify(seen));
      const outside = await panel.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.toolbar button, .toolbar input:not(.sr-only), .toolbar select, .toolbar .tb-check')]
          .filter((e) => e.getClientRects().length > 0)
          .filter((e) => {
            const r = e.getBoundingClientRect();
            return r.left < 0 || r.right > window.innerWidth + 0.5 || r.top < 0 || r.bottom > window.innerHeight;
          })
          .map((e) => e.getAttribute('aria-label') ?? e.textContent),
      );
      assert.deepEqual(outside, [], `toolbar controls outside the panel at ${width} px`);
      await click(panel, '.settings-btn');
      const box = await panel.evaluate(() => {
        const r = document.querySelector('.popover')?.getBoundingClientRect();
        return r ? r.left >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight : false;
      });
      assert.ok(box, `the Settings pop-up inside the panel at ${width} px`);
      await click(panel, '.settings-btn');
      for (const theme of ['light', 'dark']) {
        assert.deepEqual(await axeViolations(panel, theme), [], `axe-core at ${width} px`);
        await testInfo.attach(`chromium-devtools-${width}-${theme}`, { body: await devtools.screenshot(), contentType: 'image/png' });
      }
      await panel.evaluate(() => (document.documentElement.dataset.theme = 'light'));
    }
    await devtools.setViewportSize({ width: 1280, height: 800 });
  });

  test('has no serious or critical axe-core violations, in the light and the dark theme', async () => {
    await page.reload();
    await pageDone(page);
    await settledCount('the demo listed', () => rowCount(panel), EXPECTED_EVENTS);
    await click(panel, '.rows .row');
    // DevTools' own theme is the light one here; the dark palette is the same markup under html[data-theme=dark].
    for (const theme of ['light', 'dark']) assert.deepEqual(await axeViolations(panel, theme), []);
  });
});
