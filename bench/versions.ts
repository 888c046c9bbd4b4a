// Versions and diffs: the cost of diffing a ~5 KB MESSAGE_SENT pair against one structuredClone of
// it (alternating rounds, medians), and the time to open an item with 1,000 versions (summaries of
// every version, cold, plus the diff of the last pair); and the share of the panel store's ingest of
// 100,000 events that feeding both cores (versions, attachments) costs.
import type { CapturedEvent } from '../src/core/model/event';
import { describeEvent } from '../src/core/spaces/describe';
import { compareVersions, diffPayloads, versionSummaries } from '../src/core/versions/diff';
import { VersionIndex } from '../src/core/versions/history';
import type { JsonValue, SocketPacket } from '../src/core/wire/types';
import { AttachmentTracker } from '../src/core/attachments';
import { PanelStore } from '../src/panel/store/state';
import { generateEvents } from '../test/panel/harness/fake-source';
import { attachment } from './lib/payload';
import { median } from './lib/stats';

const ROUNDS = 21;
const OPENS = 9;

type J = { [key: string]: JsonValue };

/** Version n of a task (seed doc's app.event.task.updated) with 8 attachments: status, body and one conversion move on. */
function taskVersion(n: number): J {
  return {
    _id: '5f084be01015c7ea0129f976',
    category: n === 0 ? 'task' : 'app.event.task.updated',
    content: {
      assignees: [{ _id: '5f04251caa4a347af9946e06' }, { _id: '5ef9b678aa4a347af983c74c' }],
      bodyText: `<p>Review the compressed user actions (revision ${n}) and report back before the sync <b>today</b>.</p>`,
      data: [0, 1, 2, 3, 4, 5, 6, 7].map((i) => attachment(i, i < n % 9 ? 2 : 1)),
      description: '<p>Please check the attached files and update the task status when done.</p>',
      dueDate: '2020-07-10T11:06:59.733Z',
      endTime: null,
      mediaMode: 'audio',
      meetingStatus: 'active',
      recordings: [],
      startTime: '2020-07-10T11:07:12.284Z',
      status: n % 2 ? 'complete' : 'pending',
      virtualEndTime: null,
    },
    messageId: '5f084be01015c7ea0129f976',
    modified: new Date(Date.UTC(2020, 6, 10, 11, 0, n)).toISOString(),
    sender: { _id: '5f04251caa4a347af9946e06', displayname: 'Test user', picture_url: '', type: 'user', username: '' },
    topicId: '5f0425254b3cd61ae416fa5f',
  };
}

function captured(seq: number, payload: J): CapturedEvent {
  const packet: SocketPacket = { type: 'EVENT', nsp: '/chat', event: 'MESSAGE_SENT', args: [payload] };
  const text = `42/chat,${JSON.stringify(['MESSAGE_SENT', payload])}`;
  return {
    seq,
    record: { kind: 'socket', conn: 1, t: seq, dir: 'in', transport: 'websocket', raw: { text, length: text.length, truncated: false }, packet },
    spaces: describeEvent(packet, 'in'),
  };
}


let sink = 0;

/** Seconds per call of each function, per round; each round runs both in turn (order alternating). */
function compare(fs: (() => void)[], calls: number, rounds = ROUNDS): number[][] {
  const samples: number[][] = fs.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < fs.length; k++) {
      const i = (k + r) % fs.length;
      const f = fs[i] as () => void;
      const t0 = performance.now();
      for (let c = 0; c < calls; c++) f();
      (samples[i] as number[]).push((performance.now() - t0) / 1000 / calls);
    }
  }
  return samples;
}

export default function run(): void {
  const a = taskVersion(1);
  const b = taskVersion(2);
  const kb = JSON.stringify(a).length / 1024;
  const check = diffPayloads(a, b).changes.map((c) => c.path).join(', ');
  if (!check.includes('convertStatus')) throw new Error(`bench pair does not diff as expected: ${check}`);
  const diff = (): void => {
    sink += diffPayloads(a, b).changes.length;
  };
  const clone = (): void => {
    sink += Object.keys(structuredClone(a)).length;
  };
  for (let i = 0; i < 200; i++) {
    diff();
    clone();
  }
  const [sDiff, sClone] = compare([diff, clone], 200) as [number[], number[]];
  const ratio = median(sDiff.map((x, i) => x / (sClone[i] as number)));
  console.log(
    `diff ${kb.toFixed(1)}KB pair: ${(median(sDiff) * 1e6).toFixed(0)} us vs structuredClone ${(median(sClone) * 1e6).toFixed(0)} us  ratio ${ratio.toFixed(1)}`,
  );

  const payloads = Array.from({ length: 1000 }, (_, n) => taskVersion(n));
  const cold: number[] = [];
  const warm: number[] = [];
  for (let r = 0; r < OPENS; r++) {
    const index = new VersionIndex();
    payloads.forEach((p, n) => index.add(captured(n + 1, p)));
    const item = index.get('item:5f084be01015c7ea0129f976');
    if (!item || item.versions.length !== 1000) throw new Error('bench item does not hold 1,000 versions');
    for (const times of [cold, warm]) {
      const t0 = performance.now();
      sink += versionSummaries(item).length;
      sink += compareVersions(item, 998, 999).changes.length;
      times.push(performance.now() - t0);
    }
  }
  const ms = median(cold);
  console.log(
    `open item with 1,000 versions: ${ms.toFixed(0)} ms (target < 100 ms)  ${ms < 100 ? 'OK' : 'MISS'}  (again, summaries cached: ${median(warm).toFixed(1)} ms)`,
  );

  // The panel store feeds both cores as it appends: their share of its ingest, side by side per round.
  const events = generateEvents(100_000, 7, 500);
  const ingest = (): void => {
    const store = new PanelStore({ max: 100_000 });
    store.receive(events, false);
    sink += store.total;
  };
  const cores = (): void => {
    const index = new VersionIndex();
    const tracker = new AttachmentTracker();
    for (const ev of events) {
      index.add(ev);
      tracker.add(ev);
    }
    sink += index.stats().versions + tracker.files().length;
  };
  // CPU time of this process (not wall time, which other processes on a shared machine inflate).
  const cpu = (f: () => void): number => {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  ingest();
  cores();
  const sIngest: number[] = [];
  const sCores: number[] = [];
  for (let r = 0; r < 7; r++) {
    if (r % 2) sCores.push(cpu(cores));
    sIngest.push(cpu(ingest));
    if (!(r % 2)) sCores.push(cpu(cores));
  }
  const share = median(sCores.map((x, i) => x / (sIngest[i] as number)));
  const probe = new PanelStore({ max: 100_000 });
  probe.receive(events, false);
  const st = probe.versions.stats();
  console.log(
    `panel store ingest of 100,000 events: ${median(sIngest).toFixed(0)} ms CPU, of which versions + attachments ${median(sCores).toFixed(0)} ms  share ${(share * 100).toFixed(0)}%  (${st.items} items, ${st.versions} versions, ${probe.attachments.files().length} files kept)`,
  );
  if (sink === 0) console.log('(nothing diffed)');
}
