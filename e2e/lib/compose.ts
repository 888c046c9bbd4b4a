// Driving the composer in the Spaces panel (views/compose) from a test, as a person does: the in-panel
// functions are sent as source text (Playwright frame in Chromium, frame script in Firefox), so they use
// nothing from their closure.
export interface ComposeInput {
  event: string;
  payload: string;
  /** Namespace to pick (default: the composer's choice). */
  nsp?: string;
}

/** Opens the composer, fills it and clicks Emit; returns what could not be done ('' when it was clicked). */
export async function composeAndEmit(win: Window, input: ComposeInput): Promise<string> {
  const doc = win.document;
  const frame = (): Promise<void> => new Promise((r) => win.requestAnimationFrame(() => win.requestAnimationFrame(() => r())));
  if (!doc.querySelector('.composer')) (doc.querySelector('.compose-btn') as HTMLButtonElement | null)?.click();
  for (let i = 0; i < 50 && !doc.querySelector('.composer .composer-send'); i++) await frame();
  const set = (el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null, value: string, type: string): boolean => {
    if (!el) return false;
    el.value = value;
    el.dispatchEvent(new (win as unknown as typeof globalThis).Event(type, { bubbles: true }));
    return true;
  };
  if (!set(doc.querySelector<HTMLInputElement>('.composer-event'), input.event, 'input')) return 'no event input';
  await frame();
  if (input.nsp && !set(doc.querySelector<HTMLSelectElement>('.composer select[aria-label=Namespace]'), input.nsp, 'change')) return 'no namespace select';
  await frame();
  if (!set(doc.querySelector<HTMLTextAreaElement>('.composer-payload'), input.payload, 'input')) return 'no payload';
  await frame();
  const send = doc.querySelector<HTMLButtonElement>('.composer-send');
  if (!send || send.disabled) return `Emit disabled: ${doc.querySelector('.composer')?.textContent ?? ''}`;
  send.click();
  return '';
}

/** The composer's result line ('' while none). */
export function composeResult(win: Window): string {
  return win.document.querySelector('.composer-result')?.textContent ?? '';
}

export interface MarkedRow {
  event: string;
  summary: string;
  fromPanel: boolean;
}

/** The rows the list renders now (the last ones: the list follows the newest), with the panel's mark. */
export function renderedRows(win: Window): MarkedRow[] {
  return Array.from(win.document.querySelectorAll('[role=grid] [role=row][aria-rowindex]'))
    .filter((r) => !r.querySelector('[role=columnheader]'))
    .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
    .map((r) => {
      const cells = Array.from(r.querySelectorAll('[role=gridcell]'));
      return { event: (cells[2]?.getAttribute('title') ?? '').split(':')[0]!, summary: (cells[7]?.textContent ?? '').trim(), fromPanel: r.classList.contains('from-panel') };
    });
}

