// End to end in Debian's Firefox ESR with the built extension (dist/firefox) installed as a temporary
// add-on, driven over Marionette: the simulator in both wire generations, read from the real DevTools
// "Spaces" tab; pages that fight the hook (strict CSP, frames, a worker); host permission withdrawn and
// granted again; DevTools theme; a log file imported in the tab.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startSimulator, type Simulator } from '../simulator/server';
import {
  clickPanelButton,
  closeDevTools,
  closeTab,
  FIREFOX_BUILD,
  inChrome,
  inPanel,
  launchFirefox,
  openSpacesPanel,
  openTab,
  panelContent,
  panelRows,
  revokeHostPermission,
  screenshot,
  setPref,
  sleep,
  waitForPanelRows,
  waitForPanelText,
  waitForSimDone,
  type Firefox,
} from './lib/firefox';
import { assertScenario, EXPECTED_EVENTS, pollRows, scenarioShown, socketOf } from './lib/scenario';
import type { Row } from './lib/panel';
import { writeLog } from '../src/core/log';
import { isEngineChatter, rowText } from '../src/panel/row';
import { generateEvents } from '../test/panel/harness/fake-source';
import { PWNED_GLOBAL, VISIBLE_MARKERS, hostileCorpus } from '../simulator/hostile';

const ARTIFACTS = resolve(import.meta.dirname, '../artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

/** Reads the panel's rows until ok(rows) (see pollRows); readMs bounds each read. */
function rowsUntil(what: string, ok: (rows: Row[]) => boolean, timeoutMs = 20_000, readMs?: number): Promise<Row[]> {
  return pollRows(what, () => panelRows(ff, readMs), ok, timeoutMs);
}

/** Per test: a stalled browser fails the test instead of holding the suite. */
const T = { timeout: 90_000 };
/** Tests that read a list of 1,500 rows. */
const LONG = { timeout: 240_000 };

let ff: Firefox;
const sims = {} as Record<2 | 4, Simulator>;

before(async () => {
  ff = await launchFirefox();
  sims[2] = await startSimulator({ generation: 2, quiet: true });
  sims[4] = await startSimulator({ generation: 4, quiet: true });
}, T);

after(async () => {
  await ff?.close();
  await Promise.all(Object.values(sims).map((s) => s.close()));
});

/** Runs a step; on failure keeps a screenshot of the browser window as an artifact. */
async function keepShotOnFailure<T>(name: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    await screenshot(ff)
      .then((png) => writeFileSync(resolve(ARTIFACTS, `failure-firefox-${name}.png`), png))
      .catch(() => undefined);
    throw e;
  }
}

for (const gen of [2, 4] as const) {
  for (const transport of ['websocket', 'polling'] as const) {
    describe(`Firefox: socket.io ${gen}.x over ${transport}`, () => {
      it('shows every event the scenario played in the DevTools Spaces tab, in order, and the token nowhere', T, async () => {
        await openTab(ff, `${sims[gen].origin}/?transport=${transport}`);
        await keepShotOnFailure(`${gen}-${transport}`, async () => {
          await waitForSimDone(ff);
          await openSpacesPanel(ff);
          await waitForPanelRows(ff, EXPECTED_EVENTS);
          const rows = await rowsUntil('every event of the demo shown', scenarioShown);
          assertScenario(rows);
          const { html } = await panelContent(ff);
          const token = sims[gen].token;
          assert.ok(!html.includes(token), 'token in the panel DOM');
          assert.ok(!JSON.stringify(rows).includes(token), 'token in a row');
          if (gen === 2 && transport === 'websocket') writeFileSync(resolve(ARTIFACTS, 'firefox-devtools-spaces.png'), await screenshot(ff));
        });
        await closeTab(ff);
      });
    });
  }
}

