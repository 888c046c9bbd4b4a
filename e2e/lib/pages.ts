// Waiting on the simulator's pages in Chromium (Playwright pages).
import { expect, type Page } from '@playwright/test';

/** Waits until the page has an element matching selector (the simulator's pages mark the body when they are done). */
export async function pageDone(page: Page, selector = 'body[data-sim-done="1"]', timeout = 30_000): Promise<void> {
  await expect(page.locator(selector)).toBeAttached({ timeout });
}

/** A pause between faults a test injects (where a stop falls in a burst), never a wait for a result. */
export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
