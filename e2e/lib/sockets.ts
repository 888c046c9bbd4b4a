// The Socket.IO events of rows, for the pages that fight the hook (simulator/public/pages), in any browser.
import assert from 'node:assert/strict';
import type { Row } from './panel';

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
