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
  check('a query error says where and why, and the list stays', queryError === 'at column 16: expected a term' && (await shown()) === chat, `${queryError} · ${await counts()}`);
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

  await page.click('button[aria-pressed]');
  const paused = await counts();
  // While paused the panel still renders (the button counts what waits), and no row changes: nothing is written to them.
  await js(`window.rowWrites = 0; new MutationObserver((m) => { window.rowWrites += m.length; }).observe(document.querySelector('.rows'), { subtree: true, childList: true, attributes: true, characterData: true })`);
  await sleep(500);
  const label = await js<string>(`document.querySelector('button[aria-pressed]').textContent`);
  check('paused: the list holds still and counts what waits', (await counts()) === paused && /Resume \(\d+ new\)/.test(label), label);
  const writes = await js<number>('window.rowWrites');
  check('renders that change no row write nothing to the rows', writes === 0, `${writes} mutations`);
  await page.click('button[aria-pressed]');
  await sleep(100);
  check('resume shows what arrived meanwhile', (await counts()) !== paused);

  await page.click('input[type=checkbox]');
  await sleep(100);
  check('keep-alives toggle shows ping/pong', !(await counts()).includes('shown'), await counts());

  const axeSource = await readFile(resolve(here, '../../../node_modules/axe-core/axe.min.js'), 'utf8');
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
