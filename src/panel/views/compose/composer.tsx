// The composer: emit a Socket.IO event on a socket of the inspected page (src/core/compose, the emit
// path in docs/SECURITY.md). Only a click here (or on a row's Resend) emits; a production Spaces origin
// asks first. What the person typed is sent as typed; what the list shows of it is the capture's own,
// redacted record.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Connection } from '../../../core/connections/model';
import type { EmitResult } from '../../../core/messages';
import type { PanelStore } from '../../store/state';
import { REDACTED } from '../../../core/wire/redact';
import { COMPOSE_EVENTS, SCHEMA_FIELDS, draftPacket, isProduction, parsePayload, seenValues, template, withFreshLoopback, type Draft } from './compose-model';

type Emit = (conn: number, packet: string) => Promise<EmitResult>;

/** What opens the composer (a toolbar click, or a row's Edit and resend / Resend). */
export interface ComposeRequest {
  draft?: Draft;
  /** Resend as is (the composer opens only to confirm on production, or to pick another socket). */
  now?: boolean;
}
const listeners = new Set<(r: ComposeRequest) => void>();
export const openComposer = (r: ComposeRequest = {}): void => listeners.forEach((l) => l(r));
/** A composer is mounted (the live extension): the row menu offers Resend. */
export const canCompose = (): boolean => listeners.size > 0;

/** Sockets of the current page's top frame that can be written on: open, not upgraded away. */
export function emittable(store: PanelStore): Connection[] {
  const latest = new Map<number, Connection>();
  for (const c of store.connections.list) if (c.frame === undefined) latest.set(c.conn, c);
  return [...latest.values()].filter((c) => c.openedAt !== undefined && c.closedAt === undefined && !c.upgradedTo);
}

const nspsOf = (c: Connection | undefined): string[] => {
  const n = c ? [...c.namespaces].filter(([, s]) => s === 'connected').map(([k]) => k) : [];
  return n.length ? n : ['/'];
};
const connLabel = (c: Connection): string => `#${c.conn} ${c.transport}${c.eio ? ` EIO=${c.eio}` : ''} ${c.endpoint}`;

const send = (emit: Emit, conn: number, d: Draft, args: unknown[]): Promise<EmitResult> => emit(conn, draftPacket(d, args));

/** Mounted once by the panel when the source can emit: hosts the composer and the row menu's resend. */
export function ComposeHost({ store, emit, pageUrl }: { store: PanelStore; emit: Emit; pageUrl: string | undefined }) {
  const [open, setOpen] = useState<{ draft?: Draft; n: number } | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  useEffect(() => {
    const l = (r: ComposeRequest): void => {
      const d = r.draft;
      if (r.now && d) {
        const conns = emittable(store);
        const target = conns.find((c) => c.conn === d.conn);
        const parsed = parsePayload(d.payload);
        if (target && parsed.ok && !isProduction(target.url) && !isProduction(pageUrl)) {
          void send(emit, target.conn, d, withFreshLoopback(d.event, parsed.args)).then((res) => setFlash(res.ok ? `Resent ${d.event}` : `Not resent: ${res.error}`));
          return;
        }
      }
      setOpen((o) => ({ draft: d, n: (o?.n ?? 0) + 1 }));
    };
    listeners.add(l);
    return () => void listeners.delete(l);
  }, [store, emit, pageUrl]);
  return (
    <>
      {flash && (
        <div class="notice compose-flash" role="status">
          {flash}
          <button type="button" class="tb-btn icon" aria-label="Dismiss" onClick={() => setFlash(null)}>
            ×
          </button>
        </div>
      )}
      {open && <Composer key={open.n} store={store} emit={emit} pageUrl={pageUrl} draft={open.draft} onClose={() => setOpen(null)} />}
    </>
  );
}

