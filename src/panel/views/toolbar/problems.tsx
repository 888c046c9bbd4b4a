// The strip under the toolbar: the sends' outcomes and round trip (of the topic chosen, or of all), the
// "no answer after" threshold, and the problems count naming each kind; a kind's button filters the list to it.
import { useEffect } from 'preact/hooks';
import type { PanelSource } from '../../sources/source';
import type { PanelStore, Filters } from '../../store/state';
import { problemCounts } from '../../store/problems';
import { countsText, roundTripText } from '../../store/sends';
import { formatCount } from '../../store/row';

export interface ProblemsStripProps {
  store: PanelStore;
  filters: Filters;
  /** The chosen topic's name, or null for every topic. */
  scope: string | null;
  unansweredMs: number;
  setUnansweredMs(ms: number): void;
  /** Filters the list to this kind of problem (null: every kind) and selects its first event. */
  showKind(kind: string | null): void;
}

/**
 * Sends with no answer and stuck files judged every second: on the wall clock live, at the newest
 * event's time in a log (not while it loads).
 */
export function useProblemsClock(store: PanelStore, source: PanelSource, stuckAfterMs: number, unansweredMs: number): void {
  useEffect(() => {
    const tick = (): void => {
      if (source.loading) return;
      const now = source.capabilities.live ? Date.now() : store.findSeq(store.last)?.record.t;
      if (now !== undefined) store.tickProblems(now, stuckAfterMs, unansweredMs);
    };
    tick();
    const id = setInterval(tick, 1000);
    return () => clearInterval(id);
  }, [store, source, stuckAfterMs, unansweredMs]);
}

/** Seconds from 1 to 3600. */
export function parseUnansweredAfter(x: unknown, fallback: number): number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1000 && x <= 3_600_000 && x % 1000 === 0 ? x : fallback;
}

export function ProblemsStrip({ store, filters, scope, unansweredMs, setUnansweredMs, showKind }: ProblemsStripProps) {
  const sends = store.sends;
  const c = sends.counts(filters.topic);
  const counts = countsText(c);
  const rtt = roundTripText(sends.roundTrip(filters.topic));
  const kinds = problemCounts(store.problemContext);
  const active = filters.problems ? filters.kind : undefined;
  const forgotten = filters.topic === null && sends.forgotten > 0 ? ` (${formatCount(sends.forgotten)} no longer listed)` : '';
  return (
    <div class="strip" role="group" aria-label="Sends and problems">
      <span class="sends-line" title={`Sends and emits with an ack${scope ? ` in ${scope}` : ''}: answered, failed, no answer`}>
        <span class="strip-label">{scope ? 'Sends (this topic):' : 'Sends:'}</span>{' '}
        <span class="sends-counts">{counts || 'none'}</span>
        {c.unanswered > 0 && <span class="warn-text sends-unanswered">{` (${formatCount(c.unanswered)} unanswered${forgotten})`}</span>}
        {rtt && <span class="sends-rtt">{` · round trip ${rtt}`}</span>}
      </span>
      <label class="strip-setting" title="A send with no answer for this long is flagged as unanswered">
        unanswered after{' '}
        <input
          class="unanswered-after"
          type="number"
          min={1}
          max={3600}
          step={1}
          value={unansweredMs / 1000}
          onChange={(e) => {
            const s = Number(e.currentTarget.value);
            if (Number.isInteger(s) && s >= 1 && s <= 3600) setUnansweredMs(s * 1000);
          }}
        />{' '}
        s
      </label>
      <span class="tb-fill" />
      <span class="problems-count" aria-live="polite">
        <span class="strip-label">{kinds.length ? 'Problems:' : 'No problems'}</span>
        {kinds.map((k, i) => (
          <>
            {i > 0 && <span aria-hidden="true"> · </span>}
            <button
              type="button"
              class={`link problem-kind${active === k.id ? ' active' : ''}`}
              data-kind={k.id}
              aria-pressed={active === k.id}
              title={active === k.id ? 'Show every kind of problem' : `Show only these: ${k.text}`}
              onClick={() => showKind(active === k.id ? null : k.id)}
            >
              {k.text}
            </button>
          </>
        ))}
      </span>
    </div>
  );
}
