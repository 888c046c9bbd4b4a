// The search box: a query (docs/QUERY.md) with autocomplete of field names and of values seen, its
// error shown under it (where and why; the list keeps the last query that parsed), and saved filters.
import { useRef, useState } from 'preact/hooks';
import type { Ref } from 'preact';
import { FIELDS, fieldSpec, quoteValue } from '../../../core/query';
import type { PanelStore } from '../../store/state';

export interface SavedQuery {
  name: string;
  query: string;
}

/** Saved queries read back from the prefs: anything malformed is dropped; at most 50. */
export function parseSavedQueries(x: unknown): SavedQuery[] {
  if (!Array.isArray(x)) return [];
  const out: SavedQuery[] = [];
  for (const q of x.slice(0, 50)) {
    const o = typeof q === 'object' && q !== null ? (q as Record<string, unknown>) : {};
    if (typeof o.name === 'string' && typeof o.query === 'string' && o.name.length <= 100 && o.query.length <= 2000) out.push({ name: o.name, query: o.query });
  }
  return out;
}

interface Suggestion {
  /** What replaces the word at the caret. */
  insert: string;
  label: string;
  hint: string;
}

const MAX_SUGGESTIONS = 8;

/** The word being typed: from the last space (or parenthesis) before the caret. */
function wordAt(text: string, caret: number): { start: number; word: string } {
  let start = caret;
  while (start > 0 && !/[\s()]/.test(text[start - 1]!)) start--;
  return { start, word: text.slice(start, caret) };
}