function Composer({ store, emit, pageUrl, draft, onClose }: { store: PanelStore; emit: Emit; pageUrl: string | undefined; draft?: Draft; onClose(): void }) {
  const conns = emittable(store);
  const seen = useMemo(() => seenValues(store), [store]);
  const [conn, setConn] = useState<number | undefined>(() => (conns.some((c) => c.conn === draft?.conn) ? draft?.conn : conns[0]?.conn));
  const target = conns.find((c) => c.conn === conn);
  const [nsp, setNsp] = useState(() => draft?.nsp ?? nspsOf(target).find((n) => n !== '/') ?? '/');
  const [event, setEvent] = useState(draft?.event ?? 'SEND_MESSAGE');
  const [payload, setPayload] = useState(() => {
    if (!draft) return JSON.stringify(template('SEND_MESSAGE', seen), null, 2);
    const p = parsePayload(draft.payload);
    return p.ok && p.args.length === 1 ? JSON.stringify(withFreshLoopback(draft.event, p.args)[0], null, 2) : draft.payload;
  });
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const parsed = parsePayload(payload);
  const production = isProduction(target?.url) || isProduction(pageUrl);
  const nsps = nspsOf(target);
  if (!nsps.includes(nsp)) nsps.push(nsp);

  const insert = (text: string): void => {
    const el = area.current;
    if (!el) return setPayload(payload + text);
    const { selectionStart: a, selectionEnd: b } = el;
    setPayload(payload.slice(0, a) + text + payload.slice(b));
    requestAnimationFrame(() => {
      el.focus();
      el.selectionStart = el.selectionEnd = a + text.length;
    });
  };
  const doSend = async (): Promise<void> => {
    if (!parsed.ok || !target || event.trim() === '') return;
    if (production && !confirming) return setConfirming(true);
    setConfirming(false);
    const d: Draft = { conn: target.conn, nsp, event: event.trim(), payload };
    const res = await send(emit, target.conn, d, parsed.args);
    setResult(res.ok ? { ok: true, text: `Sent ${d.event} on socket #${target.conn}` } : { ok: false, text: `Not sent: ${res.error}` });
    // The next send of a message is a new message: it gets its own loopback.
    if (res.ok && d.event === 'SEND_MESSAGE' && parsed.args.length === 1) setPayload(JSON.stringify(withFreshLoopback(d.event, parsed.args)[0], null, 2));
  };
  const fields = SCHEMA_FIELDS[event.trim()] ?? [];
  return (
    <section class="composer" aria-label="Compose and emit">
      <div class="composer-bar">
        <h2 class="att-title">Emit on the page's socket</h2>
        <button type="button" class="btn composer-send" disabled={!parsed.ok || !target || event.trim() === ''} onClick={() => void doSend()}>
          {confirming ? 'Emit on production' : 'Emit'}
        </button>
        {confirming && (
          <>
            <button type="button" class="tb-btn composer-cancel" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <span class="warn-text" role="alert">
              This page is a production Spaces origin: the event goes to the live server as this user. Click again to emit.
            </span>
          </>
        )}
        {result && (
          <span class={result.ok ? 'muted composer-result' : 'warn-text composer-result'} role="status">
            {result.text}
          </span>
        )}
        <span class="tb-fill" />
        <button type="button" class="tb-btn icon" aria-label="Close the composer" title="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {conns.length === 0 ? (
        <p class="muted">No open Socket.IO connection in the inspected page's top frame.</p>
      ) : (
        <div class="composer-row">
          <label>
            Socket{' '}
            <select class="tb-select" aria-label="Socket" value={conn} onChange={(e) => setConn(Number(e.currentTarget.value))}>
              {conns.map((c) => (
                <option key={c.key} value={c.conn}>
                  {connLabel(c)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Namespace{' '}
            <select class="tb-select" aria-label="Namespace" value={nsp} onChange={(e) => setNsp(e.currentTarget.value)}>
              {nsps.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <label>
            Event{' '}
            <input
              class="tb-input composer-event"
              aria-label="Event"
              list="compose-events"
              value={event}
              onInput={(e) => setEvent(e.currentTarget.value)}
              onChange={(e) => {
                const name = e.currentTarget.value.trim();
                if (!draft && (COMPOSE_EVENTS as readonly string[]).includes(name)) setPayload(JSON.stringify(template(name, seen), null, 2));
              }}
            />
            <datalist id="compose-events">
              {COMPOSE_EVENTS.map((n) => (
                <option key={n} value={n} />
              ))}
            </datalist>
          </label>
        </div>
      )}
      <textarea
        ref={area}
        class={`composer-payload${parsed.ok ? '' : ' invalid'}`}
        aria-label="Payload (JSON)"
        aria-invalid={!parsed.ok}
        spellcheck={false}
        rows={10}
        value={payload}
        onInput={(e) => setPayload(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void doSend();
          e.stopPropagation();
        }}
      />
      {!parsed.ok && (
        <p class="composer-error" role="alert">
          {parsed.error}
        </p>
      )}
      {payload.includes(REDACTED) && (
        <p class="warn-text composer-redacted">
          {`This payload holds ${REDACTED} values (the capture redacted secrets): they are sent as that text unless you replace them.`}
        </p>
      )}
      <div class="composer-complete" aria-label="Insert">
        {fields.map((f) => (
          <button key={f} type="button" class="chip" title={`Insert the field "${f.split('.').pop()}"`} onClick={() => insert(`"${f.split('.').pop()}": `)}>
            {f}
          </button>
        ))}
        {seen.topics.slice(0, 12).map((t) => (
          <button key={t.id} type="button" class="chip chip-value" title={`Insert the topic id ${t.id}`} onClick={() => insert(JSON.stringify(t.id))}>
            {t.title ? `${t.title} (${t.id})` : t.id}
          </button>
        ))}
        {seen.sender && (
          <button type="button" class="chip chip-value" title="Insert your own sender object, as the page sent it" onClick={() => insert(JSON.stringify(seen.sender))}>
            my sender
          </button>
        )}
      </div>
    </section>
  );
}
