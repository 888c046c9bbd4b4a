// Versions and attachment conversion in the real Chromium DevTools "Spaces" tab, against the simulator's
// scenario: version counts and update summaries on rows, an item's history with its diffs, two versions
// compared, the changes of a topic, and the attachments view (converted / failed after a retry / still in
// progress) with timelines and problem badges on topics and rows. The tests share one tab and its DevTools, in order.
import assert from 'node:assert/strict';
import type { Page } from '@playwright/test';
import { openDemoPanel, test, type DevToolsWindow } from '../fixtures/chromium';
import { THUMBNAIL_URL } from '../../simulator/scenario';
import { axeViolations, choose, click, collectRows, fill, frames, rowCount, shown, shownText, valueOf, type PanelFrame, type Row } from '../lib/panel';
import { EXPECTED_EVENTS, scenarioShown } from '../lib/scenario';
import { rowsUntil, settledCount, until } from '../lib/wait';

test.describe.configure({ mode: 'serial' });

/** Selects the list row at aria-rowindex `index` (scrolling it into the virtual list first). */
async function selectRow(panel: PanelFrame, row: Row): Promise<void> {
  await panel.evaluate((i) => {
    const list = document.querySelector('.list') as HTMLElement;
    list.scrollTop = (i - 2) * 20 - 40;
  }, row.index);
  await frames(panel);
  await click(panel, `.rows [role=row][aria-rowindex="${row.index}"]`);
  await shown(panel, '.detail .history', 30_000);
}

/** Text of each version of the open history, in arrival order: head line and, when open, the diff. */
function versionsOf(panel: PanelFrame): Promise<{ head: string; diff: string; current: boolean }[]> {
  return panel.evaluate(() =>
    [...document.querySelectorAll('.history .versions > li')].map((e) => ({
      head: ((e.querySelector('.ver-toggle') as HTMLElement | null)?.innerText ?? '').replace(/\s+/g, ' ').trim(),
      diff: ((e.querySelector('.ver-diff') as HTMLElement | null)?.innerText ?? '').replace(/\s+/g, ' ').trim(),
      current: e.getAttribute('aria-current') === 'true',
    })),
  );
}

interface FileRow {
  status: string;
  name: string;
  size: string;
  pages: string;
  topic: string;
  problems: string;
}

function fileRows(panel: PanelFrame): Promise<FileRow[]> {
  return panel.evaluate(() =>
    [...document.querySelectorAll('.att-table tbody tr')].map((tr) => {
      const c = [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim());
      return { status: c[0] ?? '', name: c[1] ?? '', size: c[3] ?? '', pages: c[5] ?? '', topic: c[6] ?? '', problems: c[9] ?? '' };
    }),
  );
}

/** The inner texts of the elements matching selector, whitespace collapsed. */
const texts = (panel: PanelFrame, selector: string): Promise<string[]> =>
  panel.evaluate((sel) => [...document.querySelectorAll<HTMLElement>(sel)].map((e) => e.innerText.replace(/\s+/g, ' ').trim()), selector);

/** The names of the topics in the tree, in order. */
const topicNames = (panel: PanelFrame): Promise<(string | undefined)[]> =>
  panel.evaluate(() => [...document.querySelectorAll('.side [role=treeitem][aria-level="1"]')].map((e) => e.querySelector('.tname')?.textContent?.trim()));

let page: Page;
let devtools: DevToolsWindow;
let panel: PanelFrame;
let rows: Row[];

test.beforeAll(async ({ chromiumWorker: chromium, sims }, testInfo) => {
  ({ page, devtools, panel } = await openDemoPanel(chromium, sims, testInfo.file));
  await settledCount('the demo listed', () => rowCount(panel), EXPECTED_EVENTS);
  rows = await rowsUntil('every event of the demo shown', () => collectRows(panel), scenarioShown);
});

test.afterAll(async () => {
  await devtools?.close();
  await page?.close();
});

const byCategory = (category: string): Row[] => rows.filter((r) => r.event === 'MESSAGE_SENT' && r.category === category);

