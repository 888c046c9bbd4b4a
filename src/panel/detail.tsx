// The detail pane of the selected event. Page data is shown as text nodes only.
import { useState } from 'preact/hooks';
import type { CapturedEvent } from '../core/model/event';
import type { ReplyInfo } from '../core/spaces/types';
import { formatCount, formatTime, rowText } from './row';

export interface DetailProps {
  ev: CapturedEvent;
  /** Selects the event with this seq; false when it is no longer held. */
  goTo(seq: number): boolean;
  onClose(): void;
  /** Esc inside the pane: hand focus back to the list. */
  onEscape(): void;
  paneRef: { current: HTMLElement | null };
}

export function Detail({ ev, goTo, onClose, onEscape, paneRef }: DetailProps) {
  const rec = ev.record;
  const s = ev.spaces;
  const r = rowText(ev);
  const issues = s?.issues ?? [];
  const [copied, setCopied] = useState<string | null>(null);

  const copy = (): void => {
    copyText(JSON.stringify(ev, null, 2)).then(
      (ok) => setCopied(ok ? 'Copied' : 'Copy failed'),
      () => setCopied('Copy failed'),
    );
  };

  const fields: [string, preact.ComponentChildren][] = [];
  if (s?.category) fields.push(['Category', s.category + (s.knownCategory === false ? ' (undocumented)' : '')]);
  if (s?.topicTitle || s?.topicId)
    fields.push(['Topic', [s.topicTitle ?? '', s.topicTitle && s.topicId ? ' · ' : '', <code>{s.topicId ?? ''}</code>]]);
  if (s?.topicType) fields.push(['Topic type', s.topicType]);
  if (s?.sender) {
    const p = s.sender;
    const name = p.displayName ?? p.username ?? '';
    fields.push(['Sender', [name, p.username && p.username !== name ? ` <${p.username}>` : '', p.id ? [' · ', <code>{p.id}</code>] : '', p.type ? ` (${p.type})` : '']]);
  }
  if (s?.itemId) fields.push(['Item id', <code>{s.itemId}</code>]);
  if (s?.channel) {
    const c = s.channel;
    fields.push(['Channel', [c.id ?? '?', c.type ? ` (${c.type})` : '', c.password ? ' · password [redacted]' : '']]);
  }
  if (s?.reply) fields.push(['Reply', <ReplyText reply={s.reply} goTo={goTo} />]);
  if (s?.error) fields.push(['Error', s.error]);
  if (s?.loopback) fields.push(['Loopback', <code>{s.loopback}</code>]);
  fields.push(['Time', `${new Date(rec.t).toLocaleDateString()} ${formatTime(rec.t)}`]);
  fields.push(['Direction', rec.dir === 'out' ? '↑ sent by the page' : '↓ received by the page']);
  fields.push(['Connection', `#${rec.conn} · ${rec.transport}`]);
  if (rec.kind === 'socket') {
    const p = rec.packet;
    fields.push(['Packet', `${p.type} · namespace ${p.nsp}${p.id !== undefined ? ` · ack id ${p.id}` : ''}${p.attachments ? ` · ${p.attachments} attachments` : ''}`]);
    if (p.query) fields.push(['Query', <code>{p.query}</code>]);
  }
  fields.push(['Seq', `#${ev.seq}`]);

  let payload: unknown = undefined;
  let payloadLabel = 'Payload';
  if (rec.kind === 'socket') {
    const p = rec.packet;
    if (p.type === 'CONNECT' || p.type === 'CONNECT_ERROR') payload = p.data;
    else if (p.args.length === 1) payload = p.args[0];
    else if (p.args.length > 1) {
      payload = p.args;
      payloadLabel = 'Arguments';
    }
  } else if (rec.kind === 'engine') {
    payload = rec.handshake ?? rec.data;
    payloadLabel = rec.handshake ? 'Handshake' : 'Data';
  }

  return (
    <section
      class="detail"
      ref={paneRef}
      tabIndex={-1}
      aria-label={`Details of ${r.event}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onEscape();
        }
      }}
    >
      <header class="detail-head">
        <h2 class={`detail-title kind-${r.kind}`}>
          {r.problem === 'error' && <span aria-hidden="true">✖ </span>}
          {r.event}
        </h2>
        <button type="button" class="tb-btn" onClick={copy} title="Copy the event as JSON">
          Copy as JSON
        </button>
        {copied && (
          <span class="copied" role="status">
            {copied}
          </span>
        )}
        <button type="button" class="tb-btn icon close" aria-label="Close details" title="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div class="detail-body">
        <dl class="fields">
          {fields.map(([k, v]) => [<dt key={`k-${k}`}>{k}</dt>, <dd key={`v-${k}`}>{v}</dd>])}
        </dl>
        {rec.kind === 'error' && (
          <Section title="Decode error">
            <p class="problem problem-error">
              <span aria-hidden="true">✖ </span>
              {rec.error}
            </p>
          </Section>
        )}
        {issues.length > 0 && (
          <Section title={`Schema issues (${issues.length})`}>
            <ul class="issues">
              {issues.map((i, n) => (
                <li key={n} class="problem problem-issues">
                  <span aria-hidden="true">⚠ </span>
                  <code>{i.path || '(payload)'}</code> {i.message}
                </li>
              ))}
            </ul>
          </Section>
        )}
        {payload !== undefined && (
          <Section title={payloadLabel}>
            <div class="json">
              <JsonNode value={payload} depth={0} />
            </div>
          </Section>
        )}
        <Section title="Raw frame">
          <RawFrame raw={rec.raw} />
        </Section>
      </div>
    </section>
  );
}

function ReplyText({ reply, goTo }: { reply: ReplyInfo; goTo(seq: number): boolean }) {
  const [gone, setGone] = useState(false);
  const link = (
    <button type="button" class="link" onClick={() => setGone(!goTo(reply.toSeq))}>
      #{reply.toSeq}
    </button>
  );
  const ms = `${Math.round(reply.rttMs)} ms`;
  const text =
    reply.outcome === 'failed'
      ? [<span class="problem problem-error">failed</span>, ': answer to ', link, ` after ${ms}`]
      : reply.outcome === 'echo'
        ? ['echo of ', link, ` in ${ms}`]
        : reply.outcome === 'ack'
          ? ['ack of ', link, ` in ${ms}`]
          : ['subscription confirmed for ', link, ` in ${ms}`];
  return (
    <span>
      {text}
      {gone && <span class="muted"> (no longer in the list)</span>}
    </span>
  );
}

function Section({ title, children }: { title: string; children: preact.ComponentChildren }) {
  const [open, setOpen] = useState(true);
  return (
    <section class="section">
      <h3>
        <button type="button" class="section-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          <span class="twisty" aria-hidden="true">
            {open ? '▼' : '▶'}
          </span>
          {title}
        </button>
      </h3>
      {open && <div class="section-body">{children}</div>}
    </section>
  );
}

const RAW_SHOWN = 20_000;

function RawFrame({ raw }: { raw: CapturedEvent['record']['raw'] }) {
  const [all, setAll] = useState(false);
  const long = raw.text.length > RAW_SHOWN;
  return (
    <div>
      {(raw.truncated || raw.binary) && (
        <p class="muted">
          {raw.binary ? `Binary frame, ${formatCount(raw.length)} bytes. ` : ''}
          {raw.truncated ? `Truncated, original length ${formatCount(raw.length)}.` : ''}
        </p>
      )}
      <pre class="raw">{long && !all ? raw.text.slice(0, RAW_SHOWN) + '…' : raw.text}</pre>
      {long && (
        <button type="button" class="link" onClick={() => setAll(!all)}>
          {all ? 'Show less' : `Show all ${formatCount(raw.text.length)} characters`}
        </button>
      )}
    </div>
  );
}

const STRING_SHOWN = 300;
const CHILDREN_SHOWN = 100;

function isBinaryRef(v: object): v is { $binary: { length: number; preview: string } } {
  const b = (v as { $binary?: unknown }).$binary;
  return (
    Object.keys(v).length === 1 &&
    typeof b === 'object' &&
    b !== null &&
    typeof (b as { length?: unknown }).length === 'number' &&
    typeof (b as { preview?: unknown }).preview === 'string'
  );
}

function JsonNode({ name, value, depth }: { name?: string; value: unknown; depth: number }) {
  const [open, setOpen] = useState(depth < 2);
  const [limit, setLimit] = useState(CHILDREN_SHOWN);
  const key = name !== undefined && (
    <>
      <span class="j-key">{name}</span>
      <span class="j-punct">: </span>
    </>
  );
  if (value === null || typeof value !== 'object') {
    return (
      <div class="j-line">
        {key}
        <JsonScalar value={value} />
      </div>
    );
  }
  if (isBinaryRef(value)) {
    return (
      <div class="j-line">
        {key}
        <span class="j-binary">
          binary, {formatCount(value.$binary.length)} bytes: {value.$binary.preview}
        </span>
      </div>
    );
  }
  const isArr = Array.isArray(value);
  const entries: [string, unknown][] = isArr
    ? (value as unknown[]).map((v, i) => [String(i), v])
    : Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]]);
  const brief = isArr ? `Array(${entries.length})` : entries.length === 0 ? '{}' : `{…} ${entries.length} ${entries.length === 1 ? 'key' : 'keys'}`;
  return (
    <div class="j-node">
      <button
        type="button"
        class="j-toggle"
        aria-expanded={entries.length ? open : undefined}
        onClick={() => setOpen(!open)}
        disabled={entries.length === 0}
      >
        <span class="twisty" aria-hidden="true">
          {entries.length === 0 ? ' ' : open ? '▼' : '▶'}
        </span>
        {key}
        <span class="j-brief">{brief}</span>
      </button>
      {open && entries.length > 0 && (
        <div class="j-children">
          {entries.slice(0, limit).map(([k, v]) => (
            <JsonNode key={k} name={k} value={v} depth={depth + 1} />
          ))}
          {entries.length > limit && (
            <button type="button" class="link j-more" onClick={() => setLimit(limit + CHILDREN_SHOWN * 10)}>
              Show more ({formatCount(entries.length - limit)} hidden)
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function JsonScalar({ value }: { value: unknown }) {
  const [all, setAll] = useState(false);
  if (typeof value === 'string') {
    const long = value.length > STRING_SHOWN;
    return (
      <>
        <span class="j-string">"{long && !all ? value.slice(0, STRING_SHOWN) + '…' : value}"</span>
        {long && (
          <button type="button" class="link j-more" onClick={() => setAll(!all)}>
            {all ? 'less' : `${formatCount(value.length)} chars, show all`}
          </button>
        )}
      </>
    );
  }
  const cls = value === null ? 'j-null' : typeof value === 'number' ? 'j-number' : typeof value === 'boolean' ? 'j-bool' : 'j-other';
  return <span class={cls}>{String(value)}</span>;
}

/** Copies text; DevTools panels often refuse navigator.clipboard, so fall back to execCommand. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}
