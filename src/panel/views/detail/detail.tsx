// The detail pane of the selected event. Page data is shown as text nodes only.
import { DetailResend, TraceView } from '../compose/trace';
import { useState } from 'preact/hooks';
import { pairingText, type SendMark } from '../../store/sends';
import type { CapturedEvent } from '../../../core/model/event';
import type { ReplyInfo } from '../../../core/spaces/types';
import { lifeText } from '../../../core/connections/life';
import { formatCount, formatTime, rowText } from '../../store/row';
import { JsonTree } from './json-tree';
import { plainText } from '../../../core/spaces/text';
import type { ItemHistory } from '../../../core/versions/history';
import { History } from './history';

export interface DetailProps {
  ev: CapturedEvent;
  /** Selects the event with this seq; false when it is no longer held. */
  goTo(seq: number): boolean;
  /** seq of an event held about this item (message, idea, task), nearest before `before`. */
  findItem(itemId: string, before: number): number | undefined;
  /** Topic title learned from other events. */
  topicTitle(topicId: string): string | undefined;
  onClose(): void;
  /** Esc inside the pane: hand focus back to the list. */
  onEscape(): void;
  paneRef: { current: HTMLElement | null };
  /** The versions of the item this event is a version of, if it is one. */
  history?: ItemHistory | undefined;
  /** A send's outcome (the request's row), from the panel's send outcomes. */
  outcome?: SendOutcomeView | undefined;
}

/** What the detail pane says about a send: its mark, and the event that answered it. */
export interface SendOutcomeView {
  mark: SendMark;
  answerSeq?: number;
}