/** Suggestions for the word at the caret: field names, then values seen for a field. */
export function suggest(store: PanelStore, word: string): Suggestion[] {
  const neg = word.startsWith('-') ? '-' : '';
  const w = word.slice(neg.length);
  const colon = w.indexOf(':');
  if (colon < 0) {
    if (w === '') return [];
    const lw = w.toLowerCase();
    return FIELDS.filter((f) => f.name.startsWith(lw) && f.name !== lw)
      .slice(0, MAX_SUGGESTIONS)
      .map((f) => ({ insert: `${neg}${f.name}${'numeric' in f ? '>' : ':'}`, label: f.name, hint: f.help }));
  }
  const field = w.slice(0, colon);
  const typed = w.slice(colon + 1).replace(/^"/, '').toLowerCase();
  const spec = fieldSpec(field);
  if (!spec) return [];
  let values: string[] = [];
  if (spec.values) values = [...spec.values];
  else if (field === 'topic') values = store.groups.topics().flatMap((g) => (g.title ? [g.title] : g.key ? [g.key] : []));
  else if (field === 'category') values = store.groups.categories(null).map((c) => c.key);
  else if (field === 'sender') values = [...store.queryFields.senders.keys()];
  else if (field === 'event') values = [...store.queryFields.events.keys()];
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  for (const v of values) {
    const lv = v.toLowerCase();
    if (seen.has(lv) || !lv.includes(typed) || lv === typed) continue;
    seen.add(lv);
    out.push({ insert: `${neg}${field}:${quoteValue(v)} `, label: v, hint: field });
    if (out.length >= MAX_SUGGESTIONS) break;
  }
  return out;
}

export interface QueryBoxProps {
  store: PanelStore;
  value: string;
  onChange(text: string): void;
  /** ArrowDown / Enter with no suggestion open: on to the list. */
  onLeave(): void;
  inputRef: Ref<HTMLInputElement>;
  saved: readonly SavedQuery[];
  setSaved(saved: SavedQuery[]): void;
}

export function QueryBox({ store, value, onChange, onLeave, inputRef, saved, setSaved }: QueryBoxProps) {
  const [sugs, setSugs] = useState<{ list: Suggestion[]; start: number; end: number; active: number } | null>(null);
  const [menu, setMenu] = useState(false);
  const [naming, setNaming] = useState('');
  const own = useRef<HTMLInputElement | null>(null);
  const error = store.queryError;

  const refresh = (input: HTMLInputElement): void => {
    const caret = input.selectionStart ?? input.value.length;
    const { start, word } = wordAt(input.value, caret);
    const list = suggest(store, word);
    setSugs(list.length ? { list, start, end: caret, active: 0 } : null);
  };
  const accept = (s: Suggestion): void => {
    if (!sugs) return;
    const next = value.slice(0, sugs.start) + s.insert + value.slice(sugs.end);
    onChange(next);
    setSugs(null);
    const caret = sugs.start + s.insert.length;
    requestAnimationFrame(() => {
      own.current?.focus();
      own.current?.setSelectionRange(caret, caret);
      if (own.current) refresh(own.current);
    });
  };
  const setRef = (el: HTMLInputElement | null): void => {
    own.current = el;
    if (typeof inputRef === 'function') inputRef(el);
    else if (inputRef) (inputRef as { current: HTMLInputElement | null }).current = el;
  };

  return (
    <span class="query-box">
      <input
        ref={setRef}
        class={`filter${error ? ' invalid' : ''}`}
        type="search"
        placeholder="Search or query: topic:… -dir:out /regex/   /"
        aria-label="Search events: words, quoted phrases, /regex/, field:value terms, -negation, OR, parentheses"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'query-error' : undefined}
        aria-autocomplete="list"
        aria-expanded={sugs ? true : false}
        aria-controls={sugs ? 'query-suggestions' : undefined}
        aria-activedescendant={sugs ? `query-sug-${sugs.active}` : undefined}
        role="combobox"
        spellcheck={false}
        value={value}
        onInput={(e) => {
          onChange(e.currentTarget.value);
          refresh(e.currentTarget);
        }}
        onBlur={() => setTimeout(() => setSugs(null), 150)}
        onKeyDown={(e) => {
          if (sugs) {
            const n = sugs.list.length;
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              setSugs({ ...sugs, active: (sugs.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n });
              return;
            }
            if (e.key === 'Tab' || e.key === 'Enter') {
              e.preventDefault();
              accept(sugs.list[sugs.active]!);
              return;
            }
            if (e.key === 'Escape') {
              // handled here: not also DevTools' Console drawer
              e.preventDefault();
              e.stopPropagation();
              setSugs(null);
              return;
            }
          }
          if (e.key === 'Escape' && value) {
            e.preventDefault();
            e.stopPropagation();
            onChange('');
          } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
            e.preventDefault();
            onLeave();
          }
        }}
      />
      {error && (
        <span id="query-error" class="query-error" role="alert">
          {error.message}
        </span>
      )}
      {sugs && !error && (
        <ul id="query-suggestions" class="query-suggestions" role="listbox" aria-label="Suggestions">
          {sugs.list.map((s, i) => (
            <li
              key={s.insert}
              id={`query-sug-${i}`}
              role="option"
              aria-selected={i === sugs.active}
              class={i === sugs.active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(s);
              }}
            >
              <span class="sug-label">{s.label}</span>
              <span class="sug-hint">{s.hint}</span>
            </li>
          ))}
        </ul>
      )}
      <button type="button" class="tb-btn icon saved-btn" aria-label="Saved filters" aria-expanded={menu} title="Saved filters" onClick={() => setMenu(!menu)}>
        <span aria-hidden="true">★</span>
      </button>
      {menu && (
        <div class="saved-menu" role="dialog" aria-label="Saved filters" onKeyDown={(e) => e.key === 'Escape' && setMenu(false)}>
          <form
            class="saved-form"
            onSubmit={(e) => {
              e.preventDefault();
              const name = naming.trim();
              if (!name || !value.trim()) return;
              setSaved([...saved.filter((s) => s.name !== name), { name, query: value }].slice(-50));
              setNaming('');
            }}
          >
            <input class="saved-name" aria-label="Name for the current query" placeholder="Name this query" maxLength={100} value={naming} onInput={(e) => setNaming(e.currentTarget.value)} />
            <button type="submit" class="btn" disabled={!value.trim() || !naming.trim()}>
              Save
            </button>
          </form>
          {saved.length === 0 && <p class="muted">No saved filters yet.</p>}
          <ul class="saved-list">
            {saved.map((s) => (
              <li key={s.name}>
                <button
                  type="button"
                  class="saved-apply"
                  title={s.query}
                  onClick={() => {
                    onChange(s.query);
                    setMenu(false);
                  }}
                >
                  {s.name}
                </button>
                <button type="button" class="tb-btn icon" aria-label={`Delete saved filter ${s.name}`} onClick={() => setSaved(saved.filter((x) => x !== s))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </span>
  );
}
