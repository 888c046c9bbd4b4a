// The topic tree: topics → categories, with counts. Choosing an item filters the list. Only the items
// in view are rendered (each item's height follows from what it shows), so hundreds of topics cost
// a frame no more than a few dozen.
import { useRef, useState } from 'preact/hooks';
import { NO_TOPIC, OTHER_CATEGORY, type CategoryGroup, type TopicGroup } from '../../../core/model/grouping';
import type { PanelStore } from '../../store/state';
import { sameBadge, type Badge } from '../../../core/attachments';
import { FilesBadge } from './files-badge';
import { formatCount, formatTime } from '../../store/row';
import { memo } from '../memo';
import { useClientHeight } from '../use-height';
import { categoryMatcher, chosenValues, valueMatcher } from '../../../core/query';

interface Item {
  id: string;
  level: 1 | 2;
  topic: string | null;
  category: string | null;
  label: string;
  /** Shown monospace: an id, not a name. */
  isId: boolean;
  meta: string;
  count: number;
  problems: number;
  /** Level-1 items only. */
  expanded?: boolean;
  /** Position among its siblings (1-based) and their number: not every item is in the DOM. */
  pos: number;
  setSize: number;
  /** Attachments of the topic converting or in trouble (level-1 items only). */
  files?: Badge | undefined;
  undocumented?: boolean;
  /** Among the topics or categories the query chooses. */
  chosen?: boolean;
}

const ALL = '\u0000all';

/** Item heights in px (panel.css sets the lines to match): padding, name line, meta line, files badge line. */
const PAD_H = 4;
const NAME_H = 16;
const META_H = 14;
const FILES_H = 18;
/** Items rendered beyond each edge of the view. */
const OVERSCAN = 8;

const heightOf = (it: Item): number => PAD_H + NAME_H + (it.meta ? META_H : 0) + (it.files ? FILES_H : 0);
const itemKey = (topic: string | null, category: string | null): string => `${topic ?? ALL}\u0001${category ?? ''}`;

export function topicLabel(g: Pick<TopicGroup, 'key' | 'title'>): { text: string; isId: boolean } {
  if (g.title) return { text: g.title, isId: false };
  if (g.key === NO_TOPIC) return { text: 'No topic', isId: false };
  return { text: g.key, isId: true };
}

function topicMeta(g: TopicGroup): string {
  const parts: string[] = [];
  if (!g.title && g.key !== NO_TOPIC) parts.push('title not seen');
  if (g.type) parts.push(g.type);
  if (g.members !== undefined) parts.push(`${g.members} ${g.members === 1 ? 'member' : 'members'}`);
  if (g.archived) parts.push('archived');
  if (g.last) parts.push(`last ${formatTime(g.last).slice(0, 8)}`);
  return parts.join(' · ');
}

/** The categories of a topic (null: of all topics), numbered among themselves. */
function categoryItems(topic: string | null, cs: readonly CategoryGroup[]): Item[] {
  return cs.map((c, k) => ({
    id: itemKey(topic, c.key),
    level: 2,
    topic,
    category: c.key,
    label: c.key === OTHER_CATEGORY ? 'other (no category)' : c.key,
    isId: false,
    meta: '',
    count: c.count,
    problems: c.problems,
    undocumented: !c.known,
    pos: k + 1,
    setSize: cs.length,
  }));
}

interface TopicTreeProps {
  store: PanelStore;
  /** Changes when the tree should show new counts: at most once a second (see app.tsx). */
  tick: number;
  /** The chosen item (the filters' topic and category): the tree does not depend on the others. */
  topic: string | null;
  category: string | null;
  /** The attachment badge of a topic (null: all topics). */
  badge?(topic: string | null): Badge | undefined;
  /** Changes when the badges may have changed other than by new events (threshold, clock): new files come with the tick. */
  badgeKey?: string;
  /** A topic's sends (null: of all topics), e.g. "sends ✓ 2 · ✖ 1 · p50 12 ms", appended to its meta line; '' for none. */
  sends?(topic: string | null): string;
  /** Ctrl/⌘-click: adds (or takes back) the topic or category among several chosen at once, as query terms. */
  chooseMore?(field: 'topic' | 'category', value: string): void;
  /** The query: the topics and categories it chooses (`topic:a OR topic:b`…) are shown chosen. */
  query?: string;
}

/**
 * The tree re-renders when its tick or the chosen item changes, not on every batch of events nor on a
 * search: with hundreds of topics, redrawing it at the list's frame rate would cost more than the list itself.
 */
export const TopicTree = memo(
  TopicTreeView,
  (a: TopicTreeProps, b: TopicTreeProps) => a.tick === b.tick && a.topic === b.topic && a.category === b.category && a.store === b.store && a.badgeKey === b.badgeKey && a.query === b.query,
);

