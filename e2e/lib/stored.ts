/// <reference types="chrome" />
// What the background stored for a tab (Chromium: chrome.storage.session, read from an extension page), and
// the load generator's messages among rows.
import type { Chromium } from '../fixtures/chromium';
import type { Row } from './panel';

export interface StoredMeta {
  nextSeq: number;
  dropped: number;
  droppedFull?: number;
  chunks: { count: number; bytes: number }[];
}

/** Every tab's meta as the background stored it, by key. */
export async function storedMetas(chromium: Chromium): Promise<Record<string, StoredMeta>> {
  const json = await chromium.inExtensionPage(async () => JSON.stringify(await chrome.storage.session.get(null)));
  const all = JSON.parse(json) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(all).filter(([k]) => /^tab:\d+:meta$/.test(k))) as Record<string, StoredMeta>;
}

export async function storedMeta(chromium: Chromium, tabId: number): Promise<StoredMeta> {
  const meta = (await storedMetas(chromium))[`tab:${tabId}:meta`];
  if (!meta) throw new Error(`no stored state for tab ${tabId}`);
  return meta;
}

/** Events the stored meta holds. */
export const heldIn = (meta: StoredMeta): number => meta.chunks.reduce((n, c) => n + c.count, 0);

/** The load generator's sequence numbers among the rows ("seq=12" in each summary). */
export const loadSeqs = (rows: Row[]): number[] =>
  rows.flatMap((r) => {
    const m = r.event === 'MESSAGE_SENT' ? /seq=(\d+)/.exec(r.summary) : null;
    return m ? [Number(m[1])] : [];
  });

/** A seeded random generator, its seed printed so that a failure can be replayed. */
export function seeded(): { seed: number; rand(): number } {
  const seed = Date.now() % 100_000;
  let x = seed;
  return { seed, rand: () => ((x = (x * 48271) % 2147483647) % 1000) / 1000 };
}

/** A tab's storage.session keys (`tab:<id>:…`) among `all`: their count and size as the quota counts them (key and value as JSON). */
export function tabKeys(all: Record<string, unknown>, tabId: number): { entries: [string, unknown][]; keys: number; bytes: number } {
  const entries = Object.entries(all).filter(([k]) => k.startsWith(`tab:${tabId}:`));
  return { entries, keys: entries.length, bytes: entries.reduce((n, [k, v]) => n + JSON.stringify(k).length + JSON.stringify(v).length, 0) };
}
