// The Connections view: every socket of the capture (endpoint, transport and upgrade, generation,
// namespaces, open / close and why, heartbeat and its gaps, counts), the problems they had, and each
// channel's subscription per socket. Page data is shown as text only.
import { generationOf, gapLimit, ongoingGap, type Connection, type ConnectionTracker, type Subscription } from '../../../core/connections/model';
import { connectionProblems, type ConnectionProblem } from '../../../core/connections/problems';
import { humanDuration } from '../../../core/attachments';
import { formatCount, formatTime } from '../../store/row';
import { TableHead } from '../table-head';
import { useState } from 'preact/hooks';

export interface ConnectionsViewProps {
  tracker: ConnectionTracker;
  now: number;
  /** Keys the event list is limited to now, or null. */
  filter: ReadonlySet<string> | null;
  /** Shows the event list limited to these connections (null: all). */
  filterTo(keys: readonly string[] | null): void;
  /** Selects an event in the event list; false when it is no longer held. */
  showEvent(seq: number): boolean;
}

const num = (key: string): string => `#${key.trim().split(' ').pop()}`;
const ms = (n: number | undefined): string => (n === undefined ? '' : `${Math.round(n)} ms`);

/** The connections an event-list filter for `c` takes: it and the transports of its upgrade. */
function sessionKeys(c: Connection): string[] {
  const keys = [c.key];
  if (c.upgradeOf) keys.push(c.upgradeOf);
  if (c.upgradedTo) keys.push(c.upgradedTo);
  return keys;
}

function transportText(c: Connection): string {
  if (c.upgradedTo) return `polling → websocket (${num(c.upgradedTo)})`;
  if (c.upgradeOf) return `websocket (upgraded from ${num(c.upgradeOf)})`;
  return c.transport;
}

function stateOf(c: Connection): { cls: string; text: string } {
  if (c.closedAt === undefined) return c.openedAt === undefined ? { cls: 'busy', text: 'connecting' } : { cls: 'ok', text: 'open' };
  if (c.upgradedTo) return { cls: 'none', text: 'upgraded' };
  if (c.openedAt === undefined) return { cls: 'failed', text: 'failed to connect' };
  return c.abnormal ? { cls: 'failed', text: 'dropped' } : { cls: 'none', text: 'closed' };
}

/** Attempts in a row that failed to connect: from this many on, they fold into one row. */
const FOLD_FROM = 3;

const failedAttempt = (c: Connection): boolean => c.openedAt === undefined && c.closedAt !== undefined && !c.upgradedTo;

/** The list cut into single sockets and runs of FOLD_FROM or more failed attempts in a row to one endpoint. */
export function foldAttempts(conns: readonly Connection[]): Connection[][] {
  const out: Connection[][] = [];
  for (const c of conns) {
    const run = out[out.length - 1];
    if (run && failedAttempt(c) && failedAttempt(run[0]!) && run[0]!.endpoint === c.endpoint) run.push(c);
    else out.push([c]);
  }
  return out.flatMap((run) => (run.length >= FOLD_FROM ? [run] : run.map((c) => [c])));
}

const SUB_LOOK: Record<Subscription['state'], string> = {
  subscribing: 'busy',
  subscribed: 'ok',
  resubscribed: 'none',
  unsubscribed: 'none',
  failed: 'failed',
  lost: 'retrying',
  'not re-subscribed': 'failed',
};

