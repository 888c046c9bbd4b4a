// The changes view: a topic's timeline of updates (every version after an item's first), newest
// first, each with its one-line summary; choosing one selects its event in the event list.
import { useState } from 'preact/hooks';
import { isRemoval, type VersionIndex } from '../../../core/versions/history';
import { topicTimeline } from '../../store/changes';
import { formatCount, formatTime } from '../../store/row';
import { TableHead } from '../table-head';

const SHOWN = 300;

export interface ChangesViewProps {
  versions: VersionIndex;
  /** Topic key of the tree's filter, or null for every topic. */
  topic: string | null;
  /** Title shown for the topic in scope. */
  scope: string | null;
  topicTitle(topicId: string): string | undefined;
  /** Selects the event in the event list; false when it is no longer held. */
  showEvent(seq: number): boolean;
  /** The seqs of the events the query matches, or null without a query. */
  only?: ReadonlySet<number> | null;
}

export function ChangesView({ versions, topic, scope, topicTitle, showEvent, only }: ChangesViewProps) {
  const [limit, setLimit] = useState(SHOWN);
  const [gone, setGone] = useState<number | null>(null);
  const { rows, more } = topicTimeline(versions, topic, limit, only ? (seq) => only.has(seq) : undefined);
  return (
    <section class="chg-view" aria-label="Changes">
      <div class="att-bar">
        <h2 class="att-title">Changes{scope !== null ? ` in ${scope}` : ''}</h2>
        <span class="muted">{`${formatCount(rows.length + more)} ${rows.length + more === 1 ? 'update' : 'updates'}, newest first`}</span>
      </div>
      <div class="att-table-wrap">
        {rows.length === 0 ? (
          <p class="empty-box">No update seen yet: an item appears here when Spaces sends it again (edited, completed, converted, removed).</p>
        ) : (
          <table class="att-table chg-table">
            <TableHead caption={`Updates of items${scope !== null ? ` in ${scope}` : ''}`} cols={['Time', topic === null && 'Topic', 'Item', 'Version', 'What changed']} />
            <tbody>
              {rows.map((r) => {
                const v = r.version;
                const n = r.index + 1 + r.item.dropped;
                const marks = [v.duplicateOf !== undefined ? 'duplicate' : '', v.outOfOrder ? 'out of order' : '', isRemoval(v.category) ? 'removed' : ''].filter(Boolean);
                return (
                  <tr key={v.seq} data-seq={v.seq}>
                    <td class="mono">{formatTime(v.t)}</td>
                    {topic === null && <td>{r.item.topicId ? (topicTitle(r.item.topicId) ?? r.item.topicId) : ''}</td>}
                    <td>
                      {r.item.kind} <code class="muted">{r.item.id.slice(-8)}</code>
                    </td>
                    <td>
                      <button type="button" class="link" title={`Select event #${v.seq} in the event list`} onClick={() => setGone(showEvent(v.seq) ? null : v.seq)}>
                        {`v${n}/${r.item.versions.length + r.item.dropped}`}
                      </button>
                      {marks.map((m) => (
                        <span key={m} class={`badge ${m === 'removed' ? 'badge-removed' : 'badge-warn'}`}>
                          {m}
                        </span>
                      ))}
                      {gone === v.seq && <span class="muted"> (no longer in the list)</span>}
                    </td>
                    <td class="chg-sum">{r.summary}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {more > 0 && (
          <button type="button" class="link" onClick={() => setLimit(limit + SHOWN * 10)}>
            Show {formatCount(Math.min(more, SHOWN * 10))} older updates
          </button>
        )}
      </div>
    </section>
  );
}
