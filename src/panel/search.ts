// Substring search over the events' search texts, packed into chunks so that one indexOf passes over
// hundreds of events that do not match. Pure: no DOM, no browser API.

/** Texts per chunk: large enough that a miss costs one scan, small enough to drop old events early. */
const CHUNK = 512;
/** Between two texts; a needle never contains it, so no match spans two events. */
const SEP = '\u0000';
/** A character beyond Latin-1 makes V8 store a whole joined string with two bytes a character. */
const WIDE = /[^\u0000-\u00ff]/;

/**
 * The texts of one kind of a chunk: Latin-1 only ("narrow") or not ("wide"). Apart, the few wide texts do
 * not double the bytes that a search scans in all the others.
 */
interface Lane {
  /** The texts joined by SEP; while the chunk fills, `parts` holds them and text is joined on demand. */
  text: string;
  parts: string[] | null;
  /** Offset of each text in `text`. */
  starts: number[];
  /** Index in the chunk of each text. */
  ids: number[];
  length: number;
}

interface Chunk {
  /** Index (the caller's numbering) of the chunk's first text. */
  base: number;
  count: number;
  narrow: Lane;
  wide: Lane;
  /** Where each text is: its position in the narrow lane, or -1 - its position in the wide lane. */
  where: number[];
}

const lane = (): Lane => ({ text: '', parts: [], starts: [], ids: [], length: 0 });

/** The lane's text as one flat string (a string built by `+=` would be flattened by the first search). */
function textOf(l: Lane, full: boolean): string {
  if (l.parts) {
    l.text = l.parts.join(SEP);
    if (full) l.parts = null;
  }
  return l.text;
}

function push(l: Lane, id: number, text: string): number {
  l.starts.push(l.starts.length === 0 ? 0 : l.length + SEP.length);
  l.length = l.starts[l.starts.length - 1]! + text.length;
  l.ids.push(id);
  l.parts!.push(text);
  return l.starts.length - 1;
}

function textIn(l: Lane, k: number): string {
  if (l.parts) return l.parts[k]!;
  const end = k + 1 < l.starts.length ? l.starts[k + 1]! - SEP.length : l.text.length;
  return l.text.slice(l.starts[k]!, end);
}

/** Calls visit(id) for each text of the lane, from position k0, that contains q, in increasing order. */
function scan(l: Lane, full: boolean, q: string, k0: number, visit: (id: number) => void): void {
  const starts = l.starts;
  if (k0 >= starts.length) return;
  const text = textOf(l, full);
  let pos = starts[k0]!;
  for (;;) {
    const at = text.indexOf(q, pos);
    if (at < 0) break;
    // The text holding `at`: the last start <= at.
    let lo = k0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    visit(l.ids[lo]!);
    if (lo + 1 >= starts.length) break;
    pos = starts[lo + 1]!;
  }
}

/** First position in the lane whose id is >= id. */
function firstFrom(l: Lane, id: number): number {
  let lo = 0;
  let hi = l.ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (l.ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class TextIndex {
  private chunks: Chunk[] = [];
  private next = 0;

  /** Index after the last text added: texts are added in order, without gaps. */
  get end(): number {
    return this.next;
  }

  /** Adds the text of index i, which must be `end` (or any index, on an empty index). */
  add(i: number, text: string): void {
    if (this.chunks.length > 0 && i !== this.next) throw new RangeError(`text ${i} added after ${this.next - 1}`);
    let last = this.chunks[this.chunks.length - 1];
    if (!last || last.count >= CHUNK) {
      last = { base: i, count: 0, narrow: lane(), wide: lane(), where: [] };
      this.chunks.push(last);
    }
    const id = last.count++;
    last.where.push(WIDE.test(text) ? -1 - push(last.wide, id, text) : push(last.narrow, id, text));
    if (last.count >= CHUNK) {
      textOf(last.narrow, true);
      textOf(last.wide, true);
    }
    this.next = i + 1;
  }

  /** The text of index i, which must be in the index. */
  textAt(i: number): string {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.chunks[mid]!.base <= i) lo = mid;
      else hi = mid - 1;
    }
    const c = this.chunks[lo];
    const j = c ? i - c.base : -1;
    if (!c || j < 0 || j >= c.count) throw new RangeError(`text ${i} is not in the index`);
    const w = c.where[j]!;
    return w >= 0 ? textIn(c.narrow, w) : textIn(c.wide, -1 - w);
  }

  /** Forgets the chunks whose every text is before index i. */
  dropBefore(i: number): void {
    let n = 0;
    while (n < this.chunks.length && this.chunks[n]!.base + this.chunks[n]!.count <= i) n++;
    if (n) this.chunks.splice(0, n);
    if (this.chunks.length === 0) this.next = Math.max(this.next, i);
  }

  /** Calls visit(i) for each index >= from whose text contains needle, in increasing order. */
  find(needle: string, from: number, visit: (i: number) => void): void {
    const q = needle.replaceAll(SEP, '');
    if (q === '') throw new RangeError('empty needle');
    // A needle beyond Latin-1 can only be in a wide text.
    const narrowToo = !WIDE.test(q);
    const wide: number[] = [];
    for (const c of this.chunks) {
      if (c.base + c.count <= from) continue;
      const full = c.count >= CHUNK;
      const j = Math.max(0, from - c.base);
      wide.length = 0;
      if (c.wide.ids.length) scan(c.wide, full, q, firstFrom(c.wide, j), (id) => wide.push(id));
      if (!narrowToo) {
        for (const id of wide) visit(c.base + id);
        continue;
      }
      // Both lanes' hits, merged in index order.
      let w = 0;
      scan(c.narrow, full, q, firstFrom(c.narrow, j), (id) => {
        while (w < wide.length && wide[w]! < id) visit(c.base + wide[w++]!);
        visit(c.base + id);
      });
      while (w < wide.length) visit(c.base + wide[w++]!);
    }
  }
}
