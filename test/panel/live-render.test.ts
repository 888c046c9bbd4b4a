// @vitest-environment happy-dom
// The panel's render cadence for arriving events: a batch's rows are in the list on the next animation frame.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mountPanel, type PanelHandle } from '../../src/panel/views/app';
import type { PanelSource, SourceListener } from '../../src/panel/sources/source';
import { chat } from './fixtures';

function source(): PanelSource & { push(from: number, n: number): void } {
  let listener: SourceListener | null = null;
  return {
    capabilities: { live: true, clear: false },
    subscribe(l) {
      listener = l;
      l.status({ connection: 'open', tab: null, malformed: 0 });
      return () => (listener = null);
    },
    clear() {},
    push(from, n) {
      listener?.events(Array.from({ length: n }, (_, i) => chat(from + i, { summary: `chat "row ${from + i}"` })), false);
    },
  };
}

// happy-dom has no idle callbacks: run them as timers.
globalThis.requestIdleCallback ??= ((fn: IdleRequestCallback) => setTimeout(() => fn({ didTimeout: false, timeRemaining: () => 10 }), 1) as unknown as number) as typeof requestIdleCallback;
globalThis.cancelIdleCallback ??= ((id: number) => clearTimeout(id)) as typeof cancelIdleCallback;

let handle: PanelHandle | undefined;
afterEach(() => handle?.unmount());

const rowTexts = (): string[] => [...document.querySelectorAll('[role=row]')].map((r) => r.textContent ?? '');

describe('panel: live rows', () => {
  it('shows the newest row of each batch on the next animation frame, not after a fixed delay', async () => {
    // A clock of the test's own: renders take no time on it, so none is put off for being slow.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame', 'performance'] });
    try {
      const src = source();
      const root = document.createElement('div');
      document.body.appendChild(root);
      handle = mountPanel(root, src);
      await vi.advanceTimersByTimeAsync(1000);
      for (let b = 0; b < 5; b++) {
        src.push(1 + b * 20, 20);
        const last = `row ${b * 20 + 20}`;
        expect(rowTexts().some((t) => t.includes(last))).toBe(false);
        await vi.advanceTimersByTimeAsync(17);
        expect(rowTexts().some((t) => t.includes(last))).toBe(true);
      }
    } finally {
      vi.useRealTimers();
    }
  });
});