const withSends = (meta: string, sends: string | undefined): string => (sends ? (meta ? `${meta} · ${sends}` : sends) : meta);

/** Whether an item is among the topics or categories the query chooses. */
function choicesOf(query: string): ((it: Item, title: string | undefined) => boolean) | null {
  const topics = chosenValues(query, 'topic').map(valueMatcher);
  const cats = chosenValues(query, 'category').map(categoryMatcher);
  if (topics.length === 0 && cats.length === 0) return null;
  return (it, title) => {
    if (it.category !== null) return cats.some((m) => m(it.category!));
    if (it.topic === null) return false;
    return topics.some((m) => m(it.topic!) || (title !== undefined && m(title)));
  };
}

function TopicTreeView({ store, badge, topic, category, sends, chooseMore, query = '' }: TopicTreeProps) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set(topic !== null && category !== null ? [topic] : []));
  const treeRef = useRef<HTMLDivElement>(null);
  // Counts follow the query (the tree's: the list's, once the list has shown it).
  const groups = store.facetGroupsFor(query);

  const items: Item[] = [];
  const allOpen = expanded.has(ALL);
  const topics = groups.topics();
  const allProblems = topics.reduce((a, t) => a + t.problems, 0);
  const setSize = topics.length + 1;
  items.push({ id: itemKey(null, null), level: 1, topic: null, category: null, label: 'All topics', isId: false, meta: withSends(`${formatCount(groups.size)} ${groups.size === 1 ? 'topic' : 'topics'}`, sends?.(null)), count: topics.reduce((a, t) => a + t.count, 0), problems: allProblems, expanded: allOpen, files: badge?.(null), pos: 1, setSize });
  if (allOpen) items.push(...categoryItems(null, groups.categories(null)));
  topics.forEach((g, i) => {
    const open = expanded.has(g.key);
    const label = topicLabel(g);
    items.push({ id: itemKey(g.key, null), level: 1, topic: g.key, category: null, label: label.text, isId: label.isId, meta: withSends(topicMeta(g), sends?.(g.key)), count: g.count, problems: g.problems, expanded: open, files: g.key === NO_TOPIC ? undefined : badge?.(g.key), pos: i + 2, setSize });
    if (open) items.push(...categoryItems(g.key, groups.categories(g.key)));
  });
  const chosen = choicesOf(query);
  if (chosen) for (const it of items) it.chosen = chosen(it, it.topic === null ? undefined : groups.titleOf(it.topic));
  const selectedId = itemKey(topic, category);
  let active = items.findIndex((i) => i.id === selectedId);
  if (active < 0) active = 0;
  const domId = (i: number): string => `tree-${i}`; // as TreeRowView sets it

  const [scrollTop, setScrollTop] = useState(0);
  const height = useClientHeight(treeRef);
  const tops = new Array<number>(items.length + 1);
  tops[0] = 0;
  for (let i = 0; i < items.length; i++) tops[i + 1] = tops[i]! + heightOf(items[i]!);
  const total = tops[items.length]!;
  const top = Math.max(0, Math.min(scrollTop, total - height));
  const start = Math.max(0, upperBound(tops, top) - 1 - OVERSCAN);
  const end = Math.min(items.length, upperBound(tops, top + height) + OVERSCAN);

  const choose = (it: Item, more = false): void => {
    if (more && chooseMore && it.category !== null) chooseMore('category', it.category);
    else if (more && chooseMore && it.topic !== null) chooseMore('topic', it.topic);
    else store.setFilters({ topic: it.topic, category: it.category });
  };
  const toggle = (key: string, open: boolean): void => {
    const next = new Set(expanded);
    if (open) next.add(key);
    else next.delete(key);
    setExpanded(next);
  };
  const reveal = (i: number): void => {
    const el = treeRef.current;
    if (!el || i < 0 || i >= items.length) return;
    if (tops[i]! < el.scrollTop) el.scrollTop = tops[i]!;
    else if (tops[i + 1]! > el.scrollTop + el.clientHeight) el.scrollTop = tops[i + 1]! - el.clientHeight;
  };
  const moveTo = (i: number): void => {
    const it = items[Math.max(0, Math.min(items.length - 1, i))];
    if (it) choose(it);
    requestAnimationFrame(() => reveal(Math.max(0, Math.min(items.length - 1, i))));
  };

  // One object for the life of the tree, its functions refreshed each render: rows compare equal while
  // only their own item is unchanged, so a topic switch re-renders two rows, not five hundred.
  const handlers = useRef<RowHandlers>({ choose, toggle, focus: () => undefined }).current;
  handlers.choose = choose;
  handlers.toggle = toggle;
  handlers.focus = () => treeRef.current?.focus();

  const onKey = (e: KeyboardEvent): void => {
    const it = items[active];
    if (!it) return;
    const key = it.topic ?? ALL;
    if (e.key === 'ArrowDown') moveTo(active + 1);
    else if (e.key === 'ArrowUp') moveTo(active - 1);
    else if (e.key === 'Home') moveTo(0);
    else if (e.key === 'End') moveTo(items.length - 1);
    else if (e.key === 'ArrowRight') {
      if (it.level === 1 && !it.expanded) toggle(key, true);
      else if (it.level === 1 && items[active + 1]?.level === 2) moveTo(active + 1);
    } else if (e.key === 'ArrowLeft') {
      if (it.level === 1 && it.expanded) toggle(key, false);
      else if (it.level === 2) moveTo(items.findIndex((x) => x.id === itemKey(it.topic, null)));
    } else if (e.key === 'Enter' || e.key === ' ') {
      if (it.level === 1) toggle(key, !it.expanded);
    } else return;
    e.preventDefault();
  };

  return (
    <nav class="sidebar" aria-label="Topics">
      <div
        ref={treeRef}
        class="tree"
        role="tree"
        aria-label="Topics and categories"
        aria-multiselectable={chosen ? true : undefined}
        tabIndex={0}
        aria-activedescendant={domId(active)}
        onKeyDown={onKey}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <div class="tree-rows" role="none" style={{ height: `${total}px` }}>
          {/* The active item is always rendered: it is the tree's active descendant. */}
          {active < start && <TreeRow key={items[active]!.id} it={items[active]!} index={active} top={tops[active]!} active handlers={handlers} />}
          {items.slice(start, end).map((it, k) => (
            <TreeRow key={it.id} it={it} index={start + k} top={tops[start + k]!} active={start + k === active} handlers={handlers} />
          ))}
          {active >= end && <TreeRow key={items[active]!.id} it={items[active]!} index={active} top={tops[active]!} active handlers={handlers} />}
        </div>
      </div>
    </nav>
  );
}

