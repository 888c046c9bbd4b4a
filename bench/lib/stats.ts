// Small statistics and formatting helpers for the benches.

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Nearest-rank quantile (q in [0, 1]) of a non-empty list. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * s.length));
  return s[Math.min(s.length, rank) - 1] as number;
}

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 9873 → "9,873". */
export function count(n: number): string {
  return int.format(n);
}

export function verdict(ok: boolean): string {
  return ok ? 'OK' : 'MISS';
}
