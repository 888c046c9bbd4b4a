import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { capturePattern, patternCovers } from '../../src/panel/sources/extension-env';

const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as { host_permissions: string[] };

describe('host patterns the panel reads and asks for', () => {
  it('a pattern covers an origin by scheme, host (wildcard subdomains included) and port', () => {
    expect(patternCovers('http://127.0.0.1/*', 'http://127.0.0.1:4567')).toBe(true);
    expect(patternCovers('https://127.0.0.1/*', 'http://127.0.0.1:4567')).toBe(false);
    expect(patternCovers('*://127.0.0.1/*', 'http://127.0.0.1')).toBe(true);
    expect(patternCovers('https://*.spaces.avayacloud.com/*', 'https://eu.spaces.avayacloud.com')).toBe(true);
    expect(patternCovers('https://*.spaces.avayacloud.com/*', 'https://spaces.avayacloud.com')).toBe(true);
    expect(patternCovers('https://*.spaces.avayacloud.com/*', 'https://evilspaces.avayacloud.com')).toBe(false);
    expect(patternCovers('http://localhost:8080/*', 'http://localhost:8080')).toBe(true);
    expect(patternCovers('http://localhost:8080/*', 'http://localhost:8081')).toBe(false);
    expect(patternCovers('https://example.com:443/*', 'https://example.com')).toBe(true);
    expect(patternCovers('https://*/*', 'https://staging.example.com')).toBe(true);
    expect(patternCovers('<all_urls>', 'http://a.test')).toBe(true);
  });

  it('a pattern limited to a path does not cover the whole origin', () => {
    expect(patternCovers('https://example.com/app/*', 'https://example.com')).toBe(false);
    expect(patternCovers('https://example.com/', 'https://example.com')).toBe(false);
  });

  it("asks for the manifest's own pattern when it covers the origin, so no second set of content scripts is registered", () => {
    expect(capturePattern('http://127.0.0.1:4567', manifest.host_permissions)).toBe('http://127.0.0.1/*');
    expect(capturePattern('https://eu.spaces.avayacloud.com', manifest.host_permissions)).toBe('https://*.spaces.avayacloud.com/*');
    expect(capturePattern('https://staging.example.com', manifest.host_permissions)).toBe('https://staging.example.com/*');
  });
});
