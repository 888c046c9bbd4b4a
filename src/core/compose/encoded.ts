// Trace of sends a Socket.IO client writes later from its buffer (a burst: the first packet goes out from the
// page's emit, the rest when the transport drains). The client encodes each event with JSON.stringify
// inside the page's emit call (socket.io-parser 3 and 4), so the hook, while Trace is on, keeps the stack
// of each stringify that yields an event array, and a send made in a later turn than its packet's encoding
// (from the buffer) takes the stack its packet was encoded at. Pure: used by the page hook, tested in Node.
import { MAX_TRACE } from '../messages';

/** Whether a JSON.stringify result may be a Socket.IO event's `["name", …]` (two character tests). */
export const mayBeEvent = (json: string): boolean => json.charCodeAt(0) === 91 && json.charCodeAt(1) === 34;

/** An EVENT or BINARY_EVENT packet (`42`, `451-`, namespace, ack id) and its JSON array. */
const EVENT = /^4[25](?:\d+-)?(?:\/[^,[]*,)?\d*(\["[\s\S]*)$/;

/** The JSON arrays of the events a WebSocket frame or a polling POST body carries, in order. */
export function eventArrays(frame: string): string[] {
  const packets: string[] = [];
  if (/^\d+:/.test(frame)) {
    // Engine.IO 3 payload: `<length>:<packet>` repeated (length in characters).
    for (let i = 0; i < frame.length; ) {
      const colon = frame.indexOf(':', i);
      const n = Number(frame.slice(i, colon));
      if (colon < 0 || !Number.isInteger(n) || n < 0) break;
      packets.push(frame.slice(colon + 1, colon + 1 + n));
      i = colon + 1 + n;
    }
  } else packets.push(...frame.split('\x1e'));
  const out: string[] = [];
  for (const p of packets) {
    const m = EVENT.exec(p);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** Where an event was encoded: the stack, the hook's count of turns (tasks and microtasks) and the time (ms) then. */
export interface Encoded {
  s: string;
  turn: number;
  t: number;
}

/** An encoding older than this is not taken for a send's (a buffer drains within a few milliseconds). */
export const MAX_BUFFERED_MS = 10_000;

/** Line that heads the trace of a send written from the client's buffer. */
export const BUFFERED = "sent from the socket's buffer (when the transport drained); the page's emit, where the client encoded it:";

/**
 * The trace of a send: its own stack when it was sent in the turn its (first) event was encoded in (the
 * page's emit wrote it), else (the client sent it later from its buffer) the encoding's stack under
 * BUFFERED. A polling request may carry several events: the stack is the first one's, and it says so.
 */
export function sendTrace(own: string | undefined, enc: Encoded | undefined, turn: number, now: number, events = 1): string | undefined {
  if (enc === undefined || enc.turn === turn || now - enc.t > MAX_BUFFERED_MS) return own;
  const head = events > 1 ? `${BUFFERED} (the first of the ${events} events in this request)` : BUFFERED;
  return `${head}\n${enc.s}`.slice(0, MAX_TRACE);
}

/** Stacks by the text JSON.stringify made, the oldest forgotten first (bounded: most are no event). */
export class EncodedStacks {
  private readonly byText = new Map<string, Encoded[]>();
  private count = 0;
  constructor(private readonly max = 200) {}

  add(text: string, at: Encoded): void {
    const list = this.byText.get(text);
    if (list) list.push(at);
    else this.byText.set(text, [at]);
    if (++this.count > this.max) {
      const [oldest, stacks] = this.byText.entries().next().value as [string, Encoded[]];
      stacks.shift();
      this.count--;
      if (stacks.length === 0) this.byText.delete(oldest);
    }
  }

  /** The stack the text was encoded at, taken (a packet is sent once). */
  take(text: string): Encoded | undefined {
    const list = this.byText.get(text);
    if (!list) return undefined;
    const s = list.shift();
    this.count--;
    if (list.length === 0) this.byText.delete(text);
    return s;
  }

  clear(): void {
    this.byText.clear();
    this.count = 0;
  }
}
