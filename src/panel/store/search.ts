// Substring search over the events' search texts, line by line (a text's lines are its fields: event,
// category, topic, sender, summary, body…). A chunk of texts keeps each distinct line once, since names,
// categories, topics, senders and the bodies of an item's versions recur, with the texts that hold it;
// one indexOf passes over all of a chunk's lines. Pure: no DOM, no browser API.

/** Texts per chunk: large enough that a miss costs one scan, small enough to drop old events early. */
const CHUNK = 512;
/** Between two lines of a lane; a needle never contains it, so no match spans two lines (a regex's that do are tested again on their line). */
const SEP = '\n';
/** A character beyond Latin-1 makes V8 store a whole joined string with two bytes a character. */
const WIDE = /[^\u0000-\u00ff]/;

/** Whether a needle can be found at all: a match lies within one line. */
export const searchable = (needle: string): boolean => needle !== '' && !needle.includes('\n') && !needle.includes('\u0000');

/**
 * The distinct lines of one kind of a chunk: Latin-1 only ("narrow") or not ("wide"). Apart, the few
 * wide lines do not double the bytes that a search scans in all the others.
 */
interface Lane {
  /** The lines joined by SEP; while the chunk fills, `parts` holds them and text is joined on demand. */
  text: string;
  parts: string[] | null;
  /** Offset of each line in `text`. */
  starts: number[];
  /** Number in the chunk of each line. */
  nos: number[];
  length: number;
}

interface Chunk {
  /** Index (the caller's numbering) of the chunk's first text. */
  base: number;
  count: number;
  narrow: Lane;
  wide: Lane;
  /** While the chunk fills: the number of each distinct line, and the texts holding each. */
  numbers: Map<string, number> | null;
  posts: number[][] | null;
  /** Once full: the texts holding line n are post[postStart[n] .. postStart[n + 1]), in increasing order. */
  postStart: Uint32Array | null;
  post: Uint16Array | null;
}

const lane = (): Lane => ({ text: '', parts: [], starts: [], nos: [], length: 0 });

/** The lane's text as one flat string (a string built by `+=` would be flattened by the first search). */
function textOf(l: Lane, full: boolean): string {
  if (l.parts) {
    l.text = l.parts.join(SEP);
    if (full) l.parts = null;
  }
  return l.text;
}

function push(l: Lane, no: number, line: string): void {
  l.starts.push(l.starts.length === 0 ? 0 : l.length + SEP.length);
  l.length = l.starts[l.starts.length - 1]! + line.length;
  l.nos.push(no);
  l.parts!.push(line);
}

/** The line holding offset `at` (the last start <= at), from line k on: galloping, as hits are often close together. */
function lineAt(starts: readonly number[], k: number, at: number): number {
  const n = starts.length;
  let step = 1;
  while (k + step < n && starts[k + step]! <= at) {
    k += step;
    step *= 2;
  }
  let hi = Math.min(n - 1, k + step - 1);
  while (k < hi) {
    const mid = (k + hi + 1) >>> 1;
    if (starts[mid]! <= at) k = mid;
    else hi = mid - 1;
  }
  return k;
}

/** Calls hit(no) for each line of the lane that contains q, until hit returns true. True if one did. */
function scan(l: Lane, full: boolean, q: string, hit: (no: number) => boolean): boolean {
  const starts = l.starts;
  const n = starts.length;
  if (n === 0) return false;
  const text = textOf(l, full);
  let k = 0;
  for (;;) {
    const at = text.indexOf(q, starts[k]!);
    if (at < 0) return false;
    k = lineAt(starts, k, at);
    if (hit(l.nos[k]!)) return true;
    if (++k >= n) return false;
  }
}

