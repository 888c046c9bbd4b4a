// The Spaces panel: toolbar, event list, detail pane. Runs on any PanelSource (live or a log).
import { render } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PanelEnv } from '../sources/env';
import type { PanelSource, SourceListener, SourceStatus } from '../sources/source';
import { PanelStore, parseFilters, type DirFilter, type DropCounts, type Filters, type StoreOptions } from '../store/state';
import { EventList } from './list/list';
import { TopicTree, topicLabel } from './sidebar/sidebar';
import { Detail } from './detail/detail';
import { CapturePrompt, SettingsPopover, useCapture } from './toolbar/capture';
import { formatCount } from '../store/row';
import { DEFAULT_STUCK_AFTER_MS } from '../../core/attachments';
import { FileIndex, parseStuckAfter, rowVersion } from '../store/changes';
import { AttachmentsView } from './sidebar/attachments';
import { ChangesView } from './sidebar/timeline';
import { ConnectionsView } from './connections/connections';
import { MeetingsView } from './people/meetings';
import { PeopleView } from './people/people';
import type { CapturedEvent } from '../../core/model/event';
import type { TabStatus } from '../../core/messages';
import { redactUrl } from '../../core/wire/redact';
import { PageLoads } from '../store/page-loads';
import { LogBanner, LogButtons, type LogsUi } from './toolbar/logs';
import { createLogSource, type LogSource } from '../sources/log-source';
import type { ExportMeta } from '../../core/log';
import { DEFAULT_UNANSWERED_MS } from '../../core/spaces/outcomes';
import { ProblemsStrip, parseUnansweredAfter, useProblemsClock } from './toolbar/problems';
import { outcomeView, sendMark, topicSendsText } from '../store/sends';
import { parseColumns, type ColumnPrefs } from '../store/columns';
import { COMPACT, NARROW, SIDE_W, STACK_BELOW, useDismiss, useWindowWidth } from './layout';
import { keepInside } from './menu';
import { QueryBox, parseSavedQueries, type SavedQuery } from './query/query-box';
import { RateStrip } from './query/rate-strip';
import { addTerm, toggleChoice } from '../../core/query';
import { filesInQuery, queryScope } from './query/scope';
import { cellColumn, cellTerm, detailTerm } from './query/cell-terms';
import { ComposeHost, openComposer } from './compose/composer';
import { TraceToggle } from './compose/trace';

export interface PanelHandle {
  store: PanelStore;
  unmount(): void;
}

/** Renders the panel for source into root. */
export function mountPanel(root: HTMLElement, source: PanelSource, env: PanelEnv = {}, opts: StoreOptions = {}): PanelHandle {
  const store = new PanelStore(opts);
  const saved = env.prefs?.load();
  if (saved) {
    store.setFilters(parseFilters(saved.filters));
    if (saved.showEngine === true) store.setShowEngine(true);
  }
  const html = document.documentElement;
  html.dataset.theme = env.theme?.current() ?? 'light';
  const offTheme = env.theme?.onChange?.((t) => (html.dataset.theme = t));
  render(env.logs ? <WithLogs store={store} source={source} env={env} logsEnv={env.logs} opts={opts} /> : <App store={store} source={source} env={env} />, root);
  return {
    store,
    unmount: () => {
      offTheme?.();
      render(null, root);
    },
  };
}

/**
 * A number that follows the events the store holds (not its selection or filters), for parts that need
 * not update per frame: at once after a quiet `ms` or a person's clear or resume, else at most every `ms`.
 */
