// The problems the panel knows, as a registry of kinds: each counts its problems and tells whether an
// event shows one. "Only problems" shows the events of every kind (or of the one kind a person picked in
// the toolbar's problems count); the count names each kind. Pure.
//
// Adding a kind is one entry in PROBLEM_KINDS (or registerProblemKind at start-up):
//
//   {
//     id: 'conn-abnormal-close',            // stable: filters and prefs name it
//     label: (n) => plural(n, 'abnormal close', 'abnormal closes'),
//     count: (ctx) => …,                    // how many now (O(1) or cached: called on every render)
//     has: (ev, ctx) => …,                  // does this event show one (O(1): called per event by the filter)
//     view: 'events',                       // where a click on it leads (default: the event list, filtered to it)
//   }
//
// `ctx` (ProblemContext) holds the sources kinds read: the send outcomes, the incremental counts of
// per-event problems (EventProblems), the attachment problems at the panel's clock (FileProblems). A
// kind whose facts live elsewhere (connections) adds its own source to the context.
import type { CapturedEvent } from '../../core/model/event';
import { problemsOf, type AttachmentTracker, type Problem } from '../../core/attachments';
import type { SendOutcomes } from '../../core/spaces/outcomes';
import type { ConnectionTracker } from '../../core/connections/model';
import { connectionProblems, type ConnectionProblemKind } from '../../core/connections/problems';

export interface ProblemContext {
  sends: SendOutcomes;
  events: EventProblems;
  files: FileProblems;
  connections: ConnectionProblems;
}

