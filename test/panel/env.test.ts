import { describe, expect, it } from 'vitest';
import { parseOrigin, themeFromName } from '../../src/panel/sources/env';
import { formatTime, preview } from '../../src/panel/store/row';

describe('parseOrigin', () => {
  it('takes only an exact http(s) origin from the inspected page', () => {
    const exact = (v: unknown) => parseOrigin(v, { exact: true });
    expect(exact('https://spaces.avayacloud.com')).toBe('https://spaces.avayacloud.com');
    expect(exact('http://localhost:3000')).toBe('http://localhost:3000');
    expect(exact('null')).toBeNull(); // file:// and sandboxed pages
    expect(exact('chrome://extensions')).toBeNull();
    expect(exact('https://a.example/path')).toBeNull();
    expect(exact('https://user:pw@a.example')).toBeNull();
    expect(exact({ toString: () => 'https://a.example' })).toBeNull();
    expect(exact(42)).toBeNull();
    expect(exact('javascript:alert(1)')).toBeNull();
  });

  it('reads what a person types', () => {
    const typed = (v: string) => parseOrigin(v, { typed: true });
    expect(typed('staging.example.com')).toBe('https://staging.example.com');
    expect(typed(' https://staging.example.com:8443/spaces/x ')).toBe('https://staging.example.com:8443');
    expect(typed('http://10.0.0.5:3000')).toBe('http://10.0.0.5:3000');
    expect(typed('ftp://example.com')).toBeNull();
    expect(typed('')).toBeNull();
    expect(typed('not a host')).toBeNull();
  });

  it('maps DevTools theme names', () => {
    expect(themeFromName('dark')).toBe('dark');
    expect(themeFromName('default')).toBe('light');
    expect(themeFromName(undefined)).toBe('light');
  });
});

describe('row text helpers', () => {
  it('formats HH:MM:SS.mmm in local time', () => {
    const t = new Date(2026, 0, 2, 3, 4, 5, 6).getTime();
    expect(formatTime(t)).toBe('03:04:05.006');
    expect(formatTime(Number.NaN)).toBe('--:--:--.---');
  });

  it('previews a value within its bound, however large', () => {
    const big = { list: Array.from({ length: 100_000 }, (_, i) => i) };
    const p = preview(big, 50);
    expect(p.length).toBeLessThanOrEqual(50);
    expect(p.startsWith('{list: [0, 1, 2')).toBe(true);
    expect(preview(['a', null, true], 100)).toBe('["a", null, true]');
  });
});
