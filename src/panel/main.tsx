// Entry of the DevTools panel page: the live extension source and env.
import browser from 'webextension-polyfill';
import { PANEL_PORT } from '../core/messages';
import { mountPanel } from './app';
import { createExtensionSource } from './extension-source';
import { extensionEnv } from './extension-env';

const root = document.getElementById('app')!;

if (!browser.devtools?.inspectedWindow) {
  // Opened outside DevTools (e.g. as a plain tab): there is no inspected page to follow.
  root.textContent = 'Open the browser DevTools and choose the "Spaces" tab to use this panel.';
} else {
  const source = createExtensionSource({
    tabId: browser.devtools.inspectedWindow.tabId,
    connect: () => browser.runtime.connect({ name: PANEL_PORT }),
  });
  mountPanel(root, source, extensionEnv(browser));
  addEventListener('pagehide', () => source.dispose());
}