describe('Firefox: pages that forge the hand-off', () => {
  it('a forged port and what is posted through it are ignored, and the real capture is intact', T, async () => {
    await openTab(ff, `${sims[4].origin}/?transport=websocket`);
    await keepShotOnFailure('forged', async () => {
      await waitForSimDone(ff);
      // A page script (not Marionette's sandbox) forges a port hand-off and posts junk through it.
      await ff.m.send('WebDriver:ExecuteScript', {
        script: `const s = document.createElement('script');
        s.textContent = ${JSON.stringify(`{
          const ch = new MessageChannel();
          window.dispatchEvent(new MessageEvent('spaces-devtools:hook-port', { ports: [ch.port2] }));
          window.dispatchEvent(new Event('spaces-devtools:relay-ready'));
          for (const j of [null, 42, 'x', { type: 'hook/batch' }, { type: 'hook/batch', conns: 'no', frames: [] }])
            ch.port1.postMessage(j);
          ch.port1.postMessage({ type: 'hook/batch', conns: [{ c: 999, url: 'ws://evil/?EIO=4&transport=websocket', transport: 'websocket' }],
            frames: [{ c: 999, t: 1, d: 'in', x: '42["FORGED",{}]' }] });
        }`)};
        document.documentElement.appendChild(s);`,
      });
      await sleep(500);
      await openSpacesPanel(ff);
      await waitForPanelRows(ff, EXPECTED_EVENTS);
      assertScenario(await rowsUntil('every event of the demo shown', scenarioShown));
      // The relay took the hook's port first: the forged one is ignored.
      assert.ok(!(await panelContent(ff)).text.includes('FORGED'), 'a forged event reached the panel');
    });
    await closeTab(ff);
  });
});

/** Waits until the page has an element matching `selector` (set by a simulator page when it is done). */
async function waitForPage(selector: string, timeoutMs = 30_000): Promise<void> {
  await ff.m.executeAsync(
    `const done = arguments[arguments.length - 1];
    const t = setInterval(() => { if (document.querySelector(arguments[0])) { clearInterval(t); done(true); } }, 100);`,
    [selector],
    timeoutMs,
  );
}

/** A data attribute of the page's <html> or <body> (as given, e.g. "body.echoes"). */
async function pageData(which: 'html' | 'body', key: string): Promise<string | undefined> {
  return ff.m.executeAsync<string | undefined>(
    `const done = arguments[arguments.length - 1];
    done((arguments[0] === 'html' ? document.documentElement : document.body).dataset[arguments[1]]);`,
    [which, key],
  );
}

/** Waits for a reloaded page (no data-before-reload mark) to be done; the old one may unload under the script. */
async function waitForReloaded(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = await ff.m
      .executeAsync<boolean>(
        `arguments[arguments.length - 1](!document.documentElement.dataset.beforeReload && !!document.body && document.body.dataset.simDone === '1');`,
      )
      .catch(() => false);
    if (done) return;
    if (Date.now() > deadline) throw new Error('the page was not reloaded and done');
    await sleep(200);
  }
}

const FOUR = ['SUBSCRIBE_CHANNEL', 'SEND_MESSAGE', 'CHANNEL_SUBSCRIBED', 'MESSAGE_SENT'];
/** "↑NAME" / "↓NAME" of the rows that are one of FOUR, in list order. */
const fourOf = (rows: { dir: string; event: string }[]): string[] => rows.filter((r) => FOUR.includes(r.event)).map((r) => `${r.dir.slice(0, 1)}${r.event}`);


