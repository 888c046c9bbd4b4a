// Entry of the DevTools panel page: the live extension source and env.
import browser from 'webextension-polyfill';
import { PANEL_PORT } from '../core/messages';
import { mountPanel } from './views/app';
import { createExtensionSource } from './sources/extension-source';
import { extensionEnv } from './sources/extension-env';
import { browserName } from '../core/log/format';
import { configureTrace } from './views/compose/trace';

const root = document.getElementById('app')!;

if (!browser.devtools?.inspectedWindow) {
  // Opened outside DevTools (e.g. as a plain tab): there is no inspected page to follow.
  root.textContent = 'Open the browser DevTools and choose the "Spaces" tab to use this panel.';
} else {
  const source = createExtensionSource({
    tabId: browser.devtools.inspectedWindow.tabId,
    connect: () => browser.runtime.connect({ name: PANEL_PORT }),
  });
  const panels = browser.devtools.panels as typeof browser.devtools.panels & { openResource?: (url: string, line: number) => void };
  configureTrace({
    get: () => browser.storage.local.get('trace').then((v: Record<string, unknown>) => v.trace === true),
    set: (on) => browser.storage.local.set({ trace: on }),
    ...(typeof panels.openResource === 'function' ? { openResource: (url: string, line: number) => void panels.openResource!(url, line) } : {}),
  });
  mountPanel(root, source, {
    ...extensionEnv(browser),
    logs: {
      createWorker: () => new Worker(new URL('./sources/log-worker.ts', import.meta.url), { type: 'module' }),
      tool: { name: 'spaces-devtools', version: browser.runtime.getManifest().version },
      browser: browserName(navigator.userAgent),
    },
  });
  addEventListener('pagehide', () => source.dispose());
}
