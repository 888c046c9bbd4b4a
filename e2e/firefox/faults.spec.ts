// Faults in Firefox ESR, against the simulator's load generator (socket.io 4.x): the event page stopped at
// random moments of a burst while DevTools is closed and reopened, the add-on updated under an open page;
// and a hostile page, every row of it opened in the DevTools Spaces tab.
import assert from 'node:assert/strict';
import { test } from '../fixtures/firefox';
import { PWNED_GLOBAL, VISIBLE_MARKERS, hostileCorpus } from '../../simulator/hostile';
import {
  closeDevTools,
  FIREFOX_BUILD,
  inChrome,
  inPanel,
  markBeforeReload,
  openSpacesPanel,
  openTab,
  pageData,
  panelRows,
  waitForPanelRows,
  waitForPanelText,
  waitForReloaded,
  waitForSimDone,
  type Firefox,
} from '../lib/firefox';
import { pause } from '../lib/pages';
import { loadSeqs, seeded } from '../lib/stored';
import { rowsUntil, until } from '../lib/wait';

/** Stops the extension's event page, as Firefox does after a while without events (about:debugging's "Terminate"). */
async function terminateBackground(ff: Firefox): Promise<void> {
  await inChrome(
    ff,
    `const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
    await ExtensionParent.DebugUtils.terminateBackgroundScript(args[0]);
    if (ExtensionParent.DebugUtils.isBackgroundScriptRunning(args[0])) throw new Error('the background still runs');`,
    [ff.addonId],
  );
}

const countsText = (ff: Firefox): Promise<string> => inPanel(ff, (content) => content.document.querySelector('.counts')?.textContent ?? '');

const messages = async (ff: Firefox): Promise<number> => Number((await pageData(ff, 'body', 'messages')) ?? 0);

/** Waits for every load message of the burst in the list (the engine and connect rows are counted too); returns their sequence numbers. */
async function everyLoadMessage(ff: Firefox, count: number): Promise<number[]> {
  await waitForPanelRows(ff, count, 30_000).catch(async (e: unknown) => {
    throw new Error(`${String(e)}; the panel says "${await countsText(ff)}"`);
  });
  return loadSeqs(await rowsUntil('every load message shown', () => panelRows(ff, 90_000), (r) => loadSeqs(r).length >= count, 60_000));
}

test.describe('Firefox: faults', () => {
  test('the event page stopped at random moments of a burst, DevTools closed and reopened meanwhile: every event once', async ({ ff, sims }) => {
    test.setTimeout(240_000);
    // ~2.3 KB stored each: within the tab's 4 MB, so nothing may be dropped.
    const COUNT = 1_500;
    const origin = (await sims.get(4)).origin;
    // DevTools open first, on a page without a socket; then the burst (5 s) starts with the navigation.
    await openTab(ff, `${origin}/plain.html`);
    await openSpacesPanel(ff);
    await ff.m.send('WebDriver:Navigate', { url: `${origin}/?transport=websocket&rate=300&count=${COUNT}&size=200` });
    const { seed, rand } = seeded();
    const stops = [0, 1, 2].map(() => Math.round(50 + rand() * 300));
    console.log(`# seed ${seed}: stops after ${stops.join(', ')} ms`);
    // From the burst's start: the socket connects after the page's load.
    await until('the burst started', () => messages(ff), (n) => n > 0);
    const atStop: number[] = [];
    for (const [i, wait] of stops.entries()) {
      await pause(wait);
      await terminateBackground(ff);
      atStop.push(await messages(ff));
      if (i === 0) await closeDevTools(ff);
    }
    console.log(`# the page had ${atStop.join(', ')} of ${COUNT} messages at the stops`);
    // The stops fell inside the burst, so something was on its way each time.
    assert.ok(atStop[0]! > 0 && atStop[1]! < COUNT, `stops outside the burst: ${atStop.join(', ')}`);
    await waitForSimDone(ff, 60_000);
    assert.equal(await messages(ff), COUNT, 'the page got every message');
    await openSpacesPanel(ff);
    const seqs = await everyLoadMessage(ff, COUNT);
    assert.equal(seqs.length, COUNT, `${seqs.length} load messages shown, ${COUNT} sent`);
    assert.deepEqual(seqs, Array.from({ length: COUNT }, (_, i) => i + 1), 'each load message once, in order');
    assert.match(await countsText(ff), / 0 dropped/);
  });

  test('the extension updated under an open page: the page keeps working; the panel asks for a reload, which captures again', async ({ ff, sims }) => {
    test.setTimeout(240_000);
    const COUNT = 1_500;
    await openTab(ff, `${(await sims.get(4)).origin}/?transport=websocket&rate=500&count=${COUNT}&size=300`);
    // Into the burst.
    await pause(800);
    // Installed again from the build while the page runs: Firefox updates the temporary add-on in place.
    const { value: id } = await ff.m.send<{ value: string }>('Addon:Install', { path: FIREFOX_BUILD, temporary: true });
    assert.equal(id, ff.addonId);
    await waitForSimDone(ff, 60_000);
    assert.equal(await messages(ff), COUNT, "the page's socket never noticed");
    assert.equal((await pageData(ff, 'body', 'simError')) ?? '', '');
    await openSpacesPanel(ff);
    await waitForPanelText(ff, 'Reload the page', 15_000);
    await closeDevTools(ff);
    await markBeforeReload(ff);
    await ff.m.executeAsync(`location.reload(); arguments[arguments.length - 1](true);`);
    await waitForReloaded(ff, 60_000);
    await openSpacesPanel(ff);
    assert.equal((await everyLoadMessage(ff, COUNT)).length, COUNT);
  });
});