describe('Firefox: pages that fight the hook', () => {
  for (const kind of ['subclass', 'function'] as const) {
    it(`a page that replaces WebSocket with its own ${kind}: still captured, and its wrapper still sees every frame`, T, async () => {
      await openTab(ff, `${sims[2].origin}/pages/replaced.html?kind=${kind}&lb=replaced-ff-${kind}`);
      await keepShotOnFailure(`replaced-${kind}`, async () => {
        await waitForSimDone(ff);
        assert.equal(await pageData('html', 'wrapper'), kind);
        assert.equal(await pageData('body', 'echoes'), `replaced-ff-${kind}`);
        const wrapperEvents = ((await pageData('html', 'wrapperEvents')) ?? '').split(' ').filter(Boolean);
        assert.deepEqual(wrapperEvents, ['↑SUBSCRIBE_CHANNEL', '↑SEND_MESSAGE', '↓CHANNEL_SUBSCRIBED', '↓MESSAGE_SENT']);
        await openSpacesPanel(ff);
        await waitForPanelRows(ff, 4);
        // Engine and connect rows come first: wait until the replies are shown too, not merely four rows.
        const rows = await rowsUntil('every event the wrapper saw shown', (r) => fourOf(r).length >= wrapperEvents.length);
        assert.deepEqual(fourOf(rows), wrapperEvents);
      });
      await closeTab(ff);
    });
  }

  it('a strict CSP with Trusted Types: captured, and not one violation caused', T, async () => {
    const sim = sims[2];
    await openTab(ff, `${sim.origin}/pages/csp.html?lb=csp-ff`);
    await keepShotOnFailure('csp', async () => {
      await waitForPage('html[data-sentinel="1"]');
      const csp = (await pageData('html', 'cspViolations')) ?? '[]';
      const violations = JSON.parse(csp) as { blocked: string; sample: string }[];
      const sentinel = (blocked: unknown, sample: unknown): boolean => blocked === 'eval' || (typeof sample === 'string' && sample.startsWith('eval'));
      assert.ok(violations.some((v) => sentinel(v.blocked, v.sample)), `the sentinel violation was not seen: ${csp}`);
      assert.deepEqual(violations.filter((v) => !sentinel(v.blocked, v.sample)), [], 'violations other than the sentinel');
      const isSentinel = (r: unknown): boolean => {
        const report = (r as { 'csp-report'?: Record<string, unknown> })['csp-report'];
        return sentinel(report?.['blocked-uri'], report?.['script-sample']);
      };
      for (let i = 0; i < 100 && !sim.cspReports.some(isSentinel); i++) await sleep(100);
      assert.ok(sim.cspReports.some(isSentinel), `no sentinel report: ${JSON.stringify(sim.cspReports)}`);
      assert.deepEqual(sim.cspReports.filter((r) => !isSentinel(r)), [], 'reports other than the sentinel');
      await openSpacesPanel(ff);
      await waitForPanelRows(ff, 4);
      const rows = await rowsUntil('the socket events shown', (r) => fourOf(r).length >= FOUR.length);
      assert.deepEqual(rows.filter((r) => FOUR.includes(r.event)).map((r) => r.event), FOUR);
      assert.ok(rows.some((r) => r.event === 'MESSAGE_SENT' && r.summary.includes('csp-ff')));
    });
    await closeTab(ff);
  });

  it('several sockets at once: all captured, and each row names its socket', T, async () => {
    await openTab(ff, `${sims[2].origin}/pages/multi.html?sockets=2&lb=multi-ff`);
    await keepShotOnFailure('multi', async () => {
      await waitForSimDone(ff);
      assert.equal(await pageData('body', 'echoes'), 'multi-ff-1 multi-ff-2');
      // Each socket's events in the order its client put them on the wire and took them off (the two
      // sockets' events interleave as they happen to; a long-polling socket may get a reply before its next request goes out).
      const wire = JSON.parse((await pageData('body', 'wire')) ?? '{}') as Record<string, string[]>;
      const events = ['↑SUBSCRIBE_CHANNEL', '↑SEND_MESSAGE', '↓CHANNEL_SUBSCRIBED', '↓MESSAGE_SENT'];
      for (const n of [1, 2]) assert.deepEqual([...(wire[`multi-ff-${n}`] ?? [])].sort(), [...events].sort(), `what multi-ff-${n} sent and got`);
      await openSpacesPanel(ff);
      await waitForPanelRows(ff, 8);
      // Engine and connect rows come first: wait for both sockets' events, not merely eight rows.
      const rows = await rowsUntil("both sockets' events shown", (r) => fourOf(r).length >= 2 * FOUR.length);
      assert.deepEqual(rows.filter((r) => !socketOf(r)), [], 'rows without their socket');
      for (const n of [1, 2]) {
        const mine = rows.filter((r) => socketOf(r) === `#${n}`);
        assert.deepEqual(fourOf(mine), wire[`multi-ff-${n}`], `socket #${n}`);
        assert.ok(mine.some((r) => r.event === 'MESSAGE_SENT' && r.summary.includes(`multi-ff-${n}`)), `socket #${n}`);
      }
      assert.equal(fourOf(rows).length, 2 * FOUR.length, 'no other events');
      await untilCounts('the counts line to say 2 connections', (c) => c.connections === 2);
    });
    await closeTab(ff);
  });

  it('sockets in frames of two origins: captured per frame, and labelled with the frame', T, async () => {
    const sim = sims[2];
    await openTab(ff, `${sim.origin}/pages/frames.html?lb=frames-top`);
    await keepShotOnFailure('frames', async () => {
      await waitForPage('body[data-frames-done="1"]');
      assert.equal(await pageData('body', 'frameEchoes'), 'frame-cross frame-same frames-top');
      await openSpacesPanel(ff);
      await waitForPanelRows(ff, 12);
      // Engine and connect rows come first: wait for the three sockets' events, not merely twelve rows.
      const rows = await rowsUntil("the three sockets' events shown", (r) => fourOf(r).length >= 3 * FOUR.length);
      assert.deepEqual(rows.filter((r) => !socketOf(r)), [], 'rows without their socket');
      const labels: Record<string, string> = { 'frames-top': '#1', 'frame-same': `#1 · 127.0.0.1:${sim.port}`, 'frame-cross': `#1 · localhost:${sim.port}` };
      for (const [lb, label] of Object.entries(labels)) {
        const mine = rows.filter((r) => socketOf(r) === label);
        assert.deepEqual(mine.filter((r) => FOUR.includes(r.event)).map((r) => r.event), FOUR, lb);
        assert.ok(mine.some((r) => r.event === 'MESSAGE_SENT' && r.summary.includes(lb)), lb);
      }
    });
    await closeTab(ff);
  });

  it('a socket in a worker: not capturable from the page, and the panel says so', T, async () => {
    await openTab(ff, `${sims[2].origin}/pages/worker.html`);
    await keepShotOnFailure('worker', async () => {
      await waitForSimDone(ff);
      assert.equal(await pageData('body', 'workerEchoes'), 'in-worker');
      await openSpacesPanel(ff);
      const text = await waitForPanelText(ff, "This page runs 1 worker; sockets opened in workers can't be captured.");
      assert.match(text, /No Spaces socket seen on this page yet/);
    });
    await closeTab(ff);
  });
});

