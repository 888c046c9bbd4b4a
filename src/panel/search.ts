// Substring search over the events' search texts, packed into chunks so that one indexOf passes over
// hundreds of events that do not match. Pure: no DOM, no browser API.

/** Texts per chunk: large enough that a miss costs one scan, small enough to drop old events early. */
const CHUNK = 512;
/** Between two texts; a needle never contains it, so no match spans two events. */
const SEP = '\u0000';

interface Chunk {
  /** Index (the caller's numbering) of the chunk's first text. */
  base: number;
  /** The texts joined by SEP; while the chunk fills, `parts` holds them and text is joined on demand. */
  text: string;
  parts: string[] | null;
  /** Offset of each text in `text`. */
  starts: number[];
  length: number;
}

/** The chunk's text as one flat string (a string built by `+=` would be flattened by the first search). */
function textOf(c: Chunk): string {
  if (c.parts) {
    c.text = c.parts.join(SEP);
    if (c.starts.length >= CHUNK) c.parts = null;
  }
  return c.text;
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
    if (!last || last.starts.length >= CHUNK) {
      last = { base: i, text: '', parts: [], starts: [], length: 0 };
      this.chunks.push(last);
    }
    last.starts.push(last.length === 0 && last.starts.length === 0 ? 0 : last.length + SEP.length);
    last.length = last.starts[last.starts.length - 1]! + text.length;
    last.parts!.push(text);
    if (last.starts.length >= CHUNK) textOf(last);
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
    if (!c || j < 0 || j >= c.starts.length) throw new RangeError(`text ${i} is not in the index`);
    if (c.parts) return c.parts[j]!;
    const end = j + 1 < c.starts.length ? c.starts[j + 1]! - SEP.length : c.text.length;
    return c.text.slice(c.starts[j]!, end);
  }

  /** Forgets the chunks whose every text is before index i. */
  dropBefore(i: number): void {
    let n = 0;
    while (n < this.chunks.length && this.chunks[n]!.base + this.chunks[n]!.starts.length <= i) n++;
    if (n) this.chunks.splice(0, n);
    if (this.chunks.length === 0) this.next = Math.max(this.next, i);
  }

  /** Calls visit(i) for each index >= from whose text contains needle, in increasing order. */
  find(needle: string, from: number, visit: (i: number) => void): void {
    const q = needle.replaceAll(SEP, '');
    if (q === '') throw new RangeError('empty needle');
    for (const c of this.chunks) {
      if (c.base + c.starts.length <= from) continue;
      const text = textOf(c);
      const starts = c.starts;
      let pos = from > c.base ? starts[from - c.base]! : 0;
      for (;;) {
        const at = text.indexOf(q, pos);
        if (at < 0) break;
        // The text holding `at`: the last start <= at.
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >>> 1;
          if (starts[mid]! <= at) lo = mid;
          else hi = mid - 1;
        }
        visit(c.base + lo);
        if (lo + 1 >= starts.length) break;
        pos = starts[lo + 1]!;
      }
    }
  }
}
