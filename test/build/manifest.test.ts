import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FIREFOX_MIN_VERSION, GECKO_ID, manifestFor, type SourceManifest } from '../../src/build/manifest';

const source = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as SourceManifest;

describe('per-browser manifests from the one manifest.json', () => {
  it('Chrome gets the source as it is, with structured-clone messaging', () => {
    expect(manifestFor('chrome', source)).toEqual(source);
    expect(source.message_serialization).toBe('structured_clone');
  });

  it('Firefox gets gecko settings, a background script, and no Chrome-only keys', () => {
    const ff = manifestFor('firefox', source);
    expect(ff.background).toEqual({ scripts: [source.background.service_worker], type: 'module' });
    expect(ff.browser_specific_settings).toEqual({
      gecko: { id: GECKO_ID, strict_min_version: FIREFOX_MIN_VERSION, data_collection_permissions: { required: ['none'] } },
    });
    expect(ff).not.toHaveProperty('minimum_chrome_version');
    // Firefox messaging is structured clone already; the key is Chrome's.
    expect(ff).not.toHaveProperty('message_serialization');
    expect(ff.content_scripts).toEqual(source.content_scripts);
  });

  it('the hook runs in the page world at document_start on every origin the relay runs on', () => {
    const scripts = source.content_scripts as { world?: string; run_at: string; matches: string[] }[];
    const hook = scripts.find((s) => s.world === 'MAIN');
    const relay = scripts.find((s) => s.world === undefined);
    expect(hook?.run_at).toBe('document_start');
    expect(relay?.run_at).toBe('document_start');
    expect(hook?.matches).toEqual(relay?.matches);
    expect(source.host_permissions).toEqual(hook?.matches);
  });
});