/** The first index whose value is greater than x (values ascending). */
function upperBound(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface RowHandlers {
  choose(it: Item, more?: boolean): void;
  toggle(key: string, open: boolean): void;
  focus(): void;
}

interface TreeRowProps {
  it: Item;
  index: number;
  /** Offset in the tree, px. */
  top: number;
  active: boolean;
  handlers: RowHandlers;
}

function sameItem(a: Item, b: Item): boolean {
  return (
    a.id === b.id &&
    a.label === b.label &&
    a.isId === b.isId &&
    a.meta === b.meta &&
    a.count === b.count &&
    a.problems === b.problems &&
    a.expanded === b.expanded &&
    a.pos === b.pos &&
    a.setSize === b.setSize &&
    a.undocumented === b.undocumented &&
    a.chosen === b.chosen &&
    sameBadge(a.files, b.files)
  );
}

const TreeRow = memo(
  TreeRowView,
  (a: TreeRowProps, b: TreeRowProps) => a.index === b.index && a.top === b.top && a.active === b.active && a.handlers === b.handlers && sameItem(a.it, b.it),
);

function TreeRowView({ it, index, top, active, handlers }: TreeRowProps) {
  return (
    <div
      id={`tree-${index}`}
      role="treeitem"
      aria-level={it.level}
      aria-posinset={it.pos}
      aria-setsize={it.setSize}
      style={{ top: `${top}px`, height: `${heightOf(it)}px` }}
      aria-expanded={it.level === 1 ? !!it.expanded : undefined}
      aria-selected={active || !!it.chosen}
      class={`titem l${it.level}${active ? ' selected' : ''}${it.chosen ? ' chosen' : ''}`}
      onClick={(e) => {
        handlers.choose(it, e.ctrlKey || e.metaKey);
        handlers.focus();
      }}
    >
      {it.level === 1 ? (
        <span
          class="twisty"
          aria-hidden="true"
          onClick={(e) => {
            e.stopPropagation();
            handlers.toggle(it.topic ?? ALL, !it.expanded);
          }}
        >
          {it.expanded ? '▼' : '▶'}
        </span>
      ) : null}
      <span class="tlabel">
        <span class={`tname${it.isId ? ' id' : ''}`} title={it.isId ? `Topic id ${it.label}` : it.label}>
          {it.label}
          {it.undocumented && <span class="muted"> (undocumented)</span>}
        </span>
        {it.meta && <span class="tmeta" title={it.meta}>{it.meta}</span>}
        {it.files && (
          <span class="tfiles">
            <FilesBadge badge={it.files} />
          </span>
        )}
      </span>
      <span class="tcount">
        {it.problems > 0 && (
          <span class="tprob" title={`${formatCount(it.problems)} with problems`}>
            <span aria-hidden="true">⚠</span>
            <span class="sr-only"> problems:</span>
            {formatCount(it.problems)}
          </span>
        )}
        <span class="sr-only">, events: </span>
        {formatCount(it.count)}
      </span>
    </div>
  );
}