function useContentTick(store: PanelStore, ms: number, source: PanelSource): number {
  const [tick, setTick] = useState(store.contentVersion);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = -Infinity;
    let shown = tick;
    const show = (): void => {
      clearTimeout(timer);
      timer = undefined;
      last = performance.now();
      shown = store.contentVersion;
      setTick(shown);
    };
    if (store.contentVersion !== shown) show(); // changed before this effect ran
    const off = store.subscribe((data) => {
      if (store.contentVersion === shown || (data && source.loading)) return;
      if (!data) show();
      else timer ??= setTimeout(show, Math.max(0, last + ms - performance.now()));
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [store, ms, source]);
  return tick;
}

/**
 * Re-renders on store changes: at once after a person's action (selection, filter, pause), so that the
 * next frame shows its result, and for arriving events on the next animation frame, so that a row shows
 * as soon as its batch came. When a render takes more than LIVE_SHARE of the time to the next one (a
 * large list, a slow or busy machine), the next waits until cost / LIVE_SHARE after it (at most
 * LIVE_MAX_MS), so that a stream of events leaves frames free. Not for events while the source is loading
 * (a log being read: its banner shows the progress), so that each of its chunks costs the main thread
 * only its own appending, and the list renders once at the end.
 */
const LIVE_SHARE = 0.1;
const LIVE_MAX_MS = 200;

function useStoreVersion(store: PanelStore, source: PanelSource): number {
  const [version, setVersion] = useState(store.version);
  // A render's cost: from its request to the end of its layout effects (the list's lays out the rows).
  const timing = useRef({ start: 0, cost: 0, shown: version });
  useLayoutEffect(() => {
    const t = timing.current;
    if (t.start) t.cost = performance.now() - t.start;
    t.start = 0;
    t.shown = version;
  });
  useEffect(() => {
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = -Infinity;
    const render = (): void => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      frame = 0;
      timer = undefined;
      last = performance.now();
      if (store.version !== timing.current.shown) timing.current.start = last;
      setVersion(store.version);
    };
    if (store.version !== version) setVersion(store.version); // changed before this effect ran
    const off = store.subscribe((data) => {
      if (!data) return render();
      if (frame || timer !== undefined || source.loading) return;
      const wait = Math.min(LIVE_MAX_MS, timing.current.cost / LIVE_SHARE) - (performance.now() - last);
      if (wait > 0) timer = setTimeout(() => (frame = requestAnimationFrame(render)), wait);
      else frame = requestAnimationFrame(render);
    });
    return () => {
      off();
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [store, source]);
  return version;
}

const DETAIL_MIN = 260;
const TREE_MS = 1000;

type View = 'events' | 'changes' | 'attachments' | 'connections' | 'people' | 'meetings';
const VIEWS: readonly [View, string][] = [
  ['events', 'Events'],
  ['changes', 'Changes'],
  ['attachments', 'Attachments'],
  ['connections', 'Connections'],
  ['people', 'People'],
  ['meetings', 'Meetings'],
];
const parseView = (x: unknown): View => VIEWS.find(([v]) => v === x)?.[0] ?? 'events';

/** Wall clock for "stuck" and "time in status", ticking every few seconds (not while the source loads). */
function useClock(ms: number, source: PanelSource): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => source.loading || setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms, source]);
  return now;
}

/**
 * The panel with log export and import: the live store stays subscribed to its source while an
 * imported log is shown in its own store, so going back to live capture loses nothing.
 */
function WithLogs({ store, source, env, logsEnv, opts }: { store: PanelStore; source: PanelSource; env: PanelEnv; logsEnv: NonNullable<PanelEnv['logs']>; opts: StoreOptions }) {
  const [view, setView] = useState<{ id: number; store: PanelStore; source: LogSource } | null>(null);
  const [dragging, setDragging] = useState(false);
  const live = useMemo(() => relay(source, store), [source, store]);
  // After the children's effects (as when the panel subscribed itself): they see every change.
  useEffect(() => live.start(), [live]);
  const nextId = useRef(1);
  const viewRef = useRef(view);
  viewRef.current = view;
  useEffect(() => () => viewRef.current?.source.dispose(), []);
  const ui: LogsUi = {
    env: logsEnv,
    view: view?.source ?? null,
    open: (file) => {
      viewRef.current?.source.dispose();
      const logStore = new PanelStore(opts);
      setView({ id: nextId.current++, store: logStore, source: createLogSource(file, logsEnv.createWorker, logsEnv.tool, logStore.max) });
    },
    back: () => {
      viewRef.current?.source.dispose();
      setView(null);
    },
  };
  const hasFiles = (e: DragEvent): boolean => e.dataTransfer?.types.includes('Files') ?? false;
  return (
    <div
      class="log-drop-root"
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target || !e.relatedTarget) setDragging(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(false);
        const f = e.dataTransfer?.files[0];
        if (f) ui.open(f);
      }}
    >
      {view ? (
        <App key={view.id} store={view.store} source={view.source} env={{ theme: env.theme }} logs={ui} />
      ) : (
        <App key="live" store={store} source={live.source} env={env} logs={ui} />
      )}
      {dragging && (
        <div class="drop-overlay" aria-hidden="true">
          Drop a Spaces DevTools log or a Chrome HAR file
        </div>
      )}
    </div>
  );
}

/** Once started, feeds store from source for good; `source` hands the panel the status only. */
function relay(source: PanelSource, store: PanelStore): { source: PanelSource; start(): () => void } {
  let last: SourceStatus | null = null;
  let listener: SourceListener | null = null;
  return {
    start: () =>
      source.subscribe({
        events: (events, reset, dropped) => store.receive(events, reset, dropped),
        status: (st) => {
          last = st;
          listener?.status(st);
        },
      }),
    source: {
      capabilities: source.capabilities,
      clear: () => source.clear(),
      ...(source.emit ? { emit: source.emit.bind(source) } : {}),
      subscribe(l) {
        listener = l;
        if (last) l.status(last);
        return () => {
          if (listener === l) listener = null;
        };
      },
    },
  };
}

