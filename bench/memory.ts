// The panel store's memory, in Node: load-generator events (MESSAGE_SENT with edits and attachments, as the
// soak sends them) of about 0.4, 1 and 5 KB decoded by the capture core, handed over in batches of 500 as
// structured clones (as a port delivers them), 2.4× the store's default count bound of them. Prints the heap the
// store retains after a full GC against its memory bound, and heldBytes' estimate against the measured
// bytes per event.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadMessage } from '../simulator/server';
import { TabCapture } from '../src/core/model/capture';
import type { CapturedEvent } from '../src/core/model/event';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_EVENTS, PanelStore, heldBytes } from '../src/panel/store/state';
import { count, verdict } from './lib/stats';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1048576;
};

const MAX = DEFAULT_MAX_EVENTS;
const MAX_BYTES = DEFAULT_MAX_BYTES;

function measure(size: number): void {
  const capture = new TabCapture({});
  const conns = [{ c: 1, url: 'wss://spaces.example/socket.io/?EIO=3&transport=websocket&token=SECRET', transport: 'websocket' as const }];
  let seq = 1;
  const numbered = (us: ReturnType<TabCapture['ingest']>): CapturedEvent[] => us.map((u) => ({ ...u, seq: seq++ }) as CapturedEvent);
  const before = heapMb();
  const store = new PanelStore({ max: MAX, maxBytes: MAX_BYTES });
  store.receive(numbered(capture.ingest('p1', conns, [{ c: 1, t: 1, d: 'in', x: '0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":5000}' }, { c: 1, t: 2, d: 'in', x: '40/chat,' }], seq)), false);
  const n = Math.round(MAX * 2.4);
  let estimate = 0;
  for (let i = 1; i <= n; i += 500) {
    const frames = [];
    for (let j = i; j < i + 500 && j <= n; j++) frames.push({ c: 1, t: j, d: 'in' as const, x: `42/chat,${JSON.stringify(['MESSAGE_SENT', loadMessage(j, size, true)])}` });
    const batch = numbered(capture.ingest('p1', conns, frames, seq));
    store.receive(structuredClone(batch), false);
    store.warmSearch(() => true);
  }
  for (const ev of store.heldEvents()) estimate += heldBytes(ev);
  const used = heapMb() - before;
  const per = (used * 1048576) / store.total;
  console.log(
    `panel store, ${count(n)} events of ~${count(size)} B: holds ${count(store.total)} (dropped ${count(store.dropped)}), retains ${used.toFixed(1)} MB ` +
      `for a bound of ${MAX_BYTES / 1048576} MB  ${verdict(used <= MAX_BYTES / 1048576)}; ${count(per)} B per event, heldBytes says ${count(estimate / store.total)} (ratio ${(estimate / store.total / per).toFixed(2)})`,
  );
}

export default function run(): void {
  for (const size of [400, 1000, 5000]) measure(size);
}
