// The "History" section of the detail pane: every version of the selected event's item, each diffed
// against the one before it, and any two compared. Page data is shown as text only.
import { useState } from 'preact/hooks';
import { compareVersions, baseIndex, versionDiff, versionSummaries, type Change, type PayloadDiff, type TextSegment } from '../../../core/versions/diff';
import { currentVersion, isRemoval, versionIndexOf, type ItemHistory, type Version } from '../../../core/versions/history';
import { isObj } from '../../../core/versions/json';
import type { JsonValue } from '../../../core/wire/types';
import { formatCount, formatTime, preview } from '../../store/row';

/** Versions listed at first (the newest, in arrival order); the older ones behind "Show all". */
const SHOWN = 100;
const VALUE_MAX = 160;

export interface HistoryProps {
  item: ItemHistory;
  /** seq of the event selected in the list. */
  seq: number;
  /** Selects the event with this seq; false when the list no longer holds it. */
  goTo(seq: number): boolean;
}

const diffCache = new WeakMap<Version, { base: Version | undefined; diff: PayloadDiff }>();

/** Version i against its base, with word diffs; cached per version and base. */
function diffAt(item: ItemHistory, i: number): PayloadDiff {
  const v = item.versions[i] as Version;
  const b = baseIndex(item, i);
  const base = b === undefined ? undefined : item.versions[b];
  const hit = diffCache.get(v);
  if (hit && hit.base === base) return hit.diff;
  const diff = versionDiff(item, i);
  diffCache.set(v, { base, diff });
  return diff;
}

