// Trace: the stack of the page code that sent each message (the hook takes it only while this setting
// is on), shown in the detail with links that open the place in DevTools' Sources panel.
import { useEffect, useState } from 'preact/hooks';
import { parseTrace } from '../../../core/compose/trace';
import type { CapturedEvent } from '../../../core/model/event';
import { canCompose, openComposer } from './composer';
import { draftOf } from './compose-model';

/** What the extension gives: the setting (storage.local `trace`, read by the page's relay) and Sources. */
export interface TraceHost {
  get(): Promise<boolean>;
  set(on: boolean): Promise<void>;
  /** DevTools' panels.openResource where the browser has it (line 0-based). */
  openResource?(url: string, line: number): void;
}
let host: TraceHost | undefined;
export const configureTrace = (h: TraceHost): void => void (host = h);

/** The toolbar's Trace checkbox (off by default: a page's sends then cost it nothing extra). */
export function TraceToggle() {
  const [on, setOn] = useState(false);
  useEffect(() => void host?.get().then(setOn, () => undefined), []);
  if (!host) return null;
  return (
    <label class="tb-check" title="Trace: keep the stack of the page code behind each message it sends (from now on; off costs the page nothing)">
      <input
        type="checkbox"
        class="trace-toggle"
        checked={on}
        onChange={(e) => {
          const next = e.currentTarget.checked;
          setOn(next);
          void host?.set(next);
        }}
      />
      Trace
    </label>
  );
}

/** A sent event's trace, one frame a line, each place a link to Sources where the browser can open it. */
export function TraceView({ trace }: { trace: string }) {
  const open = host?.openResource;
  return (
    <ol class="trace">
      {parseTrace(trace).map((f, i) =>
        typeof f === 'string' ? (
          <li key={i} class="muted">
            {f}
          </li>
        ) : (
          <li key={i}>
            <span class="trace-fn">{f.fn || '(anonymous)'}</span>{' '}
            {open && /^https?:/.test(f.url) ? (
              <button type="button" class="link trace-link" title={`Open ${f.url} at line ${f.line} in Sources`} onClick={() => open(f.url, f.line - 1)}>
                {`${f.url.split(/[?#]/)[0]!.split('/').pop()}:${f.line}:${f.col}`}
              </button>
            ) : (
              <span class="trace-loc" title={f.url}>{`${f.url}:${f.line}:${f.col}`}</span>
            )}
          </li>
        ),
      )}
    </ol>
  );
}

/** Resend and Edit and resend, in the detail of a sent event (where a composer is mounted). */
export function DetailResend({ ev }: { ev: CapturedEvent }) {
  const draft = canCompose() ? draftOf(ev) : undefined;
  if (!draft) return null;
  return (
    <>
      {ev.fromPanel && <span class="muted from-panel-note">✎ Sent from the panel</span>}
      <button type="button" class="tb-btn detail-resend" title="Emit this event again on its socket" onClick={() => openComposer({ draft, now: true })}>
        Resend
      </button>
      <button type="button" class="tb-btn detail-edit-resend" title="Open it in the composer" onClick={() => openComposer({ draft })}>
        Edit and resend…
      </button>
    </>
  );
}
