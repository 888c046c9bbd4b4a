// What is wrong with a file's conversion at a given time, badges for a topic or a message row, and the
// time spent in each status. `now` is injected (epoch ms) so views and tests agree on the clock.
import { sameStatus, type ConvertStatus } from './status';
import { timeOf, type AttachmentFile, type Seen, type StatusTime } from './tracker';

export interface ProblemOptions {
  /** A file in progress (1) for longer than this is stuck. */
  stuckAfterMs?: number;
}

export const DEFAULT_STUCK_AFTER_MS = 120_000;

export type Problem =
  | { kind: 'failed'; seq: number; reason?: string; text: string }
  | { kind: 'retrying'; seq: number; nextSchedule?: string; text: string }
  | { kind: 'stuck'; seq: number; since: number; forMs: number; text: string }
  | { kind: 'backwards'; seq: number; from: ConvertStatus; to: ConvertStatus; text: string }
  | { kind: 'unknown status'; seq: number; status: ConvertStatus; text: string }
  | { kind: 'disappeared'; seq: number; itemId: string; text: string }
  | { kind: 'out of order'; seq: number; modified: string; latest: string; text: string };

/** "45 s", "3 min 5 s", "2 h 4 min". */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

/**
 * In progress (1) for longer than the threshold, on the panel's one clock: since the version that first
 * carried 1 in this run was seen (a log: its event time), as "time in status" counts. The server's
 * convertStart is another clock: convertStartSkew shows it beside.
 */
function stuckOf(file: AttachmentFile, now: number, stuckAfterMs: number): Extract<Problem, { kind: 'stuck' }> | undefined {
  const since = file.statusSince;
  if (file.status?.code !== 1 || !since || file.itemRemoved) return undefined;
  const forMs = now - since.t;
  if (forMs <= stuckAfterMs) return undefined;
  return { kind: 'stuck', seq: since.seq, since: since.t, forMs, text: `in progress for ${humanDuration(forMs)} (since its status was seen)` };
}

/** Every problem of one file at `now`, current ones first. */
export function problemsOf(file: AttachmentFile, now: number, opts: ProblemOptions = {}): Problem[] {
  const stuckAfterMs = opts.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS;
  const out: Problem[] = [];
  const seq = file.statusSince?.seq ?? file.last.seq;
  if (file.status?.code === 3) {
    const p: Problem = { kind: 'failed', seq, text: file.convertFailed ? `failed: ${file.convertFailed}` : 'failed' };
    if (file.convertFailed !== undefined) p.reason = file.convertFailed;
    out.push(p);
  }
  if (file.status?.code === 4) {
    const p: Problem = { kind: 'retrying', seq, text: file.nextSchedule ? `failed, retrying at ${file.nextSchedule}` : 'failed, retrying' };
    if (file.nextSchedule !== undefined) p.nextSchedule = file.nextSchedule;
    out.push(p);
  }
  const stuck = stuckOf(file, now, stuckAfterMs);
  if (stuck) out.push(stuck);
  if (file.missing) {
    const { seq: at, itemId } = file.missing;
    out.push({ kind: 'disappeared', seq: at, itemId, text: `no longer in a later version of its item ${itemId}` });
  }
  for (const tr of file.backwards) {
    out.push({ kind: 'backwards', seq: tr.seq, from: tr.from, to: tr.to, text: `went backwards: ${tr.from.label} → ${tr.to.label}` });
  }
  for (const u of file.unknownCodes) {
    out.push({ kind: 'unknown status', seq: u.seq, status: u.status, text: `convertStatus ${u.status.label}` });
  }
  for (const o of file.outOfOrder) {
    out.push({ kind: 'out of order', seq: o.seq, modified: o.modified, latest: o.latest, text: `ignored an older version (modified ${o.modified}, latest ${o.latest})` });
  }
  return out;
}

export interface Badge {
  converting: number;
  failed: number;
  retrying: number;
  stuck: number;
  /** e.g. "2 converting · 1 failed"; empty when all are zero. */
  text: string;
}

/** Whether two badges (or their absence) show the same. */
export function sameBadge(a: Badge | undefined, b: Badge | undefined): boolean {
  return a === b || (!!a && !!b && a.text === b.text && a.converting === b.converting && a.failed === b.failed && a.retrying === b.retrying && a.stuck === b.stuck);
}

/**
 * Counts for a topic or a message row. Only files still attached count (not missing, item not
 * removed). Converting: not started (0) or in progress (1) and not stuck.
 */
export function badgeFor(files: Iterable<AttachmentFile>, now: number, opts: ProblemOptions = {}): Badge {
  const stuckAfterMs = opts.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS;
  const b: Badge = { converting: 0, failed: 0, retrying: 0, stuck: 0, text: '' };
  for (const f of files) {
    if (f.missing || f.itemRemoved || !f.status?.known) continue;
    const code = f.status.code;
    if (code === 3) b.failed += 1;
    else if (code === 4) b.retrying += 1;
    else if (code === 1 && stuckOf(f, now, stuckAfterMs)) b.stuck += 1;
    else if (code === 0 || code === 1) b.converting += 1;
  }
  const parts: string[] = [];
  if (b.converting) parts.push(`${b.converting} converting`);
  if (b.stuck) parts.push(`${b.stuck} stuck`);
  if (b.retrying) parts.push(`${b.retrying} retrying`);
  if (b.failed) parts.push(`${b.failed} failed`);
  b.text = parts.join(' · ');
  return b;
}

/**
 * The server's convertStart beside when the current status was seen (the panel's clock; a log: its
 * event time): skewMs > 0 when convertStart is earlier. Undefined without a readable convertStart.
 */
export function convertStartSkew(file: AttachmentFile): { convertStart: number; seenAt: number; skewMs: number } | undefined {
  const start = timeOf(file.convertStart);
  const seen = file.statusSince?.t;
  if (start === undefined || seen === undefined) return undefined;
  return { convertStart: start, seenAt: seen, skewMs: seen - start };
}

/** Time spent in each status up to `now`, the current run included (event time). */
export function timeInStatus(file: AttachmentFile, now: number): StatusTime[] {
  const out = file.spent.map((s) => ({ status: s.status, ms: s.ms }));
  const { status, statusSince } = file;
  if (status && statusSince) {
    const open = Math.max(0, now - statusSince.t);
    const same = out.find((s) => sameStatus(s.status, status));
    if (same) same.ms += open;
    else out.push({ status, ms: open });
  }
  return out;
}
