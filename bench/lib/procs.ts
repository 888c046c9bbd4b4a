// CPU time of a browser's process tree, read from Linux /proc, by process kind.
import { readFileSync, readdirSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

export type ProcKind = 'browser' | 'renderer' | 'extension' | 'gpu' | 'utility' | 'other';

interface ProcInfo {
  ppid: number;
  cpuMs: number;
}

function readStat(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), cpuMs: (Number(f[11]) + Number(f[12])) * TICK_MS };
  } catch {
    return undefined; // exited meanwhile
  }
}

function kindOf(pid: number): ProcKind {
  let cmd: string;
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return 'other';
  }
  const type = /--type=([a-z-]+)/.exec(cmd)?.[1];
  if (type === undefined) return 'browser';
  if (type === 'renderer') return cmd.includes('--extension-process') ? 'extension' : 'renderer';
  if (type === 'gpu-process') return 'gpu';
  if (type === 'utility') return 'utility';
  return 'other';
}

/** CPU ms so far of every live process under `root` (included), keyed by pid. */
export function treeCpu(root: number): Map<number, { kind: ProcKind; cpuMs: number }> {
  const all = new Map<number, ProcInfo>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const info = readStat(pid);
    if (info) all.set(pid, info);
  }
  const out = new Map<number, { kind: ProcKind; cpuMs: number }>();
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 16; p = all.get(p)?.ppid, hops++) {
      if (p === root) return true;
    }
    return false;
  };
  for (const [pid, info] of all) if (inTree(pid)) out.set(pid, { kind: kindOf(pid), cpuMs: info.cpuMs });
  return out;
}

/**
 * CPU ms so far of the main thread of every page renderer under `root` (extension processes excluded),
 * keyed by pid: the kernel's per-thread run time (schedstat, ns), so time the thread waited for a core
 * while other processes ran does not count.
 */
export function rendererMainCpu(root: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const [pid, p] of treeCpu(root)) {
    if (p.kind !== 'renderer') continue;
    try {
      out.set(pid, Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** Main-thread CPU ms of page renderers spent between two snapshots (renderers born in between count from zero). */
export function rendererMainDelta(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, v] of after) ms += v - (before.get(pid) ?? 0);
  return ms;
}

/** CPU ms spent between two snapshots, summed by kind (processes born in between count from zero). */
export function cpuDelta(
  before: Map<number, { kind: ProcKind; cpuMs: number }>,
  after: Map<number, { kind: ProcKind; cpuMs: number }>,
): Record<ProcKind, number> {
  const out: Record<ProcKind, number> = { browser: 0, renderer: 0, extension: 0, gpu: 0, utility: 0, other: 0 };
  for (const [pid, a] of after) out[a.kind] += a.cpuMs - (before.get(pid)?.cpuMs ?? 0);
  return out;
}

/** Waits until the tree uses under `maxShare` of one core over 250 ms, for at most `timeoutMs`. */
export async function waitIdle(root: number, timeoutMs = 5_000, maxShare = 0.05): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const total = (m: Map<number, { cpuMs: number }>): number => [...m.values()].reduce((s, p) => s + p.cpuMs, 0);
  while (Date.now() < deadline) {
    const a = total(treeCpu(root));
    await new Promise((r) => setTimeout(r, 250));
    if (total(treeCpu(root)) - a <= 250 * maxShare) return true;
  }
  return false;
}

/** CPU ms so far (schedstat) of every thread of the processes under `root`, keyed "pid/tid", with its process kind and thread name. */
export function threadCpu(root: number): Map<string, { kind: ProcKind; thread: string; cpuMs: number }> {
  const out = new Map<string, { kind: ProcKind; thread: string; cpuMs: number }>();
  for (const [pid, p] of treeCpu(root)) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const ms = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
        const thread = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        out.set(`${pid}/${tid}`, { kind: p.kind, thread, cpuMs: ms });
      } catch {
        /* exited meanwhile */
      }
    }
  }
  return out;
}
