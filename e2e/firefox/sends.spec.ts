// Send outcomes in Firefox ESR's DevTools Spaces tab against the simulator's sends scenario (socket.io 2.x):
// the same checks as e2e/chromium/sends.spec.ts, in one test (one tab and its toolbox).
import assert from 'node:assert/strict';
import { test } from '../fixtures/firefox';
import { FORBIDDEN_TOPIC_ID } from '../../simulator/scenario';
import { SENDS_PLAN, SILENT_TOPIC_ID, sendsExpected } from '../../simulator/sends';
import { inPanel, openSpacesPanel, openTab, panelRows, waitForSimDone, type Firefox } from '../lib/firefox';
import { FAILED_REASON, clickText, expectedCounts, readSends, selectRowWithMark, setUnansweredAfter, type SendsView } from '../lib/sends';
import { until } from '../lib/wait';

const read = (ff: Firefox): Promise<SendsView> => inPanel(ff, readSends);
const clickOn = (ff: Firefox, selector: string, text: string): Promise<boolean> => inPanel(ff, clickText, [selector, text, false] as [string, string, boolean]);

test.describe('Firefox: sends', () => {
  test('a refused send shows its reason, unanswered sends are flagged, counts equal the scenario, problems filter by kind', async ({ ff, sims }) => {
    const e = sendsExpected();
    await openTab(ff, `${(await sims.get(2)).origin}/?transport=websocket&scenario=sends`);
    await waitForSimDone(ff);
    await openSpacesPanel(ff);

    // The threshold, set low through the setting: the sends the server never answers are flagged.
    await until('the setting shown', () => inPanel(ff, setUnansweredAfter, 3600), (ok) => ok, 20_000);
    await until('the silent sends waiting', () => read(ff), (x) => x.counts === expectedCounts() && x.unanswered === '', 20_000);
    assert.equal((await panelRows(ff)).filter((r) => r.event === 'SEND_MESSAGE' && r.summary.startsWith('◷ no answer yet')).length, e.unanswered);
    assert.equal(await inPanel(ff, setUnansweredAfter, 2), true);
    const v = await until('every send has its outcome', () => read(ff), (x) => x.counts === expectedCounts() && x.unanswered.includes(`${e.unanswered} unanswered`), 20_000);
    assert.match(v.rtt, /round trip p50 \d+ ms · p95 \d+ ms/);
    const sends = (await panelRows(ff)).filter((r) => r.event === 'SEND_MESSAGE');
    assert.equal(sends.filter((r) => r.summary.startsWith('✓ echoed in')).length, e.ok);
    assert.equal(sends.filter((r) => r.summary.startsWith(`✖ failed: ${FAILED_REASON}`)).length, e.failed);
    assert.equal(sends.filter((r) => r.summary.startsWith('◷ no answer after 2 s')).length, e.unanswered);
    const k6 = SENDS_PLAN.filter((s) => s.loopbackMetadata === undefined && s.expect === 'echo').length;
    assert.equal(sends.filter((r) => /^✓ echoed in \d+ ms · paired by content/.test(r.summary)).length, k6);

    // The refused topic: its sends, their failures and a ⚠; a failed send's detail gives the reason.
    assert.equal(await clickOn(ff, '[role=tree] [role=treeitem] .tname', FORBIDDEN_TOPIC_ID), true);
    const failedHere = SENDS_PLAN.filter((s) => s.topicId === FORBIDDEN_TOPIC_ID).length + 1;
    const t = await until('the topic chosen', () => read(ff), (x) => x.tree.find((i) => i.selected)?.name === FORBIDDEN_TOPIC_ID);
    assert.match(t.tree.find((i) => i.name === FORBIDDEN_TOPIC_ID)!.problems, new RegExp(`⚠\\s*problems:\\s*${failedHere}$`));
    const rows = await until('the topic listed', () => panelRows(ff), (r) => r.length === 2 * failedHere);
    assert.equal(rows.filter((r) => r.event === 'SEND_MESSAGE_FAILED' && r.summary.includes(FAILED_REASON)).length, failedHere);
    assert.equal(await inPanel(ff, selectRowWithMark, 'error'), true);
    const d = await until('the detail of the failed send', () => read(ff), (x) => x.detail.includes('Outcome'));
    assert.match(d.detail, new RegExp(`Outcome ✖ failed: ${FAILED_REASON} by #\\d+`));
    assert.equal(await clickOn(ff, '[role=tree] [role=treeitem] .tname', 'All topics'), true);

    // The problems count names each kind; a kind filters the list to it.
    const kinds = new Map((await read(ff)).kinds.map((k) => [k.id, k.text]));
    assert.equal(kinds.get('send-failed'), `${e.failed} failed sends`);
    assert.equal(kinds.get('send-unanswered'), `${e.unanswered} unanswered`);
    assert.equal(await clickOn(ff, '.problem-kind', `${e.unanswered} unanswered`), true);
    const only = await until('only the unanswered sends listed', () => panelRows(ff), (r) => r.length === e.unanswered);
    assert.ok(only.every((r) => r.event === 'SEND_MESSAGE' && r.topic === SILENT_TOPIC_ID && r.summary.startsWith('◷ no answer after 2 s')));
  });
});
