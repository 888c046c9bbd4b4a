// The Socket.IO events of rows, for the pages that fight the hook (simulator/public/pages), in any browser.
import assert from 'node:assert/strict';
import type { Row } from './panel';
import { until } from './wait';

const PACKET_TYPES = new Set(['CONNECT', 'DISCONNECT', 'ACK', 'CONNECT_ERROR', 'BINARY_ACK']);

/** Socket.IO events (named EVENT packets) of the rows, as "↑NAME" / "↓NAME" in list order. */
export const socketEvents = (rows: Row[]): string[] =>
  rows.filter((r) => /^[A-Z_]+$/.test(r.event) && !PACKET_TYPES.has(r.event)).map((r) => `${r.dir.slice(0, 1)}${r.event}`);

/** What each page's client sends and gets, in the order a websocket client sees it. */
export const FOUR = ['↑SUBSCRIBE_CHANNEL', '↑SEND_MESSAGE', '↓CHANNEL_SUBSCRIBED', '↓MESSAGE_SENT'];

/** The row whose summary mentions `text`, of event `event`. */
export function rowWith(rows: Row[], event: string, text: string): Row {
  const row = rows.find((r) => r.event === event && r.summary.includes(text));
  assert.ok(row, `no ${event} row with ${text} in ${JSON.stringify(rows.map((r) => `${r.event} ${r.summary}`))}`);
  return row;
}

/** Whose send each MESSAGE_SENT row echoes ("hello from <name>"). */
export const echoedBy = (rows: Row[]): string[] => rows.filter((r) => r.event === 'MESSAGE_SENT').map((r) => /hello from ([^"\s]+)/.exec(r.summary)?.[1] ?? r.summary);

/** Rows that differ (time, direction, event, summary): as many as there are rows when none is listed twice. */
export const distinctRows = (rows: Row[]): number => new Set(rows.map((r) => JSON.stringify([r.time, r.dir, r.event, r.summary]))).size;

/**
 * A strict-CSP page's violations (its data-csp-violations) and the reports the browser posted to the simulator
 * (from document_start on, before any page script listens): the page's own eval after its echo is the one
 * expected (Trusted Types or script-src, as the browser reports it), which shows violations are seen at all.
 */
export async function assertOnlyTheSentinel(csp: string, sim: { cspReports: unknown[] }): Promise<void> {
  const violations = JSON.parse(csp) as { blocked: string; sample: string }[];
  const sentinel = (blocked: unknown, sample: unknown): boolean => blocked === 'eval' || (typeof sample === 'string' && sample.startsWith('eval'));
  assert.ok(violations.some((v) => sentinel(v.blocked, v.sample)), `the sentinel violation was not seen: ${csp}`);
  assert.deepEqual(violations.filter((v) => !sentinel(v.blocked, v.sample)), [], 'violations other than the sentinel');
  const isSentinel = (r: unknown): boolean => {
    const report = (r as { 'csp-report'?: Record<string, unknown> })['csp-report'];
    return sentinel(report?.['blocked-uri'], report?.['script-sample']);
  };
  await until('the sentinel report', async () => sim.cspReports, (reports) => reports.some(isSentinel));
  assert.deepEqual(sim.cspReports.filter((r) => !isSentinel(r)), [], 'reports other than the sentinel');
}