export function History({ item, seq, goTo }: HistoryProps) {
  const selected = versionIndexOf(item, seq);
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set(selected >= 0 ? [item.versions[selected]!.seq] : []));
  const [all, setAll] = useState(false);
  const [cmp, setCmp] = useState<{ a: number; b: number } | null>(null);
  const [gone, setGone] = useState<number | null>(null);
  const summaries = versionSummaries(item);
  const n = item.versions.length;
  const first = all ? 0 : Math.max(0, n - SHOWN);
  const current = currentVersion(item);
  const kind = item.kind === 'item' ? 'Item' : item.kind[0]!.toUpperCase() + item.kind.slice(1);

  const toggle = (s: number): void => {
    const next = new Set(open);
    if (next.has(s)) next.delete(s);
    else next.add(s);
    setOpen(next);
  };
  const show = (s: number): void => setGone(goTo(s) ? null : s);
  const label = (i: number): string => `#${i + 1 + item.dropped}`;

  const rows = [];
  for (let i = first; i < n; i++) {
    const v = item.versions[i]!;
    const expanded = open.has(v.seq);
    const marks: preact.ComponentChildren[] = [];
    if (v.duplicateOf !== undefined) marks.push(<Mark cls="warn" icon="≡" text={`duplicate of event #${v.duplicateOf}`} short="duplicate" />);
    if (v.outOfOrder) marks.push(<Mark cls="warn" icon="⇅" text="out of order: older modified than a version already seen" short="out of order" />);
    if (isRemoval(v.category)) marks.push(<Mark cls="removed" icon="✖" text="removal" short="removed" />);
    rows.push(
      <li key={v.seq} class={`ver${v.seq === seq ? ' current' : ''}`} aria-current={v.seq === seq ? 'true' : undefined}>
        <div class="ver-head">
          <button type="button" class="ver-toggle" aria-expanded={expanded} onClick={() => toggle(v.seq)}>
            <span class="twisty" aria-hidden="true">
              {expanded ? '▼' : '▶'}
            </span>
            <span class="ver-n">{label(i)}</span>
            <span class="ver-time">{formatTime(v.t)}</span>
            {marks}
            <span class="ver-sum">{summaries[i]}</span>
          </button>
          {v.seq === seq ? (
            <span class="muted ver-here">this event</span>
          ) : (
            <button type="button" class="link" title={`Select event #${v.seq} in the list`} onClick={() => show(v.seq)}>
              event #{v.seq}
            </button>
          )}
        </div>
        <div class="ver-meta">
          <span>{v.category}</span>
          {v.modified !== undefined && (
            <span>
              {' · modified '}
              <code>{String(v.modified).slice(0, 40)}</code>
            </span>
          )}
          {gone === v.seq && <span class="muted"> · no longer in the list</span>}
        </div>
        {expanded && (
          <div class="ver-diff">
            <DiffView diff={diffAt(item, i)} first={baseIndex(item, i) === undefined} duplicateOf={v.duplicateOf} base={baseIndex(item, i)} label={label} after={v.payload} />
          </div>
        )}
      </li>,
    );
  }

  const options = item.versions.map((v, i) => (
    <option key={v.seq} value={i}>
      {`${label(i)} ${formatTime(v.t)} ${summaries[i]}`.slice(0, 80)}
    </option>
  ));
  const defaultB = selected >= 0 ? selected : n - 1;
  const defaultA = baseIndex(item, defaultB) ?? Math.max(0, defaultB - 1);

  return (
    <div class="history">
      <p class="hist-head">
        {kind} <code>{item.id}</code>
        {` · ${formatCount(n)} ${n === 1 ? 'version' : 'versions'}`}
        {item.dropped > 0 && <span class="muted">{` (${formatCount(item.dropped)} oldest dropped)`}</span>}
        {item.removed && (
          <span>
            {' · '}
            <Mark cls="removed" icon="✖" text="removed" short="removed" />
            {current && current.seq !== item.versions[n - 1]?.seq && (
              <span class="muted">{`last content: ${label(item.versions.indexOf(current))}`}</span>
            )}
          </span>
        )}
      </p>
      {n > 1 && (
        <div class="compare">
          {cmp === null ? (
            <button type="button" class="tb-btn bordered" onClick={() => setCmp({ a: defaultA, b: defaultB })}>
              Compare two versions…
            </button>
          ) : (
            <>
              <label>
                From{' '}
                <select class="tb-select" aria-label="Compare from version" value={cmp.a} onChange={(e) => setCmp({ ...cmp, a: Number(e.currentTarget.value) })}>
                  {options}
                </select>
              </label>
              <label>
                to{' '}
                <select class="tb-select" aria-label="Compare to version" value={cmp.b} onChange={(e) => setCmp({ ...cmp, b: Number(e.currentTarget.value) })}>
                  {options}
                </select>
              </label>
              <button type="button" class="tb-btn icon" aria-label="Close the comparison" title="Close" onClick={() => setCmp(null)}>
                ×
              </button>
              <div class="ver-diff" role="region" aria-label={`Changes from ${label(cmp.a)} to ${label(cmp.b)}`}>
                <DiffView diff={compareVersions(item, cmp.a, cmp.b)} first={false} label={label} after={item.versions[cmp.b]?.payload} />
              </div>
            </>
          )}
        </div>
      )}
      {first > 0 && (
        <button type="button" class="link" onClick={() => setAll(true)}>
          Show all {formatCount(n)} versions ({formatCount(first)} older ones hidden)
        </button>
      )}
      <ol class="versions" start={first + 1 + item.dropped} aria-label={`Versions of this ${item.kind}, in arrival order`}>
        {rows}
      </ol>
    </div>
  );
}

function Mark({ cls, icon, text, short }: { cls: string; icon: string; text: string; short: string }) {
  return (
    <span class={`badge badge-${cls}`} title={text}>
      <span aria-hidden="true">{icon} </span>
      {short}
    </span>
  );
}

const KIND_ICON: Record<Change['kind'], string> = { changed: '~', added: '+', removed: '−', moved: '↕' };

interface DiffViewProps {
  diff: PayloadDiff;
  /** The first version seen: nothing to diff against. */
  first: boolean;
  duplicateOf?: number | undefined;
  base?: number | undefined;
  label(i: number): string;
  /** The later payload, for the unchanged fields. */
  after?: JsonValue | undefined;
}