/** Opens the context menu of the first row of `event` the page sent, and clicks `item`. */
export async function rowMenu(win: Window, args: [string, string]): Promise<string> {
  const [event, item] = args;
  const doc = win.document;
  const frame = (): Promise<void> => new Promise((r) => win.requestAnimationFrame(() => win.requestAnimationFrame(() => r())));
  const grid = doc.querySelector('[role=grid]');
  let scroller: HTMLElement | null = grid?.querySelector('[role=rowgroup]') ?? null;
  while (scroller && !(scroller.scrollHeight > scroller.clientHeight && win.getComputedStyle(scroller).overflowY !== 'visible')) scroller = scroller.parentElement;
  // The page's sends of this kind may be above the rows shown: from the top down until one is.
  const find = (): HTMLElement[] =>
    Array.from(doc.querySelectorAll<HTMLElement>('[role=grid] [role=row][aria-rowindex]')).filter(
      (r) => !r.classList.contains('from-panel') && r.classList.contains('dir-out') && (r.querySelectorAll('[role=gridcell]')[2]?.getAttribute('title') ?? '').split(':')[0] === event,
    );
  if (scroller) scroller.scrollTop = 0;
  await frame();
  while (scroller && find().length === 0 && scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
    scroller.scrollTop += Math.max(20, scroller.clientHeight / 2);
    await frame();
  }
  const rows = find();
  const row = rows[0];
  if (!row) return `no ${event} row`;
  const cell = row.querySelector('[role=gridcell]') as HTMLElement;
  const r = cell.getBoundingClientRect();
  cell.dispatchEvent(new (win as unknown as typeof globalThis).MouseEvent('mousedown', { bubbles: true, clientX: r.left + 2, clientY: r.top + 2 }));
  cell.dispatchEvent(new (win as unknown as typeof globalThis).MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: r.left + 2, clientY: r.top + 2 }));
  for (let i = 0; i < 50 && !doc.querySelector('.menu'); i++) await new Promise((res) => win.requestAnimationFrame(() => res(undefined)));
  const entry = Array.from(doc.querySelectorAll<HTMLElement>('.menu [role=menuitem]')).find((m) => m.textContent?.trim() === item);
  if (!entry) return `no menu item ${item}: ${doc.querySelector('.menu')?.textContent ?? 'no menu'}`;
  entry.click();
  // Back to the newest rows: the list follows them again.
  await frame();
  if (scroller) scroller.scrollTop = scroller.scrollHeight;
  await frame();
  return '';
}

/**
 * Runs in the page's own world: forges every message it can reach toward the emit path (the hook's and
 * relay's DOM events with its own ports, messages on them, window messages, the relay-ready event so that
 * a hook would hand its port again, and the extension's runtime if the page could reach it). Returns
 * what it tried.
 */
export function forgeEmits(args: { packet: string; hookPortEvent: string; relayReadyEvent: string }): string[] {
  const tried: string[] = [];
  const forged = [
    { type: 'relay/emit', key: '', id: 1, c: 1, packet: args.packet },
    { type: 'relay/emit', id: 2, c: 1, packet: args.packet },
    { type: 'relay/key', key: 'f'.repeat(48) },
    { type: 'relay/emit', key: 'f'.repeat(48), id: 3, c: 1, packet: args.packet },
    { type: 'bg/emit', id: 4, c: 1, packet: args.packet },
    { type: 'panel/emit', id: 5, conn: 1, packet: args.packet },
  ];
  // Listen in where the hook's channel could leak: the port's onmessage setter (its handler), the
  // messages' data getter (the relay's key) and the channel's port getters.
  const leaks: string[] = [];
  const handlers: ((ev: MessageEvent) => void)[] = [];
  const onmsg = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage')!;
  Object.defineProperty(MessagePort.prototype, 'onmessage', { ...onmsg, set(fn) { handlers.push(fn); leaks.push('a port handler'); onmsg.set!.call(this, fn); } });
  const data = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data')!;
  Object.defineProperty(MessageEvent.prototype, 'data', { ...data, get() { const v = data.get!.call(this); if (JSON.stringify(v ?? null).includes('relay/')) leaks.push('a relay message'); return v; } });
  const p1 = Object.getOwnPropertyDescriptor(MessageChannel.prototype, 'port1')!;
  Object.defineProperty(MessageChannel.prototype, 'port1', { ...p1, get() { leaks.push('a channel port'); return p1.get!.call(this); } });
  // Ports the page may get hold of: any port a forged hand-over carries, and any the hook or relay hand.
  const caught: MessagePort[] = [];
  window.addEventListener(args.hookPortEvent, (e) => caught.push(...((e as MessageEvent).ports ?? [])), true);
  for (let i = 0; i < 3; i++) {
    const ch = new MessageChannel();
    ch.port1.onmessage = (e) => {
      // The relay answers a forged hand-over: try the emit path on it, with whatever it says.
      for (const m of forged) ch.port1.postMessage(m);
      tried.push(`relay answered a forged port: ${JSON.stringify(e.data).slice(0, 80)}`);
    };
    window.dispatchEvent(new MessageEvent(args.hookPortEvent, { ports: [ch.port2] }));
    tried.push('hook-port event with a page port');
  }
  window.dispatchEvent(new Event(args.relayReadyEvent));
  tried.push('relay-ready event');
  for (const m of forged) {
    window.postMessage(m, '*');
    window.dispatchEvent(new CustomEvent(args.hookPortEvent, { detail: m }));
    window.dispatchEvent(new CustomEvent(args.relayReadyEvent, { detail: m }));
    document.dispatchEvent(new CustomEvent('spaces-devtools:emit', { detail: m }));
  }
  tried.push('window messages and custom events');
  for (const p of caught) for (const m of forged) p.postMessage(m);
  tried.push(`posted on ${caught.length} caught ports`);
  // A handler that is not one of the page's own would be the hook's: call it with the forgeries.
  for (const h of handlers.slice(3)) for (const m of forged) h.call(null, new MessageEvent('message', { data: m }));
  Object.defineProperty(MessagePort.prototype, 'onmessage', onmsg);
  Object.defineProperty(MessageEvent.prototype, 'data', data);
  Object.defineProperty(MessageChannel.prototype, 'port1', p1);
  // Only the page's own channels may have shown up (the three forged hand-overs above: 3 ports, 3 handlers).
  tried.push(`leaks: ${leaks.filter((l) => l !== 'a channel port' && l !== 'a port handler').join(', ') || 'none'}; handlers ${handlers.length}, ports ${leaks.filter((l) => l === 'a channel port').length}`);
  const rt = (globalThis as { chrome?: { runtime?: { sendMessage?: (...a: unknown[]) => unknown } } }).chrome?.runtime;
  if (rt?.sendMessage) {
    for (const m of forged) {
      try {
        rt.sendMessage(m);
      } catch {
        /* not reachable */
      }
    }
    tried.push('chrome.runtime.sendMessage');
  }
  return tried;
}

