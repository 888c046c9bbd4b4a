// The rate strip above the list: events per second over the whole capture, stacked by category, topic
// or connection, on a canvas redrawn at most once a frame. Dragging over it selects a time range (a
// `time:` term of the query); the selected event is marked.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PanelStore } from '../../store/state';
import { RateBins, type RateBy } from '../../store/rate-bins';
import { timeOfDay } from '../../../core/query';

/** The strip's height where the panel has room; the canvas draws at its CSS height (lower in a short panel). */
const HEIGHT = 44;
const COLUMN_PX = 2;
const COLORS = 8;

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
  const bins = useRef<RateBins>(new RateBins(by));
  const drag = useRef<{ x0: number; x1: number } | null>(null);
  const view = useRef({ from: 0, to: 1, columns: 1 });

  useEffect(() => {
    bins.current = new RateBins(by);
    const canvas = canvasRef.current!;
    let frame = 0;
    let draws = 0;
    let legendKeys = '';
    // Theme colours, read again only when the theme changes (getComputedStyle costs a style pass).
    let theme: string | undefined;
    let palette: string[] = [];
    let accent = '';
    let dragColor = '';
    let muted = '';
    const draw = (): void => {
      frame = 0;
      const b = bins.current;
      // A clear or a reset starts over (the store holds fewer events than were fed).
      if (store.last < b.lastSeq || (store.total === 0 && b.count > 0)) bins.current = new RateBins(by);
      const bb = bins.current;
      store.forEachAfter(bb.lastSeq, (ev) => bb.add(ev));
      const dpr = window.devicePixelRatio || 1;
      const w = canvas.clientWidth;
      const H = canvas.clientHeight || HEIGHT;
      if (w === 0) return;
      if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
      if (canvas.height !== Math.round(H * dpr)) canvas.height = Math.round(H * dpr);
      const ctx = canvas.getContext('2d')!;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, H);
      canvas.dataset.draws = String(++draws);
      if (bb.count === 0) return;
      const columns = Math.max(1, Math.floor(w / COLUMN_PX));
      const { from, to, cols, max } = bb.capture(columns);
      view.current = { from, to, columns };
      // The largest keys get a colour each, the rest share the last.
      const order = bb.totals.map((n, k) => [n, k] as const).sort((a, c) => c[0] - a[0]);
      const colorOf = new Array<number>(bb.keys.length).fill(COLORS - 1);
      order.slice(0, COLORS - 1).forEach(([, k], i) => (colorOf[k] = i));
      if (theme !== document.documentElement.dataset.theme) {
        theme = document.documentElement.dataset.theme;
        palette = Array.from({ length: COLORS }, (_, i) => cssVar(canvas, `--rate-${i}`, '#888'));
        accent = cssVar(canvas, '--accent', '#0b57d0');
        dragColor = cssVar(canvas, '--rate-drag', 'rgba(11, 87, 208, 0.2)');
        muted = cssVar(canvas, '--muted', '#5f6368');
      }
      const plotH = H - 2;
      for (let c = 0; c < columns; c++) {
        let y = H;
        const col = cols[c]!;
        for (let k = 0; k < col.length; k++) {
          const n = col[k]!;
          if (n <= 0) continue;
          const h = Math.max(1, (n / max) * plotH);
          ctx.fillStyle = palette[colorOf[k]!]!;
          ctx.fillRect(c * COLUMN_PX, y - h, COLUMN_PX, h);
          y -= h;
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
      const keys = order.slice(0, COLORS).map(([, k], i) => ({ key: i === COLORS - 1 && order.length > COLORS ? 'others' : bb.keys[k]!, color: i }));
      const sig = keys.map((k) => k.key).join('\n');
      if (sig !== legendKeys) {
        legendKeys = sig;
        setLegend(keys);
      }
    };
    const schedule = (): void => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    schedule();
    const off = store.subscribe(schedule);
    const ro = new ResizeObserver(schedule);
    ro.observe(canvas);
    (canvas as HTMLCanvasElement & { redraw?: () => void }).redraw = schedule;
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
  const redraw = (): void => (canvasRef.current as (HTMLCanvasElement & { redraw?: () => void }) | null)?.redraw?.();
  const xOf = (e: PointerEvent): number => e.clientX - (e.currentTarget as HTMLElement).getBoundingClientRect().left;

  return (
    <div class="rate-strip">
      <canvas
        ref={canvasRef}
        class="rate-canvas"
        role="img"
        aria-label={`Events per second over the capture, by ${by}; drag to select a time range`}
        onPointerDown={(e) => {
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
      <div class="rate-legend">
        <select class="tb-select" aria-label="Stack the rate by" value={by} onChange={(e) => setBy(e.currentTarget.value as RateBy)}>
          <option value="category">by category</option>
          <option value="topic">by topic</option>
          <option value="connection">by connection</option>
        </select>
        {legend.map((l) => (
          <span key={l.key} class="rate-key" title={l.key}>
            <span class={`rate-swatch rate-c${l.color}`} aria-hidden="true" />
            {by === 'topic' ? (store.topicTitle(l.key) ?? l.key) : l.key}
          </span>
        ))}
      </div>
    </div>
  );
}
