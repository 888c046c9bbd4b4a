// Page-load marker rows (Preserve log): a full-width row before the first event of each later load.
// Markers take a row's height but no row index: selection, keys and aria-rowindex count events only.
import { ROW_H } from './row-painter';

/** A marker before list row `before`. */
export interface LoadMarker {
  before: number;
  /** The load's first seq (the marker's identity). */
  seq: number;
  url: string;
  /** When the load's first event came. */
  t: number;
}

/** Where rows and markers lie: `before` ascending, each at most once. */
export class RowLayout {
  constructor(
    readonly size: number,
    readonly markers: readonly LoadMarker[] = [],
  ) {}

  /** Markers at or before row i. */
  private markersTo(i: number): number {
    let n = 0;
    while (n < this.markers.length && this.markers[n]!.before <= i) n++;
    return n;
  }

  /** Top of row i. */
  y(i: number): number {
    return (i + this.markersTo(i)) * ROW_H;
  }

  /** Top of the j-th marker. */
  markerY(j: number): number {
    return (this.markers[j]!.before + j) * ROW_H;
  }

  get height(): number {
    return (this.size + this.markers.length) * ROW_H;
  }

  /** The row at or after height y (a marker there: the row after it), clamped to [0, size]. */
  rowAt(y: number): number {
    const v = Math.max(0, Math.floor(y / ROW_H));
    let j = 0;
    while (j < this.markers.length && this.markers[j]!.before + j < v) j++;
    // On a marker (its own line): the row after it.
    return Math.min(this.size, v - j);
  }
}

/**
 * The markers for loads starting after the list's first row (rows in arrival order): loadSeqs[k] is
 * load k's first seq, urls[k] its page; `firstFrom(seq)` the first row at or after seq.
 */
export function loadMarkers(
  size: number,
  loadSeqs: readonly number[],
  urls: readonly string[] | undefined,
  firstFrom: (seq: number) => number,
  timeAt: (row: number) => number,
): LoadMarker[] {
  const out: LoadMarker[] = [];
  loadSeqs.forEach((seq, k) => {
    const before = firstFrom(seq);
    if (before <= 0 || before >= size || out.at(-1)?.before === before) return;
    out.push({ before, seq, url: urls?.[k] ?? '', t: timeAt(before) });
  });
  return out;
}
