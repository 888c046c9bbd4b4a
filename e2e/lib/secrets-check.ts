// Reading every place the secrets corpus could leak to from the Spaces panel (issue #17): each row opened in the
// detail pane with its payload tree and raw frame expanded, by the panel's own buttons. Shared by the Chromium
// and Firefox secrets specs: the in-page readers are sent as source text (no closure), as e2e/lib/panel.ts does.
import { KEPT, SECRETS } from '../../simulator/secrets';
import { leaked } from '../../test/fixtures/secrets';

export { KEPT, SECRETS };

/** Secrets found in text, in any of their forms (text, hex, base64), with where they were found. */
export function leaksIn(where: string, text: string): string[] {
  return leaked(text, SECRETS).map((s) => `${where}: ${s}`);
}

/** The look-alikes missing from text (they must stay, so that no output passes by blanking everything). */
export function keptMissing(where: string, text: string, kept: readonly string[] = KEPT): string[] {
  return kept.filter((k) => !text.includes(k)).map((k) => `${where} lost the look-alike ${JSON.stringify(k)}`);
}

/**
 * Runs in the panel's window: opens every collapsed node of the detail pane's payload tree, every "show all" of a
 * long string or child list and of the raw frame, until nothing is left to open; returns the pane's HTML and text.
 */
export async function expandDetail(win: Window): Promise<{ title: string; html: string; text: string }> {
  const doc = win.document;
  for (let round = 0; round < 50; round++) {
    const closed = Array.from(doc.querySelectorAll<HTMLButtonElement>('.detail [role=treeitem][aria-expanded="false"], .detail [role=treeitem][data-more], .detail .section-toggle[aria-expanded="false"]'));
    const more = Array.from(doc.querySelectorAll<HTMLButtonElement>('.detail button.link')).filter((b) => /show all|Show all|Show more/.test(b.textContent ?? ''));
    if (closed.length === 0 && more.length === 0) break;
    for (const b of [...closed, ...more]) b.click();
    await new Promise((r) => win.requestAnimationFrame(() => win.requestAnimationFrame(r)));
  }
  const pane = doc.querySelector('.detail');
  return { title: pane?.querySelector('.detail-title')?.textContent ?? '', html: pane?.outerHTML ?? '', text: (pane as HTMLElement | null)?.innerText ?? '' };
}

/**
 * Runs in the panel's window (Firefox: through a frame script, so self-contained): selects each row in turn as a
 * mouse press on it does (the list's own handler), scrolling it into view, then opens everything in its detail
 * pane as expandDetail does; returns each pane's title, HTML and text.
 */
export async function everyRowDetail(win: Window): Promise<{ title: string; html: string; text: string }[]> {
  const doc = win.document;
  const frame = (): Promise<unknown> => new Promise((r) => win.requestAnimationFrame(() => win.requestAnimationFrame(r)));
  const grid = doc.querySelector('[role=grid]') as HTMLElement | null;
  if (!grid) return [];
  const n = Number(grid.getAttribute('aria-rowcount') ?? 1) - 1;
  const out: { title: string; html: string; text: string }[] = [];
  for (let i = 0; i < n; i++) {
    const find = (): HTMLElement | null => doc.querySelector(`[role=rowgroup] [role=row][aria-rowindex="${i + 2}"]`);
    for (let tries = 0; tries < 40 && !find(); tries++) {
      grid.scrollTop = Math.max(0, i * 20 - grid.clientHeight / 2);
      await frame();
    }
    const row = find();
    if (!row) throw new Error(`row ${i + 1} of ${n} not found`);
    (row.querySelector('[role=gridcell]') ?? row).dispatchEvent(new (win as unknown as { MouseEvent: typeof MouseEvent }).MouseEvent('mousedown', { bubbles: true, button: 0 }));
    for (let tries = 0; tries < 40 && row.getAttribute('aria-selected') !== 'true'; tries++) await frame();
    if (row.getAttribute('aria-selected') !== 'true') throw new Error(`row ${i + 1} of ${n} not selected`);
    await frame();
    for (let round = 0; round < 50; round++) {
      const closed = Array.from(doc.querySelectorAll('.detail [role=treeitem][aria-expanded="false"], .detail [role=treeitem][data-more], .detail .section-toggle[aria-expanded="false"]')) as HTMLButtonElement[];
      const more = (Array.from(doc.querySelectorAll('.detail button.link')) as HTMLButtonElement[]).filter((b) => /show all|Show all|Show more/.test(b.textContent ?? ''));
      if (closed.length === 0 && more.length === 0) break;
      for (const b of [...closed, ...more]) b.click();
      await frame();
    }
    const pane = doc.querySelector('.detail') as HTMLElement | null;
    out.push({ title: pane?.querySelector('.detail-title')?.textContent ?? '', html: pane?.outerHTML ?? '', text: pane?.innerText ?? '' });
  }
  return out;
}
