// Navigation and the back/forward cache in Firefox ESR's DevTools Spaces tab, "Preserve log" off and on.
import assert from 'node:assert/strict';
import { test } from '../fixtures/firefox';
import { closeTab, inPanel, openSpacesPanel, openTab, panelCounts, panelRows, waitForSimDone, type Firefox, type PanelCounts } from '../lib/firefox';
import type { Row } from '../lib/panel';
import { distinctRows, echoedBy } from '../lib/sockets';
import { loadSeqs } from '../lib/stored';
import { until } from '../lib/wait';

/** Reads the list and the counts line together until ok(rows, counts) and the list has as many rows as the line says are shown. */
function rowsAndCounts(ff: Firefox, what: string, ok: (rows: Row[], c: PanelCounts) => boolean, timeoutMs = 20_000): Promise<{ rows: Row[]; c: PanelCounts }> {
  return until(
    what,
    async () => ({ rows: await panelRows(ff), c: await panelCounts(ff) }),
    (v) => v.rows.length === v.c.shown && ok(v.rows, v.c),
    timeoutMs,
    (v) => `the panel says "${v.c.line}" ${v.c.empty} and lists ${v.rows.length} rows, echoes ${JSON.stringify(echoedBy(v.rows))}`,
  );
}

test.describe('Firefox: navigation and the back/forward cache', () => {
  test('a page of the same origin and back, "Preserve log" off and on: the earlier visit kept or gone, the restore captured once', async ({ ff, sims }) => {
    test.setTimeout(180_000);
    const origin = (await sims.get(4)).origin;
    for (const preserve of [false, true]) {
      const name = `ff-nav-${preserve ? 'kept' : 'cleared'}`;
      await openTab(ff, `${origin}/pages/bfcache.html?lb=${name}`);
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
      const first = await rowsAndCounts(ff, 'the first visit', (rows, c) => c.connections === 1 && c.dropped === 0 && echoedBy(rows).length > 0);
      assert.deepEqual(echoedBy(first.rows), [name], 'the panel opened after the page was done');
      // The document keeps this mark only if it is restored from the back/forward cache.
      await ff.m.send('WebDriver:ExecuteScript', { script: `document.documentElement.dataset.navMark = '1';` });

      await ff.m.send('WebDriver:Navigate', { url: `${origin}/plain.html` });
      await waitForSimDone(ff);
      // The first socket may still have added a keep-alive or its close after the first read.
      const away = await rowsAndCounts(ff, 'on the plain page', (_, c) => c.connections === 0 && c.dropped === 0 && (preserve ? c.held >= first.c.held : c.held === 0));
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
        ff,
        'back on the page',
        (r, x) => echoedBy(r).length >= want.length && x.connections === (restored ? 2 : 1) && x.dropped === 0 && x.held > (preserve ? first.c.held : 0),
        40_000,
      );
      assert.deepEqual(echoedBy(rows), want);
      assert.equal(rows.filter((r) => r.event === 'SEND_MESSAGE').length, preserve ? 2 : 1);
      assert.equal(rows.filter((r) => r.event === 'open').length, preserve ? 2 : 1, 'one engine open per socket');
      assert.equal(distinctRows(rows), rows.length, 'no row twice');
      await closeTab(ff);
    }
  });

  test('no panel open, a page left mid-stream (its last frames still batched): every frame it got is kept', async ({ ff, sims }) => {
    const origin = (await sims.get(4)).origin;
    // 50 MESSAGE_SENT/s: with no panel watching, the hook batches them once a second, so some always wait when the page leaves.
    await openTab(ff, `${origin}/?transport=websocket&rate=50&count=3000&size=200`);
    // The demo publishes its exact count on pagehide; this listener, added later, runs after and keeps it.
    await ff.m.executeAsync(
      `addEventListener('pagehide', () => sessionStorage.setItem('got', document.body.dataset.messages || ''));
      const done = arguments[arguments.length - 1];
      const t = setInterval(() => { if (Number(document.body.dataset.messages || 0) >= 60) { clearInterval(t); setTimeout(() => done(true), Math.random() * 500); } }, 50);`,
      [],
      20_000,
    );
    await ff.m.send('WebDriver:Navigate', { url: `${origin}/plain.html` });
    await waitForSimDone(ff);
    const got = Number(await ff.m.executeAsync<string>(`arguments[arguments.length - 1](sessionStorage.getItem('got'));`));
    await openSpacesPanel(ff);
    await inPanel(ff, (content) => {
      const box = Array.from(content.document.querySelectorAll('label.tb-check'))
        .find((l) => /Preserve log/.test(l.textContent ?? ''))
        ?.querySelector('input');
      if (box && !box.checked) box.click();
    });
    const { rows, c } = await rowsAndCounts(ff, 'the first load listed', (r) => loadSeqs(r).length >= got).catch(async () => ({ rows: await panelRows(ff), c: await panelCounts(ff) }));
    const seqs = loadSeqs(rows);
    assert.deepEqual(seqs, Array.from({ length: got }, (_, i) => i + 1), `the page got ${got} MESSAGE_SENT; listed ${seqs.length}, the last ${seqs.at(-1)}`);
    assert.match(c.line, / 0 dropped by the buffer · 0 rejected/);
    await closeTab(ff);
  });
});
