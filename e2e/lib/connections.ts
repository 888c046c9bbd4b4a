// Reading the panel's Connections view from a test (Chromium and Firefox alike: plain DOM reads).
import assert from 'node:assert/strict';
import type { PanelFrame } from './panel';

export interface ConnRow {
  socket: string;
  state: string;
  endpoint: string;
  transport: string;
  generation: string;
  closed: string;
  ping: string;
  gaps: string;
}

export interface SubRow {
  socket: string;
  channel: string;
  state: string;
  reason: string;
}

export interface ConnectionsShown {
  conns: ConnRow[];
  subs: SubRow[];
  problems: string[];
}

/**
 * Runs in the panel's window: the Connections view's tables and problems, as text. Nothing from its
 * closure: it is sent as text (Firefox's frame script, Chromium's evaluate).
 */
export function connectionsIn(win: Window): ConnectionsShown {
  const document = win.document;
  const cells = (tr: Element) => Array.from(tr.querySelectorAll('th, td')).map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim());
  {
    const conns = Array.from(document.querySelectorAll('.conn-table tbody tr')).map((tr) => {
      const c = cells(tr);
      return { socket: c[0]!, state: c[2]!, closed: c[4]!, transport: c[5]!, ping: c[6]!, gaps: c[7]!, generation: c[11]!, endpoint: c[12]! };
    });
    const subs = Array.from(document.querySelectorAll('.sub-table tbody tr')).map((tr) => {
      const c = cells(tr);
      return { socket: c[0]!, channel: c[1]!, state: c[3]!, reason: c[4]! };
    });
    const problems = Array.from(document.querySelectorAll('.conn-problems li')).map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').replace(/^⚠ /, '').trim());
    return { conns, subs, problems };
  }
}

/** The Connections view, read in a Playwright (or puppeteer) frame. */
export function readConnections(panel: PanelFrame): Promise<ConnectionsShown> {
  return panel.evaluate<ConnectionsShown>(`(${connectionsIn.toString()})(window)`);
}

/** Runs in the panel's window: the event-list rows in view marked as sent or received while their socket was down. */
export function gapRowsIn(win: Window): number {
  return win.document.querySelectorAll('[role=rowgroup] .row.in-gap').length;
}

export function gapRows(panel: PanelFrame): Promise<number> {
  return panel.evaluate<number>(`(${gapRowsIn.toString()})(window)`);
}

// What both browsers' specs expect of the same scenarios.

/** A reconnect is open and the subscription it lost is judged not taken again. */
export const reconnectedWithoutResubscribe = (x: ConnectionsShown): boolean =>
  x.conns.some((c) => c.state === 'open' && /↻ #\d/.test(c.socket)) && x.subs.some((s) => s.state === 'not re-subscribed');

/** The ping scenario: socket #1 has a heartbeat gap and a later socket is open. */
export const gapThenReconnect = (x: ConnectionsShown): boolean => x.conns.length >= 2 && x.conns[0]!.gaps !== '' && x.conns.some((c) => c.state === 'open');

/**
 * connections.html with stop, resub=0 and refuse=1 on Engine.IO 4: socket #1 dropped abnormally, its
 * subscription to `topic` not taken again, the unknown topic refused, each said among the problems.
 */
export function assertDropShown(v: ConnectionsShown, topic: string, unknownTopic: string): void {
  const first = v.conns[0]!;
  assert.equal(first.socket, '#1');
  assert.equal(first.state, 'dropped');
  assert.match(first.closed, /1006 abnormal closure/);
  assert.match(first.generation, /Engine\.IO 4/);
  assert.deepEqual(
    v.subs.map((s) => [s.socket, s.channel, s.state, s.reason]),
    [
      ['#1', topic, 'not re-subscribed', 'subscription lost after reconnect'],
      ['#1', unknownTopic, 'failed', 'Topic not found'],
    ],
  );
  const problems = v.problems.join('\n');
  assert.match(problems, /Socket #1 closed: 1006 abnormal closure/);
  assert.match(problems, /Subscription to topic [0-9a-f]+ failed: Topic not found/);
  assert.match(problems, /lost after reconnect: not subscribed again/);
  assert.match(problems, new RegExp(`MESSAGE_SENT for topic ${topic} that socket #\\d+ never subscribed`));
}

/** The ping scenario: socket #1 dropped after a heartbeat gap; the reconnect subscribed again. */
export function assertPingGapShown(v: ConnectionsShown, engineIo: 3 | 4): void {
  assert.equal(v.conns[0]!.state, 'dropped');
  assert.match(v.conns[0]!.generation, new RegExp(`Engine\\.IO ${engineIo}`));
  assert.match(v.problems.join('\n'), /Socket #1: no heartbeat for [\d.]+ s \(limit 15 s\)/);
  assert.deepEqual(
    v.subs.map((s) => [s.socket, s.state]),
    [
      ['#1', 'resubscribed'],
      ['#2', 'subscribed'],
    ],
  );
}