export interface ProblemKind {
  /** Stable id: the filter and the prefs name it. */
  id: string;
  /** "2 failed sends". */
  label(n: number): string;
  /** How many there are now. */
  count(ctx: ProblemContext): number;
  /** Whether this event shows one. */
  has(ev: CapturedEvent, ctx: ProblemContext): boolean;
  /** Where a click leads: the event list filtered to this kind (default), or another view that lists them. */
  view?: 'events' | 'attachments';
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** Per-event problems, counted as events come and go (O(1) each). */
export class EventProblems {
  decode = 0;
  schema = 0;
  subscribeFailed = 0;
  add(ev: CapturedEvent, d = 1): void {
    if (ev.record.kind === 'error') this.decode += d;
    const s = ev.spaces;
    if (!s) return;
    if (s.issues.length) this.schema += d;
    if (s.event === 'SUBSCRIBE_CHANNEL_FAILED') this.subscribeFailed += d;
  }
  remove(ev: CapturedEvent): void {
    this.add(ev, -1);
  }
  clear(): void {
    this.decode = this.schema = this.subscribeFailed = 0;
  }
}

/** Attachment problems at a clock: seqs of the events that show each kind, rebuilt only when tracker, clock or threshold moved. */
export class FileProblems {
  private byKind = new Map<Problem['kind'], Set<number>>();
  private key = '';
  /** Whether the sets changed on the last refresh. */
  refresh(tracker: AttachmentTracker, now: number, stuckAfterMs: number): boolean {
    const key = `${tracker.revision}|${now}|${stuckAfterMs}`;
    if (key === this.key) return false;
    this.key = key;
    const next = new Map<Problem['kind'], Set<number>>();
    for (const f of tracker.files()) {
      for (const p of problemsOf(f, now, { stuckAfterMs })) {
        let s = next.get(p.kind);
        if (!s) next.set(p.kind, (s = new Set()));
        s.add(p.seq);
      }
    }
    const same = next.size === this.byKind.size && [...next].every(([k, s]) => this.byKind.get(k)?.size === s.size && [...s].every((x) => this.byKind.get(k)!.has(x)));
    this.byKind = next;
    return !same;
  }
  count(kind: Problem['kind']): number {
    return this.byKind.get(kind)?.size ?? 0;
  }
  has(kind: Problem['kind'], seq: number): boolean {
    return this.byKind.get(kind)?.has(seq) ?? false;
  }
  clear(): void {
    this.byKind.clear();
    this.key = '';
  }
}

/** Connection problems (src/core/connections/problems.ts) by kind: how many, and the seqs they point at; rebuilt when the tracker moved. */
export class ConnectionProblems {
  private byKind = new Map<ConnectionProblemKind, { n: number; seqs: Set<number> }>();
  private from: ConnectionTracker | undefined;
  private key = '';
  /** The panel's clock (live: the wall clock; a log: its newest event): an ongoing gap or a missing re-subscription shows without new events. */
  private now = 0;
  constructor(private readonly tracker: () => ConnectionTracker) {}
  /** The clock moved: whether the problems changed. */
  refresh(now: number): boolean {
    const before = this.signature();
    this.now = now;
    return this.signature() !== before;
  }
  private signature(): string {
    return [...this.kinds()].map(([k, v]) => `${k}:${v.n}:${v.seqs.size}`).join('|');
  }
  private kinds(): Map<ConnectionProblemKind, { n: number; seqs: Set<number> }> {
    const t = this.tracker();
    const now = Math.max(this.now, t.latest);
    const key = `${t.problemRev}|${now}`;
    if (t === this.from && key === this.key) return this.byKind;
    this.from = t;
    this.key = key;
    this.byKind = new Map();
    for (const p of connectionProblems(t, now)) {
      let k = this.byKind.get(p.kind);
      if (!k) this.byKind.set(p.kind, (k = { n: 0, seqs: new Set() }));
      k.n++;
      if (p.seq !== undefined) k.seqs.add(p.seq);
    }
    return this.byKind;
  }
  count(kind: ConnectionProblemKind): number {
    return this.kinds().get(kind)?.n ?? 0;
  }
  has(kind: ConnectionProblemKind, seq: number): boolean {
    return this.kinds().get(kind)?.seqs.has(seq) ?? false;
  }
}

const connectionKind = (kind: ConnectionProblemKind, one: string, many: string): ProblemKind => ({
  id: `conn-${kind}`,
  label: (n) => plural(n, one, many),
  count: (ctx) => ctx.connections.count(kind),
  has: (ev, ctx) => ctx.connections.has(kind, ev.seq),
});

const fileKind = (kind: Problem['kind'], one: string, many: string): ProblemKind => ({
  id: `file-${kind.replace(/ /g, '-')}`,
  label: (n) => plural(n, one, many),
  count: (ctx) => ctx.files.count(kind),
  has: (ev, ctx) => ctx.files.has(kind, ev.seq),
});

export const PROBLEM_KINDS: ProblemKind[] = [
  {
    id: 'send-failed',
    label: (n) => plural(n, 'failed send', 'failed sends'),
    count: (ctx) => ctx.sends.counts().failed,
    has: (ev, ctx) => ev.spaces?.event === 'SEND_MESSAGE_FAILED' || ctx.sends.get(ev.seq)?.state === 'failed',
  },
  {
    id: 'send-unanswered',
    label: (n) => `${n} unanswered`,
    count: (ctx) => ctx.sends.counts().unanswered,
    has: (ev, ctx) => ctx.sends.get(ev.seq)?.state === 'unanswered',
  },
  {
    id: 'subscribe-failed',
    label: (n) => plural(n, 'failed subscription', 'failed subscriptions'),
    count: (ctx) => ctx.events.subscribeFailed,
    has: (ev) => ev.spaces?.event === 'SUBSCRIBE_CHANNEL_FAILED',
  },
  {
    id: 'schema',
    label: (n) => `${n} schema`,
    count: (ctx) => ctx.events.schema,
    has: (ev) => (ev.spaces?.issues.length ?? 0) > 0,
  },
  {
    id: 'decode',
    label: (n) => plural(n, 'decode error', 'decode errors'),
    count: (ctx) => ctx.events.decode,
    has: (ev) => ev.record.kind === 'error',
  },
  // a refused subscription is 'subscribe-failed' above
  connectionKind('abnormal-close', 'abnormal socket close', 'abnormal socket closes'),
  connectionKind('ping-gap', 'heartbeat gap', 'heartbeat gaps'),
  connectionKind('subscription-lost', 'subscription lost', 'subscriptions lost'),
  connectionKind('not-resubscribed', 'not re-subscribed after reconnect', 'not re-subscribed after reconnect'),
  connectionKind('unsubscribed-message', 'MESSAGE_SENT without subscription', 'MESSAGE_SENT without subscription'),
  fileKind('failed', 'file failed', 'files failed'),
  fileKind('retrying', 'file retrying', 'files retrying'),
  fileKind('stuck', 'file stuck', 'files stuck'),
  fileKind('backwards', 'file went backwards', 'files went backwards'),
  fileKind('unknown status', 'unknown file status', 'unknown file statuses'),
  fileKind('disappeared', 'file disappeared', 'files disappeared'),
  fileKind('out of order', 'file version out of order', 'file versions out of order'),
];

/** Adds a kind (another part of the panel's, e.g. connections); one with the same id is replaced. */
export function registerProblemKind(kind: ProblemKind): void {
  const i = PROBLEM_KINDS.findIndex((k) => k.id === kind.id);
  if (i >= 0) PROBLEM_KINDS[i] = kind;
  else PROBLEM_KINDS.push(kind);
}

export const problemKind = (id: string): ProblemKind | undefined => PROBLEM_KINDS.find((k) => k.id === id);

/** Whether the event shows a problem of this kind, or of any kind (null). */
export function hasProblem(ev: CapturedEvent, ctx: ProblemContext, kind: string | null): boolean {
  if (kind !== null) return problemKind(kind)?.has(ev, ctx) ?? false;
  return PROBLEM_KINDS.some((k) => k.has(ev, ctx));
}

export interface ProblemCount {
  id: string;
  count: number;
  /** "2 failed sends". */
  text: string;
  view: 'events' | 'attachments';
}

/** The kinds with problems now, in registry order. */
export function problemCounts(ctx: ProblemContext): ProblemCount[] {
  const out: ProblemCount[] = [];
  for (const k of PROBLEM_KINDS) {
    const n = k.count(ctx);
    if (n > 0) out.push({ id: k.id, count: n, text: k.label(n), view: k.view ?? 'events' });
  }
  return out;
}
