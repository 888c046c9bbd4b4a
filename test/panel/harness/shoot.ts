// The panel alone on a fake source (the harness, built with vite) in headless Chromium: screenshots in
// both themes, behaviour checks, axe-core; exit 1 when a check fails. `npm run test:panel` runs it.
// Usage: node --import tsx test/panel/harness/shoot.ts <outdir>
import { mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import puppeteer from 'puppeteer-core';
import { serveHarness } from './site';

const here = import.meta.dirname;
const outdir = resolve(process.argv[2] ?? '/tmp/panel-shots');
const CHROMIUM = '/usr/bin/chromium';

await mkdir(outdir, { recursive: true });
const site = await serveHarness(join(outdir, 'site'), { minify: false });

// Chromium may still be installing: wait for it to answer --version.
for (let i = 0; ; i++) {
  try {
    if (existsSync(CHROMIUM)) {
      execFileSync(CHROMIUM, ['--version'], { stdio: 'ignore', timeout: 20_000 });
      break;
    }
  } catch {
    // not ready yet
  }
  if (i > 60) throw new Error(`${CHROMIUM} is not usable`);
  await new Promise((ok) => setTimeout(ok, 5000));
}

const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const errors: string[] = [];
try {
  const page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.setViewport({ width: 1280, height: 600 });
  const open = async (query: string): Promise<void> => {
    await page.goto(`${site.origin}/index.html?${query}`, { waitUntil: 'load' });
    await page.waitForFunction('window.harness && window.harness.readyMs !== undefined');
    await new Promise((ok) => setTimeout(ok, 250));
  };
  const shots: [string, string][] = [
    ['list', 'scenario=events'],
    ['echo', 'scenario=events&select=echo'],
    ['issue', 'scenario=events&select=issue'],
    ['error', 'scenario=events&select=error'],
    ['empty', 'scenario=empty'],
    ['denied', 'scenario=denied'],
  ];
  for (const theme of ['light', 'dark']) {
    for (const [name, query] of shots) {
      await open(`theme=${theme}&${query}`);
      const file = join(outdir, `${theme}-${name}.png`);
      await page.screenshot({ path: file });
      console.log(file);
    }
  }

  // Behaviour checks on the live page, and an axe-core accessibility scan.
  const axeSource = await readFile(resolve(here, '../../../node_modules/axe-core/axe.min.js'), 'utf8');
  const failures: string[] = [];
  const check = (name: string, ok: boolean, detail = ''): void => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
    if (!ok) failures.push(name);
  };
  const js = <T>(expr: string): Promise<T> => page.evaluate(expr) as Promise<T>;
  const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
  const counts = () => js<string>(`document.querySelector('.counts').textContent`);
  const selectedSeq = () => js<number | null>(`(() => { const r = document.querySelector('.rows .row[aria-selected="true"]'); return r ? Number(r.id.slice(3)) : null; })()`);
  const shown = async () => Number(/\(([\d,]+) shown\)/.exec(await counts())?.[1]?.replace(/,/g, '') ?? NaN);
  const atBottom = () => js<boolean>(`(() => { const l = document.querySelector('.list'); return l.scrollTop + l.clientHeight >= l.scrollHeight - 10; })()`);

  await open('theme=light&scenario=events&live=300');
  const total0 = await counts();
  await sleep(600);
  check('live events arrive and the list follows the newest', (await counts()) !== total0 && (await atBottom()), await counts());
  await js(`document.querySelector('.list').scrollTop = 0`);
  await sleep(500);
  const stayed = await js<number>(`document.querySelector('.list').scrollTop`);
  check('scrolled up: new events do not pull the list down', stayed === 0 && (await js<boolean>(`!!document.querySelector('.jump')`)));
  await page.click('.jump');
  await sleep(300);
  check('"Newest" jumps back and follows', await atBottom());

  await page.click('.rows .row:last-child');
  const first = await selectedSeq();
  await page.keyboard.press('ArrowUp');
  await sleep(100);
  const second = await selectedSeq();
  check('click selects, ArrowUp moves the selection', first !== null && second !== null && second < first, `${first} → ${second}`);
  await page.keyboard.press('Enter');
  check('Enter focuses the detail pane', await js<boolean>(`document.activeElement === document.querySelector('.detail')`));
  await page.keyboard.press('/');
  check('"/" focuses the filter', await js<boolean>(`document.activeElement === document.querySelector('.filter')`));
  await page.keyboard.type('grace hopper');
  await sleep(100);
  check('filtering narrows the list', (await shown()) < 300, await counts());
  await page.keyboard.press('Escape');
  await sleep(100);
  check('Esc clears the filter', (await js<string>(`document.querySelector('.filter').value`)) === '' && (await shown()) > 1900, await counts());

  // Queries: a field query narrows; one that does not parse says where and why under the box, and the
  // list keeps its last answer; autocomplete offers field names (Tab takes one).
  await page.keyboard.type('category:chat');
  await sleep(150);
  const chat = await shown();
  check('a field query narrows the list', chat > 0 && chat < 1900, await counts());
  await page.keyboard.type(' (');
  await sleep(150);
  const queryError = await js<string | null>(`document.querySelector('.query-error')?.textContent ?? null`);
  // the list keeps answering category:chat (events still stream in: as many or a few more, never all)
  const after = await shown();
  check('a query error says where and why, and the list stays', queryError === 'at column 16: expected a term' && after >= chat && after < chat + 50, `${queryError} · ${chat} before · ${await counts()}`);
  await page.screenshot({ path: join(outdir, 'light-query-error.png') });
  await page.keyboard.press('Escape');
  await page.keyboard.type('-categ');
  await sleep(150);
  const offered = await js<string[]>(`[...document.querySelectorAll('.query-suggestions [role=option] .sug-label')].map((e) => e.textContent)`);
  await page.keyboard.press('Tab');
  await sleep(150);
  check('autocomplete offers field names; Tab takes one', offered[0] === 'category' && (await js<string>(`document.querySelector('.filter').value`)) === '-category:', `${offered.join(',')} → ${await js<string>(`document.querySelector('.filter').value`)}`);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await sleep(150);

  // The rows in DOM order are the list's order, one after another (the row painter reuses slots).
  const order = await js<number[]>(`[...document.querySelectorAll('.rows > .row')].map((r) => Number(r.getAttribute('aria-rowindex')))`);
  check('rows in the DOM in list order', order.length > 20 && order.every((n, i) => i === 0 || n === order[i - 1]! + 1), order.join(' '));

  await page.click('.toolbar button[aria-pressed]');
  const paused = await counts();
  // While paused the panel still renders (the button counts what waits), and no row changes: nothing is written to them.
  await js(`window.rowWrites = 0; window.rowWhat = []; new MutationObserver((m) => { window.rowWrites += m.length; for (const r of m.slice(0, 3)) window.rowWhat.push(r.type + ' ' + (r.attributeName ?? '') + ' ' + (r.target.id || r.target.className || r.target.nodeName)); }).observe(document.querySelector('.rows'), { subtree: true, childList: true, attributes: true, characterData: true })`);
  await sleep(500);
  const label = await js<string>(`document.querySelector('.toolbar button[aria-pressed]').textContent`);
  check('paused: the list holds still and counts what waits', (await counts()) === paused && /Resume \(\d+ new\)/.test(label), label);
  const writes = await js<number>('window.rowWrites');
  check('renders that change no row write nothing to the rows', writes === 0, `${writes} mutations: ${(await js<string[]>('window.rowWhat')).slice(0, 8).join(', ')}`);
  await page.click('.toolbar button[aria-pressed]');
  await sleep(100);
  check('resume shows what arrived meanwhile', (await counts()) !== paused);

  // At this width the toolbar keeps its least-used controls in its overflow menu.
  if (await js<boolean>(`!!document.querySelector('.more-btn')`)) await page.click('.more-btn');
  await page.click('#tb-more input[type=checkbox]');
  await sleep(100);
  check('keep-alives toggle shows ping/pong', !(await counts()).includes('shown'), await counts());

  for (const theme of ['light', 'dark']) {
    await open(`theme=${theme}&scenario=events&select=issue`);
    await page.addScriptTag({ content: axeSource });
    const found = await js<{ id: string; nodes: number }[]>(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, nodes: v.nodes.length, html: v.nodes.map((n) => n.html.slice(0, 200) + " :: " + (n.any[0]?.message ?? "")) })))`,
    );
    check(`axe-core (${theme}): no violations`, found.length === 0, JSON.stringify(found));
  }

  await open('theme=light&scenario=denied');
  await page.click('.empty-box .btn.primary');
  await sleep(200);
  check('Allow → asks to reload', (await js<string>(`document.querySelector('.empty-box').textContent`)).includes('Reload the page'));
  await page.click('.settings-btn');
  await page.type('#add-origin', 'staging.example.com');
  await page.keyboard.press('Enter');
  await sleep(200);
  const said = await js<string>(`document.querySelector('.popover').textContent`);
  check('Add origin… allows a typed origin', said.includes('Allowed on https://staging.example.com'), said);
  // Hundreds of topics: the tree renders the items in view, and the keyboard reaches every one.
  await open('theme=light&scenario=events&count=20000&topics=300');
  const tree = () =>
    js<{ inDom: number; setSize: number; active: string; inView: boolean }>(`(() => {
      const t = document.querySelector('[role=tree]');
      const a = document.getElementById(t.getAttribute('aria-activedescendant'));
      const r = a.getBoundingClientRect();
      const v = t.getBoundingClientRect();
      const first = t.querySelector('[role=treeitem][aria-level="1"]');
      return { inDom: t.querySelectorAll('[role=treeitem]').length, setSize: Number(first.getAttribute('aria-setsize')), active: a.querySelector('.tname').textContent, inView: r.top >= v.top && r.bottom <= v.bottom };
    })()`);
  const settle = () => js(`new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(ok, 0))))`);
  let t = await tree();
  check('a tree of 300 topics renders only the items in view', t.inDom < 80 && t.setSize === 302, JSON.stringify(t));
  await page.focus('[role=tree]');
  await page.keyboard.press('End');
  await settle();
  t = await tree();
  check('End: the last topic is active and in view', t.active === 'No topic' && t.inView, JSON.stringify(t));
  await page.keyboard.press('ArrowUp');
  await settle();
  t = await tree();
  check('ArrowUp from the last topic', t.active !== 'No topic' && t.inView, JSON.stringify(t));
  await page.keyboard.press('Home');
  await settle();
  t = await tree();
  check('Home: "All topics" again, in view', t.active === 'All topics' && t.inView, JSON.stringify(t));

  // Several topics chosen through the query (as Ctrl-click writes them, here by title): every one is marked in the tree.
  // (three "Project N" topics in view: each name is one topic's, unlike "new space")
  const names = await js<string[]>(`[...document.querySelectorAll('[role=treeitem][aria-level="1"] .tname')].map((e) => e.textContent).filter((n) => /^Project \\d+$/.test(n)).slice(0, 3)`);
  await page.focus('input.filter');
  await page.keyboard.type(`(${names.map((n) => `topic:"${n}"`).join(' OR ')}) -dir:out`);
  await sleep(1000);
  const chosenMarked = await js<string[]>(`[...document.querySelectorAll('.titem.chosen[aria-selected="true"] .tname')].map((e) => e.textContent)`);
  check('topics chosen through the query are each marked in the tree', chosenMarked.length === 3 && names.every((n) => chosenMarked.includes(n)), `${names.join(', ')} → ${chosenMarked.join(', ')}`);
  await page.keyboard.press('Escape');
  // Idle, the rate strip draws nothing.
  const draws = () => js<number>(`Number(document.querySelector('.rate-canvas').dataset.draws || 0)`);
  await sleep(1500);
  const d0 = await draws();
  await sleep(1000);
  check('the rate strip does not draw while nothing arrives', (await draws()) === d0 && d0 > 0, `${d0} → ${await draws()}`);
  // With no events: a short note, no empty band, no lone select.
  await open('theme=light&scenario=empty');
  check('the rate strip with no events says so in one line', await js<boolean>(`!!document.querySelector('.rate-empty-note') && !document.querySelector('.rate-legend') && document.querySelector('.rate-canvas').clientHeight === 0`));

  // Every width DevTools is docked at, both themes: screenshots, and at 550 and 900 px what must hold.
  const inside = (sel: string) =>
    js<{ n: number; out: string[] }>(`(() => {
      const out = [];
      const all = [...document.querySelectorAll(${JSON.stringify(sel)})].filter((e) => e.getClientRects().length > 0);
      for (const e of all) {
        const r = e.getBoundingClientRect();
        if (r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5 || r.width < 1) out.push((e.getAttribute('aria-label') || e.textContent || e.className).trim().slice(0, 30) + ' ' + [r.left, r.right].map(Math.round).join('–'));
      }
      return { n: all.length, out };
    })()`);
  const controls = '.toolbar button, .toolbar input:not(.sr-only), .toolbar select, .toolbar .tb-check';
  for (const width of [550, 900, 1280, 1920]) {
    await page.setViewport({ width, height: 700 });
    for (const theme of ['light', 'dark']) {
      await open(`theme=${theme}&scenario=events&select=message`);
      const file = join(outdir, `${theme}-${width}-message.png`);
      await page.screenshot({ path: file });
      console.log(file);
      await page.addScriptTag({ content: axeSource });
      const found = await js<{ id: string; impact: string; nodes: number }[]>(
        `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))`,
      );
      check(`axe-core at ${width} px (${theme}): no serious or critical violation`, found.length === 0, JSON.stringify(found));
    }
    if (width > 900) continue;
    const row = await js<{ event: string; title: string; summary: string; summaryW: number; inView: boolean }>(`(() => {
      const r = document.querySelector('.rows .row[aria-selected="true"]');
      if (!r) return { event: '', title: '', summary: '', summaryW: 0, inView: false };
      const l = document.querySelector('.list').getBoundingClientRect(), b = r.getBoundingClientRect();
      const s = r.querySelector('.c-summary');
      return { event: r.querySelector('.c-event').textContent, title: r.querySelector('.c-event').title, summary: s.textContent, summaryW: s.getBoundingClientRect().width, inView: b.top >= l.top && b.bottom <= l.bottom && b.right <= innerWidth };
    })()`);
    check(
      `${width} px: the selected MESSAGE_SENT row shows its category and summary`,
      row.inView && row.event !== 'MESSAGE_SENT' && row.title === `MESSAGE_SENT: ${row.event}` && row.summary.length > 0 && row.summaryW >= 150,
      JSON.stringify(row),
    );
    check(`${width} px: the detail is open with the list`, await js<boolean>(`!!document.querySelector('.detail') && document.querySelector('.list').clientHeight > 60 && document.querySelector('.list').clientWidth > 300`));
    let c = await inside(controls);
    check(`${width} px: every toolbar control inside the panel`, c.out.length === 0 && c.n >= 6, JSON.stringify(c));
    if (await js<boolean>(`!!document.querySelector('.more-btn')`)) {
      await page.click('.more-btn');
      c = await inside('#tb-more button, #tb-more .tb-check, #tb-more select');
      check(`${width} px: the overflow menu's controls inside the panel`, c.out.length === 0 && c.n >= 5, JSON.stringify(c));
      await page.screenshot({ path: join(outdir, `dark-${width}-more.png`) });
      await page.click('#tb-more .settings-anchor button');
      c = await inside('.popover');
      check(`${width} px: the Export pop-up inside the panel`, c.out.length === 0 && c.n === 1, JSON.stringify(c));
      await page.screenshot({ path: join(outdir, `dark-${width}-export.png`) });
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
    }
    await page.click('.settings-btn');
    c = await inside('.popover');
    check(`${width} px: the Settings pop-up inside the panel`, c.out.length === 0 && c.n === 1, JSON.stringify(c));
    await page.keyboard.press('Escape');
    // Collapsed by default when narrow, shown beside the list when there is room; a toggle either way.
    const sideAtFirst = await js<boolean>(`!!document.querySelector('.side')`);
    await page.click('.side-toggle');
    const sideThen = await js<boolean>(`!!document.querySelector('.side')`);
    if (!sideThen) await page.click('.side-toggle');
    c = await inside('.side, .side [role=tab]');
    check(`${width} px: the sidebar collapses and opens, inside the panel`, sideAtFirst === (width > 800) && sideThen !== sideAtFirst && c.out.length === 0 && c.n >= 4, JSON.stringify(c));
    await page.screenshot({ path: join(outdir, `dark-${width}-sidebar.png`) });
  }
  await page.setViewport({ width: 1280, height: 600 });

  // Esc the panel handles goes no further (DevTools would open its Console drawer), and focus lands where it should.
  await open('theme=light&scenario=events&select=message');
  await js(`window.escSeen = 0; document.addEventListener('keydown', (e) => { if (e.key === 'Escape') window.escSeen++; })`);
  await page.focus('.list');
  await page.keyboard.press('Escape');
  await sleep(100);
  check('Esc in the list closes the detail, stops there, focus stays on the list', (await js<number>('window.escSeen')) === 0 && (await js<boolean>(`!document.querySelector('.detail') && document.activeElement === document.querySelector('.list')`)));
  await page.click('.settings-btn');
  await page.keyboard.press('Escape');
  await sleep(100);
  const afterEsc = await js<string>(`window.escSeen + ' ' + !!document.querySelector('.popover') + ' ' + document.activeElement.className`);
  check('Esc in Settings closes it, stops there, focus back on ⚙', afterEsc === '0 false tb-btn icon settings-btn', afterEsc);
  await page.keyboard.press('Escape');
  check('an Esc the panel does not handle reaches DevTools', (await js<number>('window.escSeen')) === 1);

  // The copy menu: right-click a row, or the context-menu key on the selected one.
  await js(`window.copied = []; navigator.clipboard.writeText = async (t) => { window.copied.push(t); }`);
  await page.click('.rows .row:last-child', { button: 'right' });
  let m = await inside('[role=menu], [role=menu] [role=menuitem]');
  const items = await js<string[]>(`[...document.querySelectorAll('[role=menu] [role=menuitem]')].map((i) => i.textContent)`);
  check('right-click on a row: the copy menu, inside the panel', m.out.length === 0 && items.includes('Copy payload') && items.includes('Copy raw frame') && items.includes('Copy as socket.emit(…)'), JSON.stringify({ m, items }));
  await page.keyboard.press('Escape');
  check('Esc closes the copy menu, focus back on the list', await js<boolean>(`!document.querySelector('[role=menu]') && document.activeElement === document.querySelector('.list')`));
  await open('theme=light&scenario=events&select=message');
  await js(`window.copied = []; navigator.clipboard.writeText = async (t) => { window.copied.push(t); }`);
  await page.focus('.list');
  await page.keyboard.press('ContextMenu');
  await sleep(50);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await sleep(100);
  const copied = await js<string[]>('window.copied');
  check('the context-menu key, then "Copy as socket.emit(…)"', copied.length === 1 && copied[0]!.startsWith('socket.emit("MESSAGE_SENT", {'), JSON.stringify(copied).slice(0, 120));

  // The payload tree: one tab stop, arrow keys inside, a copy menu for a value and its path.
  await open('theme=light&scenario=events&select=message');
  await js(`window.copied = []; navigator.clipboard.writeText = async (t) => { window.copied.push(t); }`);
  const jt = () => js<{ stops: number; active: string; expanded: string | null; items: number }>(`(() => {
    const t = document.querySelector('.j-tree');
    const a = document.getElementById(t.getAttribute('aria-activedescendant'));
    return { stops: t.querySelectorAll('button, [tabindex]').length, active: a.textContent, expanded: a.getAttribute('aria-expanded'), items: t.querySelectorAll('[role=treeitem]').length };
  })()`);
  await page.focus('.j-tree');
  let j = await jt();
  check('the payload tree is one tab stop, its root active', j.stops === 0 && j.expanded === 'true' && j.items > 3, JSON.stringify(j));
  await page.keyboard.press('ArrowLeft');
  await sleep(50);
  j = await jt();
  check('ArrowLeft closes the active branch', j.expanded === 'false' && j.items === 1, JSON.stringify(j));
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await sleep(50);
  j = await jt();
  check('ArrowRight opens it, ArrowDown moves to its entries', j.items > 3 && j.active.trim().startsWith('category'), JSON.stringify(j));
  await page.keyboard.press('ContextMenu');
  await sleep(50);
  const jItems = await js<string[]>(`[...document.querySelectorAll('[role=menu] [role=menuitem]')].map((i) => i.textContent)`);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await sleep(100);
  const jCopied = await js<string[]>('window.copied');
  check('the context-menu key on a value: copy its value or its path', jItems.includes('Copy value') && jCopied[0] === 'payload.category' && (await js<boolean>(`document.activeElement === document.querySelector('.j-tree')`)), JSON.stringify({ jItems, jCopied }));

  // Time formats from the header menu, kept with the prefs.
  await open('theme=light&scenario=events&persist=1');
  const times = () => js<string[]>(`[...document.querySelectorAll('.rows .row .c-time')].slice(0, 3).map((c) => c.textContent)`);
  const pick = async (label: string): Promise<void> => {
    await page.click('.col-menu-btn');
    await page.evaluate(`[...document.querySelectorAll('[role=menu] [role^=menuitem]')].find((i) => i.textContent.includes(${JSON.stringify(label)})).click()`);
    await sleep(100);
  };
  await pick('Delta from the previous row');
  let tt = await times();
  check('time as delta from the previous row', tt.length === 3 && tt.every((x) => /^[+−]\d+\.\d{3} s$/.test(x!)), tt.join(' '));
  await open('theme=light&scenario=events&persist=1');
  tt = await times();
  check('the time format is kept with the prefs', tt.length === 3 && tt.every((x) => /^[+−]/.test(x!)) && (await js<string>(`document.querySelector('.row.header .c-time').textContent`)).includes('Δ'), tt.join(' '));
  await pick('UTC');
  tt = await times();
  check('time in UTC', tt.every((x) => /^\d\d:\d\d:\d\d\.\d{3}Z$/.test(x!)), tt.join(' '));
  await pick('Local time');
  await pick('Size');
  check('a column hidden from the header menu', await js<boolean>(`document.querySelector('.rows .row .c-size').getClientRects().length === 0`));
  await pick('Reset columns');
  await js('localStorage.clear()');

  // Page loads: with Preserve log a marked edge where a load starts; without it, only the current load.
  await open('theme=light&scenario=events&loads=1,1995');
  const marked = await js<string[]>(`[...document.querySelectorAll('.rows .row.load-start')].map((r) => r.id)`);
  check('Preserve log: the first row of a later page load is marked', marked.length === 1 && marked[0] === 'ev-1995', marked.join(' '));
  // A marker row of its own, between the loads, with the page and the time; no row index of its own.
  const marker = await js<{ text: string; next: string; prev: string; gap: number; index: string | null } | null>(`(() => {
    const m = document.querySelector('.rows .load-marker');
    if (!m) return null;
    const next = m.nextElementSibling, prev = m.previousElementSibling;
    return { text: m.textContent, next: next.id, prev: prev.id, gap: parseFloat(next.style.top) - parseFloat(prev.style.top), index: m.getAttribute('aria-rowindex') };
  })()`);
  check(
    'Preserve log: a marker row "Page reloaded · <url> · <time>" between the loads',
    !!marker && /^Page reloaded · https:\/\/spaces\.avayacloud\.com\/\S+load=2 · \d\d:\d\d:\d\d\.\d{3}/.test(marker.text) && marker.prev === 'ev-1994' && marker.next === 'ev-1995' && marker.gap === 40 && marker.index === null,
    JSON.stringify(marker),
  );
  await js(`document.getElementById('ev-1994').dispatchEvent(new MouseEvent('mousedown', { bubbles: true })), document.querySelector('.list').focus()`);
  await sleep(50);
  await page.keyboard.press('ArrowDown');
  await sleep(50);
  check('the arrow keys step over the marker row', (await js<string>(`document.querySelector('.rows .row.selected').id`)) === 'ev-1995');
  await page.screenshot({ path: join(outdir, 'light-page-load.png') });
  await js('localStorage.clear()');

  // Sorting: a header sorts, again reverses, a third time goes back to arrival order; kept with the prefs.
  await open('theme=light&scenario=events&persist=1');
  const sizes = () => js<number[]>(`[...document.querySelectorAll('.rows .row')].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).map((r) => { const t = r.querySelector('.c-size').textContent; return parseFloat(t) * (t.endsWith('kB') ? 1000 : 1); })`);
  const ariaSort = () => js<string | null>(`document.querySelector('.row.header .c-size').getAttribute('aria-sort')`);
  const sortBtn = '.row.header .c-size .col-sort';
  await page.click(sortBtn);
  await sleep(100);
  const asc = await sizes();
  check('a click on Size sorts by size, smallest first (from the top)', (await ariaSort()) === 'ascending' && asc.length > 5 && asc.every((x, i) => i === 0 || asc[i - 1]! <= x), asc.join(','));
  await page.click(sortBtn);
  await sleep(100);
  const sz = await sizes();
  const note = await js<string>(`document.querySelector('.sort-note')?.textContent ?? ''`);
  check('again: largest first, and it says where new events go', (await ariaSort()) === 'descending' && sz.every((x, i) => i === 0 || sz[i - 1]! >= x) && note.includes('new events are placed by size') && sz[0]! > asc[0]!, `${sz.join(',')} ${note}`);
  await page.screenshot({ path: join(outdir, 'light-sorted.png') });
  await open('theme=light&scenario=events&persist=1');
  check('the sort is kept with the prefs', (await ariaSort()) === 'descending');
  await page.click(sortBtn);
  await sleep(100);
  check('a third click: arrival order', (await ariaSort()) === null && !(await js<boolean>(`!!document.querySelector('.sort-note')`)));
  await js(`localStorage.setItem('spaces-devtools.panel', JSON.stringify({ preserve: false }))`);
  await open('theme=light&scenario=events&loads=1,1995&persist=1');
  const firstRow = await js<string>(`document.querySelector('.list').scrollTop = 0, document.querySelector('.rows .row').id`);
  check('without Preserve log, a panel opened after reloads lists the current load only', firstRow === 'ev-1995' && (await counts()).startsWith('6 events'), `${firstRow} ${await counts()}`);
  await js('localStorage.clear()');
  if (failures.length) process.exitCode = 1;

  // 100,000 events: time to mount, and frame times while scrolling through the list.
  await open('theme=light&scenario=events&count=100000');
  // A string, not a function: tsx would wrap a function with helpers the page does not have.
  const perf = (await page.evaluate(`(async () => {
    const list = document.querySelector('.list');
    const frame = () => new Promise((ok) => requestAnimationFrame(ok));
    const times = [];
    let prev = await frame();
    for (let i = 0; i < 120; i++) {
      list.scrollTop = Math.floor(((i * 7919) % 120) / 120 * list.scrollHeight);
      const now = await frame();
      times.push(now - prev);
      prev = now;
    }
    times.sort((a, b) => a - b);
    // Steady scrolling, 3 rows a frame, from the middle down.
    const smooth = [];
    list.scrollTop = list.scrollHeight / 2;
    prev = await frame();
    for (let i = 0; i < 120; i++) {
      list.scrollTop += 60;
      const now = await frame();
      smooth.push(now - prev);
      prev = now;
    }
    smooth.sort((a, b) => a - b);
    // The same number of frames without scrolling: what this machine gives an idle page.
    const idle = [];
    prev = await frame();
    for (let i = 0; i < 120; i++) {
      const now = await frame();
      idle.push(now - prev);
      prev = now;
    }
    idle.sort((a, b) => a - b);
    return {
      idleMedianFrameMs: Math.round(idle[60] * 10) / 10,
      smoothMedianFrameMs: Math.round(smooth[60] * 10) / 10,
      smoothP95FrameMs: Math.round(smooth[114] * 10) / 10,
      rowsInDom: document.querySelectorAll('.rows .row').length,
      readyMs: Math.round(window.harness.readyMs),
      jumpMedianFrameMs: Math.round(times[60] * 10) / 10,
      jumpP95FrameMs: Math.round(times[114] * 10) / 10,
    };
  })()`)) as Record<string, number>;
  console.log('100,000 events:', JSON.stringify(perf));
} finally {
  await browser.close();
  site.close();
}
if (errors.length) {
  console.error('page errors:\n' + errors.join('\n'));
  process.exitCode = 1;
}
