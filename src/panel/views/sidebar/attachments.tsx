// The attachments view: every file seen in the session with its conversion status, and one file's
// timeline, retries, failures and problems. URLs are text with a copy action, never loaded.
import { useEffect, useRef, useState } from 'preact/hooks';
import { badgeFor, convertStartSkew, humanDuration, problemsOf, timeInStatus, type AttachmentFile, type ConvertStatus, type Problem } from '../../../core/attachments';
import { copyText } from '../detail/detail';
import { FilesBadge } from './files-badge';
import { formatCount, formatTime } from '../../store/row';
import { TableHead } from '../table-head';

export interface AttachmentsViewProps {
  files: readonly AttachmentFile[];
  /** The topic the tree filters on (its title), or null for all. */
  scope: string | null;
  now: number;
  stuckAfterMs: number;
  setStuckAfterMs(ms: number): void;
  topicTitle(topicId: string): string | undefined;
  /** Selects the newest event held about an item in the event list; false when there is none. */
  showItem(itemId: string): boolean;
}

/** Icon and colour class of a status; an unknown code is its own class, never a documented one. */
export function statusLook(s: ConvertStatus | undefined): { icon: string; cls: string; label: string } {
  if (!s) return { icon: '–', cls: 'none', label: 'no status' };
  if (!s.known) return { icon: '?', cls: 'unknown', label: s.label };
  const icons: Record<number, [string, string]> = { 0: ['○', 'pending'], 1: ['◔', 'busy'], 2: ['✔', 'ok'], 3: ['✖', 'failed'], 4: ['↻', 'retrying'] };
  const [icon, cls] = icons[s.code as number] ?? ['?', 'unknown'];
  return { icon, cls, label: s.label };
}

export function StatusLabel({ status }: { status: ConvertStatus | undefined }) {
  const l = statusLook(status);
  return (
    <span class={`st st-${l.cls}`}>
      <span class="st-icon" aria-hidden="true">
        {l.icon}
      </span>{' '}
      {l.label}
    </span>
  );
}

const PROBLEM_ICON: Record<Problem['kind'], string> = {
  failed: '✖',
  retrying: '↻',
  stuck: '⚠',
  backwards: '↩',
  'unknown status': '?',
  disappeared: '∅',
  'out of order': '⇅',
};

function ProblemBadge({ p }: { p: Problem }) {
  const level = p.kind === 'failed' || p.kind === 'stuck' || p.kind === 'disappeared' ? 'error' : 'warn';
  return (
    <span class={`badge badge-${level} prob`} title={p.text}>
      <span aria-hidden="true">{PROBLEM_ICON[p.kind]} </span>
      {p.kind}
    </span>
  );
}

const fileTypeOf = (f: AttachmentFile): string => [f.fileType, f.providerFileType].filter(Boolean).join(' · ');