export function ConnectionsView({ tracker, now, filter, filterTo, showEvent }: ConnectionsViewProps) {
  const conns = tracker.list;
  const subs = tracker.subscriptions(now);
  const problems = connectionProblems(tracker, now);
  const goTo = (seq: number | undefined) => seq !== undefined && showEvent(seq);
  // Runs of failed attempts shown one by one (by their first socket's key).
  const [unfolded, setUnfolded] = useState<ReadonlySet<string>>(new Set());
  return (
    <section class="att-view conn-view" aria-label="Connections">
      <div class="att-bar">
        <h2 class="att-title">Connections</h2>
        <span class="muted">
          {formatCount(conns.length)} {conns.length === 1 ? 'socket' : 'sockets'} · {formatCount(subs.length)} {subs.length === 1 ? 'subscription' : 'subscriptions'}
        </span>
        {problems.length > 0 && (
          <span class="badge badge-error" title={problems.map((p) => p.label).join('\n')}>
            <span aria-hidden="true">⚠ </span>
            {problems.length} {problems.length === 1 ? 'problem' : 'problems'}
          </span>
        )}
        <span class="tb-fill" />
        {filter && (
          <button type="button" class="tb-btn" onClick={() => filterTo(null)}>
            Show all sockets' events
          </button>
        )}
      </div>
      <div class="att-body conn-body">
        {conns.length === 0 ? (
          <p class="empty-box">No socket seen yet.</p>
        ) : (
          <div class="conn-wrap">
            <table class="att-table conn-table">
              <TableHead caption="Sockets and their life" cols={['Socket', 'Events', 'State', 'Opened', 'Closed', 'Transport', 'Ping', 'Gaps', ['Msgs ↓/↑', 'num'], ['Bytes ↓/↑', 'num'], 'Namespaces', 'Generation', 'Endpoint']} />
              <tbody>
                {foldAttempts(conns).map((run) =>
                  run.length > 1 && !unfolded.has(run[0]!.key) ? (
                    <AttemptsRow key={run[0]!.key} run={run} filter={filter} filterTo={filterTo} goTo={goTo} unfold={() => setUnfolded(new Set(unfolded).add(run[0]!.key))} />
                  ) : (
                    run.map((c, k) => (
                      <SocketRow
                        key={c.key}
                        c={c}
                        now={now}
                        filter={filter}
                        filterTo={filterTo}
                        goTo={goTo}
                        fold={run.length > 1 && k === 0 ? { n: run.length, fold: () => setUnfolded(new Set([...unfolded].filter((x) => x !== c.key))) } : undefined}
                      />
                    ))
                  ),
                )}
              </tbody>
            </table>
          </div>
        )}
        <ProblemList problems={problems} goTo={goTo} />
        <h3 class="conn-h">Subscriptions</h3>
        {subs.length === 0 ? (
          <p class="muted conn-note">No SUBSCRIBE_CHANNEL seen yet.</p>
        ) : (
          <div class="conn-wrap">
            <table class="att-table sub-table">
              <TableHead caption="Channels subscribed on each socket" cols={['Socket', 'Channel', 'Type', 'State', 'Reason']} />
              <tbody>
                {subs.map((s) => (
                  <tr key={`${s.session}|${s.channel}`} class="att-row sub-row" data-channel={s.channel}>
                    <td>{num(s.session)}</td>
                    <td>
                      <button type="button" class="link" title="Show the request in the event list" onClick={() => goTo(s.seq)}>
                        {s.channel}
                      </button>
                    </td>
                    <td>{s.type ?? ''}</td>
                    <td>
                      <span class={`st st-${SUB_LOOK[s.state]}`}>{s.state}</span>
                    </td>
                    <td class={s.state === 'failed' || s.state === 'not re-subscribed' ? 'problem problem-error' : ''}>
                      {s.state === 'failed'
                        ? s.reason
                        : s.state === 'not re-subscribed'
                          ? 'subscription lost after reconnect'
                          : s.state === 'lost'
                            ? `lost when socket ${num(s.session)} closed${s.lostAt ? ` at ${formatTime(s.lostAt)}` : ''}`
                            : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}

interface RowProps {
  filter: ReadonlySet<string> | null;
  filterTo(keys: readonly string[] | null): void;
  goTo(seq: number | undefined): boolean;
}

/** One socket; `fold`: the first of a run of failed attempts shown one by one. */
function SocketRow({ c, now, filter, filterTo, goTo, fold }: RowProps & { c: Connection; now: number; fold?: { n: number; fold(): void } }) {
  const st = stateOf(c);
  const ongoing = ongoingGap(c, now);
  const gaps = ongoing ? [...c.gaps, ongoing] : c.gaps;
  const limit = gapLimit(c);
  const only = filter?.has(c.key) ?? false;
  return (
    <tr data-conn={c.key} class={`att-row conn-row${only ? ' selected' : ''}`}>
      <th scope="row">
        {fold && (
          <button type="button" class="link conn-fold" aria-expanded="true" title={`Fold the ${fold.n} failed attempts into one row`} onClick={fold.fold}>
            ▾{' '}
          </button>
        )}
        {num(c.key)}
        {c.reconnectOf && <span class="muted" title={`A new socket to the same endpoint after ${num(c.reconnectOf)} closed`}> ↻ {num(c.reconnectOf)}</span>}
      </th>
      <FilterCell only={only} what={`socket ${num(c.key)}`} label="Only this" keys={sessionKeys(c)} filterTo={filterTo} />
      <td>
        <span class={`st st-${st.cls}`}>{st.text}</span>
      </td>
      <td>{c.openedAt === undefined ? <span class="muted">{`started ${formatTime(c.startedAt)}`}</span> : formatTime(c.openedAt)}</td>
      <td class={c.abnormal ? 'problem problem-error conn-close' : 'conn-close'}>
        {c.closedAt === undefined ? '' : (
          <button type="button" class="link" title="Show the close in the event list" onClick={() => goTo(c.closeSeq)}>
            {formatTime(c.closedAt)} · {c.closeReason}
          </button>
        )}
      </td>
      <td>{transportText(c)}</td>
      <td>
        {c.pingInterval !== undefined ? `every ${humanDuration(c.pingInterval)}, timeout ${humanDuration(c.pingTimeout ?? 0)}` : ''}
        {c.rttCount > 0 && (
          <span title={c.eio === 3 ? "The page's ping to the server's pong" : "The server's ping to the page's pong"}>
            {` · rtt ${ms(c.rttLast)} (avg ${ms(c.rttSum / c.rttCount)})`}
          </span>
        )}
      </td>
      <td class={gaps.length ? 'problem problem-error' : ''}>
        {gaps.map((g, k) => (
          <span key={k} class="conn-gap" title={`No heartbeat within pingInterval + pingTimeout (${ms(limit)})`}>
            {`${formatTime(g.from)} +${humanDuration(g.to - g.from)}${g.seq === undefined ? ' (ongoing)' : ''}`}
          </span>
        ))}
      </td>
      <td class="num">{`${formatCount(c.messages.in)} / ${formatCount(c.messages.out)}`}</td>
      <td class="num">{`${formatCount(c.bytes.in)} / ${formatCount(c.bytes.out)}`}</td>
      <td>{[...c.namespaces].map(([n, s]) => (s === 'connected' ? n : `${n} (${s})`)).join(', ')}</td>
      <td>{generationOf(c)}</td>
      <EndpointCell c={c} />
    </tr>
  );
}

/** A run of attempts that failed to connect, as one row: how many, from when to when, the last reason. */
function AttemptsRow({ run, filter, filterTo, goTo, unfold }: RowProps & { run: Connection[]; unfold(): void }) {
  const first = run[0]!;
  const last = run[run.length - 1]!;
  const keys = run.map((c) => c.key);
  const only = keys.every((k) => filter?.has(k));
  const sum = (f: (c: Connection) => number): string => formatCount(run.reduce((n, c) => n + f(c), 0));
  return (
    <tr data-conn={first.key} data-attempts={run.length} class={`att-row conn-row conn-attempts${only ? ' selected' : ''}`}>
      <th scope="row">
        <button type="button" class="link conn-fold" aria-expanded="false" title={`Show each of the ${run.length} attempts`} onClick={unfold}>
          ▸{' '}
        </button>
        {`${num(first.key)}–${num(last.key)}`}
        {first.reconnectOf && <span class="muted" title={`New sockets to the same endpoint after ${num(first.reconnectOf)} closed`}> ↻ {num(first.reconnectOf)}</span>}
      </th>
      <FilterCell only={only} what={`these ${run.length} attempts`} label="Only these" keys={keys} filterTo={filterTo} />
      <td>
        <span class="st st-failed">failed to connect</span> ×{run.length}
      </td>
      <td>
        <span class="muted">{`started ${formatTime(first.startedAt)}`}</span>
      </td>
      <td class="conn-close">
        <button type="button" class="link" title="Show the last attempt's close in the event list" onClick={() => goTo(last.closeSeq)}>
          {`→ ${formatTime(last.closedAt!)} · ${last.closeReason ?? ''}`}
        </button>
      </td>
      <td>{transportText(last)}</td>
      <td />
      <td />
      <td class="num">{`${sum((c) => c.messages.in)} / ${sum((c) => c.messages.out)}`}</td>
      <td class="num">{`${sum((c) => c.bytes.in)} / ${sum((c) => c.bytes.out)}`}</td>
      <td />
      <td>{generationOf(last)}</td>
      <EndpointCell c={last} />
    </tr>
  );
}

/** The Events cell: limits the event list to these sockets' events, or shows all again. */
function FilterCell({ only, what, label, keys, filterTo }: { only: boolean; what: string; label: string; keys: readonly string[]; filterTo(keys: readonly string[] | null): void }) {
  return (
    <td>
      <button type="button" class="link conn-filter" aria-pressed={only} title={only ? 'Show the events of every socket' : `Show only the events of ${what}`} onClick={() => filterTo(only ? null : keys)}>
        {only ? 'All sockets' : label}
      </button>
    </td>
  );
}

function EndpointCell({ c }: { c: Connection }) {
  return (
    <td class="conn-url" title={c.url ?? ''}>
      {c.url ? c.endpoint.trim() : <span class="muted">unknown</span>}
      {c.frame && <span class="muted"> · {c.frame}</span>}
    </td>
  );
}

function ProblemList({ problems, goTo }: { problems: ConnectionProblem[]; goTo(seq: number | undefined): boolean }) {
  if (problems.length === 0) return null;
  return (
    <>
      <h3 class="conn-h">Problems</h3>
      <ul class="issues conn-problems">
        {problems.map((p, k) => (
          <li key={k} data-kind={p.kind}>
            <span class="problem problem-error" aria-hidden="true">
              ⚠{' '}
            </span>
            {p.seq === undefined ? (
              p.label
            ) : (
              <button type="button" class="link" title="Show it in the event list" onClick={() => goTo(p.seq)}>
                {p.label}
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
