// A JSON value as a tree, like DevTools' own: one tab stop, arrow keys inside (role=tree), and a copy
// menu (right-click or the context-menu key) for a value and its path. Values are shown as text only.
import { useRef, useState } from 'preact/hooks';
import { formatCount } from '../../store/row';
import { valuePath } from '../../store/copies';
import { Menu } from '../menu';
import { copyText } from './detail';

const STRING_SHOWN = 300;
const CHILDREN_SHOWN = 100;

type Key = string | number;

interface Item {
  id: string;
  path: Key[];
  name: Key | undefined;
  value: unknown;
  level: number;
  /** branch: an object or array with entries; more: "n more" of its parent's entries. */
  kind: 'branch' | 'leaf' | 'more';
  parent: number;
}

function isBinaryRef(v: object): v is { $binary: { length: number; preview: string } } {
  const b = (v as { $binary?: unknown }).$binary;
  return Object.keys(v).length === 1 && typeof b === 'object' && b !== null && typeof (b as { length?: unknown }).length === 'number' && typeof (b as { preview?: unknown }).preview === 'string';
}

const entriesOf = (v: unknown): [Key, unknown][] =>
  v === null || typeof v !== 'object' || isBinaryRef(v) ? [] : Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.keys(v).map((k) => [k, (v as Record<string, unknown>)[k]]);

/** The items shown: the open branches' entries, depth first. */
function flatten(root: unknown, isOpen: (id: string, level: number) => boolean, limits: Map<string, number>): Item[] {
  const out: Item[] = [];
  const walk = (value: unknown, path: Key[], name: Key | undefined, level: number, parent: number): void => {
    const id = JSON.stringify(path);
    const entries = entriesOf(value);
    const me = out.length;
    out.push({ id, path, name, value, level, kind: entries.length ? 'branch' : 'leaf', parent });
    if (!entries.length || !isOpen(id, level)) return;
    const limit = limits.get(id) ?? CHILDREN_SHOWN;
    for (const [k, v] of entries.slice(0, limit)) walk(v, [...path, k], k, level + 1, me);
    if (entries.length > limit) out.push({ id: `${id}+`, path, name: undefined, value: entries.length - limit, level: level + 1, kind: 'more', parent: me });
  };
  walk(root, [], undefined, 1, -1);
  return out;
}

