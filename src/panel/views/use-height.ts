// The client height of an element, followed as it resizes: a virtualized view renders what fits in it.
import { useEffect, useState } from 'preact/hooks';

export function useClientHeight(ref: { current: HTMLElement | null }, initial = 400): number {
  const [height, setHeight] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, [ref]);
  return height;
}
