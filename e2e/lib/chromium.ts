// Debian's Chromium with the built extension, driven by puppeteer-core: the real DevTools window and its
// "Spaces" tab, and the panel page. The e2e fixtures' fallback path and the scripts (soak, screenshots,
// bench) use it; the e2e suite launches Chromium through Playwright (e2e/fixtures/chromium.ts).
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { resolve } from 'node:path';
import { findChromium } from './browsers';

export const CHROME_BUILD = resolve(import.meta.dirname, '../../dist/chrome');

export interface Chromium {
  browser: Browser;
  extensionId: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  args?: string[];
  /** A profile to start from (e.g. with DevTools preferences written into Default/Preferences). */
  userDataDir?: string;
}

/** Flags of every Chromium the e2e and the benches start: no sandbox (containers), no GPU, nothing fetched on its own. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(opts: LaunchOptions = {}): Promise<Chromium> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium found (install Debian chromium or set CHROME_PATH)');
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    pipe: true,
    enableExtensions: [CHROME_BUILD],
    handleDevToolsAsPage: true,
    ...(opts.userDataDir ? { userDataDir: opts.userDataDir } : {}),
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
  });
  const sw = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), {
    timeout: 15_000,
  });
  const extensionId = new URL(sw.url()).host;
  return { browser, extensionId, close: () => browser.close() };
}

/**
 * Evaluates in an extension page (same storage and APIs as the worker). Attaching to the worker itself is
 * avoided: a worker that puppeteer is attached to may not come back after it is stopped.
 */
export async function inExtensionPage<T>(c: Chromium, fn: () => Promise<T>): Promise<T> {
  const p = await c.browser.newPage();
  try {
    await p.goto(`chrome-extension://${c.extensionId}/src/panel/index.html`);
    return await p.evaluate(fn);
  } finally {
    await p.close();
  }
}

/** Opens the real DevTools on `page`, selects the "Spaces" tab, and returns the DevTools page and the panel frame. */
export async function openSpacesPanel(page: Page, extensionId: string, opts: { dockBottom?: boolean } = {}): Promise<{ devtools: Page; panel: Frame }> {
  const devtools = await page.openDevTools();
  await devtools.setViewport({ width: 1280, height: 800 });
  // Generous: DevTools is slow to start on a loaded 2-core machine.
  const deadline = Date.now() + 45_000;
  // DevTools opens docked to the right: dock it to the bottom (Ctrl+Shift+D) so its tabs get the width.
  await devtools.waitForSelector('pierce/.tabbed-pane-header-tab', { timeout: 30_000 });
  if (opts.dockBottom !== false) await chord(devtools, 'Shift', 'D');
  // Extension panels come last; past the first ones they sit in the overflow menu, so step through the
  // panels with DevTools' own "next panel" shortcut (Ctrl+]) as a keyboard user would.
  while (Date.now() < deadline) {
    const selected = await devtools.$$eval('pierce/.tabbed-pane-header-tab.selected', (els) => els.map((e) => e.textContent?.trim()));
    if (selected.includes('Spaces')) return { devtools, panel: await waitForFrame(devtools, extensionId, deadline) };
    await chord(devtools, ']');
    await sleep(150);
  }
  throw new Error('no "Spaces" tab appeared in DevTools');
}

async function chord(p: Page, ...keys: string[]): Promise<void> {
  await p.keyboard.down('Control');
  for (const k of keys) await p.keyboard.down(k as never);
  for (const k of keys.reverse()) await p.keyboard.up(k as never);
  await p.keyboard.up('Control');
}

async function waitForFrame(devtools: Page, extensionId: string, deadline: number): Promise<Frame> {
  while (Date.now() < deadline) {
    const frame = devtools.frames().find((f) => f.url().startsWith(`chrome-extension://${extensionId}/`) && f.url().includes('panel'));
    if (frame) {
      await frame.waitForSelector('#app > *', { timeout: Math.max(1, deadline - Date.now()) });
      return frame;
    }
    await sleep(100);
  }
  throw new Error('the Spaces panel frame did not load');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
