// Chromiums for the capture benches: the same flags with or without an extension.
import puppeteer, { type Browser } from 'puppeteer-core';
import { findChromium } from '../../e2e/lib/browsers';
import { CHROMIUM_ARGS } from '../../e2e/lib/chromium';

const ARGS = [
  ...CHROMIUM_ARGS,
  // No spare renderer: the processes DevTools starts are told apart from the page's by when they start.
  '--disable-features=SpareRendererForSitePerProcess',
];

export async function launchBench(extension?: string): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium found');
  return puppeteer.launch({
    executablePath,
    headless: true,
    pipe: true,
    handleDevToolsAsPage: true,
    ...(extension ? { enableExtensions: [extension] } : {}),
    args: ARGS,
  });
}

/** The id of the extension whose service worker runs in `browser`. */
export async function extensionId(browser: Browser): Promise<string> {
  const sw = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), { timeout: 15_000 });
  return new URL(sw.url()).host;
}
