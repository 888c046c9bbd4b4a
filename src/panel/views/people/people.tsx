// The People view: who is in the chosen topic at the moment shown (online, idle, typing since when),
// their role and media, and the joins, leaves and typing over time. Text only.
import { useMemo } from 'preact/hooks';
import { peopleAt, type Person } from '../../../core/people';
import { mediaWords } from '../../../core/spaces/presence';
import { formatTime } from '../../store/row';
import { ChooseTopic, Dropped, EventLink, Problems, TimeButton, useTopicMoment, type SessionViewProps } from './common';
import { formatMs } from './moment';
import { TableHead } from '../table-head';

export function PeopleView(p: SessionViewProps) {
  const m = useTopicMoment(p);
  const state = useMemo(() => (m ? peopleAt(m.obs, m.at) : null), [m?.obs, p.sessions.revision, m?.at]);
  if (!m || !state) {
    return (
      <section class="chg-view ppl-view" aria-label="People">
        <div class="att-bar">
          <h2 class="att-title">People</h2>
        </div>
        <ChooseTopic p={p} what="people" />
      </section>
    );
  }
  const count = (s: Person['state']) => state.people.filter((x) => x.state === s).length;
  const typing = state.people.filter((x) => x.typingSince !== undefined).length;
  return (
    <section class="chg-view ppl-view" aria-label="People">
      <div class="att-bar">
        <h2 class="att-title">People{p.scope !== null ? ` in ${p.scope}` : ''}</h2>
        <span class="muted ppl-counts">{`${count('online')} online · ${count('idle')} idle · ${typing} typing · ${count('offline')} offline`}</span>
      </div>
      {m.bar}
      <div class="att-table-wrap">
        <Dropped n={m.dropped} />
        <Problems problems={state.problems} showEvent={p.showEvent} />
        {state.people.length === 0 ? (
          <p class="empty-box">No presence event in this topic{m.obs.length ? ' at this moment' : ''}.</p>
        ) : (
          <table class="att-table ppl-table">
            <TableHead caption={`People at ${formatTime(m.at)}`} cols={['Person', 'State', 'Typing', 'Role', 'Media', 'Joined', 'Left']} />
            <tbody>
              {state.people.map((x) => (
                <tr key={x.key} class="ppl-row" data-person={x.name} data-state={x.state}>
                  <th scope="row" class="ppl-name">
                    {x.name}
                    {x.key === '' && <span class="muted"> (this page)</span>}
                    {x.type && x.type !== 'user' && <span class="muted">{` · ${x.type}`}</span>}
                  </th>
                  <td>
                    <span class={`badge ppl-state ppl-${x.state}`}>{x.state}</span>
                  </td>
                  <td class="ppl-typing">{x.typingSince !== undefined ? `typing since ${formatTime(x.typingSince)} (${formatMs(m.at - x.typingSince)})` : ''}</td>
                  <td>{x.role ?? ''}</td>
                  <td class="ppl-media">{mediaWords(x.media) || (x.media ? 'none' : '')}</td>
                  <td class="mono">{x.joinedAt !== undefined ? formatTime(x.joinedAt) : ''}</td>
                  <td class="mono">{x.leftAt !== undefined ? formatTime(x.leftAt) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h3 class="ppl-h">Joins, leaves and typing</h3>
        {state.history.length === 0 ? (
          <p class="muted ppl-none">Nothing yet.</p>
        ) : (
          <table class="att-table ppl-history">
            <TableHead caption="Changes over time, oldest first" cols={['Time', 'Person', 'What', 'Event']} />
            <tbody>
              {state.history.map((h, i) => (
                <tr key={i} class="ppl-change">
                  <td>
                    <TimeButton t={h.t} replayTo={m.replayTo} />
                  </td>
                  <td>{h.name}</td>
                  <td class="chg-sum">{h.what}</td>
                  <td>{h.seq !== undefined ? <EventLink seq={h.seq} showEvent={p.showEvent} /> : <span class="muted">timeout</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
