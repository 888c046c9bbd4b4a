// The soak (opt-in: `npm run soak`, 30 minutes by default; `-- --minutes 2` for a short one): the built
// extension in Chromium, the Spaces tab open in DevTools, the simulator's load generator sending 200
// MESSAGE_SENT/s of ~1 KB with edits and attachments, until it stops by itself. Each minute it prints what
// the background stores, the panel's heap and how long the panel takes to answer; at the end it checks the
// bounds and the counts, and exits 1 if one does not hold.
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS } from '../src/core/model/store';
import { inExtensionPage, launchChromium, openSpacesPanel, sleep } from '../e2e/lib/chromium';
import { startSimulator } from '../simulator/server';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '30' }, rate: { type: 'string', default: '200' } } });
const minutes = Number(values.minutes);
const rate = Number(values.rate);
if (!(minutes > 0 && minutes <= 60) || !(rate > 0 && rate <= 5000)) throw new Error('--minutes 0–60, --rate 1–5000');

/** Chrome's storage.session quota, shared by every tab. */
const QUOTA = 10 * 1024 * 1024;
/** The panel's heap bound (the panel issue's target). */
const PANEL_HEAP = 300 * 1024 * 1024;
/** Longest wait for the panel to run a task (a setTimeout(0) queued behind what it is doing). */
const PANEL_ANSWER_MS = 250;

const sim = await startSimulator({ generation: 4, quiet: true });
const chromium = await launchChromium();
const failures: string[] = [];
try {
  const page = await chromium.browser.newPage();
  await page.goto(`${sim.origin}/?transport=websocket&rate=${rate}&seconds=${minutes * 60}&size=1000&mix=1`);
  const { panel } = await openSpacesPanel(page, chromium.extensionId);
  const tabId = await panel.evaluate(() => chrome.devtools.inspectedWindow.tabId);
  const sample = async () => {
    const bg = JSON.parse(
      await inExtensionPage(chromium, async () =>
        JSON.stringify({ used: await chrome.storage.session.getBytesInUse(null), all: await chrome.storage.session.get(null) }),
      ),
    ) as { used: number; all: Record<string, unknown> };
    const meta = bg.all[`tab:${tabId}:meta`] as { nextSeq: number; dropped: number; droppedFull?: number; chunks: { count: number; bytes: number }[] } | undefined;
    const held = meta?.chunks.reduce((n, c) => n + c.count, 0) ?? 0;
    const bytes = meta?.chunks.reduce((n, c) => n + c.bytes, 0) ?? 0;
    const ui = await panel.evaluate(async () => {
      const t0 = performance.now();
      await new Promise((ok) => setTimeout(ok, 0));
      const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
      return { answerMs: performance.now() - t0, heap: memory?.usedJSHeapSize ?? 0, counts: document.querySelector('.counts')?.textContent ?? '' };
    });
    const received = await page.evaluate(() => Number(document.body.dataset.messages ?? 0));
    return { used: bg.used, meta, held, bytes, ...ui, received };
  };
  const t0 = Date.now();
  let worstAnswer = 0;
  let worstHeap = 0;
  let worstStored = 0;
  let last: Awaited<ReturnType<typeof sample>> | undefined;
  for (;;) {
    const done = await page.evaluate(() => document.body.dataset.simDone === '1');
    const s = await sample();
    last = s;
    worstAnswer = Math.max(worstAnswer, s.answerMs);
    worstHeap = Math.max(worstHeap, s.heap);
    worstStored = Math.max(worstStored, s.bytes);
    const min = ((Date.now() - t0) / 60_000).toFixed(1);
    console.log(
      `soak ${min} min: page got ${s.received.toLocaleString('en-US')} · background holds ${s.held.toLocaleString('en-US')} (${(s.bytes / 1048576).toFixed(2)} MB; storage ${(s.used / 1048576).toFixed(2)} MB), dropped ${(s.meta?.dropped ?? 0).toLocaleString('en-US')} · panel heap ${(s.heap / 1048576).toFixed(0)} MB, answers in ${s.answerMs.toFixed(0)} ms · "${s.counts}"`,
    );
    if (done) break;
    if (Date.now() - t0 > (minutes + 5) * 60_000) {
      failures.push('the load did not finish in time');
      break;
    }
    await sleep(Math.min(60_000, minutes * 6_000));
  }
  const expected = rate * minutes * 60;
  const meta = last?.meta;
  if (!last || !meta) throw new Error('no sample');
  const check = (ok: boolean, what: string): void => {
    console.log(`soak check: ${what}  ${ok ? 'OK' : 'FAIL'}`);
    if (!ok) failures.push(what);
  };
  check(last.received === expected, `the page got every message: ${last.received.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')}`);
  check(last.held + meta.dropped === meta.nextSeq - 1, `exact counts: held ${last.held} + dropped ${meta.dropped} = ${meta.nextSeq - 1} events the tab had`);
  check(worstStored <= DEFAULT_LIMITS.maxBytes, `the tab's stored bytes stayed within its bound: worst ${(worstStored / 1048576).toFixed(2)} MB of ${DEFAULT_LIMITS.maxBytes / 1048576} MB`);
  check(last.used <= QUOTA, `the storage stayed within its quota: ${(last.used / 1048576).toFixed(2)} MB of 10 MB`);
  check(worstHeap < PANEL_HEAP, `the panel's heap stayed under 300 MB: worst ${(worstHeap / 1048576).toFixed(0)} MB`);
  check(worstAnswer <= PANEL_ANSWER_MS, `the panel answered within ${PANEL_ANSWER_MS} ms at every sample: worst ${worstAnswer.toFixed(0)} ms`);
} finally {
  await chromium.close();
  await sim.close();
}
if (failures.length) {
  console.error(`soak: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log(`soak: ${minutes} min at ${rate}/s held`);