test.describe('Firefox: a hostile page', () => {
  test('shows every hostile message as text in the list and the detail, and runs and fetches nothing', async ({ ff, sims }) => {
    test.setTimeout(240_000);
    const sim = await sims.get(4);
    const corpus = hostileCorpus(sim.origin);
    await openTab(ff, `${sim.origin}/?transport=websocket&scenario=hostile`);
    await waitForSimDone(ff, 60_000);
    await openSpacesPanel(ff);
    await waitForPanelRows(ff, corpus.length, 60_000);
    // Opens every row (the list is virtual: scrolled page by page) and reads the detail it shows, then
    // looks for anything a payload could have made live.
    const seen = await inPanel(
      ff,
      async (content, flag) => {
        const doc = content.document;
        const list = doc.querySelector('[role=grid]') as HTMLElement;
        const texts: string[] = [];
        const slowest: number[] = [];
        const done = new Set<string>();
        list.scrollTop = 0;
        for (;;) {
          // No named functions in here: it is sent as text.
          await new Promise((r) => content.requestAnimationFrame(() => content.requestAnimationFrame(r)));
          for (const row of Array.from(doc.querySelectorAll('.rows [role=row]'))) {
            const id = row.id;
            if (done.has(id)) continue;
            done.add(id);
            const t0 = content.performance.now();
            row.dispatchEvent(new (content as unknown as typeof globalThis).MouseEvent('mousedown', { bubbles: true }));
            await new Promise((r) => content.requestAnimationFrame(() => content.requestAnimationFrame(r)));
            slowest.push(content.performance.now() - t0);
            texts.push(row.textContent ?? '', doc.querySelector('.detail')?.textContent ?? '');
          }
          if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) break;
          list.scrollTop += Math.max(20, list.clientHeight - 40);
        }
        const live: string[] = [];
        if ((content as unknown as { wrappedJSObject: Record<string, unknown> }).wrappedJSObject[flag] !== undefined) live.push(`window.${flag} set`);
        for (const el of Array.from(doc.querySelectorAll('img, iframe, object, embed, video, audio, base, form'))) live.push(`<${el.tagName.toLowerCase()}>`);
        for (const s of Array.from(doc.querySelectorAll('script'))) if (!s.getAttribute('src')) live.push('inline <script>');
        for (const el of Array.from(doc.querySelectorAll('*'))) {
          for (const a of el.getAttributeNames()) {
            const v = el.getAttribute(a) ?? '';
            if (a.startsWith('on')) live.push(`${el.tagName.toLowerCase()}[${a}]`);
            if ((a === 'href' || a === 'src' || a === 'action') && /javascript:|\/pwned\//i.test(v)) live.push(`${el.tagName.toLowerCase()}[${a}]`);
          }
        }
        return { opened: done.size, text: texts.join('\n'), live, slowest: Math.max(0, ...slowest) };
      },
      PWNED_GLOBAL,
      120_000,
    );
    console.log(`# Firefox: ${seen.opened} rows opened, the slowest in ${Math.round(seen.slowest)} ms (to the second frame after the click)`);
    assert.ok(seen.opened >= corpus.length, `${seen.opened} rows opened, ${corpus.length} hostile messages sent`);
    for (const m of VISIBLE_MARKERS) assert.ok(seen.text.includes(m), `the panel shows ${JSON.stringify(m)} as text`);
    assert.deepEqual(seen.live, [], 'nothing live in the panel');
    assert.deepEqual(sim.pwned, [], 'nothing fetched a URL from the page data');
  });
});
