// What the panel needs from its host besides events: theme, and (in the extension) capture permissions.
// An offline viewer passes an env without `capture`.

export type ThemeName = 'light' | 'dark';

export interface ThemeEnv {
  current(): ThemeName;
  /** Calls fn when the host theme changes; returns an unsubscribe. Absent where the host cannot tell. */
  onChange?(fn: (theme: ThemeName) => void): () => void;
}

export interface CaptureEnv {
  /** The inspected page's http(s) origin, or null when it has none (about:blank, chrome://, a file…). */
  inspectedOrigin(): Promise<string | null>;
  /** Whether the extension may capture on origin. */
  allowed(origin: string): Promise<boolean>;
  /** Asks the user to allow origin. Call straight from a click handler (a user gesture is required). */
  request(origin: string): Promise<boolean>;
  reloadPage(): void;
  /** Calls fn with the new URL after the inspected page navigates; returns an unsubscribe. */
  onNavigated?(fn: (url: string) => void): () => void;
}

/** What the panel keeps across its own reloads (filters, toggles). Values are read back as untrusted. */
export interface PanelPrefs {
  filters?: unknown;
  showEngine?: unknown;
  preserve?: unknown;
  /** Attachments: in progress longer than this (ms) is stuck. */
  stuckAfterMs?: unknown;
  /** Sends: no answer for this long (ms) is flagged as unanswered. */
  unansweredMs?: unknown;
  /** Events, changes or attachments. */
  view?: unknown;
  /** The list's columns and time format (store/columns.ts). */
  columns?: unknown;
  /** The sidebar is shown (at widths that show it beside the list). */
  side?: unknown;
  /** Saved queries: [{ name, query }]. */
  savedQueries?: unknown;
}

export interface PrefsEnv {
  load(): PanelPrefs | null;
  save(prefs: PanelPrefs): void;
}

/** Export and import of event logs (see src/core/log). */
export interface LogsEnv {
  /** A worker running log-worker.ts (a file URL in the extension, inline in the offline viewer). */
  createWorker(): Worker;
  tool: { name: string; version: string };
  /** "Chrome 131", from the user agent. */
  browser: string | null;
  /** The offline viewer: there is no live capture to go back to. */
  viewer?: boolean;
}

export interface PanelEnv {
  theme?: ThemeEnv;
  capture?: CaptureEnv;
  prefs?: PrefsEnv;
  logs?: LogsEnv;
}

/** Prefs in a Storage (the panel page's localStorage), as JSON under one key. */
export function storagePrefs(storage: Storage, key = 'spaces-devtools.panel'): PrefsEnv {
  return {
    load() {
      try {
        const v: unknown = JSON.parse(storage.getItem(key) ?? 'null');
        return typeof v === 'object' && v !== null ? (v as PanelPrefs) : null;
      } catch {
        return null;
      }
    },
    save(prefs) {
      try {
        storage.setItem(key, JSON.stringify(prefs));
      } catch {
        // storage full or refused: the panel works without it
      }
    },
  };
}

export const themeFromName = (name: unknown): ThemeName => (name === 'dark' ? 'dark' : 'light');

/**
 * The origin of an untrusted value, when it is a string naming an http(s) URL or origin; else null.
 * typed: read what a person types ("staging.example.com" is https). exact: the value must be the origin itself.
 */
export function parseOrigin(value: unknown, opts: { typed?: boolean; exact?: boolean } = {}): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  let text = value.trim();
  if (opts.typed && text && !/^[a-z][a-z0-9+.-]*:/i.test(text)) text = `https://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname || url.username || url.password) return null;
  if (opts.exact && url.origin !== text) return null;
  return url.origin;
}