/** Turns the toolbar's Trace setting on or off; returns whether the checkbox was there. */
export function setTrace(win: Window, on: boolean): boolean {
  const box = win.document.querySelector<HTMLInputElement>('.trace-toggle');
  if (!box) return false;
  if (box.checked !== on) box.click();
  return true;
}

/**
 * Selects each row of `event` the page sent (at most 20, from the top) and returns the trace lines of
 * those whose detail shows one.
 */
export async function tracesOf(win: Window, event: string): Promise<string[][]> {
  const doc = win.document;
  const frame = (): Promise<void> => new Promise((r) => win.requestAnimationFrame(() => win.requestAnimationFrame(() => r())));
  const grid = doc.querySelector('[role=grid]');
  let scroller: HTMLElement | null = grid?.querySelector('[role=rowgroup]') ?? null;
  while (scroller && !(scroller.scrollHeight > scroller.clientHeight && win.getComputedStyle(scroller).overflowY !== 'visible')) scroller = scroller.parentElement;
  const seen = new Set<string>();
  const traces: string[][] = [];
  if (scroller) scroller.scrollTop = 0;
  for (;;) {
    await frame();
    const rows = Array.from(doc.querySelectorAll<HTMLElement>('[role=grid] [role=row][aria-rowindex].dir-out')).filter(
      (r) => !r.classList.contains('from-panel') && (r.querySelectorAll('[role=gridcell]')[2]?.getAttribute('title') ?? '').split(':')[0] === event,
    );
    for (const row of rows) {
      const at = row.getAttribute('aria-rowindex') ?? '';
      if (seen.has(at) || seen.size >= 20) continue;
      seen.add(at);
      row.querySelector('[role=gridcell]')?.dispatchEvent(new (win as unknown as typeof globalThis).MouseEvent('mousedown', { bubbles: true }));
      await frame();
      const lines = Array.from(doc.querySelectorAll('.detail .trace li')).map((li) => (li.textContent ?? '').trim());
      if (lines.length) traces.push(lines);
    }
    if (!scroller || seen.size >= 20 || scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) break;
    scroller.scrollTop += Math.max(20, scroller.clientHeight / 2);
  }
  return traces;
}
