// Export and import of event logs in the panel: toolbar buttons, the export popover, the banner of an
// opened log (progress, problems, the way back to live capture) and the drop zone.
import { useEffect, useRef, useState } from 'preact/hooks';
import { issueText, logFileName, logHeader, writeLog, type ExportMeta, type ExportOptions, type LogLayout } from '../../../core/log';
import type { LogsEnv } from '../../sources/env';
import type { LogProgress, LogSource } from '../../sources/log-source';
import type { PanelStore } from '../../store/state';
import { formatCount } from '../../store/row';
import { useKeepInside } from '../menu';

export interface LogsUi {
  env: LogsEnv;
  open(file: File): void;
  /** Back to live capture (or, in the viewer, close the log). */
  back(): void;
  /** The log shown, when one is. */
  view: LogSource | null;
}

/** Exports events as a file download. Returns the file name. */
export function download(events: Parameters<typeof writeLog>[0], meta: ExportMeta, opts: ExportOptions): string {
  const name = logFileName(logHeader(events, meta, opts), opts.layout);
  const blob = new Blob([...writeLog(events, meta, opts)], { type: opts.layout === 'ndjson' ? 'application/x-ndjson' : 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

export function LogButtons({ ui, store, filtered, meta }: { ui: LogsUi; store: PanelStore; filtered: boolean; meta: () => Omit<ExportMeta, 'filter'> }) {
  const [open, setOpen] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const btnRef = useRef<HTMLButtonElement>(null);
  return (
    <>
      <span class="settings-anchor">
        <button ref={btnRef} type="button" class="tb-btn" aria-expanded={open} title="Export the events as a log file" onClick={() => setOpen(!open)} disabled={store.total === 0}>
          Export…
        </button>
        {open && <ExportPopover store={store} filtered={filtered} meta={meta} onClose={() => {
          setOpen(false);
          btnRef.current?.focus();
        }} />}
      </span>
      <button type="button" class="tb-btn" title="Open a Spaces DevTools log or a Chrome HAR file (or drop it on the panel)" onClick={() => fileRef.current?.click()}>
        Import…
      </button>
      <input
        ref={fileRef}
        type="file"
        class="sr-only"
        tabIndex={-1}
        aria-label="Log file to import"
        accept=".json,.ndjson,.jsonl,.har,application/json"
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (f) ui.open(f);
        }}
      />
    </>
  );
}

function ExportPopover({ store, filtered, meta, onClose }: { store: PanelStore; filtered: boolean; meta: () => Omit<ExportMeta, 'filter'>; onClose(): void }) {
  const [scope, setScope] = useState<'all' | 'filter'>(filtered ? 'filter' : 'all');
  const [layout, setLayout] = useState<LogLayout>('json');
  const [raw, setRaw] = useState(true);
  const [anonymize, setAnonymize] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const save = (): void => {
    const events = scope === 'all' ? store.heldEvents() : store.visibleEvents();
    setSaved(download(events, { ...meta(), filter: scope === 'filter' ? store.filters : null }, { layout, raw: raw && !anonymize, anonymize }));
  };
  const boxRef = useRef<HTMLDivElement>(null);
  useKeepInside(boxRef);
  return (
    <div ref={boxRef} class="popover export-popover" role="dialog" aria-label="Export events" onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}>
      <fieldset>
        <legend>Events</legend>
        <label>
          <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} /> All ({formatCount(store.total)})
        </label>
        <label>
          <input type="radio" name="scope" checked={scope === 'filter'} onChange={() => setScope('filter')} /> Current filter ({formatCount(store.size)})
        </label>
      </fieldset>
      <fieldset>
        <legend>Format</legend>
        <label>
          <input type="radio" name="layout" checked={layout === 'json'} onChange={() => setLayout('json')} /> JSON
        </label>
        <label>
          <input type="radio" name="layout" checked={layout === 'ndjson'} onChange={() => setLayout('ndjson')} /> NDJSON (large logs)
        </label>
      </fieldset>
      <label>
        <input type="checkbox" checked={raw && !anonymize} disabled={anonymize} onChange={(e) => setRaw(e.currentTarget.checked)} /> Include raw frames
      </label>
      <label title="Replace names, usernames, e-mails, avatars and message text with placeholders; ids and structure stay">
        <input type="checkbox" checked={anonymize} onChange={(e) => setAnonymize(e.currentTarget.checked)} /> Anonymize
      </label>
      <p class="muted">Tokens are always redacted.</p>
      <div class="popover-actions">
        <button type="button" class="btn" onClick={save}>
          Save
        </button>
        <button type="button" class="btn" onClick={onClose}>
          Close
        </button>
      </div>
      {saved && (
        <p role="status" class="export-saved">
          Saved {saved}
        </p>
      )}
    </div>
  );
}

function useProgress(source: LogSource): LogProgress {
  const [p, setP] = useState(source.progress);
  useEffect(() => {
    setP(source.progress);
    return source.onProgress(setP);
  }, [source]);
  return p;
}

export function LogBanner({ ui, source }: { ui: LogsUi; source: LogSource }) {
  const p = useProgress(source);
  const [showIssues, setShowIssues] = useState(false);
  const r = p.result;
  const h = p.header;
  const pct = p.size ? Math.floor((100 * p.read) / p.size) : 100;
  const handed = p.handover?.total ? Math.floor((100 * p.handover.done) / p.handover.total) : 100;
  const kind = p.layout === 'har' ? 'HAR' : p.layout === 'ndjson' ? 'NDJSON log' : 'log';
  const problems = r ? r.issueCount + (r.fatal ? 1 : 0) : 0;
  return (
    <div class="log-banner" role="status" aria-label="Log file">
      <strong>Viewing {kind}:</strong> <span class="log-name">{p.name}</span>
      {h && (
        <span class="muted">
          {' '}
          · {h.browser ?? 'unknown browser'}
          {h.origin ? ` · ${h.origin}` : ''}
          {h.capture.start ? ` · ${h.capture.start.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}` : ''}
          {h.anonymized ? ' · anonymized' : ''}
        </span>
      )}
      {r ? (
        <span class="log-count"> · {formatCount(r.events)} events</span>
      ) : p.handover ? (
        <span class="log-progress">
          {' '}
          · {formatCount(p.events)} events read, showing the newest {formatCount(p.handover.total)}…{' '}
          <progress max={100} value={handed} aria-label="Showing the events" /> {handed}%
        </span>
      ) : (
        <span class="log-progress">
          {' '}
          · reading… <progress max={100} value={pct} aria-label="Reading the file" /> {pct}% ({formatCount(p.events)} events)
        </span>
      )}
      {problems > 0 && (
        <button type="button" class="tb-btn warn-text" aria-expanded={showIssues} onClick={() => setShowIssues(!showIssues)}>
          {r?.fatal && r.events === 0 ? 'Could not read the file' : `${formatCount(problems)} ${problems === 1 ? 'problem' : 'problems'}`}
        </button>
      )}
      <span class="tb-fill" />
      <button type="button" class="btn" onClick={ui.back}>
        {ui.env.viewer ? 'Close log' : 'Back to live capture'}
      </button>
      {(showIssues || (r?.fatal && r.events === 0)) && r && (
        <ul class="log-issues">
          {r.fatal && <li class="warn-text">{issueText(r.fatal)}</li>}
          {r.issues.map((i) => (
            <li>{issueText(i)}</li>
          ))}
          {r.issueCount > r.issues.length && <li>… {formatCount(r.issueCount - r.issues.length)} more</li>}
        </ul>
      )}
    </div>
  );
}
