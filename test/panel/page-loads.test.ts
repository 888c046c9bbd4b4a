import { describe, expect, it } from 'vitest';
import { PageLoads } from '../../src/panel/store/page-loads';

const A = 'http://127.0.0.1:8080/pages/bfcache.html';
const B = 'http://127.0.0.1:8080/plain.html';

describe('PageLoads', () => {
  it('a load told by DevTools first, then by the status: one load', () => {
    const p = new PageLoads();
    expect(p.status(A, 0)).toBe(false); // the first status is the page already there
    expect(p.status(A, 100)).toBe(false);
    expect(p.navigated(B, 10_000)).toBe(true);
    expect(p.status(B, 10_050)).toBe(false);
    expect(p.status(B, 20_000)).toBe(false); // every status has the URL: not a load
  });

  it('a restore from the back/forward cache: the status first, then DevTools twice: one load', () => {
    const p = new PageLoads();
    p.status(A, 0);
    expect(p.navigated(B, 1_000)).toBe(true);
    expect(p.status(B, 1_100)).toBe(false);
    expect(p.status(A, 5_000)).toBe(true);
    expect(p.navigated(A, 5_160)).toBe(false);
    expect(p.navigated(A, 5_300)).toBe(false);
  });

  it('back and forth within the same time: each page its own load; the same page later again a load', () => {
    const p = new PageLoads();
    p.status(A, 0);
    expect(p.navigated(B, 100)).toBe(true);
    expect(p.navigated(A, 200)).toBe(true);
    expect(p.navigated(A, 10_000)).toBe(true); // a reload
  });
});
