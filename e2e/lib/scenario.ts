// What the panel must show after one run of the simulator's demo page, in any browser.
import assert from 'node:assert/strict';
import { DEMO_PLAN, SCENARIO_CATEGORIES, SCENARIO_EVENT_COUNT } from '../../simulator/scenario';
import type { Row } from './panel';

/** The page's sends that the server echoes as MESSAGE_SENT. */
export const ECHOES = DEMO_PLAN.sends.filter((s) => s.expect === 'MESSAGE_SENT').length;

/** Socket.IO events the demo plays, by name. */
export const EXPECTED_COUNTS: Readonly<Record<string, number>> = {
  SUBSCRIBE_CHANNEL: DEMO_PLAN.subscribe.length,
  CHANNEL_SUBSCRIBED: DEMO_PLAN.subscribe.length - 1,
  SUBSCRIBE_CHANNEL_FAILED: 1,
  SEND_MESSAGE: DEMO_PLAN.sends.length,
  SEND_MESSAGE_FAILED: DEMO_PLAN.sends.length - ECHOES,
  UNSUBSCRIBE_CHANNEL: 1,
  MESSAGE_SENT: ECHOES + SCENARIO_EVENT_COUNT,
};
export const EXPECTED_EVENTS = Object.values(EXPECTED_COUNTS).reduce((a, b) => a + b, 0);

export function countsOf(rows: Row[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) if (r.event in EXPECTED_COUNTS) out[r.event] = (out[r.event] ?? 0) + 1;
  return out;
}

/** As many of the demo's events as it plays are listed (a row count alone includes engine and connect rows). */
export const scenarioShown = (rows: Row[]): boolean => Object.values(countsOf(rows)).reduce((a, b) => a + b, 0) >= EXPECTED_EVENTS;

/** Every event of the demo, and the scenario's MESSAGE_SENT categories in the order it played them. */
export function assertScenario(rows: Row[]): void {
  assert.deepEqual(countsOf(rows), EXPECTED_COUNTS);
  const categories = rows.filter((r) => r.event === 'MESSAGE_SENT').map((r) => r.category);
  // The echoes of the page's own sends come first, then the scenario in the order it was played.
  assert.deepEqual(categories.slice(ECHOES), SCENARIO_CATEGORIES);
}

/**
 * A list row from its cells' texts, in the panel's column order (Time, Dir, Event, Category, Topic, Sender,
 * Size, Summary), then the Dir cell's accessible name and the Event cell's title. `event` is the event's
 * name: the cell shows the category instead for MESSAGE_SENT, and its title says both ("MESSAGE_SENT: chat").
 */
export function rowOf(index: number, c: readonly string[]): Row {
  const socket = /on connection (#\d+)(?: in the frame (\S+))?$/.exec(c[8] ?? '');
  const shown = c[2] ?? '';
  const title = c[9] ?? shown;
  return {
    index,
    time: c[0] ?? '',
    dir: c[1] ?? '',
    event: title.endsWith(`: ${shown}`) ? title.slice(0, -shown.length - 2) : shown,
    category: c[3] ?? '',
    topic: c[4] ?? '',
    sender: c[5] ?? '',
    summary: c[7] ?? '',
    socket: socket ? (socket[2] ? `${socket[1]} · ${socket[2]}` : socket[1]!) : '',
  };
}

/** The socket a row names ("#2", "#1 · localhost:8080"): its Dir cell's accessible name says it; the summary shows it. */
export function socketOf(r: Row): string | undefined {
  if (!r.socket) return undefined;
  if (!r.summary.startsWith(r.socket)) throw new Error(`the summary does not show the socket ${r.socket}: ${r.summary}`);
  return r.socket;
}
