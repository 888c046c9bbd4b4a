// The panel's widths: below NARROW the sidebar overlays the list (closed unless asked for); below STACK_BELOW
// (beside the sidebar) the detail opens under the list; below
// COMPACT the toolbar's least-used controls go into its overflow menu.
import { useEffect, useState } from 'preact/hooks';

export const NARROW = 800;
export const COMPACT = 1200;
/** The sidebar's width beside the list. */
export const SIDE_W = 240;
/** The detail opens under the list when the list and the detail have less than this beside the sidebar. */
export const STACK_BELOW = 760;

/** The window's width, followed as DevTools is resized. */
export function useWindowWidth(): number {
  const [w, setW] = useState(window.innerWidth);
  useEffect(() => {
    const on = (): void => setW(window.innerWidth);
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return w;
}

/** While open, a press outside the elements matching `inside` closes (an overflow menu, an overlaid sidebar). */
export function useDismiss(open: boolean, close: () => void, inside: string): void {
  useEffect(() => {
    if (!open) return;
    const away = (e: Event): void => {
      if (!(e.target instanceof Element) || !e.target.closest(inside)) close();
    };
    document.addEventListener('mousedown', away, true);
    return () => document.removeEventListener('mousedown', away, true);
  }, [open, inside]);
}
