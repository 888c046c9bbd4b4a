// The composer on a production Spaces origin in the real Chromium DevTools Spaces tab (issue 23): the demo
// page served as https://spaces.avayacloud.com:<port>/ (a TLS proxy in front of the simulator, the name
// mapped to 127.0.0.1 by the browser's resolver, e2e/lib/production.ts). Emitting asks first: Cancel writes
// nothing (the simulator's own log says no SEND_MESSAGE arrived), "Emit on production" writes it; a row's
// Resend there opens the composer rather than emitting.
import assert from 'node:assert/strict';
import type { Page } from '@playwright/test';
import { test, type SpacesView } from '../fixtures/chromium';
import type { LoggedSimulator } from '../fixtures/simulators';
import { TOPICS } from '../../simulator/scenario';
import { composeAndEmit, composeResult, renderedRows, rowMenu, type ComposeInput, type MarkedRow } from '../lib/compose';
import { pageDone, pause } from '../lib/pages';
import type { PanelFrame } from '../lib/panel';
import { productionFront, type ProductionFront } from '../lib/production';
import { until } from '../lib/wait';

test.describe.configure({ mode: 'serial' });

const emit = (p: PanelFrame, input: ComposeInput): Promise<string> => p.evaluate(`(${composeAndEmit.toString()})(window, ${JSON.stringify(input)})`);
const rows = (p: PanelFrame): Promise<MarkedRow[]> => p.evaluate(`(${renderedRows.toString()})(window)`);
const result = (p: PanelFrame): Promise<string> => p.evaluate(`(${composeResult.toString()})(window)`);
const composer = (p: PanelFrame): Promise<{ send: string; alert: string; open: boolean; payload: string }> =>
  p.evaluate(() => ({
    send: document.querySelector('.composer-send')?.textContent ?? '',
    alert: document.querySelector('.composer [role=alert]')?.textContent ?? '',
    open: document.querySelector('.composer') !== null,
    payload: (document.querySelector('.composer-payload') as HTMLTextAreaElement | null)?.value ?? '',
  }));
const click = (p: PanelFrame, selector: string): Promise<boolean> => p.evaluate((sel) => {
  const b = document.querySelector<HTMLButtonElement>(sel);
  b?.click();
  return b !== null;
}, selector);
const sendMessage = (loopback: string, body: string): string =>
  JSON.stringify({ category: 'chat', topicId: TOPICS.falcon._id, content: { bodyText: body, description: '', data: [], assignees: [] }, version: '1.1', loopbackMetadata: loopback });
/** What the simulator itself logged of the SEND_MESSAGEs it received with this loopbackMetadata. */
const received = (sim: LoggedSimulator, loopback: string): string[] => sim.log.filter((l) => l.endsWith(`received SEND_MESSAGE (loopbackMetadata ${loopback})`));

let front: ProductionFront;
let page: Page;
let view: SpacesView;
let sim: LoggedSimulator;

test.beforeAll(async ({ chromiumWorker: chromium, sims }, testInfo) => {
  await chromium.freshPrefsFor(testInfo.file);
  sim = await sims.get(4);
  front = await productionFront(sim.port);
  // The proxy's certificate is its own: the browser is told to take it, as a test browser may.
  await (await chromium.browserSession()).send('Security.setIgnoreCertificateErrors', { ignore: true });
  page = await chromium.newPage();
  await page.goto(`${front.origin}/?transport=websocket`);
  await pageDone(page);
  view = await chromium.openSpacesPanel(page);
  await until('the demo captured on the production host', () => rows(view.panel), (r) => r.some((x) => x.event === 'MESSAGE_SENT'), 30_000);
});

test.afterAll(async ({ chromiumWorker: chromium }) => {
  await view?.devtools.close();
  await page?.close();
  await (await chromium.browserSession()).send('Security.setIgnoreCertificateErrors', { ignore: false }).catch(() => undefined);
  await front?.close();
});

test.describe('compose on a production Spaces origin, Chromium DevTools', () => {
  test('the page is the production host, captured as any', async () => {
    assert.equal(new URL(page.url()).hostname, 'spaces.avayacloud.com');
    assert.equal(new URL(page.url()).protocol, 'https:');
    // The demo's own sends reached the simulator through the production name.
    assert.ok(received(sim, 'lb-1').length > 0, sim.log.slice(-20).join('\n'));
  });

  test('Emit asks first; Cancel writes no frame (the server received nothing)', async () => {
    assert.equal(await emit(view.panel, { event: 'SEND_MESSAGE', payload: sendMessage('e2e-prod-cancel', '<p>cancelled on production</p>'), nsp: '/chat' }), '');
    const asked = await until('the confirmation', () => composer(view.panel), (c) => c.send === 'Emit on production', 10_000);
    assert.match(asked.alert, /production Spaces origin/);
    assert.ok(await click(view.panel, '.composer-cancel'));
    const after = await until('the confirmation withdrawn', () => composer(view.panel), (c) => c.send === 'Emit', 10_000);
    assert.equal(after.alert, '');
    assert.equal(await result(view.panel), '');
    // Time enough for a frame to reach the server and come back, were one written.
    await pause(3_000);
    assert.deepEqual(received(sim, 'e2e-prod-cancel'), []);
    assert.ok(!(await rows(view.panel)).some((r) => r.fromPanel));
    assert.doesNotMatch(await page.evaluate(() => document.getElementById('log')?.textContent ?? ''), /cancelled on production/);
  });

  test('Emit, then "Emit on production": the frame is written, received, and echoed', async () => {
    assert.equal(await emit(view.panel, { event: 'SEND_MESSAGE', payload: sendMessage('e2e-prod-confirm', '<p>confirmed on production</p>'), nsp: '/chat' }), '');
    await until('the confirmation', () => composer(view.panel), (c) => c.send === 'Emit on production', 10_000);
    // Nothing written by the first click.
    await pause(1_000);
    assert.deepEqual(received(sim, 'e2e-prod-confirm'), []);
    assert.ok(await click(view.panel, '.composer-send'));
    await until('the emit answered', () => result(view.panel), (r) => r !== '', 20_000);
    assert.match(await result(view.panel), /^Sent SEND_MESSAGE on socket #\d+$/);
    await until('the server received it', async () => received(sim, 'e2e-prod-confirm').length, (n) => n === 1, 10_000);
    await until('the send, marked, and its echo', () => rows(view.panel), (x) => x.some((row) => row.event === 'SEND_MESSAGE' && row.fromPanel && row.summary.startsWith('✓ echoed in')), 20_000);
    assert.match(await page.evaluate(() => document.getElementById('log')?.textContent ?? ''), /confirmed on production/);
  });

  test('a row\'s Resend on production opens the composer instead of emitting', async () => {
    assert.ok(await click(view.panel, '.composer button[aria-label="Close the composer"]'));
    const before = (await rows(view.panel)).filter((r) => r.fromPanel).length;
    assert.equal(await view.panel.evaluate(`(${rowMenu.toString()})(window, ${JSON.stringify(['SEND_MESSAGE', 'Resend'])})`), '');
    const c = await until('the composer, open with the send', () => composer(view.panel), (x) => x.open, 10_000);
    assert.match(c.payload, /"topicId"/);
    assert.equal(c.send, 'Emit');
    await pause(2_000);
    assert.equal((await rows(view.panel)).filter((r) => r.fromPanel).length, before);
  });
});
