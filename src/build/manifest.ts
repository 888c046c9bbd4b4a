// Per-browser manifests from the one manifest.json. Pure: used by vite.config.ts and tested in Node.
export type Browser = 'chrome' | 'firefox';

export interface SourceManifest {
  version: string;
  background: { service_worker: string; type?: 'module' };
  minimum_chrome_version?: string;
  /** Chrome 148+: messages between contexts are structured clones instead of JSON (cheaper for large batches). */
  message_serialization?: 'structured_clone' | 'json';
  [key: string]: unknown;
}

export const GECKO_ID = 'spaces-devtools@spaces-devtools.dev';
/** 140 (an ESR): MAIN-world content scripts, MV3 optional host permissions, storage.session, and data_collection_permissions. */
export const FIREFOX_MIN_VERSION = '140.0';

export function manifestFor(browser: Browser, source: SourceManifest): Record<string, unknown> {
  if (browser === 'chrome') return { ...source };
  const { background, minimum_chrome_version: _chromeOnly, message_serialization: _chromeSerialization, ...rest } = source;
  return {
    ...rest,
    background: { scripts: [background.service_worker], type: background.type ?? 'module' },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        // Nothing leaves the machine.
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}