export function JsonTree({ value, label }: { value: unknown; label: string }) {
  const [open, setOpen] = useState<Map<string, boolean>>(new Map());
  const [limits, setLimits] = useState<Map<string, number>>(new Map());
  const [full, setFull] = useState<Set<string>>(new Set());
  const [active, setActive] = useState(0);
  const [menu, setMenu] = useState<{ x: number; y: number; item: Item } | null>(null);
  const treeRef = useRef<HTMLDivElement>(null);
  const [tid] = useState(() => `jt${nextTree++}`);
  const itemId = (i: number): string => `${tid}-${i}`;
  const isOpen = (id: string, level: number): boolean => open.get(id) ?? level <= 2;
  const items = flatten(value, isOpen, limits);
  const at = Math.min(active, items.length - 1);
  const cur = items[at]!;

  const toggle = (it: Item, to?: boolean): void => setOpen(new Map(open).set(it.id, to ?? !isOpen(it.id, it.level)));
  const activate = (it: Item): void => {
    if (it.kind === 'branch') toggle(it);
    else if (it.kind === 'more') setLimits(new Map(limits).set(items[it.parent]!.id, (limits.get(items[it.parent]!.id) ?? CHILDREN_SHOWN) + CHILDREN_SHOWN * 10));
    else if (typeof it.value === 'string' && it.value.length > STRING_SHOWN) {
      const next = new Set(full);
      if (!next.delete(it.id)) next.add(it.id);
      setFull(next);
    }
  };
  const move = (i: number): void => {
    const n = Math.max(0, Math.min(items.length - 1, i));
    setActive(n);
    requestAnimationFrame(() => document.getElementById(itemId(n))?.scrollIntoView({ block: 'nearest' }));
  };
  const openMenu = (it: Item, x: number, y: number): void => setMenu({ x, y, item: it });

  const onKey = (e: KeyboardEvent): void => {
    const k = e.key;
    if (k === 'ArrowDown') move(at + 1);
    else if (k === 'ArrowUp') move(at - 1);
    else if (k === 'Home') move(0);
    else if (k === 'End') move(items.length - 1);
    else if (k === 'ArrowRight') {
      if (cur.kind === 'branch' && !isOpen(cur.id, cur.level)) toggle(cur, true);
      else if (cur.kind === 'branch') move(at + 1);
    } else if (k === 'ArrowLeft') {
      if (cur.kind === 'branch' && isOpen(cur.id, cur.level)) toggle(cur, false);
      else if (cur.parent >= 0) move(cur.parent);
    } else if (k === 'Enter' || k === ' ') activate(cur);
    else if (k === 'ContextMenu' || (k === 'F10' && e.shiftKey)) {
      const r = document.getElementById(itemId(at))?.getBoundingClientRect();
      openMenu(cur, (r?.left ?? 0) + 20, r?.bottom ?? 0);
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };

  const copyItems = (it: Item) => {
    const v = it.kind === 'more' ? items[it.parent]!.value : it.value;
    const path = it.kind === 'more' ? items[it.parent]!.path : it.path;
    return [
      { label: 'Copy value', run: () => void copyText(typeof v === 'string' ? v : (JSON.stringify(v, null, 2) ?? String(v))) },
      { label: 'Copy path', run: () => void copyText(valuePath(path)) },
      { label: `Copy ${label.toLowerCase()}`, run: () => void copyText(JSON.stringify(value, null, 2) ?? 'null') },
    ];
  };

  return (
    <div
      ref={treeRef}
      class="json j-tree"
      role="tree"
      aria-label={label}
      tabIndex={0}
      aria-activedescendant={itemId(at)}
      onKeyDown={onKey}
    >
      {items.map((it, i) => (
        <div
          key={it.id}
          id={itemId(i)}
          role="treeitem"
          aria-level={it.level}
          aria-expanded={it.kind === 'branch' ? isOpen(it.id, it.level) : undefined}
          aria-selected={i === at}
          class={`j-item${i === at ? ' active' : ''}`}
          style={{ paddingLeft: `${(it.level - 1) * 14}px` }}
          onMouseDown={() => setActive(i)}
          data-more={it.kind === 'more' || (typeof it.value === 'string' && it.value.length > STRING_SHOWN && !full.has(it.id)) || undefined}
          onClick={() => activate(it)}
          onContextMenu={(e) => {
            e.preventDefault();
            setActive(i);
            openMenu(it, e.clientX, e.clientY);
          }}
        >
          <Line it={it} open={isOpen(it.id, it.level)} full={full.has(it.id)} />
        </div>
      ))}
      {menu && <Menu x={menu.x} y={menu.y} label="Copy" items={copyItems(menu.item)} onClose={() => setMenu(null)} returnFocus={treeRef.current} />}
    </div>
  );
}

/** Numbers the trees: their items' ids are unique in the document. */
let nextTree = 0;

function Line({ it, open, full }: { it: Item; open: boolean; full: boolean }) {
  if (it.kind === 'more') return <span class="j-more-item">{`▸ ${formatCount(it.value as number)} more…`}</span>;
  const key = it.name !== undefined && (
    <>
      <span class="j-key">{String(it.name)}</span>
      <span class="j-punct">: </span>
    </>
  );
  const twisty = (
    <span class="twisty" aria-hidden="true">
      {it.kind === 'branch' ? (open ? '▼' : '▶') : ' '}
    </span>
  );
  const v = it.value;
  if (it.kind === 'branch') {
    const n = entriesOf(v).length;
    return (
      <>
        {twisty}
        {key}
        <span class="j-brief">{Array.isArray(v) ? `Array(${n})` : `{…} ${n} ${n === 1 ? 'key' : 'keys'}`}</span>
      </>
    );
  }
  let body: preact.ComponentChildren;
  if (v !== null && typeof v === 'object' && isBinaryRef(v)) body = <span class="j-binary">binary, {formatCount(v.$binary.length)} bytes: {v.$binary.preview}</span>;
  else if (v !== null && typeof v === 'object') body = <span class="j-brief">{Array.isArray(v) ? '[]' : '{}'}</span>;
  else if (typeof v === 'string') {
    const long = v.length > STRING_SHOWN;
    body = (
      <>
        <span class="j-string">"{long && !full ? v.slice(0, STRING_SHOWN) + '…' : v}"</span>
        {long && <span class="j-more-item">{full ? ' (Enter: less)' : ` (${formatCount(v.length)} chars, Enter: all)`}</span>}
      </>
    );
  } else {
    const cls = v === null ? 'j-null' : typeof v === 'number' ? 'j-number' : typeof v === 'boolean' ? 'j-bool' : 'j-other';
    body = <span class={cls}>{String(v)}</span>;
  }
  return (
    <>
      {twisty}
      {key}
      {body}
    </>
  );
}
