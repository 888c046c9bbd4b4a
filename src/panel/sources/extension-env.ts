// PanelEnv over the WebExtension API, for the panel running inside DevTools.
import type { Browser } from 'webextension-polyfill';
import { parseOrigin, storagePrefs, themeFromName, type PanelEnv } from './env';

/** storage.session key where the background keeps the granted host patterns (Firefox panels have no permissions API). */
export const GRANTED_ORIGINS_KEY = 'grantedOrigins';
/** The extension page that asks for a host permission where the panel cannot (Firefox, bug 1796933). */
export const GRANT_PAGE = 'src/devtools/grant.html';

/** Whether the match pattern covers every URL of origin (an http(s) origin as parseOrigin returns it). */
export function patternCovers(pattern: string, origin: string): boolean {
  if (pattern === '<all_urls>') return true;
  const m = /^(\*|https?):\/\/(\[[^\]]+\]|[^/:]+)(?::(\d+))?\/\*$/.exec(pattern);
  if (!m) return false;
  const [, scheme, host = '', port] = m;
  const url = new URL(origin);
  if (scheme !== '*' && `${scheme}:` !== url.protocol) return false;
  if (port !== undefined && port !== (url.port || (url.protocol === 'https:' ? '443' : '80'))) return false;
  if (host === '*') return true;
  if (host.startsWith('*.')) return url.hostname === host.slice(2) || url.hostname.endsWith(host.slice(1));
  return url.hostname === host;
}

/** The host pattern to ask for: the manifest's own one when it covers origin (its content scripts then run), else origin/*. */
export function capturePattern(origin: string, declared: readonly string[]): string {
  return declared.find((p) => patternCovers(p, origin)) ?? `${origin}/*`;
}

export function extensionEnv(browser: Browser): PanelEnv {
  const devtools = browser.devtools;
  const panels = devtools.panels;
  const declared = browser.runtime.getManifest().host_permissions ?? [];
  // Firefox gives DevTools panels no permissions API: the background mirrors the grants to storage.session,
  // and the asking happens in a small extension window (GRANT_PAGE).
  const permissions = browser.permissions as Browser['permissions'] | undefined;
  const grantedFromStorage = async (origin: string): Promise<boolean> => {
    const got = (await browser.storage.session.get(GRANTED_ORIGINS_KEY))[GRANTED_ORIGINS_KEY];
    return Array.isArray(got) && got.some((p) => typeof p === 'string' && patternCovers(p, origin));
  };
  const allowed = (origin: string): Promise<boolean> =>
    permissions ? permissions.contains({ origins: [`${origin}/*`] }) : grantedFromStorage(origin);
  const askInWindow = (origin: string): Promise<boolean> => {
    const url = `${browser.runtime.getURL(GRANT_PAGE)}?origin=${encodeURIComponent(origin)}`;
    const win = window.open(url, 'spaces-devtools-grant', 'popup,width=520,height=300');
    if (!win) return Promise.resolve(false);
    // Settled when the grant shows up, or when the window is closed without it.
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearInterval(timer);
        browser.storage.onChanged.removeListener(onChanged);
        resolve(ok);
      };
      const onChanged = (changes: Record<string, unknown>, area: string): void => {
        if (area === 'session' && GRANTED_ORIGINS_KEY in changes) void allowed(origin).then((ok) => ok && done(true));
      };
      const timer = setInterval(() => {
        if (win.closed) void allowed(origin).then(done);
      }, 500);
      browser.storage.onChanged.addListener(onChanged);
    });
  };
  return {
    prefs: storagePrefs(localStorage),
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
      allowed,
      request: (origin) => (permissions ? permissions.request({ origins: [capturePattern(origin, declared)] }) : askInWindow(origin)),
      reloadPage: () => devtools.inspectedWindow.reload({}),
      onNavigated: (fn) => {
        const l = (url: string): void => fn(typeof url === 'string' ? url : '');
        devtools.network.onNavigated.addListener(l);
        return () => devtools.network.onNavigated.removeListener(l);
      },
    },
  };
}