test.describe('versions and attachment conversion in Chromium DevTools', () => {
  test('rows carry the version count and a one-line summary of each update', () => {
    const tasks = [...byCategory('task'), ...byCategory('app.event.task.updated')];
    assert.equal(tasks.length, 7);
    tasks.forEach((r, i) => assert.match(r.summary, new RegExp(`^version v${i + 1}/7`), r.summary));
    assert.match(tasks[6]!.summary, /status pending → complete/);
    assert.match(tasks[4]!.summary, /file userActions compressed\.txt convertStatus 4 → 1/);
    const ideas = [...byCategory('idea'), ...byCategory('app.event.idea.updated')];
    assert.deepEqual(
      ideas.map((r) => /v\d\/4/.exec(r.summary)?.[0]),
      ['v1/4', 'v2/4', 'v3/4', 'v4/4'],
    );
    assert.match(ideas[2]!.summary, /file roadmap\.pdf convertStatus 1 → 2/);
    assert.match(ideas[3]!.summary, /body edited/);
    const edited = byCategory('app.event.message.updated').find((r) => /standup/.test(r.summary));
    assert.match(edited?.summary ?? '', /v2\/2.*body edited/);
    assert.match(byCategory('app.event.message.removed')[0]?.summary ?? '', /v2\/2 removed.*removed/);
    // Rows of an event that is no item version (a subscription) carry none.
    assert.ok(!rows.filter((r) => r.event === 'CHANNEL_SUBSCRIBED').some((r) => /version v/.test(r.summary)));
  });

  test("the completed task's history lists every version, each diffed against the one before", async () => {
    await selectRow(panel, byCategory('app.event.task.updated').at(-1)!);
    assert.match(await shownText(panel, '.detail'), /History \(7 versions\)/);
    let versions = await versionsOf(panel);
    assert.equal(versions.length, 7);
    assert.deepEqual(
      versions.map((v) => /#(\d+) /.exec(v.head)?.[1]),
      ['1', '2', '3', '4', '5', '6', '7'],
    );
    assert.ok(versions[6]!.current, 'the selected event is the newest version, open');
    assert.match(versions[6]!.head, /#7 .*status pending → complete/);
    assert.match(versions[0]!.head, /#1 .*created/);
    assert.match(versions[6]!.diff, /content\.status\s*~ changed\s*"pending"\s*→\s*"complete"/);
    assert.match(versions[6]!.diff, /\d+ unchanged fields/);
    // Open #4: the retry scheduled, matched by fileId, not position.
    await click(panel, '.history .versions > li .ver-toggle', 3);
    versions = await versionsOf(panel);
    assert.match(versions[3]!.diff, /content\.data\[fileId=63cb20f5…\]\.convertStatus ~ changed 1 → 4/);
    assert.match(versions[3]!.diff, /nextSchedule ~ changed null → "2020-07-16T11:41:06\.000Z"/);
    // The full path, identity unabridged, is the cell's title.
    const paths = await panel.evaluate(() => [...document.querySelectorAll('.history .versions > li:nth-child(4) .diff th[title]')].map((t) => t.getAttribute('title')));
    assert.ok(paths.includes('content.data[fileId=63cb20f5-12d8-4dea-b784-ae13c11a1cb8].convertStatus'), JSON.stringify(paths));
  });

  test('a text edit shows a word diff; any two versions compare', async () => {
    await selectRow(panel, byCategory('app.event.message.updated').find((r) => /standup/.test(r.summary))!);
    const words = await panel.evaluate(() => {
      const e = document.querySelector('.history .versions > li[aria-current] .words');
      if (!e) throw new Error('no word diff');
      return {
        del: [...e.querySelectorAll('del')].map((d) => d.textContent),
        ins: [...e.querySelectorAll('ins')].map((d) => d.textContent),
        text: e.textContent,
      };
    });
    assert.deepEqual(words, { del: ['5'], ins: ['10'], text: 'Morning all, standup in 510' });

    const ideas = [...byCategory('idea'), ...byCategory('app.event.idea.updated')];
    await selectRow(panel, ideas.at(-1)!);
    await click(panel, '.history .compare button');
    await choose(panel, '.compare select[aria-label="Compare from version"]', '0');
    await choose(panel, '.compare select[aria-label="Compare to version"]', '3');
    await frames(panel);
    const cmp = await shownText(panel, '.compare .ver-diff');
    assert.match(cmp, /content\.bodyText ~ changed Roadmap draft ?v2/);
    assert.match(cmp, /convertStatus ~ changed 0 → 2/);
    assert.match(cmp, /thumbnailUrl \+ added "https:\/\/thumbnails\.spaces\.invalid\//);
  });

  test("a topic's changes, newest first; one leads back to its event", async () => {
    const tree = await topicNames(panel);
    await click(panel, '.side [role=treeitem][aria-level="1"]', tree.indexOf('Release planning'));
    await click(panel, '#view-changes');
    const changes = await texts(panel, '.chg-table tbody tr');
    assert.match(await shownText(panel, '.chg-view .att-title'), /Changes in Release planning/);
    assert.match(changes[0]!, /task .*v7\/7 status pending → complete/);
    assert.ok(changes.some((c) => /idea .*v3\/4 file roadmap\.pdf convertStatus 1 → 2/.test(c)));
    assert.ok(!changes.some((c) => /Project Falcon|standup/.test(c)));
    await click(panel, '.chg-table tbody tr button.link', 0);
    await until('the event view with the task selected', () => shownText(panel, '.detail .fields').catch(() => ''), (t) => /app\.event\.task\.updated/.test(t));
    assert.equal(await panel.evaluate(() => document.querySelector('#view-events')?.getAttribute('aria-selected')), 'true');
    await click(panel, '.side [role=treeitem][aria-level="1"]', 0);
  });

  test('the attachments view: converted, failed after a retry, still in progress, with problems', async () => {
    await click(panel, '#view-attachments');
    await click(panel, '.side [role=treeitem][aria-level="1"]', 0);
    // "stuck" counts on the panel's clock from when the status was seen (not the server's convertStart of
    // 2020): the lowest threshold, then the in-progress file becomes stuck half a minute after it was seen.
    await fill(panel, 'input[aria-label="Stuck after, minutes"]', '0.5');
    const files = await until('the in-progress file stuck 30 s after its status was seen', () => fileRows(panel), (f) => f[2]?.problems === '⚠ stuck', 120_000);
    assert.deepEqual(
      files.map((f) => [f.name, f.status, f.size, f.topic]),
      [
        ['roadmap.pdf', '✔ complete', '3.2 KB', 'Release planning'],
        ['userActions compressed.txt', '✖ failed', '2.0 KB', 'Release planning'],
        ['whiteboard.png', '◔ in progress', '470.8 KB', 'Project Falcon'],
      ],
    );
    assert.equal(files[0]!.pages, '3');
    assert.deepEqual(
      files.map((f) => f.problems),
      ['', '✖ failed', '⚠ stuck'],
    );
    // The failed file's timeline: 0 → 1 → 4 → 1 (retry) → 3 with its schedule and reason.
    await click(panel, '.att-table .file-name', 1);
    const timeline = await texts(panel, '.att-timeline tbody tr');
    assert.deepEqual(
      timeline.map((t) => /(not started|in progress|failed, retrying|failed)/.exec(t)?.[1]),
      ['not started', 'in progress', 'failed, retrying', 'in progress', 'failed'],
    );
    assert.match(timeline[2]!, /next try 2020-07-16T11:41:06\.000Z/);
    assert.match(timeline[3]!, /retry.*retry 1, was scheduled for 2020-07-16T11:41:06\.000Z/);
    assert.match(timeline[4]!, /Thumbnail conversion failed: unsupported file format/);
    const detail = await shownText(panel, '.att-detail');
    assert.match(detail, /Time in each status.*not started.*in progress.*failed, retrying.*failed/);
    assert.match(detail, /1 retry\./);
    // The converted file's thumbnail URL: text and a copy button, never an image.
    await click(panel, '.att-table .file-name', 0);
    assert.match(await shownText(panel, '.att-detail'), new RegExp(`thumbnailUrl ${THUMBNAIL_URL.replace(/\./g, '\\.')} Copy`));
    assert.equal(await panel.evaluate(() => document.querySelectorAll('img, link[rel=preload], link[rel=prefetch]').length), 0);
    // The stuck one.
    await click(panel, '.att-table .file-name', 2);
    const stuck = await shownText(panel, '.att-detail');
    assert.match(stuck, /stuck in progress for .* \(since its status was seen\)/);
    // the server's convertStart beside it, with the skew between the two clocks
    assert.match(stuck, /skew \+\d+ s/);
  });

  test('badges on topics and rows; the stuck threshold is kept across a panel reload', async () => {
    const tree = await panel.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('.side [role=treeitem][aria-level="1"]')].map((e) => [e.querySelector('.tname')?.textContent?.trim(), (e.querySelector('.tfiles')?.textContent ?? '').trim()])),
    );
    assert.equal(tree['Release planning'], '✖ attachments: 1 failed');
    assert.equal(tree['Project Falcon'], '✖ attachments: 1 stuck');
    assert.equal(tree['All topics'], '✖ attachments: 1 stuck · 1 failed');
    assert.equal(tree['Vidas Andrijaitis'], '');
    // the rows as they read now (the whiteboard's file became stuck after they were first read)
    await click(panel, '#view-events');
    rows = await rowsUntil('the rows again', () => collectRows(panel), scenarioShown);
    await click(panel, '#view-attachments');
    const whiteboard = rows.filter((r) => /whiteboard|Whiteboard/.test(r.summary));
    assert.ok(whiteboard.length >= 2 && whiteboard.every((r) => /attachments: 1 stuck/.test(r.summary)), JSON.stringify(whiteboard));
    assert.ok(byCategory('app.event.task.updated').every((r) => /attachments: 1 failed/.test(r.summary)));
    assert.ok(!byCategory('app.event.idea.updated').some((r) => /attachments:/.test(r.summary)), 'a converted file is no badge');

    await fill(panel, 'input[aria-label="Stuck after, minutes"]', '5');
    await panel.evaluate(() => location.reload());
    await shown(panel, '.att-view', 30_000);
    assert.equal(await valueOf(panel, 'input[aria-label="Stuck after, minutes"]'), '5');
  });

  test('has no serious or critical axe-core violations in the attachments view and the history', async () => {
    await until('files back', () => fileRows(panel), (f) => f.length === 3);
    await click(panel, '.att-table .file-name', 1);
    assert.deepEqual(await axeViolations(panel), []);
    // The panel reloaded with the same backlog: the rows read at the start are where they were.
    await click(panel, '#view-events');
    await settledCount('the demo listed again', () => rowCount(panel), EXPECTED_EVENTS);
    await selectRow(panel, byCategory('app.event.task.updated').at(-1)!);
    await click(panel, '.history .compare button');
    assert.deepEqual(await axeViolations(panel), []);
  });
});