/** The panel's counts line, read as figures. */
async function panelCounts(): Promise<{ line: string; held: number; shown: number; dropped: number; connections: number; empty: string }> {
  const { line, empty } = await inPanel(ff, (content) => ({
    line: content.document.querySelector('.counts')?.textContent ?? '',
    empty: content.document.querySelector('.empty')?.textContent ?? '',
  }));
  const n = (re: RegExp): number => Number((re.exec(line)?.[1] ?? 'NaN').replace(/,/g, ''));
  const held = n(/^([\d,]+) events?/);
  return { line, held, shown: /shown\)/.test(line) ? n(/\(([\d,]+) shown\)/) : held, dropped: n(/([\d,]+) dropped/), connections: n(/(\d+) connections?/), empty };
}

async function untilCounts(what: string, ok: (c: Awaited<ReturnType<typeof panelCounts>>) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = await panelCounts();
    if (ok(c)) return c;
    if (Date.now() > deadline) throw new Error(`${what}: the panel says "${c.line}" ${c.empty}`);
    await sleep(200);
  }
}

/** Whose send each MESSAGE_SENT row echoes ("hello from <name>"). */
const echoedBy = (rows: { event: string; summary: string }[]): string[] =>
  rows.filter((r) => r.event === 'MESSAGE_SENT').map((r) => /hello from ([^"\s]+)/.exec(r.summary)?.[1] ?? r.summary);

/** Reads the list and the counts line together until ok(rows, counts) and the list has as many rows as the line says are shown. */
async function rowsAndCounts(what: string, ok: (rows: Awaited<ReturnType<typeof panelRows>>, c: Awaited<ReturnType<typeof panelCounts>>) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await panelRows(ff);
    const c = await panelCounts();
    if (rows.length === c.shown && ok(rows, c)) return { rows, c };
    if (Date.now() > deadline) throw new Error(`${what}: the panel says "${c.line}" ${c.empty} and lists ${rows.length} rows, echoes ${JSON.stringify(echoedBy(rows))}`);
    await sleep(200);
  }
}

describe('Firefox: navigation and the back/forward cache', () => {
  it('a page of the same origin and back, "Preserve log" off and on: the earlier visit kept or gone, the restore captured once', T, async () => {
    for (const preserve of [false, true]) {
      const name = `ff-nav-${preserve ? 'kept' : 'cleared'}`;
      await openTab(ff, `${sims[4].origin}/pages/bfcache.html?lb=${name}`);
      await keepShotOnFailure(name, async () => {
        await waitForSimDone(ff);
        await openSpacesPanel(ff);
        await inPanel(
          ff,
          (content, want) => {
            const box = Array.from(content.document.querySelectorAll('label.tb-check'))
              .find((l) => /Preserve log/.test(l.textContent ?? ''))
              ?.querySelector('input');
            if (!box) throw new Error('no "Preserve log" checkbox');
            if (box.checked !== want) box.click();
          },
          preserve,
        );
        // Engine and connect rows come first: wait for the echo too.
        const first = await rowsAndCounts('the first visit', (rows, c) => c.connections === 1 && c.dropped === 0 && echoedBy(rows).length > 0);
        assert.deepEqual(echoedBy(first.rows), [name], 'the panel opened after the page was done');
        // The document keeps this mark only if it is restored from the back/forward cache.
        await ff.m.send('WebDriver:ExecuteScript', { script: `document.documentElement.dataset.navMark = '1';` });

        await ff.m.send('WebDriver:Navigate', { url: `${sims[4].origin}/plain.html` });
        await waitForSimDone(ff);
        // The first socket may still have added a keep-alive or its close after the first read.
        const away = await rowsAndCounts('on the plain page', (_, c) => c.connections === 0 && c.dropped === 0 && (preserve ? c.held >= first.c.held : c.held === 0));
        if (preserve) assert.deepEqual(away.rows.slice(0, first.rows.length), first.rows, 'the first visit is kept');
        else assert.match(away.c.empty, /No Spaces socket seen on this page yet\. Reload the page to capture from the start/);

        await ff.m.send('WebDriver:Back');
        const restored = await ff.m.executeAsync<boolean>(
          `const done = arguments[arguments.length - 1];
          const t = setInterval(() => {
            const d = document.body && document.body.dataset;
            const kept = document.documentElement.dataset.navMark === '1';
            if (d && d.simDone === '1' && (!kept || d.restores === '1')) { clearInterval(t); done(kept); }
          }, 100);`,
          [],
          30_000,
        );
        console.log(`# Firefox ${preserve ? 'with' : 'without'} "Preserve log": the page was ${restored ? 'restored from the back/forward cache' : 'loaded again'}`);
        const back = name + (restored ? '-back1' : '');
        // Restored: the socket pagehide closed and the new one; loaded again: its one socket.
        const want = preserve ? [name, back] : [back];
        const { rows } = await rowsAndCounts(
          'back on the page',
          (r, x) => echoedBy(r).length >= want.length && x.connections === (restored ? 2 : 1) && x.dropped === 0 && x.held > (preserve ? first.c.held : 0),
          40_000,
        );
        assert.deepEqual(echoedBy(rows), want);
        assert.equal(rows.filter((r) => r.event === 'SEND_MESSAGE').length, preserve ? 2 : 1);
        assert.equal(rows.filter((r) => r.event === 'open').length, preserve ? 2 : 1, 'one engine open per socket');
        const distinct = new Set(rows.map((r) => JSON.stringify([r.time, r.dir, r.event, r.summary])));
        assert.equal(distinct.size, rows.length, 'no row twice');
      });
      await closeTab(ff);
    }
  });
});

describe('Firefox: host permission', () => {
  it('says it cannot capture where the permission was withdrawn, grants it in one click, and captures after a reload', T, async () => {
    const sim = sims[4];
    await revokeHostPermission(ff, 'http://127.0.0.1/*');
    await openTab(ff, `${sim.origin}/?transport=websocket`);
    await keepShotOnFailure('permission', async () => {
      await waitForSimDone(ff);
      await openSpacesPanel(ff);
      await waitForPanelText(ff, `can't capture on ${sim.origin}`);
      assert.equal((await panelRows(ff)).length, 0, 'captured without the permission');
      writeFileSync(resolve(ARTIFACTS, 'firefox-devtools-spaces-permission.png'), await screenshot(ff));

      // The panel's button opens the extension's grant window (Firefox panels cannot ask themselves).
      const before = await ff.m.send<string[]>('WebDriver:GetWindowHandles');
      const { value: main } = await ff.m.send<{ value: string }>('WebDriver:GetWindowHandle');
      await clickPanelButton(ff, `Allow on ${sim.origin}`);
      let grant: string | undefined;
      for (let i = 0; i < 50 && !grant; i++) {
        grant = (await ff.m.send<string[]>('WebDriver:GetWindowHandles')).find((h) => !before.includes(h));
        if (!grant) await sleep(100);
      }
      assert.ok(grant, 'no grant window opened');
      await ff.m.send('WebDriver:SwitchToWindow', { handle: grant, focus: true });
      try {
        // The window may still be loading: wait for its button (FindElement does not wait by itself), then
        // click it as a person would.
        let el: Record<string, string> | undefined;
        for (let i = 0; i < 100 && !el; i++) {
          el = await ff.m
            .send<{ value: Record<string, string> }>('WebDriver:FindElement', { using: 'css selector', value: '#allow:not([hidden])' })
            .then((r) => r.value, () => undefined);
          if (!el) await sleep(100);
        }
        assert.ok(el, 'the grant window has no Allow button');
        await ff.m.send('WebDriver:ElementClick', { id: Object.values(el)[0] });
      } finally {
        await ff.m.send('WebDriver:SwitchToWindow', { handle: main, focus: true });
      }

      await waitForPanelText(ff, `Allowed on ${sim.origin}`);
      // Marks this document, so that the wait below is for the reloaded one (not this one, done already).
      await ff.m.executeAsync(`document.documentElement.dataset.beforeReload = '1'; arguments[arguments.length - 1](true);`);
      await clickPanelButton(ff, 'Reload page');
      await waitForReloaded();
      await waitForPanelRows(ff, EXPECTED_EVENTS);
      assertScenario(await rowsUntil('every event of the demo shown', scenarioShown));
    });
    await closeTab(ff);
  });
});

describe('Firefox: theme', () => {
  it("follows DevTools' theme while the panel is open, and starts in it", T, async () => {
    await openTab(ff, `${sims[2].origin}/?transport=websocket`);
    await keepShotOnFailure('theme', async () => {
      await waitForSimDone(ff);
      await openSpacesPanel(ff);
      await waitForPanelRows(ff, EXPECTED_EVENTS);
      assert.equal((await panelContent(ff)).theme, 'light');
      await setPref(ff, 'devtools.theme', 'dark');
      for (let i = 0; i < 50 && (await panelContent(ff)).theme !== 'dark'; i++) await sleep(100);
      assert.equal((await panelContent(ff)).theme, 'dark');
      // Opened again while dark: the panel starts dark.
      await closeDevTools(ff);
      await openSpacesPanel(ff);
      await waitForPanelRows(ff, EXPECTED_EVENTS);
      assert.equal((await panelContent(ff)).theme, 'dark');
      await sleep(300);
      writeFileSync(resolve(ARTIFACTS, 'firefox-devtools-spaces-dark.png'), await screenshot(ff));
      await setPref(ff, 'devtools.theme', 'light');
      for (let i = 0; i < 50 && (await panelContent(ff)).theme !== 'light'; i++) await sleep(100);
      assert.equal((await panelContent(ff)).theme, 'light');
    });
    await closeTab(ff);
  });
});

describe('Firefox: event logs', () => {
  it('imports a log file in the DevTools Spaces tab (read by its module worker) and shows its rows, then goes back to live capture', T, async () => {
    const events = generateEvents(60, 11, 4).map((e, i) => ({ ...e, seq: i + 1 }));
    const log = [...writeLog(events, { tool: { name: 'e2e', version: '0' }, browser: null, filter: null }, { layout: 'ndjson', raw: true, anonymize: false })].join('');
    const shown = events.filter((e) => !isEngineChatter(e));
    await openTab(ff, `${sims[4].origin}/?transport=websocket`);
    await keepShotOnFailure('import', async () => {
      await waitForSimDone(ff);
      await openSpacesPanel(ff);
      await waitForPanelRows(ff, EXPECTED_EVENTS);
      // As the Import… button's file picker would: the file set on the panel's input, then its change event.
      const picked = await inPanel(
        ff,
        (content, t) => {
          const w = content as unknown as typeof globalThis;
          const input = content.document.querySelector('input[type=file]') as HTMLInputElement | null;
          if (!input) return 0;
          const dt = new w.DataTransfer();
          dt.items.add(new w.File([t], 'firefox-import.ndjson', { type: 'application/x-ndjson' }));
          input.files = dt.files;
          input.dispatchEvent(new w.Event('change', { bubbles: true }));
          return dt.files.length;
        },
        log,
      );
      assert.equal(picked, 1);
      const text = await waitForPanelText(ff, `${events.length} events`, 15_000);
      assert.match(text, /Viewing NDJSON log:\s*firefox-import\.ndjson[^]*·\s*60 events\s*Back to live capture/);
      const rows = await panelRows(ff);
      assert.deepEqual(
        rows.map((r) => [r.category, r.sender]),
        shown.map((e) => [rowText(e).category, rowText(e).sender]),
      );
      await clickPanelButton(ff, 'Back to live capture');
      await waitForPanelText(ff, 'Live');
      await waitForPanelRows(ff, EXPECTED_EVENTS);
      assertScenario(await rowsUntil('every event of the demo shown', scenarioShown));
    });
    await closeTab(ff);
  });
});

/** The load generator's sequence numbers among the rows ("seq=12" in each summary). */
const loadSeqs = (rows: Awaited<ReturnType<typeof panelRows>>): number[] =>
  rows.flatMap((r) => {
    const m = r.event === 'MESSAGE_SENT' ? /seq=(\d+)/.exec(r.summary) : null;
    return m ? [Number(m[1])] : [];
  });

/** Stops the extension's event page, as Firefox does after a while without events (about:debugging's "Terminate"). */
async function terminateBackground(): Promise<void> {
  await inChrome(
    ff,
    `const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
    await ExtensionParent.DebugUtils.terminateBackgroundScript(args[0]);
    if (ExtensionParent.DebugUtils.isBackgroundScriptRunning(args[0])) throw new Error('the background still runs');`,
    [ff.addonId],
  );
}

const countsText = (): Promise<string> => inPanel(ff, (content) => content.document.querySelector('.counts')?.textContent ?? '');

describe('Firefox: faults', () => {
  it('the event page stopped at random moments of a burst, DevTools closed and reopened meanwhile: every event once', LONG, async () => {
    // ~2.3 KB stored each: within the tab's 4 MB, so nothing may be dropped.
    const COUNT = 1_500;
    // DevTools open first, on a page without a socket; then the burst (5 s) starts with the navigation.
    await openTab(ff, `${sims[4].origin}/plain.html`);
    await keepShotOnFailure('faults-stops', async () => {
      await openSpacesPanel(ff);
      await ff.m.send('WebDriver:Navigate', { url: `${sims[4].origin}/?transport=websocket&rate=300&count=${COUNT}&size=200` });
      const seed = Date.now() % 100_000;
      let x = seed;
      const rand = (): number => ((x = (x * 48271) % 2147483647) % 1000) / 1000;
      const stops = [0, 1, 2].map(() => Math.round(50 + rand() * 300));
      console.log(`# seed ${seed}: stops after ${stops.join(', ')} ms`);
      // From the burst's start: the socket connects after the page's load.
      for (const deadline = Date.now() + 10_000; Number((await pageData('body', 'messages')) ?? 0) === 0 && Date.now() < deadline; ) await sleep(20);
      const atStop: number[] = [];
      for (const [i, wait] of stops.entries()) {
        await sleep(wait);
        await terminateBackground();
        atStop.push(Number((await pageData('body', 'messages')) ?? 0));
        if (i === 0) await closeDevTools(ff);
      }
      console.log(`# the page had ${atStop.join(', ')} of ${COUNT} messages at the stops`);
      // The stops fell inside the burst, so something was on its way each time.
      assert.ok(atStop[0]! > 0 && atStop[1]! < COUNT, `stops outside the burst: ${atStop.join(', ')}`);
      await waitForSimDone(ff, 60_000);
      assert.equal(Number(await pageData('body', 'messages')), COUNT, 'the page got every message');
      await openSpacesPanel(ff);
      await waitForPanelRows(ff, COUNT, 30_000).catch(async (e: unknown) => {
        throw new Error(`${String(e)}; the panel says "${await countsText()}"`);
      });
      // The engine and connect rows are counted too: wait for every load message.
      const seqs = loadSeqs(await rowsUntil('every load message shown', (r) => loadSeqs(r).length >= COUNT, 60_000, 90_000));
      assert.equal(seqs.length, COUNT, `${seqs.length} load messages shown, ${COUNT} sent`);
      assert.deepEqual(seqs, Array.from({ length: COUNT }, (_, i) => i + 1), 'each load message once, in order');
      assert.match(await countsText(), / 0 dropped/);
    });
    await closeTab(ff);
  });

  it('the extension updated under an open page: the page keeps working; the panel asks for a reload, which captures again', LONG, async () => {
    const COUNT = 1_500;
    await openTab(ff, `${sims[4].origin}/?transport=websocket&rate=500&count=${COUNT}&size=300`);
    await keepShotOnFailure('faults-update', async () => {
      await sleep(800);
      // Installed again from the build while the page runs: Firefox updates the temporary add-on in place.
      const { value: id } = await ff.m.send<{ value: string }>('Addon:Install', { path: FIREFOX_BUILD, temporary: true });
      assert.equal(id, ff.addonId);
      await waitForSimDone(ff, 60_000);
      assert.equal(Number(await pageData('body', 'messages')), COUNT, "the page's socket never noticed");
      assert.equal((await pageData('body', 'simError')) ?? '', '');
      await openSpacesPanel(ff);
      await waitForPanelText(ff, 'Reload the page', 15_000);
      await closeDevTools(ff);
      await ff.m.executeAsync(`document.documentElement.dataset.beforeReload = '1'; arguments[arguments.length - 1](true);`);
      await ff.m.executeAsync(`location.reload(); arguments[arguments.length - 1](true);`);
      await waitForReloaded(60_000);
      await openSpacesPanel(ff);
      await waitForPanelRows(ff, COUNT, 30_000);
      assert.equal(loadSeqs(await rowsUntil('every load message shown', (r) => loadSeqs(r).length >= COUNT, 60_000, 90_000)).length, COUNT);
    });
    await closeTab(ff);
  });
});

describe('Firefox: a hostile page', () => {
  it('shows every hostile message as text in the list and the detail, and runs and fetches nothing', LONG, async () => {
    const sim = sims[4];
    const corpus = hostileCorpus(sim.origin);
    await openTab(ff, `${sim.origin}/?transport=websocket&scenario=hostile`);
    await keepShotOnFailure('hostile', async () => {
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
            // No named functions in here: tsx would wrap them in a helper the panel does not have.
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
    await closeTab(ff);
  });
});
