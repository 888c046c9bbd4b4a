// The query language in Firefox ESR's DevTools "Spaces" tab, on the simulator's scenario: a field query,
// a negation, an error shown where and why while the list keeps its last answer, and a time range
// dragged on the rate strip (the in-panel steps are e2e/lib/query.ts, as in Chromium).
import assert from 'node:assert/strict';
import { test } from '../fixtures/firefox';
import { inPanel, openSpacesPanel, openTab, panelRows, waitForPanelRows, waitForSimDone, type Firefox } from '../lib/firefox';
import { EXPECTED_EVENTS, scenarioShown } from '../lib/scenario';
import { dragStrip, queryState, rangeOf, restEdgeProblem, typeQuery, type QueryState } from '../lib/query';
import { rowsUntil, until } from '../lib/wait';

const state = (ff: Firefox): Promise<QueryState> => inPanel(ff, queryState);
async function query(ff: Firefox, q: string, ok: (s: QueryState) => boolean): Promise<QueryState> {
  await inPanel(ff, typeQuery, q);
  return until(`the panel answered ${q}`, () => state(ff), ok, 20_000);
}
const isTask = (category: string): boolean => category === 'task' || category === 'app.event.task.updated';

test.describe('Firefox: the query language', () => {
  test('a field query, a negation, an error that keeps the list, and a time range dragged on the rate strip', async ({ ff, sims }) => {
    await openTab(ff, `${(await sims.get(4)).origin}/?transport=websocket`);
    await waitForSimDone(ff);
    await openSpacesPanel(ff);
    const all = await waitForPanelRows(ff, EXPECTED_EVENTS);
    await rowsUntil('every event of the demo shown', () => panelRows(ff), scenarioShown, 20_000);

    await query(ff, 'category:task* convert:failed', (s) => s.rows === 7);
    let rows = await panelRows(ff);
    assert.ok(rows.length === 7 && rows.every((r) => isTask(r.category)), JSON.stringify(rows.map((r) => r.category)));

    await query(ff, 'category:task* -status:complete', (s) => s.rows === 6);
    rows = await panelRows(ff);
    assert.ok(rows.every((r) => isTask(r.category) && !/pending → complete/.test(r.summary)), JSON.stringify(rows.map((r) => r.summary)));

    const bad = await query(ff, 'category:task* -status:complete (', (s) => s.error !== null);
    assert.equal(bad.error, 'at column 34: expected a term');
    assert.equal(bad.rows, 6);
    await query(ff, '', (s) => s.rows >= all && s.error === null);

    await inPanel(ff, dragStrip, [0, 1] as [number, number]);
    const s = await until('a time range in the query', () => state(ff), (x) => rangeOf(x.value) !== null && x.error === null, 20_000);
    const [from, to] = rangeOf(s.value)!;
    rows = await panelRows(ff);
    assert.ok(rows.length > 0, 'no row in the range');
    assert.ok(rows.every((r) => r.time >= from && r.time <= to), `${from}..${to}: ${rows.map((r) => r.time).join(' ')}`);
    // At rest the strip ends at the last event (keep-alives, hidden in the list, are not counted on it).
    assert.equal(restEdgeProblem(rows.map((r) => r.time), to), null);
    // The query is kept with the panel's prefs: cleared, so the next spec in this profile sees every row.
    await query(ff, '', (x) => x.rows >= all && x.error === null);
  });
});