/** A lookaround sees past a line's ends in the joined text (a separator, not the line's end): such a regex is tested line by line. */
const LOOKAROUND = /\(\?<?[=!]/;

/** How a regex searches a lane: `g` over the joined lines (null: line by line), each hit confirmed with `one` when it spans lines. */
interface LaneRegex {
  g: RegExp | null;
  one: RegExp;
  /** Whether a match within one line holds for the line alone. */
  exact: boolean;
}

function laneRegex(re: RegExp): LaneRegex {
  const flags = re.flags.replace(/[gy]/g, '');
  const m = flags.includes('m');
  // m: ^ and $ hold at each line's ends, as at the ends of a line alone (a line holds no SEP). Added,
  // it also makes them hold beside a \r, \u2028 or \u2029 inside a line: then every hit is tested on its line.
  const g = LOOKAROUND.test(re.source) ? null : new RegExp(re.source, `${m ? flags : `${flags}m`}g`);
  return { g, one: new RegExp(re.source, flags), exact: m || !/[$^]/.test(re.source) };
}

/**
 * Like scan, for the lines a regex matches: one exec loop over the joined lines, each match's offset
 * mapped back to its line. A match within one line is a match of that line alone (no lookaround: the
 * assertions ^ $ \b see SEP as they see a line's end); one that spans lines (\s, [^…], . with s) is
 * tested again on its first line; the search goes on from the next line either way. The first line
 * a match of the line alone starts in is never passed over: the leftmost match starts there or before.
 */
function scanRegex(l: Lane, full: boolean, lr: LaneRegex, hit: (no: number) => boolean): boolean {
  const starts = l.starts;
  const n = starts.length;
  if (n === 0) return false;
  const text = textOf(l, full);
  const lineEnd = (k: number): number => (k + 1 < n ? starts[k + 1]! - SEP.length : text.length);
  const g = lr.g;
  if (!g) {
    for (let k = 0; k < n; k++) if (lr.one.test(text.slice(starts[k]!, lineEnd(k))) && hit(l.nos[k]!)) return true;
    return false;
  }
  g.lastIndex = 0;
  let k = 0;
  for (;;) {
    const m = g.exec(text);
    if (!m) return false;
    const at = m.index;
    k = lineAt(starts, k, at);
    const end = lineEnd(k);
    const within = lr.exact && at + m[0].length <= end;
    if ((within || lr.one.test(text.slice(starts[k]!, end))) && hit(l.nos[k]!)) return true;
    if (++k >= n) return false;
    g.lastIndex = starts[k]!;
  }
}

/** Marks the texts post[start..end) from j on; returns how many were not marked yet. */
function mark(marks: Uint8Array, post: ArrayLike<number>, start: number, end: number, j: number): number {
  let n = 0;
  for (let k = start; k < end; k++) {
    const id = post[k]!;
    if (id >= j && marks[id] === 0) {
      marks[id] = 1;
      n++;
    }
  }
  return n;
}

/** Packs a full chunk's lists of texts per line. */
function seal(c: Chunk): void {
  const posts = c.posts!;
  const postStart = new Uint32Array(posts.length + 1);
  let n = 0;
  for (let i = 0; i < posts.length; i++) {
    postStart[i] = n;
    n += posts[i]!.length;
  }
  postStart[posts.length] = n;
  const post = new Uint16Array(n);
  for (let i = 0; i < posts.length; i++) post.set(posts[i]!, postStart[i]!);
  c.postStart = postStart;
  c.post = post;
  c.posts = null;
  c.numbers = null;
  textOf(c.narrow, true);
  textOf(c.wide, true);
}

export class TextIndex {
  private chunks: Chunk[] = [];
  private next = 0;
  /** Scratch for find: which texts of a chunk were hit. */
  private marks = new Uint8Array(CHUNK);

  /** Index after the last text added: texts are added in order, without gaps. */
  get end(): number {
    return this.next;
  }

  /** Adds the text of index i, which must be `end` (or any index, on an empty index). */
  add(i: number, text: string): void {
    if (this.chunks.length > 0 && i !== this.next) throw new RangeError(`text ${i} added after ${this.next - 1}`);
    let c = this.chunks[this.chunks.length - 1];
    if (!c || c.count >= CHUNK) {
      c = { base: i, count: 0, narrow: lane(), wide: lane(), numbers: new Map(), posts: [], postStart: null, post: null };
      this.chunks.push(c);
    }
    const id = c.count++;
    const numbers = c.numbers!;
    const posts = c.posts!;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      let no = numbers.get(line);
      if (no === undefined) {
        no = posts.length;
        numbers.set(line, no);
        posts.push([]);
        push(WIDE.test(line) ? c.wide : c.narrow, no, line);
      }
      const p = posts[no]!;
      if (p[p.length - 1] !== id) p.push(id);
    }
    if (c.count >= CHUNK) seal(c);
    this.next = i + 1;
  }

  /** Forgets the chunks whose every text is before index i. */
  dropBefore(i: number): void {
    let n = 0;
    while (n < this.chunks.length && this.chunks[n]!.base + this.chunks[n]!.count <= i) n++;
    if (n) this.chunks.splice(0, n);
    if (this.chunks.length === 0) this.next = Math.max(this.next, i);
  }

  /**
   * Each index >= from whose text has a line containing needle, in increasing order.
   * A needle with a line break or a NUL is in no line: it finds nothing.
   */
  find(needle: string, from: number): number[] {
    if (needle === '') throw new RangeError('empty needle');
    if (!searchable(needle)) return [];
    // A needle beyond Latin-1 can only be in a wide line.
    const narrowToo = !WIDE.test(needle);
    return this.search(from, (l, full, hit) => scan(l, full, needle, hit), narrowToo);
  }

  /** Each index >= from whose text has a line the regex matches, in increasing order. */
  findRegex(re: RegExp, from: number): number[] {
    const lr = laneRegex(re);
    return this.search(from, (l, full, hit) => scanRegex(l, full, lr, hit), true);
  }

  private search(from: number, scanLane: (l: Lane, full: boolean, hit: (no: number) => boolean) => boolean, narrowToo: boolean): number[] {
    const found: number[] = [];
    const marks = this.marks;
    for (const c of this.chunks) {
      if (c.base + c.count <= from) continue;
      const full = c.count >= CHUNK;
      const j = Math.max(0, from - c.base);
      // Each text holding a line that holds the needle is marked, then the marks swept in order. Once
      // every text is marked, the rest of the chunk need not be scanned (a short needle hits most).
      let marked = 0;
      const hit = (no: number): boolean => {
        if (c.post) marked += mark(marks, c.post, c.postStart![no]!, c.postStart![no + 1]!, j);
        else marked += mark(marks, c.posts![no]!, 0, c.posts![no]!.length, j);
        return marked >= c.count - j;
      };
      if (!scanLane(c.wide, full, hit) && narrowToo) scanLane(c.narrow, full, hit);
      for (let id = j; marked > 0; id++) {
        if (marks[id] === 0) continue;
        marks[id] = 0;
        marked--;
        found.push(c.base + id);
      }
    }
    return found;
  }
}