export function Detail({ ev, goTo, findItem, topicTitle, onClose, onEscape, paneRef, history, outcome }: DetailProps) {
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
  const title = s?.topicTitle ?? (s?.topicId ? topicTitle(s.topicId) : undefined);
  if (title || s?.topicId) fields.push(['Topic', [title ?? '', title && s?.topicId ? ' · ' : '', <code>{s?.topicId ?? ''}</code>]]);
  if (s?.topicType) fields.push(['Topic type', s.topicType]);
  if (s?.sender) {
    const p = s.sender;
    const name = p.displayName ?? p.username ?? '';
    fields.push(['Sender', [name, p.username && p.username !== name ? ` <${p.username}>` : '', p.id ? [' · ', <code>{p.id}</code>] : '', p.type ? ` (${p.type})` : '']]);
    // Shown as text, never fetched.
    if (p.pictureUrl) fields.push(['Avatar URL', <code class="url">{p.pictureUrl}</code>]);
  }
  const payloadObj = rec.kind === 'socket' && s ? asObj(rec.packet.args[0]) : undefined;
  const content = asObj(payloadObj?.content);
  for (const [label, key] of [['Created', 'created'], ['Modified', 'modified']] as const) {
    const when = timeOf(payloadObj?.[key]);
    if (when) fields.push([label, when]);
  }
  if (typeof payloadObj?.chatCount === 'number') fields.push(['Chat count', String(payloadObj.chatCount)]);
  const parent = asObj(payloadObj?.parentMsg);
  if (parent) fields.push(['Parent', <ParentLink parent={parent} before={ev.seq} goTo={goTo} findItem={findItem} />]);
  if (s?.category && TOPIC_EVENTS.has(s.category) && typeof content?.status === 'number')
    fields.push(['Archived', content.status === 1 ? 'yes (status 1)' : `no (status ${content.status})`]);
  if (typeof content?.meetingStatus === 'string' || typeof content?.mediaMode === 'string')
    fields.push(['Meeting', [str(content?.meetingStatus) ?? '—', ' · media ', str(content?.mediaMode) ?? '—']]);
  if (s?.itemId) fields.push(['Item id', <code>{s.itemId}</code>]);
  if (s?.channel) {
    const c = s.channel;
    fields.push(['Channel', [c.id ?? '?', c.type ? ` (${c.type})` : '', c.password ? ' · password [redacted]' : '']]);
  }
  if (outcome) fields.push(['Outcome', <OutcomeText outcome={outcome} goTo={goTo} />]);
  if (s?.reply) fields.push(['Reply', <ReplyText reply={s.reply} goTo={goTo} />]);
  if (s?.error) fields.push(['Error', s.error]);
  if (s?.loopback) fields.push(['Loopback', <code>{s.loopback}</code>]);
  fields.push(['Time', `${new Date(rec.t).toLocaleDateString()} ${formatTime(rec.t)}`]);
  fields.push(['Direction', rec.dir === 'out' ? '↑ sent by the page' : '↓ received by the page']);
  fields.push(['Connection', `#${rec.conn} · ${rec.transport}`]);
  if (ev.frame) fields.push(['Frame', <code class="url">{ev.frame}</code>]);
  if (rec.kind === 'life') fields.push(['Socket', lifeText(rec)]);
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
          e.stopPropagation();
          onEscape();
        }
      }}
    >
      <header class="detail-head">
        <h2 class={`detail-title kind-${r.kind}`}>
          {r.problem === 'error' && <span aria-hidden="true">✖ </span>}
          {r.event}
        </h2>
        <DetailResend ev={ev} />
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
        {ev.trace && (
          <Section title="Trace">
            <TraceView trace={ev.trace} />
          </Section>
        )}
        {rec.kind === 'error' && (
          <Section title="Decode error">
            <p class="problem problem-error">
              <span aria-hidden="true">✖ </span>
              {rec.error}
            </p>
          </Section>
        )}
        {content && (['bodyText', 'description'] as const).map((k) =>
          typeof content[k] === 'string' && content[k] ? (
            <Section key={k} title={k === 'bodyText' ? 'Body text' : 'Description'}>
              <HtmlText html={content[k] as string} />
            </Section>
          ) : null,
        )}
        {history && (
          <Section title={`History (${formatCount(history.versions.length + history.dropped)} ${history.versions.length + history.dropped === 1 ? 'version' : 'versions'})`}>
            <History key={`${history.key}:${ev.seq}`} item={history} seq={ev.seq} goTo={goTo} />
          </Section>
        )}
        {issues.length > 0 && (
          <Section title={`Schema warnings (${issues.length})`}>
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
            <JsonTree value={payload} label={payloadLabel} />
          </Section>
        )}
        <Section title="Raw frame">
          <RawFrame raw={rec.raw} />
        </Section>
      </div>
    </section>
  );
}

const TOPIC_EVENTS: ReadonlySet<string> = new Set(['topic.updated', 'app.event.topic.new']);

