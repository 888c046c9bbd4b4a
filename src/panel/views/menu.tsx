// A small pop-up menu (a context menu or a header menu): at a point, kept inside the panel, arrow keys
// and Esc (which goes no further: DevTools would open its Console drawer), focus back where it was.
import { useLayoutEffect, useRef } from 'preact/hooks';

export interface MenuItem {
  label: string;
  run(): void;
  /** A checkbox item: its state. */
  checked?: boolean;
  disabled?: boolean;
}

export interface MenuProps {
  x: number;
  y: number;
  label: string;
  items: (MenuItem | 'sep')[];
  onClose(): void;
  /** Where focus goes when the menu closes (else where it was before). */
  returnFocus?: HTMLElement | null;
}

/** Shifts el (a pop-up) so that it stays inside the window with a margin. */
export function keepInside(el: HTMLElement, margin = 4): void {
  el.style.translate = '';
  const r = el.getBoundingClientRect();
  const shift = (lo: number, hi: number, max: number): number => (lo + Math.min(0, max - margin - hi) < margin ? margin - lo : Math.min(0, max - margin - hi));
  const dx = shift(r.left, r.right, window.innerWidth);
  const dy = shift(r.top, r.bottom, window.innerHeight);
  if (dx || dy) el.style.translate = `${dx}px ${dy}px`;
}

/** Keeps the element of ref inside the window after each render of its component. */
export function useKeepInside(ref: { current: HTMLElement | null }): void {
  useLayoutEffect(() => {
    if (ref.current) keepInside(ref.current);
  });
}

export function Menu({ x, y, label, items, onClose, returnFocus }: MenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const before = useRef<Element | null>(document.activeElement);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    keepInside(el);
    el.querySelector<HTMLElement>('[role^=menuitem]:not([aria-disabled=true])')?.focus();
    const away = (e: Event): void => {
      if (!el.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', away, true);
    window.addEventListener('blur', onClose);
    return () => {
      document.removeEventListener('mousedown', away, true);
      window.removeEventListener('blur', onClose);
    };
  }, []);
  const close = (): void => {
    onClose();
    const to = returnFocus ?? (before.current as HTMLElement | null);
    to?.focus?.();
  };
  const onKey = (e: KeyboardEvent): void => {
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('[role^=menuitem]:not([aria-disabled=true])') ?? [])];
    const i = all.indexOf(document.activeElement as HTMLElement);
    const go = (n: number): void => all[(n + all.length) % all.length]?.focus();
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(all.length - 1);
    else if (e.key === 'Escape' || e.key === 'Tab') close();
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <div ref={ref} class="menu" role="menu" aria-label={label} style={{ left: `${x}px`, top: `${y}px` }} onKeyDown={onKey} onContextMenu={(e) => e.preventDefault()}>
      {items.map((it, i) =>
        it === 'sep' ? (
          <div key={i} class="menu-sep" role="separator" />
        ) : (
          <div
            key={i}
            class="menu-item"
            role={it.checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
            aria-checked={it.checked}
            aria-disabled={it.disabled || undefined}
            tabIndex={-1}
            onClick={() => {
              if (it.disabled) return;
              it.run();
              close();
            }}
            onKeyDown={(e) => {
              if ((e.key === 'Enter' || e.key === ' ') && !it.disabled) {
                e.preventDefault();
                e.stopPropagation();
                it.run();
                close();
              }
            }}
          >
            <span class="menu-check" aria-hidden="true">
              {it.checked ? '✓' : ''}
            </span>
            {it.label}
          </div>
        ),
      )}
    </div>
  );
}
