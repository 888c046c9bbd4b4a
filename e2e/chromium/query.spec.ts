// The query language in the real Chromium DevTools "Spaces" tab, on the simulator's scenario: a field
// query, a negation, an error shown where and why while the list keeps its last answer, and a time range
// dragged on the rate strip. The tests share one tab and its DevTools, in order.
import assert from 'node:assert/strict';
import type { Page } from '@playwright/test';
import { openDemoPanel, test, type DevToolsWindow } from '../fixtures/chromium';
import { collectRows, rowCount, type PanelFrame } from '../lib/panel';
import { EXPECTED_EVENTS, scenarioShown } from '../lib/scenario';
import { dragStrip, queryState, rangeOf, restEdgeProblem, typeQuery, type QueryState } from '../lib/query';
import { rowsUntil, settledCount, until } from '../lib/wait';

test.describe.configure({ mode: 'serial' });

let page: Page;
let devtools: DevToolsWindow;
let panel: PanelFrame;
let all: number;

const state = (): Promise<QueryState> => panel.evaluate<QueryState>(`(${queryState.toString()})(window)`);
async function query(q: string, ok: (s: QueryState) => boolean): Promise<QueryState> {
  await panel.evaluate(`(${typeQuery.toString()})(window, ${JSON.stringify(q)})`);
  return until(`the panel answered ${q}`, state, ok, 20_000);
}

test.beforeAll(async ({ chromiumWorker: chromium, sims }, testInfo) => {
  ({ page, devtools, panel } = await openDemoPanel(chromium, sims, testInfo.file));
  all = await settledCount('the demo listed', () => rowCount(panel), EXPECTED_EVENTS);
  await rowsUntil('every event of the demo shown', () => collectRows(panel), scenarioShown);
});

test.afterAll(async () => {
  await devtools?.close();
  await page?.close();
});

const isTask = (category: string): boolean => category === 'task' || category === 'app.event.task.updated';

test.describe('the query language in Chromium DevTools', () => {
  test('a field query takes the tasks whose file failed to convert', async () => {
    await query('category:task* convert:failed', (s) => s.rows === 7);
    const rows = await collectRows(panel);
    assert.equal(rows.length, 7);
    assert.ok(rows.every((r) => isTask(r.category)), JSON.stringify(rows.map((r) => r.category)));
  });

  test('a negation leaves the completed one out', async () => {
    await query('category:task* -status:complete', (s) => s.rows === 6);
    const rows = await collectRows(panel);
    assert.ok(rows.every((r) => isTask(r.category) && !/pending → complete/.test(r.summary)), JSON.stringify(rows.map((r) => r.summary)));
  });

  test('an error says where and why; the list keeps its last answer', async () => {
    const s = await query('category:task* -status:complete (', (x) => x.error !== null);
    assert.equal(s.error, 'at column 34: expected a term');
    assert.equal(s.rows, 6);
    const fixed = await query('category:task* -status:complete', (x) => x.error === null);
    assert.equal(fixed.rows, 6);
    await query('', (x) => x.rows === all);
  });

  test('dragging over the rate strip selects a time range', async () => {
    await panel.evaluate(`(${dragStrip.toString()})(window, [0, 1])`);
    const s = await until('a time range in the query', state, (x) => rangeOf(x.value) !== null && x.error === null, 20_000);
    const [from, to] = rangeOf(s.value)!;
    const rows = await collectRows(panel);
    assert.ok(rows.length > 0 && rows.length <= all, `${rows.length} rows`);
    assert.ok(rows.every((r) => r.time >= from && r.time <= to), `${from}..${to}: ${rows.map((r) => r.time).join(' ')}`);
    // At rest the strip ends at the last event: the whole width takes every event and ends within a few ms of the last.
    assert.equal(rows.length, all);
    assert.equal(restEdgeProblem(rows.map((r) => r.time), to), null);
    // A narrower drag takes fewer (or as many) events, within its own range.
    await panel.evaluate(`(${dragStrip.toString()})(window, [0, 0.02])`);
    const narrow = await until('a narrower range', state, (x) => rangeOf(x.value) !== null && rangeOf(x.value)![1] < to, 20_000);
    assert.ok(narrow.rows <= rows.length);
    // The query is kept with the panel's prefs: cleared, so the next spec in this profile sees every row.
    await query('', (x) => x.rows === all);
  });
});
