// The moment the People and Meetings views replay their topic to: the latest (live: the wall clock,
// ticking; a log: its newest event), the event selected in the list, or any time on the slider.
import { useEffect, useState } from 'preact/hooks';
import { formatTime } from '../../store/row';

export type MomentMode = { kind: 'latest' } | { kind: 'selected' } | { kind: 'at'; t: number };

export interface MomentProps {
  mode: MomentMode;
  setMode(m: MomentMode): void;
  /** First and last session event of the topic. */
  from: number;
  to: number;
  /** The time of the event selected in the list, if any. */
  selectedT: number | undefined;
  /** The moment in force. */
  at: number;
  live: boolean;
}

/** Live, the latest moment moves on with the clock (each second), so typing expires on screen. */
export function useLatest(live: boolean, latest: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!live) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [live]);
  return live ? Math.max(now, latest) : latest;
}

export function momentOf(mode: MomentMode, latest: number, selectedT: number | undefined): number {
  if (mode.kind === 'at') return mode.t;
  if (mode.kind === 'selected' && selectedT !== undefined) return selectedT;
  return latest;
}

export function MomentBar({ mode, setMode, from, to, selectedT, at, live }: MomentProps) {
  const max = Math.max(to, from);
  return (
    <div class="moment" role="group" aria-label="Moment shown">
      <span class="muted">State at</span>
      <output class="mono moment-at" aria-live="polite">
        {formatTime(at)}
      </output>
      <span class="muted">{mode.kind === 'latest' ? (live ? '(now)' : '(end of the log)') : mode.kind === 'selected' ? '(the selected event)' : ''}</span>
      <input
        type="range"
        class="moment-range"
        aria-label="Replay to a moment of the timeline"
        min={from}
        max={max}
        step={1}
        value={Math.min(max, Math.max(from, at))}
        disabled={max <= from}
        onInput={(e) => setMode({ kind: 'at', t: Number(e.currentTarget.value) })}
      />
      <button type="button" class="tb-btn" aria-pressed={mode.kind === 'latest'} onClick={() => setMode({ kind: 'latest' })}>
        Latest
      </button>
      <button
        type="button"
        class="tb-btn"
        aria-pressed={mode.kind === 'selected'}
        disabled={selectedT === undefined}
        title={selectedT === undefined ? 'Select an event in the Events view first' : `The selected event, ${formatTime(selectedT)}`}
        onClick={() => setMode({ kind: 'selected' })}
      >
        At the selected event
      </button>
    </div>
  );
}

/** "1.2 s", "340 ms". */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
