// PanelEnv over the WebExtension API, for the panel running inside DevTools.
import type { Browser } from 'webextension-polyfill';
import { parseOrigin, themeFromName, type PanelEnv } from './env';

export function extensionEnv(browser: Browser): PanelEnv {
  const devtools = browser.devtools;
  const panels = devtools.panels;
  const pattern = (origin: string): string[] => [`${origin}/*`];
  return {
    theme: {
      current: () => themeFromName(panels.themeName),
      // onThemeChanged exists in Firefox only; in Chrome the theme is read when the panel loads.
      onChange: panels.onThemeChanged
        ? (fn) => {
            const l = (name: string): void => fn(themeFromName(name));
            panels.onThemeChanged.addListener(l);
            return () => panels.onThemeChanged.removeListener(l);
          }
        : undefined,
    },
    capture: {
      async inspectedOrigin() {
        // The page answers this: its result is untrusted, only an exact http(s) origin is taken.
        const [result] = await devtools.inspectedWindow.eval('location.origin');
        return parseOrigin(result, { exact: true });
      },
      allowed: (origin) => browser.permissions.contains({ origins: pattern(origin) }),
      request: (origin) => browser.permissions.request({ origins: pattern(origin) }),
      reloadPage: () => devtools.inspectedWindow.reload({}),
      onNavigated: (fn) => {
        const l = (): void => fn();
        devtools.network.onNavigated.addListener(l);
        return () => devtools.network.onNavigated.removeListener(l);
      },
    },
  };
}
