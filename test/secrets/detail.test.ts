// @vitest-environment happy-dom
// The detail pane of every event of the secrets corpus: fields, payload tree and raw frame (every
// branch of the tree opened) show none of its secrets; "password [redacted]" is all a channel says.
import { h, render } from 'preact';
import { describe, expect, it } from 'vitest';
import { TabCapture } from '../../src/core/model/capture';
import { Detail } from '../../src/panel/views/detail/detail';
import { hookBatch, leaked, secretCases } from '../fixtures/secrets';

async function shown(ev: Parameters<typeof Detail>[0]['ev']): Promise<string> {
  const box = document.createElement('div');
  render(h(Detail, { ev, goTo: () => true, findItem: () => undefined, topicTitle: () => undefined, onClose: () => undefined, onEscape: () => undefined, paneRef: { current: null } }), box);
  // open every collapsed branch, every "show all" and "Show more" (preact renders after a tick)
  let opened = 0;
  for (let round = 0; round < 30; round++) {
    const closed = [...box.querySelectorAll('button[aria-expanded="false"]')];
    const more = [...box.querySelectorAll('button')].filter((b) => /^Show all|show all$|^Show more/.test(b.textContent ?? ''));
    if (closed.length + more.length === 0) break;
    for (const b of [...closed, ...more]) (b as HTMLElement).click();
    opened += closed.length + more.length;
    await new Promise((r) => setTimeout(r, 0));
  }
  expect(box.querySelectorAll('button[aria-expanded="false"]').length, `${opened} opened`).toBe(0);
  const out = box.innerHTML + box.textContent;
  render(null, box);
  return out;
}

describe('the detail pane of the secrets corpus', () => {
  it.each(secretCases().map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { conns, frames } = hookBatch(c);
    const events = new TabCapture().ingest('page-1', conns, frames, 1).map((u, i) => ({ seq: i + 1, ...u }));
    for (const ev of events) {
      const text = await shown(ev);
      expect(text).toContain('Raw frame');
      expect(leaked(text, c.secrets)).toEqual([]);
      if (ev.spaces?.channel?.password) expect(text).toContain('password [redacted]');
    }
  });
});
