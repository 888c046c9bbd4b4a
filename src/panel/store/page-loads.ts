// Without "Preserve log" the panel clears at each page load. Two signals tell of one: DevTools' navigation
// (twice for a restore from the back/forward cache) and a new page URL in the background's status, in
// either order. Pure: the panel hands in URLs (redacted alike) and the time.

/** The same URL again within this time is the same page load. */
const SAME_LOAD_MS = 3000;

export class PageLoads {
  private statusUrl: string | undefined;
  private last: { url: string; at: number } | null = null;

  /** DevTools navigated to url. True: a new page load. */
  navigated(url: string, now: number): boolean {
    return this.load(url, now);
  }

  /** The page URL of a status (every status has one). True: a new page load. */
  status(url: string, now: number): boolean {
    const changed = this.statusUrl !== undefined && url !== this.statusUrl;
    this.statusUrl = url;
    return changed && this.load(url, now);
  }

  private load(url: string, now: number): boolean {
    if (this.last && this.last.url === url && now - this.last.at < SAME_LOAD_MS) return false;
    this.last = { url, at: now };
    return true;
  }
}