export function AttachmentsView({ files, scope, now, stuckAfterMs, setStuckAfterMs, topicTitle, showItem }: AttachmentsViewProps) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [minutes, setMinutes] = useState(String(stuckAfterMs / 60_000));
  const tableRef = useRef<HTMLTableSectionElement>(null);
  useEffect(() => setMinutes(String(stuckAfterMs / 60_000)), [stuckAfterMs]);

  const opts = { stuckAfterMs };
  const rows = files.map((f) => ({ f, problems: problemsOf(f, now, opts) })).filter((r) => !onlyProblems || r.problems.length > 0);
  const selected = files.find((f) => f.fileId === selectedId);
  const badge = badgeFor(files, now, opts);
  const withProblems = files.reduce((n, f) => n + (problemsOf(f, now, opts).length ? 1 : 0), 0);

  const onRowsKey = (e: KeyboardEvent): void => {
    const i = rows.findIndex((r) => r.f.fileId === selectedId);
    const next = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? rows.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const r = rows[Math.max(0, Math.min(rows.length - 1, next))];
    if (!r) return;
    setSelectedId(r.f.fileId);
    requestAnimationFrame(() => tableRef.current?.querySelector<HTMLButtonElement>(`[data-file="${CSS.escape(r.f.fileId)}"] .file-name`)?.focus());
  };

  const applyMinutes = (text: string): void => {
    setMinutes(text);
    const m = Number(text);
    if (Number.isFinite(m) && m >= 1 / 6 && m <= 1440) setStuckAfterMs(Math.round(m * 60) * 1000);
  };

  return (
    <section class="att-view" aria-label="Attachments">
      <div class="att-bar">
        <h2 class="att-title">Attachments{scope !== null ? ` in ${scope}` : ''}</h2>
        <span class="muted">
          {`${formatCount(files.length)} ${files.length === 1 ? 'file' : 'files'}`}
          {withProblems > 0 && ` · ${formatCount(withProblems)} with problems`}
        </span>
        {badge.text && <FilesBadge badge={badge} />}
        <span class="tb-fill" />
        <label class="tb-check">
          <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.currentTarget.checked)} />
          Only problems
        </label>
        <label class="tb-check" title="A file in progress for longer than this is stuck">
          Stuck after{' '}
          <input
            class="num"
            type="number"
            min="0.5"
            max="1440"
            step="0.5"
            value={minutes}
            aria-label="Stuck after, minutes"
            onInput={(e) => applyMinutes(e.currentTarget.value)}
          />{' '}
          min
        </label>
      </div>
      <div class="att-body">
        <div class="att-table-wrap">
          {rows.length === 0 ? (
            <p class="empty-box">{files.length === 0 ? 'No attachment seen yet: files appear when a message, idea or task carries content.data[].' : 'No file with a problem.'}</p>
          ) : (
            <table class="att-table">
              <caption class="sr-only">Attached files and their conversion status</caption>
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col" class="num">
                    Size
                  </th>
                  <th scope="col">Provider</th>
                  <th scope="col" class="num">
                    Pages
                  </th>
                  <th scope="col">Topic</th>
                  <th scope="col">Item</th>
                  <th scope="col">In status</th>
                  <th scope="col">Problems</th>
                </tr>
              </thead>
              <tbody ref={tableRef} onKeyDown={onRowsKey}>
                {rows.map(({ f, problems }) => {
                  const sel = f.fileId === selectedId;
                  const since = f.statusSince ? now - f.statusSince.t : undefined;
                  return (
                    <tr key={f.fileId} data-file={f.fileId} class={`att-row${sel ? ' selected' : ''}`} aria-current={sel ? 'true' : undefined} onClick={() => setSelectedId(f.fileId)}>
                      <td>
                        <StatusLabel status={f.status} />
                      </td>
                      <td class="name">
                        <button type="button" class="link file-name" aria-expanded={sel} title={`Show the timeline of ${f.name ?? f.fileId}`} onClick={() => setSelectedId(sel ? null : f.fileId)}>
                          {f.name ?? f.fileId}
                        </button>
                        {f.itemRemoved && <span class="muted"> (item removed)</span>}
                      </td>
                      <td>{fileTypeOf(f)}</td>
                      <td class="num">{f.humanSize ?? ''}</td>
                      <td>{f.provider ?? ''}</td>
                      <td class="num">{f.pages ?? ''}</td>
                      <td>{f.topicTitle ?? (f.topicId ? topicTitle(f.topicId) : undefined) ?? f.topicId ?? ''}</td>
                      <td>{f.category ? `${itemKind(f.category)}` : ''}</td>
                      <td>{since === undefined ? '' : humanDuration(since)}</td>
                      <td class="probs">
                        {problems.map((p, k) => (
                          <ProblemBadge key={k} p={p} />
                        ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </div>
        {selected && <FileDetail f={selected} now={now} stuckAfterMs={stuckAfterMs} showItem={showItem} onClose={() => setSelectedId(null)} />}
      </div>
    </section>
  );
}

/** "message", "idea", "task" from a category. */
function itemKind(category: string): string {
  if (/^(?:chat|app\.event\.message\.)/.test(category)) return 'message';
  if (/idea/.test(category)) return 'idea';
  if (/task/.test(category)) return 'task';
  return category;
}

/** The server's convertStart against when its status was seen: the two clocks side by side. */
function SkewText({ f }: { f: AttachmentFile }) {
  const k = convertStartSkew(f);
  if (!k) return null;
  const ms = Math.abs(k.skewMs);
  const rel = ms < 1000 ? 'the same second as' : `${humanDuration(ms)} ${k.skewMs > 0 ? 'before' : 'after'}`;
  return <span class="muted skew">{` · ${rel} its status was seen (${formatTime(k.seenAt)}); skew ${k.skewMs > 0 ? '+' : ''}${Math.round(k.skewMs / 1000)} s`}</span>;
}

function FileDetail({ f, now, stuckAfterMs, showItem, onClose }: { f: AttachmentFile; now: number; stuckAfterMs: number; showItem(id: string): boolean; onClose(): void }) {
  const [gone, setGone] = useState(false);
  const problems = problemsOf(f, now, { stuckAfterMs });
  const spent = timeInStatus(f, now);
  const urls: [string, string | undefined][] = [
    ['previewUrl', f.previewUrl],
    ['thumbnailUrl', f.thumbnailUrl],
    ['thumbnailFile', f.thumbnailFile],
    ['path', f.path],
  ];
  const dropped = Object.values(f.dropped).reduce((a, b) => a + b, 0);
  return (
    <section class="att-detail" aria-label={`Conversion of ${f.name ?? f.fileId}`}>
      <header class="detail-head">
        <h3 class="detail-title">{f.name ?? f.fileId}</h3>
        <StatusLabel status={f.status} />
        <span class="tb-fill" />
        <button type="button" class="tb-btn icon close" aria-label="Close file details" title="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div class="att-detail-body">
        <dl class="fields">
          <dt>File id</dt>
          <dd>
            <code>{f.fileId}</code>
          </dd>
          <dt>Type</dt>
          <dd>{fileTypeOf(f) || '—'}</dd>
          <dt>Size</dt>
          <dd>{f.humanSize ? `${f.humanSize} (${formatCount(f.size ?? 0)} bytes)` : '—'}</dd>
          <dt>Provider</dt>
          <dd>{f.provider ?? '—'}</dd>
          <dt>Pages</dt>
          <dd>{f.pages ?? '—'}</dd>
          {f.itemId && (
            <>
              <dt>Item</dt>
              <dd>
                <button type="button" class="link" title="Select its newest event in the event list" onClick={() => setGone(!showItem(f.itemId!))}>
                  {f.category ? itemKind(f.category) : 'item'} <code>{f.itemId}</code>
                </button>
                {gone && <span class="muted"> (no longer in the list)</span>}
              </dd>
            </>
          )}
          <dt>Seen</dt>
          <dd>{`${f.versions} ${f.versions === 1 ? 'version' : 'versions'}, ${formatTime(f.first.t)} → ${formatTime(f.last.t)}`}</dd>
          {f.convertStart && (
            <>
              <dt>convertStart</dt>
              <dd>
                <code>{f.convertStart}</code>
                <SkewText f={f} />
              </dd>
            </>
          )}
          {f.nextSchedule && (
            <>
              <dt>nextSchedule</dt>
              <dd>
                <code>{f.nextSchedule}</code>
              </dd>
            </>
          )}
          {f.convertFailed && (
            <>
              <dt>convertFailed</dt>
              <dd class="problem problem-error">{f.convertFailed}</dd>
            </>
          )}
          {urls.map(([k, u]) =>
            u ? (
              <>
                <dt key={`k-${k}`}>{k}</dt>
                <dd key={`v-${k}`}>
                  <CopyText text={u} label={k} />
                </dd>
              </>
            ) : null,
          )}
        </dl>
        <h4>Problems</h4>
        {problems.length === 0 ? (
          <p class="muted">None.</p>
        ) : (
          <ul class="issues att-problems">
            {problems.map((p, k) => (
              <li key={k}>
                <ProblemBadge p={p} /> {p.text} <span class="muted">(event #{p.seq})</span>
              </li>
            ))}
          </ul>
        )}
        <h4>Time in each status</h4>
        <p class="spent">
          {spent.map((s, k) => (
            <span key={k} class="spent-item">
              <StatusLabel status={s.status} /> {humanDuration(s.ms)}
            </span>
          ))}
        </p>
        <h4>Timeline</h4>
        <table class="att-timeline">
          <TableHead caption={`Status timeline of ${f.name ?? f.fileId}`} cols={['Time', 'Status', 'For', 'Details']} />
          <tbody>
            {f.timeline.map((e, k) => {
              const next = f.timeline[k + 1];
              const tr = f.transitions.find((t) => t.seq === e.seq);
              const retry = f.retries.find((r) => r.seq === e.seq);
              return (
                <tr key={e.seq}>
                  <td class="mono">{formatTime(e.t)}</td>
                  <td>
                    <StatusLabel status={e.status} />
                    {tr && tr.kind !== 'forward' && <span class={`badge badge-${tr.kind === 'retry' ? 'warn' : 'error'}`}>{tr.kind}</span>}
                  </td>
                  <td>{next ? humanDuration(next.t - e.t) : `${humanDuration(now - e.t)} (now)`}</td>
                  <td class="tl-details">
                    {retry && <span>{`retry ${f.retries.indexOf(retry) + 1}${retry.nextSchedule ? `, was scheduled for ${retry.nextSchedule}` : ''}`}</span>}
                    {e.status.code === 4 && e.nextSchedule && <span>{`next try ${e.nextSchedule}`}</span>}
                    {e.convertFailed && <span class="problem problem-error">{e.convertFailed}</span>}
                    {e.convertStart && <span class="muted">{`started ${e.convertStart}`}</span>}
                    {e.repeats > 0 && <span class="muted">{`same in ${e.repeats} later ${e.repeats === 1 ? 'version' : 'versions'}`}</span>}
                    <span class="muted">event #{e.seq}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {f.retryCount > 0 && <p>{`${f.retryCount} ${f.retryCount === 1 ? 'retry' : 'retries'}.`}</p>}
        {dropped > 0 && <p class="muted">{`${formatCount(dropped)} oldest entries dropped (bounded).`}</p>}
      </div>
    </section>
  );
}

/** A URL or key as text, with a copy button: never loaded, never a link. */
function CopyText({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<string | null>(null);
  return (
    <span class="copy-text">
      <code class="url">{text}</code>{' '}
      <button
        type="button"
        class="tb-btn bordered"
        aria-label={`Copy ${label}`}
        onClick={() =>
          copyText(text).then(
            (ok) => setDone(ok ? 'Copied' : 'Copy failed'),
            () => setDone('Copy failed'),
          )
        }
      >
        Copy
      </button>
      {done && (
        <span class="copied" role="status">
          {done}
        </span>
      )}
    </span>
  );
}
