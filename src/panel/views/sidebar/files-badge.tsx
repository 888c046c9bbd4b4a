// The attachments badge of the topic tree and the Attachments view (the list's rows build theirs in row-painter.ts).
import type { Badge } from '../../../core/attachments';
import { filesLook } from '../list/row-painter';

/** "2 converting · 1 failed": the item's files now. */
export function FilesBadge({ badge }: { badge: Badge }) {
  const { level, icon } = filesLook(badge);
  return (
    <span class={`badge badge-files badge-${level}`} title={`Attachments: ${badge.text}`}>
      <span aria-hidden="true">{icon}</span>
      <span class="sr-only">attachments: </span>
      {badge.text}
    </span>
  );
}
