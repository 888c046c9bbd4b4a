// Send outcomes in the real Chromium DevTools Spaces tab against the simulator's sends scenario: a send
// refused by the server shows its reason on its row and in its detail, an unanswered send is flagged once
// its threshold (set low through the setting) passes, the refused send's topic lists the send, its failure
// and a ⚠, the ✓ / ✖ / ◷ counts equal the scenario's, and the problems count names each kind and filters to it.
import assert from 'node:assert/strict';
import type { Page } from '@playwright/test';
import { test, type DevToolsWindow } from '../fixtures/chromium';
import { FORBIDDEN_TOPIC_ID } from '../../simulator/scenario';
import { SENDS_PLAN, SILENT_TOPIC_ID, sendsExpected } from '../../simulator/sends';
import { collectRows, type PanelFrame } from '../lib/panel';
import { pageDone } from '../lib/pages';
import { FAILED_REASON, clickText, expectedCounts, readSends, selectRowWithMark, setUnansweredAfter, type SendsView } from '../lib/sends';
import { until } from '../lib/wait';

test.describe.configure({ mode: 'serial' });

let page: Page;
let devtools: DevToolsWindow;
let panel: PanelFrame;

const read = (): Promise<SendsView> => panel.evaluate(`(${readSends.toString()})(window)`);
const clickOn = (selector: string, text: string, prefix = false): Promise<boolean> => panel.evaluate(`(${clickText.toString()})(window, ${JSON.stringify([selector, text, prefix])})`);
const sendsUntil = (what: string, ok: (v: SendsView) => boolean, timeout = 20_000): Promise<SendsView> => until(what, read, ok, timeout);
const e = sendsExpected();

test.beforeAll(async ({ chromiumWorker: chromium, sims }, testInfo) => {
  await chromium.freshPrefsFor(testInfo.file);
  page = await chromium.newPage();
  await page.goto(`${(await sims.get(4)).origin}/?transport=websocket&scenario=sends`);
  await pageDone(page);
  ({ devtools, panel } = await chromium.openSpacesPanel(page));
});

test.afterAll(async () => {
  await devtools?.close();
  await page?.close();
});

test.describe('sends in Chromium DevTools', () => {
  test('flags the unanswered sends once the threshold set in the panel passes, and the counts equal the scenario', async () => {
    // With an hour to answer, the silent sends wait; at 2 s they are flagged.
    assert.equal(await panel.evaluate(`(${setUnansweredAfter.toString()})(window, 3600)`), true);
    await sendsUntil('the silent sends waiting', (x) => x.counts === expectedCounts() && x.unanswered === '');
    const before = (await collectRows(panel)).filter((r) => r.event === 'SEND_MESSAGE' && r.summary.startsWith('◷ no answer yet'));
    assert.equal(before.length, e.unanswered);
    assert.equal(await panel.evaluate(`(${setUnansweredAfter.toString()})(window, 2)`), true);
    const v = await sendsUntil('every send has its outcome', (x) => x.counts === expectedCounts() && x.unanswered.includes(`${e.unanswered} unanswered`));
    assert.match(v.rtt, /round trip p50 \d+ ms · p95 \d+ ms/);
    const rows = await collectRows(panel);
    const sends = rows.filter((r) => r.event === 'SEND_MESSAGE');
    assert.equal(sends.length, e.ok + e.failed + e.unanswered);
    assert.equal(sends.filter((r) => r.summary.startsWith('✓ echoed in')).length, e.ok);
    assert.equal(sends.filter((r) => r.summary.startsWith(`✖ failed: ${FAILED_REASON}`)).length, e.failed);
    assert.equal(sends.filter((r) => r.summary.startsWith('◷ no answer after 2 s')).length, e.unanswered);
    // k6-style sends (no loopbackMetadata) are paired all the same, and say how.
    const k6 = SENDS_PLAN.filter((s) => s.loopbackMetadata === undefined && s.expect === 'echo').length;
    assert.equal(sends.filter((r) => /^✓ echoed in \d+ ms · paired by content/.test(r.summary)).length, k6);
  });

  test('filtering to the refused topic shows the sends, their failures and a ⚠; a failed send shows its reason in its detail', async () => {
    assert.equal(await clickOn('[role=tree] [role=treeitem] .tname', FORBIDDEN_TOPIC_ID), true);
    const failedHere = SENDS_PLAN.filter((s) => s.topicId === FORBIDDEN_TOPIC_ID).length + 1; // + the demo plan's
    const v = await sendsUntil('the topic chosen', (x) => x.tree.find((t) => t.selected)?.name === FORBIDDEN_TOPIC_ID);
    const item = v.tree.find((t) => t.name === FORBIDDEN_TOPIC_ID)!;
    assert.match(item.problems, new RegExp(`⚠\\s*problems:\\s*${failedHere}$`));
    assert.match(item.meta, new RegExp(`sends ✓ 0 · ✖ ${failedHere} · ◷ 0`));
    const rows = await until('the topic listed', () => collectRows(panel), (r) => r.length === 2 * failedHere);
    assert.deepEqual(rows.map((r) => r.event).sort(), [...Array(failedHere).fill('SEND_MESSAGE'), ...Array(failedHere).fill('SEND_MESSAGE_FAILED')].sort());
    assert.ok(rows.filter((r) => r.event === 'SEND_MESSAGE').every((r) => r.summary.startsWith(`✖ failed: ${FAILED_REASON}`)));
    assert.ok(rows.filter((r) => r.event === 'SEND_MESSAGE_FAILED').every((r) => r.summary.includes(FAILED_REASON)));
    // The send's detail says how it failed, and which event answered it.
    assert.equal(await panel.evaluate(`(${selectRowWithMark.toString()})(window, 'error')`), true);
    const d = await sendsUntil('the detail of the failed send', (x) => x.detail.includes('Outcome'));
    assert.match(d.detail, new RegExp(`Outcome ✖ failed: ${FAILED_REASON} by #\\d+`));
    assert.equal(await clickOn('[role=tree] [role=treeitem] .tname', 'All topics'), true);
  });

  test('the problems count names each kind, and a kind filters the list to it', async () => {
    const v = await sendsUntil('the problems count', (x) => x.kinds.some((k) => k.id === 'send-unanswered'));
    const kinds = new Map(v.kinds.map((k) => [k.id, k.text]));
    assert.equal(kinds.get('send-failed'), `${e.failed} failed sends`);
    assert.equal(kinds.get('send-unanswered'), `${e.unanswered} unanswered`);
    assert.equal(kinds.get('subscribe-failed'), '1 failed subscription');
    assert.equal(await clickOn('.problem-kind', `${e.unanswered} unanswered`), true);
    await sendsUntil('the unanswered kind chosen', (x) => x.kinds.find((k) => k.id === 'send-unanswered')?.pressed === true);
    const rows = await until('only the unanswered sends listed', () => collectRows(panel), (r) => r.length === e.unanswered);
    assert.ok(rows.every((r) => r.event === 'SEND_MESSAGE' && r.summary.startsWith('◷ no answer after 2 s')));
    assert.ok(rows.every((r) => r.topic === SILENT_TOPIC_ID));
    // The failed sends' kind lists each send with its failure.
    assert.equal(await clickOn('.problem-kind', `${e.failed} failed sends`), true);
    const failed = await until('the failed sends listed', () => collectRows(panel), (r) => r.length === 2 * e.failed);
    assert.equal(failed.filter((r) => r.event === 'SEND_MESSAGE_FAILED').length, e.failed);
  });
});