function App({ store, source, env, logs }: { store: PanelStore; source: PanelSource; env: PanelEnv; logs?: LogsUi }) {
  useStoreVersion(store, source);
  // The topic tree (hundreds of topics, most recently active first) takes new counts once a second:
  // calmer to read and click while a stream reorders it, and it leaves the frames to the list.
  const treeTick = useContentTick(store, TREE_MS, source);
  const [filter, setFilter] = useState(store.filter);
  const [preserve, setPreserve] = useState(env.prefs?.load()?.preserve !== false);
  const preserveRef = useRef(preserve);
  preserveRef.current = preserve;
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [detailWidth, setDetailWidth] = useState(() => Math.round(Math.max(DETAIL_MIN, window.innerWidth * 0.4)));
  const [detailHeight, setDetailHeight] = useState(() => Math.round(Math.max(DETAIL_MIN, window.innerHeight * 0.5)));
  const [reveal, setReveal] = useState(0);
  const [noticesSeen, setNoticesSeen] = useState(0);
  const [capture, requestCapture, refreshCapture] = useCapture(env.capture);
  const [view, setView] = useState<View>(() => parseView(env.prefs?.load()?.view));
  const [stuckAfterMs, setStuckAfterMs] = useState(() => parseStuckAfter(env.prefs?.load()?.stuckAfterMs, DEFAULT_STUCK_AFTER_MS));
  const [unansweredMs, setUnansweredMs] = useState(() => parseUnansweredAfter(env.prefs?.load()?.unansweredMs, DEFAULT_UNANSWERED_MS));
  const [columns, setColumns] = useState<ColumnPrefs>(() => parseColumns(env.prefs?.load()?.columns));
  const [sideWide, setSideWide] = useState(() => env.prefs?.load()?.side !== false);
  const [sideNarrow, setSideNarrow] = useState(false);
  const [moreOpen, setMoreOpen] = useState(false);
  const width = useWindowWidth();
  const narrow = width < NARROW;
  const compact = width < COMPACT;
  const sideShown = narrow ? sideNarrow : sideWide;
  // The detail goes under the list when beside it would leave the list too little room.
  const stacked = width - (sideShown && !narrow ? SIDE_W : 0) < STACK_BELOW;
  const toggleSide = (): void => (narrow ? setSideNarrow(!sideNarrow) : setSideWide(!sideWide));
  useDismiss(compact && moreOpen, () => setMoreOpen(false), '#tb-more, .more-btn, .popover');
  useDismiss(narrow && sideNarrow, () => setSideNarrow(false), '.side, .side-toggle');
  // Read by the keyboard listener at the key's time (the listener is registered once).
  const popups = useRef({ settings: false, more: false });
  popups.current = { settings: settingsOpen, more: compact && moreOpen };
  const moreRef = useRef<HTMLButtonElement>(null);
  const settingsRef = useRef<HTMLButtonElement>(null);
  const [savedQueries, setSavedQueries] = useState<SavedQuery[]>(() => parseSavedQueries(env.prefs?.load()?.savedQueries));
  store.stuckAfterMs = stuckAfterMs;
  // The tree's counts follow the query once the list has shown its answer (they cost a second pass). The
  // query is this render's: Preact runs a render's pending effects when the next render starts, so a
  // callback of a query typed over since does nothing, rather than count the new query's matches in
  // the frame that is to show its list.
  const [facetQuery, setFacetQuery] = useState(store.filters.text);
  const queryText = store.filters.text;
  useEffect(() => {
    const id = requestIdleCallback(() => store.filters.text === queryText && setFacetQuery(queryText), { timeout: 500 });
    return () => cancelIdleCallback(id);
  }, [queryText]);
  const fileIndex = useRef(new FileIndex()).current;
  const clock = useClock(5000, source);
  const filterRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const detailRef = useRef<HTMLElement>(null);

  // Without "Preserve", a new page load clears the list (once, whichever signal of it comes first).
  const loads = useRef(new PageLoads()).current;
  const clearUnlessPreserved = (): void => {
    if (!preserveRef.current) store.clear();
  };
  useEffect(
    () =>
      source.subscribe({
        events: (events, reset, dropped) => store.receive(events, reset, dropped),
        status: (st) => {
          store.setStatus(st);
          if (st.tab?.pageUrl !== undefined && loads.status(st.tab.pageUrl, Date.now())) clearUnlessPreserved();
          // A panel opened after reloads (DevTools closed meanwhile) starts at the current load.
          const current = st.tab?.loadSeqs?.at(-1);
          if (current !== undefined && !preserveRef.current) store.dropBefore(current);
        },
      }),
    [source, store],
  );
  // The background's page URL is redacted: DevTools' is redacted alike to compare.
  useEffect(() => env.capture?.onNavigated?.((url) => loads.navigated(redactUrl(url), Date.now()) && clearUnlessPreserved()), [env]);

  // Index the search text of arriving events in idle time, so that a search need not read them all at once.
  useEffect(() => {
    let handle = 0;
    const schedule = (): void => {
      if (!handle) handle = requestIdleCallback(idle, { timeout: 2000 });
    };
    const idle = (d: IdleDeadline): void => {
      handle = 0;
      if (!store.warmSearch(() => d.timeRemaining() > 2)) schedule();
    };
    schedule();
    const off = store.subscribe(schedule);
    return () => {
      off();
      if (handle) cancelIdleCallback(handle);
    };
  }, [store]);

  // Filters (and the toggles) survive a reload of the panel.
  const filters = store.filters;
  useEffect(() => {
    env.prefs?.save({ filters, showEngine: store.showEngine, preserve, stuckAfterMs, unansweredMs, view, columns, side: sideWide, savedQueries });
  }, [filters, store.showEngine, preserve, stuckAfterMs, unansweredMs, view, columns, sideWide, savedQueries, env]);

  useProblemsClock(store, source, stuckAfterMs, unansweredMs);

  // Every pop-up stays inside the panel, whatever its anchor's place at this width.
  useLayoutEffect(() => {
    const more = document.querySelector<HTMLElement>('.tb-more.open');
    if (more && moreRef.current) more.style.left = `${moreRef.current.offsetLeft}px`;
    for (const el of document.querySelectorAll<HTMLElement>('.popover, .tb-more.open')) keepInside(el);
  });

  // "/" focuses the filter from anywhere outside a text field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target as HTMLElement | null;
      const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable);
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        filterRef.current?.focus();
        filterRef.current?.select();
      } else if (e.key === 'Escape' && (popups.current.settings || popups.current.more)) {
        // Handled here: DevTools would also open its Console drawer.
        e.stopPropagation();
        if (popups.current.settings) {
          setSettingsOpen(false);
          settingsRef.current?.focus();
        } else {
          setMoreOpen(false);
          moreRef.current?.focus();
        }
      }
    };
    // In the capture phase, before DevTools' own listener on the document.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const applyFilter = (text: string): void => {
    setFilter(text);
    store.setFilter(text);
  };
  const setFilters = (f: Partial<Filters>): void => store.setFilters(f);
  const clearFilters = (): void => {
    setFilter('');
    store.setFilters({ text: '', topic: null, category: null, dir: 'all', problems: false, kind: null });
  };
  const filtered = filters.text.trim() !== '' || filters.topic !== null || filters.category !== null || filters.dir !== 'all' || filters.problems;

  const onListKey = (e: KeyboardEvent): void => {
    const page = Math.max(1, Math.floor((listRef.current?.clientHeight ?? 200) / 20) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    const delta = moves[e.key];
    if (delta !== undefined) store.moveSelection(delta);
    else if (e.key === 'Home') store.selectIndex(0);
    else if (e.key === 'End') store.selectIndex(store.size - 1);
    else if (e.key === 'Enter' && store.selected) {
      e.preventDefault();
      detailRef.current?.focus();
      return;
    } else if (e.key === 'Escape' && store.selected) {
      e.stopPropagation();
      store.select(null);
    } else return;
    e.preventDefault();
    setReveal((n) => n + 1);
  };

  const clear = (): void => {
    store.clear();
    if (source.capabilities.clear) source.clear();
  };

  const goTo = (seq: number): boolean => {
    const ev = store.findSeq(seq);
    if (!ev) return false;
    if (store.indexOfSeq(seq) < 0) clearFilters();
    store.select(ev);
    setReveal((n) => n + 1);
    return true;
  };

  /** From another view: back to the event list, with this event selected. */
  const showEvent = (seq: number): boolean => {
    if (!store.findSeq(seq)) return false;
    setView('events');
    return goTo(seq);
  };
  const showItem = (itemId: string): boolean => {
    const seq = store.seqOfItem(itemId, Infinity);
    return seq !== undefined && showEvent(seq);
  };

  const startResize = (e: PointerEvent): void => {
    const handle = e.currentTarget as HTMLElement;
    handle.setPointerCapture(e.pointerId);
    const move = (m: PointerEvent): void => (stacked ? setDetailHeight(clampHeight(window.innerHeight - m.clientY)) : setDetailWidth(clampWidth(window.innerWidth - m.clientX)));
    const up = (): void => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  };

  const status = store.status;
  const tab = status.tab;
  // A log is read at its own time: the newest event shown, not the wall clock.
  const now = source.capabilities.live ? clock : (store.at(store.size - 1)?.record.t ?? clock);
  const tracker = store.attachments;
  const rowExtras = (ev: CapturedEvent) => ({
    version: rowVersion(store.versions, ev),
    files: fileIndex.itemBadge(tracker, ev.spaces?.itemId, now, stuckAfterMs),
    send: sendMark(store.sends, ev),
    gap: store.connections.outageAt(ev.seq) !== undefined,
    panel: ev.fromPanel === true,
  });
  const showKind = (kind: string | null): void => {
    setView('events');
    store.setFilters({ problems: true, kind });
    store.selectIndex(0);
    setReveal((n) => n + 1);
  };
  const sendCounts = store.sends.counts();
  const filterTo = (keys: readonly string[] | null): void => {
    store.setConnectionFilter(keys);
    if (keys) setView('events');
  };
  // The Changes and Attachments views obey the query: the events it matches, their items and files.
  const queried = useMemo(() => (view === 'events' || filters.text.trim() === '' ? null : queryScope(store.queryMatches())), [view, filters.text, store.contentVersion]);
  const topicBadge = (topic: string | null) => fileIndex.topicBadge(tracker, topic, now, stuckAfterMs);
  // The clock changes the tree's badges only as files become stuck (a file, once stuck, stays so until an
  // event changes it): the tree is drawn again for that, not on every tick.
  const stuckNow = topicBadge(null)?.stuck ?? 0;
  const scope = filters.topic === null ? null : (() => {
    const g = store.groups.topic(filters.topic);
    return g ? topicLabel(g).text : filters.topic;
  })();
  const onViewKey = (e: KeyboardEvent): void => {
    const i = VIEWS.findIndex(([v]) => v === view);
    const next = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? i - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const [v] = VIEWS[(next + VIEWS.length) % VIEWS.length]!;
    setView(v);
    requestAnimationFrame(() => document.getElementById(`view-${v}`)?.focus());
  };
  const total = store.total;
  const size = store.size;
  const drops = store.drops;
  const full = drops.full.hi;
  const rejected = (tab?.rejected ?? 0) + status.malformed;
  const notices = tab?.notices ?? [];
  const workers = tab?.workers ?? 0;
  const workersText = workers > 0 ? `This page runs ${workers} ${workers === 1 ? 'worker' : 'workers'}; sockets opened in workers can't be captured.` : '';
  const selected = store.selected;
  const reload = (): void => env.capture?.reloadPage();
  const live = source.capabilities.live;
  const connText =
    status.connection === 'open' ? 'Live' : status.connection === 'offline' ? (live ? 'Disconnected' : 'Log') : status.connection === 'reconnecting' ? 'Reconnecting…' : 'Connecting…';

  const sockets = tab?.connections ?? 0;
  let empty: preact.ComponentChildren = null;
  if (size === 0) {
    if (total === 0 && store.pendingCount === 0) {
      empty =
        capture.allowed === false || capture.justGranted ? (
          <CapturePrompt state={capture} request={requestCapture} reload={reload} compact={false} />
        ) : live && sockets > 0 && status.connection === 'open' ? (
          <div class="empty-box">
            <p>
              <strong>No events since the list was cleared.</strong> {sockets === 1 ? 'The page’s socket is' : `The page’s ${formatCount(sockets)} sockets are`} captured: new
              events show here as they arrive.
            </p>
          </div>
        ) : live ? (
          <div class="empty-box">
            <p>
              <strong>No Spaces socket seen on this page yet.</strong> Reload the page to capture from the start.
            </p>
            {workers > 0 && <p class="workers-note">{workersText}</p>}
            {env.capture && (
              <button type="button" class="btn" onClick={reload}>
                Reload page
              </button>
            )}
          </div>
        ) : logs && !logs.view ? (
          <div class="empty-box">
            <p>
              <strong>Open a Spaces DevTools log or a Chrome HAR file:</strong> drop it here, or use Import….
            </p>
          </div>
        ) : logs?.view && !logs.view.progress.result ? (
          <div class="empty-box">
            <p>Reading {logs.view.progress.name}…</p>
          </div>
        ) : (
          <div class="empty-box">
            <p>This log has no events.</p>
          </div>
        );
    } else if (total > 0) {
      const topic = filters.topic === null ? undefined : store.groups.topic(filters.topic);
      const parts: string[] = [];
      if (filters.text.trim()) parts.push(`“${filters.text.trim()}”`);
      if (filters.topic !== null) parts.push(`topic ${topic ? topicLabel(topic).text : filters.topic}`);
      if (filters.category !== null) parts.push(`category ${filters.category}`);
      if (filters.dir !== 'all') parts.push(filters.dir === 'in' ? 'received' : 'sent');
      if (filters.problems) parts.push('problems only');
      empty = (
        <div class="empty-box">
          <p>
            <strong>Nothing matches the filter</strong>
            {parts.length ? ` (${parts.join(', ')})` : ''}
            {store.showEngine ? '' : '; engine keep-alives are hidden'}.
          </p>
          {filtered && (
            <button type="button" class="btn" onClick={clearFilters}>
              Clear filters
            </button>
          )}
        </div>
      );
    }
  }

  return (
    <div class="panel">
      <header>
        <h1 class="sr-only">Spaces events</h1>
        <div class="toolbar" role="toolbar" aria-label="Spaces events">
          <button
            type="button"
            class={`tb-btn icon side-toggle${sideShown ? ' active' : ''}`}
            aria-label="Sidebar"
            aria-expanded={sideShown}
            aria-controls={sideShown ? 'side' : undefined}
            title={sideShown ? 'Hide the sidebar' : 'Show the sidebar (views and topics)'}
            onClick={toggleSide}
          >
            <span class="side-icon" aria-hidden="true" />
          </button>
          <button type="button" class="tb-btn icon" aria-label="Clear events" title="Clear" onClick={clear}>
            <span class="clear-icon" aria-hidden="true" />
          </button>
          <button
            type="button"
            class={`tb-btn${store.paused ? ' active' : ''}`}
            aria-pressed={store.paused}
            title={store.paused ? 'Resume: show the events that arrived meanwhile' : 'Pause: hold new events back'}
            onClick={() => store.setPaused(!store.paused)}
          >
            <span aria-hidden="true">{store.paused ? '▶ ' : '❚❚ '}</span>
            {store.paused ? `Resume${store.pendingCount ? ` (${formatCount(store.pendingCount)} new)` : ''}` : 'Pause'}
          </button>
          {source.emit && (
            <button type="button" class="tb-btn compose-btn" title="Emit a Socket.IO event on the page's socket" onClick={() => openComposer()}>
              <span aria-hidden="true">✎ </span>
              Compose
            </button>
          )}
          <span class="tb-sep" />
          <QueryBox
            store={store}
            value={filter}
            onChange={applyFilter}
            onLeave={() => listRef.current?.focus()}
            inputRef={filterRef}
            saved={savedQueries}
            setSaved={setSavedQueries}
          />
          {compact && (
            <button
              ref={moreRef}
              type="button"
              class={`tb-btn icon more-btn${moreOpen ? ' active' : ''}`}
              aria-label="More options"
              title="More options"
              aria-expanded={moreOpen}
              aria-controls="tb-more"
              onClick={() => setMoreOpen(!moreOpen)}
            >
              <span aria-hidden="true">»</span>
            </button>
          )}
          {/* The least-used controls: in the toolbar when it has room, else in the overflow pop-up. */}
          <div id="tb-more" class={`tb-more${compact ? ' compact' : ''}${compact && moreOpen ? ' open' : ''}`} role={compact ? 'group' : undefined} aria-label={compact ? 'More options' : undefined}>
          <label class="tb-check" title="Show Engine.IO ping, pong, upgrade and noop packets, and each socket's start and open">
            <input type="checkbox" checked={store.showEngine} onChange={(e) => store.setShowEngine(e.currentTarget.checked)} />
            Keep-alives
          </label>
          <select
            class="tb-select"
            aria-label="Direction"
            title="Direction"
            value={filters.dir}
            onChange={(e) => setFilters({ dir: e.currentTarget.value as DirFilter })}
          >
            <option value="all">⇅ Both ways</option>
            <option value="in">↓ Received</option>
            <option value="out">↑ Sent</option>
          </select>
          <label class="tb-check" title="Only problems: failed and unanswered sends, failed subscriptions, schema warnings, decode errors, attachment problems">
            <input type="checkbox" checked={filters.problems} onChange={(e) => setFilters({ problems: e.currentTarget.checked, kind: null })} />
            Only problems
          </label>
          {env.capture?.onNavigated && (
            <label class="tb-check" title="Keep the events of earlier pages when the page loads again">
              <input type="checkbox" checked={preserve} onChange={(e) => setPreserve(e.currentTarget.checked)} />
              Preserve log
            </label>
          )}
          {source.emit && <TraceToggle />}
          {logs && <LogButtons ui={logs} store={store} filtered={filtered} meta={() => exportMeta(logs, status, store.drops.total)} />}
          </div>
          <span class="tb-fill" />
          <span class="counts" aria-live="polite">
            {`${formatCount(total)} events`}
            {size !== total && ` (${formatCount(size)} shown)`}
            {' · '}
            <span class={drops.total ? 'warn-text' : ''} title={dropsTitle(drops, tab)}>
              {formatCount(drops.total)} dropped by the buffer
              {full > 0 ? ` (${drops.full.lo === full ? '' : 'up to '}${formatCount(full)}: storage full)` : drops.total > 0 ? ` (${dropsWhere(drops)})` : ''}
            </span>
            {' · '}
            <span class={rejected ? 'warn-text' : ''} title={`${formatCount(tab?.rejected ?? 0)} frames rejected by the extension, ${formatCount(status.malformed)} malformed messages ignored by the panel`}>
              {formatCount(rejected)} rejected
              {rejected > 0 && ` (${[tab?.rejected ? `${formatCount(tab.rejected)} by the extension` : '', status.malformed ? `${formatCount(status.malformed)} malformed, by the panel` : ''].filter(Boolean).join(', ')})`}
            </span>
            {tab && ` · ${formatCount(tab.connections)} ${tab.connections === 1 ? 'connection' : 'connections'}`}
            {tab?.connectionsPruned ? (
              <span class="warn-text" title="Records of the least recently active connections forgotten beyond the tab's bound; their later frames are decoded without their URL">
                {` (${formatCount(tab.connectionsPruned)} forgotten)`}
              </span>
            ) : null}
          </span>
          <span class={`conn conn-${status.connection}`} title={`Connection to the extension: ${connText}`}>
            <span class="dot" aria-hidden="true" />
            {connText}
          </span>
          {env.capture && (
            <span class="settings-anchor">
              <button
                type="button"
                ref={settingsRef}
                class="tb-btn icon settings-btn"
                aria-label="Capture settings"
                aria-expanded={settingsOpen}
                title="Capture settings"
                onClick={() => setSettingsOpen(!settingsOpen)}
              >
                <span aria-hidden="true">⚙</span>
              </button>
              {settingsOpen && (
                <SettingsPopover capture={env.capture} onClose={() => setSettingsOpen(false)} onGranted={refreshCapture} />
              )}
            </span>
          )}
        </div>
        {total > 0 && (
          <ProblemsStrip store={store} filters={filters} scope={scope} unansweredMs={unansweredMs} setUnansweredMs={setUnansweredMs} showKind={showKind} />
        )}
        {logs?.view && <LogBanner ui={logs} source={logs.view} />}
        {source.emit && <ComposeHost store={store} emit={source.emit} pageUrl={tab?.pageUrl} />}
        {total > 0 && <CapturePrompt state={capture} request={requestCapture} reload={reload} compact />}
        {total > 0 && workers > 0 && (
          <div class="notice workers-note" role="status">
            <span class="info-mark" aria-hidden="true">i</span>
            {workersText}
          </div>
        )}
        {notices.length > noticesSeen && (
          <div class="notice" role="status">
            <span class="info-mark" aria-hidden="true">i</span>
            {notices[notices.length - 1]}
            {notices.length - noticesSeen > 1 && <span class="muted"> (+{notices.length - noticesSeen - 1} more)</span>}
            <button type="button" class="tb-btn icon" aria-label="Dismiss notice" onClick={() => setNoticesSeen(notices.length)}>
              ×
            </button>
          </div>
        )}
      </header>
      <main class={`main${narrow ? ' narrow' : ''}${stacked ? ' stacked' : ''}`}>
        {sideShown && (
        <div class="side" id="side">
          <div class="views" role="tablist" aria-label="View" onKeyDown={onViewKey}>
            {VIEWS.map(([v, label]) => (
              <button
                key={v}
                id={`view-${v}`}
                type="button"
                role="tab"
                class={`view-tab${v === view ? ' selected' : ''}`}
                aria-selected={v === view}
                aria-controls="view-panel"
                tabIndex={v === view ? 0 : -1}
                onClick={() => setView(v)}
              >
                {label}
              </button>
            ))}
          </div>
          <TopicTree
            store={store}
            tick={treeTick}
            topic={filters.topic}
            category={filters.category}
            badge={topicBadge}
            badgeKey={`${stuckAfterMs}:${stuckNow}:${facetQuery}:${sendCounts.failed}:${sendCounts.unanswered}:${sendCounts.waiting}`}
            sends={(t) => topicSendsText(store.sends, t)}
            chooseMore={(field, value) => applyFilter(toggleChoice(filter, field, value))}
            query={facetQuery}
          />
        </div>
        )}
        <div class="view-panel" id="view-panel" role="tabpanel" aria-labelledby={`view-${view}`}>
        {view === 'changes' && <ChangesView versions={store.versions} topic={filters.topic} scope={scope} topicTitle={(id) => store.topicTitle(id)} showEvent={showEvent} only={queried?.seqs} />}
        {view === 'attachments' && (
          <AttachmentsView
            files={filesInQuery(filters.topic === null ? fileIndex.files(tracker) : fileIndex.ofTopic(tracker, filters.topic), queried)}
            scope={scope}
            now={now}
            stuckAfterMs={stuckAfterMs}
            setStuckAfterMs={setStuckAfterMs}
            topicTitle={(id) => store.topicTitle(id)}
            showItem={showItem}
          />
        )}
        {view === 'connections' && <ConnectionsView tracker={store.connections} now={now} filter={store.connectionFilter} filterTo={filterTo} showEvent={showEvent} />}
        {view === 'events' && store.connectionFilter && (
          <div class="notice conn-only" role="status">
            {`Only the events of socket ${[...store.connectionFilter].map((k) => `#${k.trim().split(' ').pop()}`).join(' + ')}`}
            <button type="button" class="tb-btn" onClick={() => filterTo(null)}>
              Show all sockets
            </button>
          </div>
        )}
        {(view === 'people' || view === 'meetings') &&
          (() => {
            const props = { sessions: store.sessions, topic: filters.topic, scope, latest: now, live, selectedT: selected?.record.t, topicTitle: (id: string) => store.topicTitle(id), chooseTopic: (id: string) => store.setFilters({ topic: id, category: null }), showEvent };
            return view === 'people' ? <PeopleView {...props} /> : <MeetingsView {...props} />;
          })()}
        {view === 'events' && (
        <div
          class="list-pane with-strip"
          onClickCapture={(e) => {
            // Ctrl/⌘-click on a cell: its value becomes a query term (with Alt: its negation).
            const column = (e.ctrlKey || e.metaKey) && store.selected ? cellColumn(e.target) : null;
            const term = column ? cellTerm(store.selected!, column, e.altKey) : null;
            if (term) {
              e.preventDefault();
              e.stopPropagation();
              applyFilter(addTerm(filter, term));
            }
          }}
        >
          <RateStrip store={store} onRange={(term) => applyFilter(addTerm(filter, term))} />
          <EventList store={store} revealSelection={reveal} onKeyDown={onListKey} listRef={listRef} rowExtras={rowExtras} columns={columns} setColumns={setColumns} utc={!live} loadSeqs={preserve ? tab?.loadSeqs : undefined} loadUrls={tab?.loadUrls} />
          {empty && <div class="empty">{empty}</div>}
        </div>
        )}
        {view === 'events' && selected && (
          <>
            <div
              class="splitter"
              role="separator"
              aria-orientation={stacked ? 'horizontal' : 'vertical'}
              aria-label="Resize details"
              aria-valuenow={stacked ? detailHeight : detailWidth}
              tabIndex={0}
              onPointerDown={startResize}
              onKeyDown={(e) => {
                const step = e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? 24 : e.key === 'ArrowRight' || e.key === 'ArrowDown' ? -24 : 0;
                if (step) {
                  e.preventDefault();
                  if (stacked) setDetailHeight((h) => clampHeight(h + step));
                  else setDetailWidth((w) => clampWidth(w + step));
                }
              }}
            />
            <div
              class="detail-pane"
              style={stacked ? { height: `${detailHeight}px` } : { width: `${detailWidth}px` }}
              onClickCapture={(e) => {
                // Ctrl/⌘-click on a value: it becomes a query term (with Alt: its negation).
                const term = e.ctrlKey || e.metaKey ? detailTerm(selected, e.target, e.altKey) : null;
                if (term) {
                  e.preventDefault();
                  e.stopPropagation();
                  applyFilter(addTerm(filter, term));
                }
              }}
            >
              <Detail
                ev={selected}
                goTo={goTo}
                findItem={(id, before) => store.seqOfItem(id, before)}
                topicTitle={(id) => store.topicTitle(id)}
                onClose={() => {
                  store.select(null);
                  listRef.current?.focus();
                }}
                onEscape={() => listRef.current?.focus()}
                paneRef={detailRef}
                history={store.versions.forEvent(selected)}
                outcome={outcomeView(store.sends, selected)}
              />
            </div>
          </>
        )}
        </div>
      </main>
    </div>
  );
}

/**
 * What an export says about where its events came from: the imported log's header, or this browser and
 * page; dropped: the events of the capture the panel does not hold.
 */
function exportMeta(logs: LogsUi, status: SourceStatus, dropped: number): Omit<ExportMeta, 'filter'> {
  const h = logs.view?.progress.header;
  if (h) {
    const start = h.capture.start ? Date.parse(h.capture.start) : undefined;
    const end = h.capture.end ? Date.parse(h.capture.end) : undefined;
    return { tool: logs.env.tool, browser: h.browser, page: h.origin, start, end, dropped, ...(h.connections ? { connections: h.connections } : {}) };
  }
  return { tool: logs.env.tool, browser: logs.env.browser, page: status.tab?.pageUrl ?? null, dropped };
}

/** Where the dropped events went, in short: "background 10, list 2". */
function dropsWhere(d: DropCounts): string {
  const parts: string[] = [];
  if (d.before) parts.push(`before export ${formatCount(d.before)}`);
  if (d.unreceived) parts.push(`background ${formatCount(d.unreceived)}`);
  if (d.list) parts.push(`this list ${formatCount(d.list)}`);
  if (d.relay) parts.push(`page relay ${formatCount(d.relay)}`);
  return parts.join(', ');
}

/** The counts line's tooltip: where the dropped events went. */
function dropsTitle(d: DropCounts, tab: TabStatus | null): string {
  const parts: string[] = [];
  if (d.before) parts.push(`${formatCount(d.before)} dropped by the capture before this log was exported`);
  if (tab || d.unreceived) {
    const full = d.full.hi ? ` (${d.full.lo === d.full.hi ? '' : d.full.lo ? `${formatCount(d.full.lo)} to ` : 'up to '}${formatCount(d.full.hi)} of them because the browser's storage for the extension was full: other tabs hold it)` : '';
    parts.push(`${formatCount(d.unreceived)} dropped by the background's buffer before this panel got them${full}`);
  }
  parts.push(`${formatCount(d.list)} by this list`);
  if (d.relay) parts.push(`${formatCount(d.relay)} frames dropped by the page's relay before the background got them`);
  return parts.join(', ');
}

const clampWidth = (w: number): number => Math.round(Math.max(DETAIL_MIN, Math.min(window.innerWidth - 240, w)));
const clampHeight = (h: number): number => Math.round(Math.max(120, Math.min(window.innerHeight - 120, h)));
