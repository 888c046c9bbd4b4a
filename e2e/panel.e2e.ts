// The Spaces panel in the real Chromium DevTools against the simulator's scenario: the topic tree and its
// counts, the detail pane, search and filters (kept across a panel reload), pause, preserve, clear,
// keyboard use, and an axe-core scan.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { startSimulator, type Simulator } from '../simulator/server';
import { DEMO_PLAN, SCENARIO, SCENARIO_EVENT_COUNT, TOPICS, UNKNOWN_TOPIC_ID } from '../simulator/scenario';
import { launchChromium, openSpacesPanel, type Chromium } from './lib/chromium';
import { collectRows, frames, rowCount, rowsWhen, until, waitForRowCount } from './lib/panel';
import { EXPECTED_EVENTS, scenarioShown } from './lib/scenario';

const ARTIFACTS = resolve(import.meta.dirname, '../artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const inScenario = (topicId: string): number => SCENARIO.filter((s) => s.payload.topicId === topicId).length;
const sendsTo = (topicId: string): number => DEMO_PLAN.sends.filter((s) => s.topicId === topicId).length;

interface TreeItem {
  level: number;
  name: string;
  meta: string;
  count: number;
  selected: boolean;
}

function readTree(panel: Frame): Promise<TreeItem[]> {
  return panel.$$eval('[role=tree] [role=treeitem]', (els) =>
    els.map((e) => ({
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

const text = (panel: Frame, selector: string): Promise<string> => panel.$eval(selector, (e) => (e.textContent ?? '').trim());

/**
 * A key pressed on the panel's focused element. Real key input from puppeteer does not reach the
 * extension panel's frame in headless DevTools (its document never has focus), nor does its mouse, so the key event is
 * dispatched in the frame, to the element the panel focused.
 */
async function press(panel: Frame, key: string): Promise<void> {
  await panel.evaluate((k) => {
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
  }, key);
  await frames(panel);
}

/** A click on the element, dispatched in the frame (puppeteer's mouse does not reach it either). */
async function click(panel: Frame, selector: string): Promise<void> {
  await panel.$eval(selector, (e) => {
    const el = e as HTMLElement;
    el.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
    el.focus();
    el.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, cancelable: true }));
    el.click();
  });
  await frames(panel);
}

async function search(panel: Frame, q: string): Promise<void> {
  await panel.$eval('input.filter', (e, v) => {
    const input = e as HTMLInputElement;
    input.focus();
    input.value = v;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, q);
  await frames(panel);
}

let chromium: Chromium;
let sim: Simulator;
let page: Page;
let devtools: Page;
let panel: Frame;

before(async () => {
  chromium = await launchChromium();
  sim = await startSimulator({ generation: 4, quiet: true });
  page = await chromium.browser.newPage();
  await page.goto(`${sim.origin}/?transport=websocket`);
  await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
  ({ devtools, panel } = await openSpacesPanel(page, chromium.extensionId));
  await waitForRowCount(panel, EXPECTED_EVENTS);
  await rowsWhen(panel, 'every event of the demo shown', scenarioShown);
});

after(async () => {
  if (devtools) await devtools.screenshot({ path: resolve(ARTIFACTS, 'panel-e2e-last.png') }).catch(() => undefined);
  await chromium?.close();
  await sim?.close();
});

describe('the Spaces panel in Chromium DevTools', () => {
  it('groups the scenario by topic with the right counts, titles, members and archive state', async () => {
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

  it('filters the list from the tree, by keyboard; the flat timeline keeps its columns', async () => {
    await click(panel, '[role=tree] [role=treeitem][aria-level="1"]');
    const tree = await readTree(panel);
    const index = tree.findIndex((t) => t.name === 'Release planning');
    for (let i = 0; i < index; i++) await press(panel, 'ArrowDown');
    await until('Release planning selected', () => readTree(panel), (t) => t.find((x) => x.selected)?.name === 'Release planning');
    const expected = tree[index]!.count;
    const rows = await collectRows(panel);
    assert.equal(rows.length, expected);
    assert.ok(rows.every((r) => r.topic === 'Release planning'), 'a row of another topic is shown');
    // Right opens the topic, Down goes to its first (largest) category.
    await panel.focus('[role=tree]');
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

  it('searches body text (HTML), descriptions and attachment names; the detail shows text and jumps to the parent', async () => {
    await search(panel, 'roadmap.pdf');
    let rows = await collectRows(panel);
    assert.ok(rows.length >= 4 && rows.every((r) => /idea/.test(r.category)), JSON.stringify(rows.map((r) => r.category)));
    await search(panel, 'compressed user actions log');
    rows = await collectRows(panel);
    assert.ok(rows.length > 0 && rows.every((r) => /task/.test(r.category)));
    await search(panel, 'comment inside a post');
    rows = await collectRows(panel);
    assert.equal(rows.length, 1);
    // Keyboard: Down to the list, Down selects, Enter opens the detail.
    await press(panel, 'Enter');
    await press(panel, 'ArrowDown');
    await panel.waitForSelector('.detail');
    const detail = await text(panel, '.detail');
    assert.match(detail, /Vidas Andrijaitis/);
    assert.match(detail, /Body text\s*This is a comment inside a post/);
    assert.ok(!(await text(panel, '.html-text')).includes('<p>'), 'markup shown as text by default');
    await click(panel, '.html-text .link');
    assert.match(await text(panel, '.html-text'), /<p>This is a comment inside a post<\/p>/);
    // The parent idea is in the capture: the link clears the search and selects it.
    await click(panel, '.fields button.link[title^="Go to event"]');
    await until('parent selected', () => text(panel, '.detail .fields'), (t) => /Category\s*(idea|app\.event\.idea\.updated)/.test(t));
    assert.equal(await panel.$eval('input.filter', (e) => (e as HTMLInputElement).value), '');
    await click(panel, '.detail .close');
  });

  it('only problems, direction, and the filters survive a panel reload', async () => {
    await click(panel, PROBLEMS);
    let rows = await collectRows(panel);
    const events = new Set(rows.map((r) => r.event));
    assert.ok(events.has('SUBSCRIBE_CHANNEL_FAILED') && events.has('SEND_MESSAGE_FAILED'), [...events].join());
    assert.ok(!events.has('CHANNEL_SUBSCRIBED'));
    await click(panel, PROBLEMS);
    await search(panel, 'hello');
    await panel.select('select.tb-select', 'out');
    rows = await collectRows(panel);
    assert.equal(rows.length, DEMO_PLAN.sends.length);
    assert.ok(rows.every((r) => r.dir === '↑' && r.event === 'SEND_MESSAGE'), JSON.stringify(rows.map((r) => r.event)));
    const shown = rows.length;
    // Reload the panel page: the same filters come back.
    await panel.evaluate(() => location.reload());
    await panel.waitForSelector('[role=grid]');
    await until('filters restored', () => rowCount(panel), (n) => n === shown);
    assert.equal(await panel.$eval('select.tb-select', (e) => (e as HTMLSelectElement).value), 'out');
    assert.equal(await panel.$eval('input.filter', (e) => (e as HTMLInputElement).value), 'hello');
    await panel.select('select.tb-select', 'all');
    await panel.focus('input.filter');
    await press(panel, 'Escape');
    await until('filters cleared', () => rowCount(panel), (n) => n >= EXPECTED_EVENTS);
  });

  it('pause holds new events back; without "Preserve log" a page load starts afresh; clear empties', async () => {
    const n0 = await rowCount(panel);
    await click(panel, 'button[aria-pressed]');
    await page.reload();
    await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
    await until('pending counted', () => text(panel, 'button[aria-pressed]'), (t) => /Resume \(\d+ new\)/.test(t));
    assert.equal(await rowCount(panel), n0);
    await click(panel, 'button[aria-pressed]');
    await until('resumed', () => rowCount(panel), (n) => n >= n0 + EXPECTED_EVENTS);

    await click(panel, PRESERVE);
    await page.reload();
    await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
    const rows = await rowsWhen(panel, 'every event of the new load shown', scenarioShown);
    assert.ok(rows.length < n0 + EXPECTED_EVENTS, `${rows.length} rows after a page load`);

    await click(panel, 'button[aria-label="Clear events"]');
    await until('cleared', () => rowCount(panel), (n) => n === 0);
    // A keep-alive (ping/pong, hidden) may arrive right after the clear: then the list says so instead. Both
    // read at once, so that one cannot come between.
    const { counts, empty } = await panel.evaluate(() => ({ counts: document.querySelector('.counts')?.textContent ?? '', empty: document.querySelector('.empty')?.textContent ?? '' }));
    const held = Number(counts.match(/^([\d,]+) events?/)?.[1]?.replace(/,/g, '') ?? NaN);
    assert.match(empty.trim(), held === 0 ? /No Spaces socket seen on this page yet\. Reload the page to capture from the start/ : /engine keep-alives are hidden/);
    await click(panel, PRESERVE);
  });

  it('has no serious or critical axe-core violations, in the light and the dark theme', async () => {
    await page.reload();
    await page.waitForSelector('body[data-sim-done="1"]', { timeout: 30_000 });
    await waitForRowCount(panel, EXPECTED_EVENTS);
    await click(panel, '.rows .row');
    const axePath = resolve(import.meta.dirname, '../node_modules/axe-core/axe.min.js');
    await panel.addScriptTag({ path: axePath }).catch(() => undefined);
    // The extension page's CSP refuses an inline script tag: evaluate the same source then.
    if (!(await panel.evaluate(() => 'axe' in window))) await panel.evaluate(readFileSync(axePath, 'utf8'));
    // DevTools' own theme is the light one here; the dark palette is the same markup under html[data-theme=dark].
    for (const theme of ['light', 'dark']) {
      const found = await panel.evaluate(async (t) => {
        document.documentElement.dataset.theme = t;
        const axe = (window as unknown as { axe: { run(d: Document): Promise<{ violations: { id: string; impact: string; nodes: { html: string }[] }[] }> } }).axe;
        const r = await axe.run(document);
        return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${t}: ${v.id} ${v.nodes.map((n) => n.html.slice(0, 120)).join(' | ')}`);
      }, theme);
      assert.deepEqual(found, []);
    }
  });
});
