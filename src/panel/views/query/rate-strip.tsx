// The rate strip above the list: events per second over the whole capture, stacked by category, topic
// or connection. Its right edge is the panel's clock: while events arrive the axis moves, and the strip
// draws every frame (a requestAnimationFrame loop that stops a second after the last arrival: no work
// when idle; at rest its right edge is the last event). Dragging over it selects a time range (a `time:` term of the query); the selected event
// is marked.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PanelStore } from '../../store/state';
import { RateBins, SLOTS, type RateBy } from '../../store/rate-bins';
import { timeOfDay } from '../../../core/query';
import { isEngineChatter } from '../../store/row';

/** The strip's height where the panel has room; the canvas draws at its CSS height (lower in a short panel). */
const HEIGHT = 44;
const COLUMN_PX = 2;
/** After the last arrival the right edge runs on this long with the clock, then stops. */
const LIVE_MS = 1000;
/** While live, the largest keys (the colours) are ranked again at most this often. */
const RANK_MS = 1000;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
function clock(t: number): string {
  const d = new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The query term for [from, to]: local times of day within one day, else ISO times. */
export function rangeTerm(from: number, to: number): string {
  const sameDay = new Date(from).toDateString() === new Date(to).toDateString() && timeOfDay(from) <= timeOfDay(to);
  return sameDay ? `time:${clock(from)}..${clock(to)}` : `time:${new Date(from).toISOString()}..${new Date(to).toISOString()}`;
}

/** A theme colour from the panel's CSS variables (falls back when unset). */
function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

export interface RateStripProps {
  store: PanelStore;
  /** A time range was dragged: the term to add. */
  onRange(term: string): void;
}

export function RateStrip({ store, onRange }: RateStripProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [by, setBy] = useState<RateBy>('category');
  const [legend, setLegend] = useState<{ key: string; color: number }[]>([]);
  const [empty, setEmpty] = useState(true);
  const drag = useRef<{ x0: number; x1: number } | null>(null);
  const view = useRef({ from: 0, to: 1 });
  const redrawRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    const canvas = canvasRef.current!;
    const ctx = canvas.getContext('2d');
    let bins = new RateBins(by);
    // Keep-alives count only while the list shows them.
    let engine = store.showEngine;
    let frame = 0;
    let draws = 0;
    let isEmpty = true;
    // The clock: the newest event's time when it arrived, running on with the wall clock for LIVE_MS.
    let anchorT = -Infinity;
    let anchorAt = -Infinity;
    let edge = -Infinity;
    let rankedAt = -Infinity;
    let legendSig = '';
    // Reused every frame: the columns by slot, and each column's top while stacking.
    let out = new Float64Array(0);
    let tops = new Float64Array(0);
    // Theme colours, read again only when the theme changes (getComputedStyle costs a style pass).
    let theme: string | undefined;
    let palette: string[] = [];
    let accent = '';
    let dragColor = '';
    let muted = '';
    // Set by a drag, a resize or a new theme: draw even if no event came.
    let force = true;
    // Whether the last draw was live: the first draw after is the strip at rest (its edge back at the last event).
    let wasLive = false;
    let selected: unknown = null;
    // Time spent drawing, beside the count of draws, for the bench (bench/panel.ts).
    let spent = 0;
    const draw = (now: number): void => {
      const t0 = performance.now();
      const d0 = draws;
      paint(now);
      if (draws !== d0) canvas.dataset.drawMs = (spent += performance.now() - t0).toFixed(1);
    };
    const paint = (now: number): void => {
      frame = 0;
      // A clear or a reset starts over (the store holds fewer events than were fed).
      if (store.last < bins.lastSeq || (store.total === 0 && bins.count > 0) || engine !== store.showEngine) {
        bins = new RateBins(by);
        engine = store.showEngine;
        edge = anchorT = anchorAt = rankedAt = -Infinity;
        legendSig = '';
        force = true;
      }
      const before = bins.count;
      store.forEachAfter(bins.lastSeq, (ev) => (engine || !isEngineChatter(ev) ? bins.add(ev) : bins.pass(ev)));
      if (bins.count > before) {
        anchorT = bins.last;
        anchorAt = now;
      }
      const live = now - anchorAt < LIVE_MS;
      // Another change of the store (a filter, the clock's tick): nothing to draw unless the selection moved.
      if (!live && !wasLive && !force && bins.count === before && store.selected === selected && theme === document.documentElement.dataset.theme) return;
      force = false;
      wasLive = live;
      selected = store.selected;
      if (isEmpty !== (bins.count === 0)) setEmpty((isEmpty = bins.count === 0));
      const dpr = window.devicePixelRatio || 1;
      const w = canvas.clientWidth;
      const H = canvas.clientHeight || HEIGHT;
      if (w === 0 || !ctx) return;
      if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
      if (canvas.height !== Math.round(H * dpr)) canvas.height = Math.round(H * dpr);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, H);
      canvas.dataset.draws = String(++draws);
      if (live) frame = requestAnimationFrame(draw);
      if (bins.count === 0) return;
      if (!live || now - rankedAt >= RANK_MS) {
        rankedAt = now;
        bins.rank();
        const sig = `${bins.slotKeys.join(' ')} ${bins.others}`;
        if (sig !== legendSig) {
          legendSig = sig;
          const keys = bins.slotKeys.map((k, i) => ({ key: bins.keys[k]!, color: i }));
          if (bins.others) keys.push({ key: 'others', color: SLOTS - 1 });
          setLegend(keys);
        }
      }
      // At rest the axis ends at the last event, not a second of clock after it.
      edge = live ? Math.max(edge, bins.last + 1, anchorT + (now - anchorAt)) : bins.last + 1;
      const from = bins.first;
      const to = Math.max(edge, from + 1000);
      view.current = { from, to };
      const columns = Math.max(1, Math.floor(w / COLUMN_PX));
      if (out.length < columns * SLOTS) {
        out = new Float64Array(columns * SLOTS);
        tops = new Float64Array(columns);
      }
      const max = bins.fill(from, to, columns, out);
      if (theme !== document.documentElement.dataset.theme) {
        theme = document.documentElement.dataset.theme;
        palette = Array.from({ length: SLOTS }, (_, i) => cssVar(canvas, `--rate-${i}`, '#888'));
        accent = cssVar(canvas, '--accent', '#0b57d0');
        dragColor = cssVar(canvas, '--rate-drag', 'rgba(11, 87, 208, 0.2)');
        muted = cssVar(canvas, '--muted', '#5f6368');
      }
      // One path a colour, stacked from the bottom.
      const plotH = H - 2;
      tops.fill(H, 0, columns);
      for (let s = 0; s < SLOTS; s++) {
        ctx.beginPath();
        let any = false;
        for (let c = 0; c < columns; c++) {
          const n = out[c * SLOTS + s]!;
          if (n <= 0) continue;
          const h = Math.max(1, (n / max) * plotH);
          ctx.rect(c * COLUMN_PX, tops[c]! - h, COLUMN_PX, h);
          tops[c]! -= h;
          any = true;
        }
        if (any) {
          ctx.fillStyle = palette[s]!;
          ctx.fill();
        }
      }
      const sel = store.selected;
      if (sel && sel.record.t >= from && sel.record.t <= to) {
        ctx.fillStyle = accent;
        ctx.fillRect(Math.round(((sel.record.t - from) / (to - from)) * w) - 1, 0, 2, H);
      }
      const d = drag.current;
      if (d) {
        ctx.fillStyle = dragColor;
        ctx.fillRect(Math.min(d.x0, d.x1), 0, Math.abs(d.x1 - d.x0), H);
      }
      ctx.fillStyle = muted;
      ctx.font = '10px sans-serif';
      ctx.textBaseline = 'top';
      ctx.fillText(`${Math.round(max)}/s`, 3, 2);
    };
    const schedule = (): void => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    const redraw = (): void => {
      force = true;
      schedule();
    };
    schedule();
    const off = store.subscribe(schedule);
    const ro = new ResizeObserver(redraw);
    ro.observe(canvas);
    redrawRef.current = redraw;
    return () => {
      off();
      ro.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [store, by]);

  const timeAt = (x: number): number => {
    const { from, to } = view.current;
    const w = canvasRef.current?.clientWidth || 1;
    return from + (Math.max(0, Math.min(w, x)) / w) * (to - from);
  };
  const redraw = (): void => redrawRef.current();
  const xOf = (e: PointerEvent): number => e.clientX - (e.currentTarget as HTMLElement).getBoundingClientRect().left;

  return (
    <div class={`rate-strip${empty ? ' rate-empty' : ''}`}>
      <canvas
        ref={canvasRef}
        class="rate-canvas"
        role="img"
        aria-label={empty ? 'Events per second: no events yet' : `Events per second over the capture, by ${by}; drag to select a time range`}
        onPointerDown={(e) => {
          if (empty) return;
          try {
            (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
          } catch {
            // a pointer the browser does not track (a synthetic one): the drag still works inside the strip
          }
          drag.current = { x0: xOf(e), x1: xOf(e) };
          redraw();
        }}
        onPointerMove={(e) => {
          if (!drag.current) return;
          drag.current.x1 = xOf(e);
          redraw();
        }}
        onPointerUp={() => {
          const d = drag.current;
          drag.current = null;
          redraw();
          if (!d || Math.abs(d.x1 - d.x0) < 3) return;
          const a = timeAt(Math.min(d.x0, d.x1));
          const b = timeAt(Math.max(d.x0, d.x1));
          onRange(rangeTerm(Math.floor(a), Math.ceil(b)));
        }}
      />
      {empty ? (
        <p class="rate-empty-note muted">Events per second appear here as events arrive.</p>
      ) : (
        <div class="rate-legend">
          <select class="tb-select" aria-label="Stack the rate by" value={by} onChange={(e) => setBy(e.currentTarget.value as RateBy)}>
            <option value="category">by category</option>
            <option value="topic">by topic</option>
            <option value="connection">by connection</option>
          </select>
          {legend.map((l) => (
            <span key={l.key} class="rate-key" title={l.key}>
              <span class={`rate-swatch rate-c${l.color}`} aria-hidden="true" />
              {by === 'topic' && l.key !== 'others' ? (store.topicTitle(l.key) ?? l.key) : l.key}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
