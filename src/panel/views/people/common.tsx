// What the People and Meetings views share: the topic's session events, the moment shown, and the
// choice of a topic when none is chosen in the tree.
import { useState } from 'preact/hooks';
import type { SessionIndex, SessionObs, SessionProblem } from '../../../core/people';
import { formatTime } from '../../store/row';
import { MomentBar, momentOf, useLatest, type MomentMode } from './moment';

export interface SessionViewProps {
  sessions: SessionIndex;
  /** Topic key of the tree's filter, or null for every topic. */
  topic: string | null;
  scope: string | null;
  /** The newest moment: the wall clock live, a log's newest event. */
  latest: number;
  live: boolean;
  /** Time of the event selected in the list. */
  selectedT: number | undefined;
  topicTitle(topicId: string): string | undefined;
  chooseTopic(topicId: string): void;
  /** Selects the event in the event list; false when it is no longer held. */
  showEvent(seq: number): boolean;
}

export interface TopicMoment {
  obs: readonly SessionObs[];
  /** The topic's oldest presence and media events no longer kept (MAX_PER_TOPIC). */
  dropped: number;
  at: number;
  /** Replays to an event's moment. */
  replayTo(t: number): void;
  bar: preact.JSX.Element;
}

export function useTopicMoment(p: SessionViewProps): TopicMoment | null {
  const [mode, setMode] = useState<MomentMode>({ kind: 'latest' });
  const latest = useLatest(p.live, p.latest);
  if (p.topic === null) return null;
  const obs = p.sessions.of(p.topic);
  const at = momentOf(mode, latest, p.selectedT);
  const from = obs[0]?.t ?? latest;
  const to = Math.max(obs[obs.length - 1]?.t ?? latest, mode.kind === 'latest' ? at : 0);
  return {
    obs,
    dropped: p.sessions.droppedOf(p.topic),
    at,
    replayTo: (t) => setMode({ kind: 'at', t }),
    bar: <MomentBar mode={mode} setMode={setMode} from={from} to={to} selectedT={p.selectedT} at={at} live={p.live} />,
  };
}

/** With no topic chosen: the topics that have presence or media events, to choose one. */
export function ChooseTopic({ p, what }: { p: SessionViewProps; what: string }) {
  const topics = p.sessions.topics().reverse();
  return (
    <div class="empty-box">
      <p>Choose a topic in the tree to see its {what}.</p>
      {topics.length > 0 ? (
        <ul class="ppl-topics">
          {topics.slice(0, 50).map((id) => (
            <li key={id}>
              <button type="button" class="link" data-topic={id} onClick={() => p.chooseTopic(id)}>
                {p.topicTitle(id) ?? id}
              </button>
              <span class="muted">{` ${p.sessions.of(id).length} presence and media events`}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No presence or media event seen yet.</p>
      )}
    </div>
  );
}

/** Says when the state starts after the topic's first events (they were not kept). */
export function Dropped({ n }: { n: number }) {
  return n > 0 ? <p class="muted ppl-none">{`The ${n} oldest presence and media events of this topic are no longer kept: the state starts after them.`}</p> : null;
}

export function Problems({ problems, showEvent }: { problems: readonly SessionProblem[]; showEvent(seq: number): boolean }) {
  if (!problems.length) return null;
  return (
    <ul class="ppl-problems" aria-label="Problems">
      {problems.map((pr, i) => (
        <li key={i} class="ppl-problem">
          <span aria-hidden="true">⚠ </span>
          <span class="mono">{formatTime(pr.t)}</span> {pr.text}
          {pr.seq !== undefined && <EventLink seq={pr.seq} showEvent={showEvent} />}
        </li>
      ))}
    </ul>
  );
}

export function EventLink({ seq, showEvent }: { seq: number; showEvent(seq: number): boolean }) {
  const [gone, setGone] = useState(false);
  return (
    <>
      {' '}
      <button type="button" class="link" title={`Select event #${seq} in the event list`} onClick={() => setGone(!showEvent(seq))}>
        {`#${seq}`}
      </button>
      {gone && <span class="muted"> (no longer in the list)</span>}
    </>
  );
}

/** A time that replays the view to it. */
export function TimeButton({ t, replayTo }: { t: number; replayTo(t: number): void }) {
  return (
    <button type="button" class="link mono" title="Show the state at this moment" onClick={() => replayTo(t)}>
      {formatTime(t)}
    </button>
  );
}