type Obj = Record<string, unknown>;
const asObj = (x: unknown): Obj | undefined => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Obj) : undefined);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 hours ago", from a time in epoch ms. */
export function relativeTime(t: number, now = Date.now()): string {
  const s = (t - now) / 1000;
  const units: [Intl.RelativeTimeFormatUnit, number][] = [['year', 31536000], ['month', 2592000], ['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [unit, size] of units) if (Math.abs(s) >= size) return relative.format(Math.round(s / size), unit);
  return relative.format(Math.round(s), 'second');
}

/** An ISO string or epoch ms from the page, as absolute and relative time. */
function timeOf(x: unknown): preact.ComponentChildren {
  if (typeof x !== 'string' && typeof x !== 'number') return null;
  const t = typeof x === 'number' ? x : Date.parse(x);
  if (!Number.isFinite(t)) return typeof x === 'string' ? x.slice(0, 80) : null;
  const d = new Date(t);
  return (
    <span title={typeof x === 'string' ? x.slice(0, 80) : String(x)}>
      {`${d.toLocaleDateString()} ${formatTime(t)}`} <span class="muted">({relativeTime(t)})</span>
    </span>
  );
}

function ParentLink({ parent, before, goTo, findItem }: { parent: Obj; before: number; goTo(seq: number): boolean; findItem(id: string, before: number): number | undefined }) {
  const id = str(parent._id);
  const seq = id === undefined ? undefined : findItem(id, before);
  const body = str(asObj(parent.content)?.bodyText);
  const what = [str(parent.category) ?? 'message', body ? ` “${plainText(body, 60)}”` : ''];
  return (
    <span>
      {seq !== undefined ? (
        <button type="button" class="link" title={`Go to event #${seq}`} onClick={() => goTo(seq)}>
          {what}
        </button>
      ) : (
        what
      )}
      {id && [' · ', <code>{id}</code>]}
      {seq === undefined && <span class="muted"> (not in this capture)</span>}
    </span>
  );
}

/** Spaces text arrives as HTML: shown as text, the markup itself one click away (as text too). */
function HtmlText({ html }: { html: string }) {
  const [raw, setRaw] = useState(false);
  const text = plainText(html, 20_000);
  const hasMarkup = /<[a-z/!]/i.test(html) || /&[#a-z0-9]+;/i.test(html);
  return (
    <div class="html-text">
      {raw ? (
        <pre class="raw" tabIndex={0} aria-label="Markup">
          {html}
        </pre>
      ) : <p class="prose">{text || <span class="muted">(empty)</span>}</p>}
      {hasMarkup && (
        <button type="button" class="link" aria-pressed={raw} onClick={() => setRaw(!raw)}>
          {raw ? 'Show as text' : 'Show markup'}
        </button>
      )}
    </div>
  );
}

function OutcomeText({ outcome, goTo }: { outcome: SendOutcomeView; goTo(seq: number): boolean }) {
  const [gone, setGone] = useState(false);
  const { mark, answerSeq } = outcome;
  return (
    <span class="send-outcome">
      <span class={`badge badge-send send-${mark.level}`}>{mark.text}</span>
      {answerSeq !== undefined && (
        <>
          {' by '}
          <button type="button" class="link" onClick={() => setGone(!goTo(answerSeq))}>
            #{answerSeq}
          </button>
        </>
      )}
      <span class="muted">{` (${mark.title.replace(/^[^,]*, /, '')})`}</span>
      {gone && <span class="muted"> (no longer in the list)</span>}
    </span>
  );
}

function ReplyText({ reply, goTo }: { reply: ReplyInfo; goTo(seq: number): boolean }) {
  const [gone, setGone] = useState(false);
  const link = (
    <button type="button" class="link" onClick={() => setGone(!goTo(reply.toSeq))}>
      #{reply.toSeq}
    </button>
  );
  const ms = `${Math.round(reply.rttMs)} ms${reply.by ? `, ${pairingText(reply.by)}` : ''}`;
  const text =
    reply.outcome === 'failed'
      ? [<span class="problem problem-error">failed</span>, ': answer to ', link, ` after ${ms}`]
      : reply.outcome === 'echo'
        ? ['echo of ', link, ` in ${ms}`]
        : reply.outcome === 'ack'
          ? ['ack of ', link, ` in ${ms}`]
          : reply.outcome === 'unsubscribed'
            ? ['unsubscription confirmed for ', link, ` in ${ms}`]
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
      {/* Focusable: it scrolls, and a keyboard must reach it. */}
      <pre class="raw" tabIndex={0} aria-label="Raw frame">
        {long && !all ? raw.text.slice(0, RAW_SHOWN) + '…' : raw.text}
      </pre>
      {long && (
        <button type="button" class="link" onClick={() => setAll(!all)}>
          {all ? 'Show less' : `Show all ${formatCount(raw.text.length)} characters`}
        </button>
      )}
    </div>
  );
}

/** Copies text; DevTools panels often refuse navigator.clipboard, so fall back to execCommand. */
export async function copyText(text: string): Promise<boolean> {
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