/** A change list: path, kind, old → new (word diff for texts); unchanged fields are not listed. */
export function DiffView({ diff, first, duplicateOf, base, label, after }: DiffViewProps) {
  if (first) return <p class="muted">Nothing earlier of this kind to compare with (first version seen).</p>;
  if (duplicateOf !== undefined) return <p class="muted">Same content as event #{duplicateOf}, delivered again: not a change.</p>;
  const changes = diff.changes;
  return (
    <div>
      {base !== undefined && <p class="muted diff-base">Against {label(base)}:</p>}
      {changes.length === 0 ? (
        <p class="muted">No change (only its time or category differs, or a reorder of a set).</p>
      ) : (
        <table class="diff">
          <caption class="sr-only">Changed fields</caption>
          <thead class="sr-only">
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Change</th>
              <th scope="col">Before → after</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c, k) => (
              <tr key={k} class={`chg chg-${c.kind}`}>
                <th scope="row" title={c.path}>
                  <code>{c.path ? <PathText keys={c.keys} /> : '(whole payload)'}</code>
                </th>
                <td class="chg-kind">
                  <span aria-hidden="true">{KIND_ICON[c.kind]} </span>
                  {c.kind}
                </td>
                <td class="chg-val">
                  <ChangeValue c={c} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Unchanged diff={diff} after={after} />
    </div>
  );
}

/** A change's path, long identities shortened (the full path is the cell's title), breakable after dots. */
function PathText({ keys }: { keys: Change['keys'] }) {
  const out: preact.ComponentChildren[] = [];
  keys.forEach((k, i) => {
    if (typeof k === 'number') out.push(`[${k}]`);
    else if (typeof k === 'object') out.push(`[${k.field}=${k.value.length > 12 ? `${k.value.slice(0, 8)}…` : k.value}]`);
    else out.push(i ? '.' : '', <wbr />, /^[A-Za-z_$][\w$]*$/.test(k) ? k : `[${JSON.stringify(k)}]`);
  });
  return <>{out}</>;
}

function ChangeValue({ c }: { c: Change }) {
  if (c.text) return <WordDiff segments={c.text} truncated={c.textTruncated === true} />;
  if (c.kind === 'moved') return <span>{`position ${String(c.old)} → ${String(c.new)}`}</span>;
  return (
    <span>
      {c.old !== undefined && <del class="val-old">{value(c.old)}</del>}
      {c.old !== undefined && c.new !== undefined && ' → '}
      {c.new !== undefined && <ins class="val-new">{value(c.new)}</ins>}
    </span>
  );
}

function value(x: JsonValue): string {
  return typeof x === 'string' ? JSON.stringify(x.length > VALUE_MAX ? x.slice(0, VALUE_MAX) + '…' : x) : preview(x, VALUE_MAX);
}

function WordDiff({ segments, truncated }: { segments: TextSegment[]; truncated: boolean }) {
  return (
    <span class="words">
      {segments.map((s, k) =>
        s.op === 'insert' ? (
          <ins key={k}>{s.text}</ins>
        ) : s.op === 'delete' ? (
          <del key={k}>{s.text}</del>
        ) : (
          <span key={k}>{s.text.length > 200 ? `${s.text.slice(0, 90)} … ${s.text.slice(-90)}` : s.text}</span>
        ),
      )}
      {truncated && <span class="muted"> (text diff of the first 4,000 characters)</span>}
    </span>
  );
}

/** Top-level and content.* fields of `after` that no change touched, collapsed behind a disclosure. */
function Unchanged({ diff, after }: { diff: PayloadDiff; after: JsonValue | undefined }) {
  if (!isObj(after)) return null;
  const touched = new Set<string>();
  for (const c of diff.changes) {
    const [k0, k1] = c.keys;
    touched.add(k0 === 'content' && k1 !== undefined ? `content.${String(k1)}` : String(k0 ?? ''));
  }
  if (touched.has('')) return null;
  const rows: [string, JsonValue][] = [];
  for (const k of Object.keys(after)) {
    const v = after[k] as JsonValue;
    if (k === 'content' && isObj(v) && !touched.has('content')) {
      for (const c of Object.keys(v)) if (!touched.has(`content.${c}`)) rows.push([`content.${c}`, v[c] as JsonValue]);
    } else if (!touched.has(k)) rows.push([k, v]);
  }
  if (!rows.length) return null;
  return (
    <details class="unchanged">
      <summary>{`${rows.length} unchanged ${rows.length === 1 ? 'field' : 'fields'}`}</summary>
      <dl class="fields">
        {rows.map(([k, v]) => [
          <dt key={`k-${k}`}>
            <code>{k}</code>
          </dt>,
          <dd key={`v-${k}`}>{value(v)}</dd>,
        ])}
      </dl>
    </details>
  );
}
