// Debian's Firefox ESR with the built extension, driven over Marionette: a fresh profile, a temporary add-on,
// the real DevTools toolbox and its "Spaces" tab, read through a frame script loaded into the panel's browser.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from '@playwright/test';
import { findFirefox } from './browsers';
import { Marionette } from './marionette';
import { listCells, num, toRows, type Row } from './panel';
import { settledCount, until } from './wait';

export const FIREFOX_BUILD = resolve(import.meta.dirname, '../../dist/firefox');

export interface Firefox {
  m: Marionette;
  addonId: string;
  /** Quits Firefox (killing it if it does not quit) and removes its profile. */
  close(): Promise<void>;
}

const PREFS: Record<string, string | number | boolean> = {
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.startup.page': 0,
  'browser.aboutwelcome.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.disabledForTesting': true,
  'browser.safebrowsing.update.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.update.enabled': false,
  // An optional permission asked for from the panel is granted without the door-hanger a person would click.
  'extensions.webextOptionalPermissionPrompts': false,
  'devtools.toolbox.host': 'bottom',
  'devtools.toolbox.footer.height': 520,
  'devtools.theme': 'light',
  'devtools.everOpened': true,
  'devtools.chrome.enabled': true,
};

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

export async function launchFirefox(): Promise<Firefox> {
  const executable = findFirefox();
  if (!executable) throw new Error('no Firefox found (install Debian firefox-esr or set FIREFOX_PATH)');
  const port = await freePort();
  const profile = mkdtempSync(join(tmpdir(), 'spaces-e2e-firefox-'));
  const prefs = { ...PREFS, 'marionette.port': port };
  writeFileSync(join(profile, 'user.js'), Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`).join(''));
  const proc = spawn(executable, ['-headless', '-marionette', '-remote-allow-system-access', '-no-remote', '-profile', profile], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOZ_HEADLESS_WIDTH: '1280', MOZ_HEADLESS_HEIGHT: '900' },
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  // Should the test process end without closing it (its content processes end with it).
  const killOnExit = (): void => kill(proc);
  process.once('exit', killOnExit);
  const close = async (m?: Marionette): Promise<void> => {
    process.off('exit', killOnExit);
    if (m) {
      await Promise.race([m.send('Marionette:Quit', { flags: ['eForceQuit'] }).catch(() => undefined), sleep(3_000)]);
      m.close();
    }
    await Promise.race([exited, sleep(5_000)]);
    kill(proc);
    await Promise.race([exited, sleep(2_000)]);
    rmSync(profile, { recursive: true, force: true });
  };
  let m: Marionette | undefined;
  try {
    m = await Marionette.connectWhenUp(port, 30_000);
    await m.send('WebDriver:NewSession', { capabilities: { alwaysMatch: { acceptInsecureCerts: true, timeouts: { implicit: 10_000 } } } });
    const { value: addonId } = await m.send<{ value: string }>('Addon:Install', { path: FIREFOX_BUILD, temporary: true });
    const client = m;
    return { m, addonId, close: () => close(client) };
  } catch (e) {
    await close(m);
    throw new Error(`Firefox did not start: ${e instanceof Error ? e.message : String(e)}\n${stderr}`);
  }
}

function kill(proc: ChildProcess): void {
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs `body` (the inside of an async function receiving `args`) in the browser window's chrome scope,
 * where gBrowser, Services and ChromeUtils live, and returns its JSON-able result.
 */
export async function inChrome<T>(ff: Firefox, body: string, args: unknown[] = [], timeoutMs = 30_000): Promise<T> {
  await ff.m.send('Marionette:SetContext', { value: 'chrome' });
  const script = `
    const done = arguments[arguments.length - 1];
    (async (...args) => { ${body} })(...Array.prototype.slice.call(arguments, 0, -1)).then(
      (value) => done({ value }),
      (e) => done({ error: String(e) + '\\n' + (e && e.stack || '') }),
    );`;
  try {
    const r = await ff.m.executeAsync<{ value?: T; error?: string }>(script, args, timeoutMs);
    if (r.error !== undefined) throw new Error(r.error);
    return r.value as T;
  } finally {
    await ff.m.send('Marionette:SetContext', { value: 'content' });
  }
}

/** Chrome-scope lines giving `toolbox`: the DevTools toolbox of the selected tab, opened if need be. */
const TOOLBOX = `
  const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { gDevTools } = require('devtools/client/framework/devtools');
  const toolbox = await gDevTools.showToolboxForTab(gBrowser.selectedTab);`;

/** Chrome-scope lines giving `panelBrowser`: the remote <browser> the Spaces panel page lives in. */
const PANEL_BROWSER = `${TOOLBOX}
  const tool = toolbox.getAdditionalTools().find((d) => d.label === 'Spaces');
  if (!tool) throw new Error('no Spaces tool');
  const frame = toolbox.doc.getElementById('toolbox-panel-iframe-' + tool.id);
  const panelBrowser = frame && frame.contentDocument && frame.contentDocument.querySelector('browser');
  if (!panelBrowser) throw new Error('the Spaces panel has no browser yet');`;

/** Opens DevTools on the selected tab, selects the "Spaces" tab and waits for the panel to render. Returns the tool id. */
export async function openSpacesPanel(ff: Firefox, timeoutMs = 20_000): Promise<string> {
  const id = await inChrome<string>(
    ff,
    `${TOOLBOX}
    const deadline = Date.now() + args[0];
    let tool;
    while (!(tool = toolbox.getAdditionalTools().find((d) => d.label === 'Spaces'))) {
      if (Date.now() > deadline) throw new Error('no "Spaces" tab appeared in DevTools');
      await new Promise((r) => setTimeout(r, 100));
    }
    await toolbox.selectTool(tool.id);
    return tool.id;`,
    [timeoutMs],
  );
  const rendered = () => until('the Spaces panel rendered', () => inPanel(ff, (content) => !!content.document.querySelector('#app > *')).catch(() => false), (ready) => ready, timeoutMs);
  await rendered();
  // The panel's prefs (view, filters, query, sort) live in the profile: each spec file starts from none, as
  // in a browser of its own (the Chromium fixture's freshPrefsFor).
  let file: string | undefined;
  try {
    file = test.info().file;
  } catch {
    // outside a test (scripts): the prefs stay
  }
  if (file !== undefined && prefsFile.get(ff) !== file) {
    await inPanel(ff, (content) => {
      content.localStorage.clear();
      content.location.reload();
    });
    await new Promise((r) => setTimeout(r, 300));
    await rendered();
    prefsFile.set(ff, file);
  }
  return id;
}

/** The spec file whose prefs the panel of each browser holds. */
const prefsFile = new WeakMap<Firefox, string>();

/** Closes the toolbox of the selected tab. */
export async function closeDevTools(ff: Firefox): Promise<void> {
  await inChrome(
    ff,
    `const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
    const { gDevTools } = require('devtools/client/framework/devtools');
    await gDevTools.closeToolboxForTab(gBrowser.selectedTab);`,
  );
}

/**
 * Runs fn in the Spaces panel's process, through a frame script: `content` is the panel's window (seen
 * through Xray wrappers). fn's source is sent as text, so it must not use anything from its closure.
 */
export async function inPanel<T, A = undefined>(ff: Firefox, fn: (content: Window, arg: A) => T | Promise<T>, arg?: A, timeoutMs = 15_000): Promise<Awaited<T>> {
  const reply = `spaces-e2e:${Math.random().toString(36).slice(2)}`;
  const frameScript = `(async () => {
      try {
        const value = await (${fn.toString()})(content, ${JSON.stringify(arg ?? null)});
        sendAsyncMessage(${JSON.stringify(reply)}, { json: JSON.stringify(value === undefined ? null : value) });
      } catch (e) {
        sendAsyncMessage(${JSON.stringify(reply)}, { error: String(e) });
      }
    })();`;
  const r = await inChrome<{ json?: string; error?: string }>(
    ff,
    `${PANEL_BROWSER}
    const mm = panelBrowser.messageManager;
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => { mm.removeMessageListener(args[0], listener); reject(new Error('no answer from the panel')); }, args[2]);
      const listener = (msg) => { clearTimeout(timer); mm.removeMessageListener(args[0], listener); resolve(msg.data); };
      mm.addMessageListener(args[0], listener);
      mm.loadFrameScript('data:,' + encodeURIComponent(args[1]), false);
    });`,
    [reply, frameScript, timeoutMs],
    timeoutMs + 15_000,
  );
  if (r.error !== undefined) throw new Error(`in the panel: ${r.error}`);
  return JSON.parse(r.json ?? 'null') as Awaited<T>;
}

/** A PNG of the whole browser window, DevTools included. */
export async function screenshot(ff: Firefox): Promise<Buffer> {
  await ff.m.send('Marionette:SetContext', { value: 'chrome' });
  try {
    const { value } = await ff.m.send<{ value: string }>('WebDriver:TakeScreenshot', { full: false });
    return Buffer.from(value, 'base64');
  } finally {
    await ff.m.send('Marionette:SetContext', { value: 'content' });
  }
}

export async function setPref(ff: Firefox, name: string, value: string): Promise<void> {
  await inChrome(ff, `Services.prefs.setStringPref(args[0], args[1]);`, [name, value]);
}

/**
 * Clicks, as a person would, the first button in the panel whose text starts with `label`: a pointer
 * action of the browser window at the button's place, so the panel gets trusted input events.
 */
export async function clickPanelButton(ff: Firefox, label: string): Promise<void> {
  const at = await inPanel(
    ff,
    (content, text) => {
      const b = Array.from(content.document.querySelectorAll('button')).find((x) => (x.textContent ?? '').trim().startsWith(text));
      if (!b) return null;
      const r = b.getBoundingClientRect();
      const screen = content as unknown as { mozInnerScreenX: number; mozInnerScreenY: number };
      return { x: screen.mozInnerScreenX + r.left + r.width / 2, y: screen.mozInnerScreenY + r.top + r.height / 2 };
    },
    label,
  );
  if (!at) throw new Error(`no "${label}" button in the panel`);
  const origin = await inChrome<{ x: number; y: number; scale: number }>(ff, `return { x: window.mozInnerScreenX, y: window.mozInnerScreenY, scale: window.devicePixelRatio };`);
  const x = Math.round(at.x - origin.x);
  const y = Math.round(at.y - origin.y);
  await ff.m.send('Marionette:SetContext', { value: 'chrome' });
  try {
    await ff.m.send('WebDriver:PerformActions', {
      actions: [
        {
          type: 'pointer',
          id: 'mouse',
          parameters: { pointerType: 'mouse' },
          actions: [
            { type: 'pointerMove', x, y, origin: 'viewport' },
            { type: 'pointerDown', button: 0 },
            { type: 'pointerUp', button: 0 },
          ],
        },
      ],
    });
    await ff.m.send('WebDriver:ReleaseActions');
  } finally {
    await ff.m.send('Marionette:SetContext', { value: 'content' });
  }
}

/** Scrolls the panel's (virtualized) list from top to bottom and returns every row, in list order. */
export async function panelRows(ff: Firefox, timeoutMs = 15_000): Promise<Row[]> {
  return toRows(await inPanel(ff, listCells, undefined, timeoutMs));
}

/** Rows the list says it has (aria-rowcount less the header), once at least `atLeast` and settled. */
export function waitForPanelRows(ff: Firefox, atLeast: number, timeoutMs = 20_000): Promise<number> {
  return settledCount(
    `at least ${atLeast} rows in the panel`,
    () => inPanel(ff, (content) => Number(content.document.querySelector('[role=grid]')?.getAttribute('aria-rowcount') ?? 1) - 1),
    atLeast,
    timeoutMs,
  );
}

/** The panel document's markup (attributes included) and its visible text. */
export function panelContent(ff: Firefox): Promise<{ html: string; text: string; theme: string | null }> {
  return inPanel(ff, (content) => ({
    html: content.document.documentElement.outerHTML,
    text: content.document.body.innerText,
    theme: content.document.documentElement.getAttribute('data-theme'),
  }));
}

/** Waits until the panel's visible text contains `needle`; returns the text. */
export async function waitForPanelText(ff: Firefox, needle: string, timeoutMs = 10_000): Promise<string> {
  const { text } = await until(`the panel says "${needle}"`, () => panelContent(ff), (c) => c.text.includes(needle), timeoutMs, (c) => c.text.slice(0, 1000));
  return text;
}

/** Opens url in a new tab and makes it the current one. Returns the tab's window handle. */
export async function openTab(ff: Firefox, url: string): Promise<string> {
  const { handle } = await ff.m.send<{ handle: string }>('WebDriver:NewWindow', { type: 'tab', focus: true });
  await ff.m.send('WebDriver:SwitchToWindow', { handle, focus: true });
  await ff.m.send('WebDriver:Navigate', { url });
  return handle;
}

/** Closes the current tab and switches to the one left. */
export async function closeTab(ff: Firefox): Promise<void> {
  const left = await ff.m.send<string[]>('WebDriver:CloseWindow');
  if (left[0]) await ff.m.send('WebDriver:SwitchToWindow', { handle: left[0], focus: true });
}

/** Waits for the simulator's demo page to finish its script (body[data-sim-done]). */
export async function waitForSimDone(ff: Firefox, timeoutMs = 30_000): Promise<void> {
  await ff.m.executeAsync(
    `const done = arguments[arguments.length - 1];
    const t = setInterval(() => { if (document.body && document.body.dataset.simDone === '1') { clearInterval(t); done(true); } }, 100);`,
    [],
    timeoutMs,
  );
}

/** Withdraws the extension's host permission for pattern, as a person can in about:addons. */
export async function revokeHostPermission(ff: Firefox, pattern: string): Promise<void> {
  await inChrome(
    ff,
    `const { ExtensionPermissions } = ChromeUtils.importESModule('resource://gre/modules/ExtensionPermissions.sys.mjs');
    const policy = WebExtensionPolicy.getByID(args[0]);
    await ExtensionPermissions.remove(args[0], { permissions: [], origins: [args[1]] }, policy.extension);`,
    [ff.addonId, pattern],
  );
}

/** Waits until the page has an element matching `selector` (set by a simulator page when it is done). */
export async function waitForPage(ff: Firefox, selector: string, timeoutMs = 30_000): Promise<void> {
  await ff.m.executeAsync(
    `const done = arguments[arguments.length - 1];
    const t = setInterval(() => { if (document.querySelector(arguments[0])) { clearInterval(t); done(true); } }, 100);`,
    [selector],
    timeoutMs,
  );
}

/** A data attribute of the page's <html> or <body> (as given, e.g. "body.echoes"). */
export async function pageData(ff: Firefox, which: 'html' | 'body', key: string): Promise<string | undefined> {
  return ff.m.executeAsync<string | undefined>(
    `const done = arguments[arguments.length - 1];
    done((arguments[0] === 'html' ? document.documentElement : document.body).dataset[arguments[1]]);`,
    [which, key],
  );
}

/** Marks the page, so that waitForReloaded waits for the next document (not this one, done already). */
export async function markBeforeReload(ff: Firefox): Promise<void> {
  await ff.m.executeAsync(`document.documentElement.dataset.beforeReload = '1'; arguments[arguments.length - 1](true);`);
}

/** Waits for a reloaded page (no data-before-reload mark) to be done; the old one may unload under the script. */
export async function waitForReloaded(ff: Firefox, timeoutMs = 30_000): Promise<void> {
  await until(
    'the page reloaded and done',
    () =>
      ff.m
        .executeAsync<boolean>(`arguments[arguments.length - 1](!document.documentElement.dataset.beforeReload && !!document.body && document.body.dataset.simDone === '1');`)
        .catch(() => false),
    (done) => done,
    timeoutMs,
  );
}

export interface PanelCounts {
  line: string;
  held: number;
  shown: number;
  dropped: number;
  connections: number;
  empty: string;
}

/** The panel's counts line, read as figures, and its empty state's text. */
export async function panelCounts(ff: Firefox): Promise<PanelCounts> {
  const { line, empty } = await inPanel(ff, (content) => ({
    line: content.document.querySelector('.counts')?.textContent ?? '',
    empty: content.document.querySelector('.empty')?.textContent ?? '',
  }));
  const held = num(line, /^([\d,]+) events?/);
  return { line, held, shown: /shown\)/.test(line) ? num(line, /\(([\d,]+) shown\)/) : held, dropped: num(line, /([\d,]+) dropped/), connections: num(line, /([\d,]+) connections?/), empty };
}
