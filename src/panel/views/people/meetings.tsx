// The Meetings view: the chosen topic's meetings (start, end, media mode, attendees joining and
// leaving, recordings, mute-all, permission requests) and call offers with their outcome and time to
// it, at the moment shown; problems first. Text only.
import { useMemo } from 'preact/hooks';
import { meetingsAt, type Call, type Meeting } from '../../../core/people';
import { formatTime } from '../../store/row';
import { ChooseTopic, Dropped, EventLink, Problems, TimeButton, useTopicMoment, type SessionViewProps } from './common';
import { formatMs } from './moment';
import { TableHead } from '../table-head';

export function MeetingsView(p: SessionViewProps) {
  const m = useTopicMoment(p);
  const state = useMemo(() => (m ? meetingsAt(m.obs, m.at) : null), [m?.obs, p.sessions.revision, m?.at]);
  if (!m || !state) {
    return (
      <section class="chg-view ppl-view" aria-label="Meetings and calls">
        <div class="att-bar">
          <h2 class="att-title">Meetings and calls</h2>
        </div>
        <ChooseTopic p={p} what="meetings and calls" />
      </section>
    );
  }
  return (
    <section class="chg-view ppl-view" aria-label="Meetings and calls">
      <div class="att-bar">
        <h2 class="att-title">Meetings and calls{p.scope !== null ? ` in ${p.scope}` : ''}</h2>
        <span class="muted mtg-counts">{`${state.meetings.length} ${state.meetings.length === 1 ? 'meeting' : 'meetings'} · ${state.calls.length} ${state.calls.length === 1 ? 'call' : 'calls'} · ${state.problems.length} ${state.problems.length === 1 ? 'problem' : 'problems'}`}</span>
      </div>
      {m.bar}
      <div class="att-table-wrap">
        <Dropped n={m.dropped} />
        <Problems problems={state.problems} showEvent={p.showEvent} />
        {state.meetings.length === 0 && state.calls.length === 0 && <p class="empty-box">No meeting or call in this topic{m.obs.length ? ' at this moment' : ''}.</p>}
        {state.meetings.map((x, i) => (
          <MeetingCard key={i} meeting={x} at={m.at} replayTo={m.replayTo} showEvent={p.showEvent} />
        ))}
        {state.calls.length > 0 && (
          <>
            <h3 class="ppl-h">Calls</h3>
            <table class="att-table mtg-calls">
              <TableHead caption="Call offers and their outcomes" cols={['Offered', 'From', 'To', 'Outcome', 'After', 'Event']} />
              <tbody>
                {state.calls.map((c, i) => (
                  <tr key={i} class="mtg-call" data-outcome={c.outcome ?? 'pending'}>
                    <td>
                      <TimeButton t={c.offeredAt} replayTo={m.replayTo} />
                    </td>
                    <td>{c.from}</td>
                    <td>{c.to ?? ''}</td>
                    <td>
                      <span class={`badge ${outcomeClass(c)}`}>{c.outcome ?? 'ringing'}</span>
                      {c.problem && <span class="ppl-warn">{` ⚠ ${c.problem}`}</span>}
                    </td>
                    <td class="num">{c.ms !== undefined ? `${c.ms} ms` : formatMs(m.at - c.offeredAt)}</td>
                    <td>
                      <EventLink seq={c.offerSeq} showEvent={p.showEvent} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
    </section>
  );
}

function outcomeClass(c: Call): string {
  if (c.problem) return 'badge-error';
  if (c.outcome === 'accepted') return 'ppl-online';
  return 'badge-warn';
}

function MeetingCard({ meeting: x, at, replayTo, showEvent }: { meeting: Meeting; at: number; replayTo(t: number): void; showEvent(seq: number): boolean }) {
  const start = x.start ?? x.entries[0]?.t;
  const title = [
    'Meeting',
    x.mediaMode,
    start !== undefined ? `${formatTime(start)} → ${x.end !== undefined ? formatTime(x.end) : 'in progress'}` : '',
    start !== undefined ? `(${formatMs((x.end ?? at) - start)})` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <article class="mtg" aria-label={title} data-meeting={x.id ?? ''} data-ended={x.end !== undefined ? '1' : '0'}>
      <h3 class="ppl-h mtg-title">
        {title}
        {x.id && <code class="muted">{` ${x.id}`}</code>}
        {x.problems.map((pr) => (
          <span key={pr} class="badge badge-warn">
            {pr}
          </span>
        ))}
      </h3>
      {x.startedBy && <p class="muted mtg-line">Started by {x.startedBy}</p>}
      <table class="att-table mtg-attendees">
        <TableHead caption="Attendees" cols={['Attendee', 'Joined', 'Left', 'Here']} />
        <tbody>
          {x.attendees.map((a, i) => (
            <tr key={i} class="mtg-attendee" data-attendee={a.name}>
              <th scope="row">{a.name}</th>
              <td class="mono">{a.joinedAt !== undefined ? formatTime(a.joinedAt) : ''}</td>
              <td class="mono">{a.leftAt !== undefined ? formatTime(a.leftAt) : ''}</td>
              <td>{a.present && x.end === undefined ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {x.recordings.length > 0 && (
        <p class="mtg-line">
          {x.recordings.map((r, i) => (
            <span key={i} class="mtg-rec">
              {`Recording${r.id ? ` ${r.id}` : ''}: ${formatTime(r.start)} → ${r.stop !== undefined ? `${formatTime(r.stop)} (${formatMs(r.stop - r.start)})` : 'not stopped'}`}{' '}
            </span>
          ))}
        </p>
      )}
      <ol class="mtg-entries" aria-label="What happened">
        {x.entries.map((e, i) => (
          <li key={i}>
            <TimeButton t={e.t} replayTo={replayTo} /> {e.text}
            <EventLink seq={e.seq} showEvent={showEvent} />
          </li>
        ))}
      </ol>
    </article>
  );
}
