// A socket.io-client 2.x (the Spaces web client's generation) in Node, recording what it receives.
import { createRequire } from 'node:module';

export interface ClientSocket {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  close(): unknown;
}
type Connect = (url: string, opts: Record<string, unknown>) => ClientSocket;

const io = createRequire(import.meta.url)('socket.io-client-v2') as Connect;

/** Events the simulator can send on /chat. */
export const SERVER_EVENTS = [
  'CHANNEL_SUBSCRIBED',
  'SUBSCRIBE_CHANNEL_FAILED',
  'CHANNEL_UNSUBSCRIBED',
  'MESSAGE_SENT',
  'SEND_MESSAGE_FAILED',
  'SIM_SCENARIO_DONE',
  'SIM_LOAD_DONE',
] as const;

export interface Received {
  event: string;
  payload: unknown;
}

export interface Recorder {
  socket: ClientSocket;
  received: Received[];
  /** Resolves with the first received event (past or future) that matches. */
  waitFor(event: string, timeoutMs?: number): Promise<Received>;
}

export function connectChat(origin: string, token: string, transport: 'websocket' | 'polling'): Recorder {
  const socket = io(`${origin}/chat`, {
    transports: [transport],
    query: { tokenType: 'jwt', token },
    forceNew: true,
    reconnection: false,
  });
  const received: Received[] = [];
  const waiters: { event: string; resolve: (r: Received) => void }[] = [];
  const push = (r: Received): void => {
    received.push(r);
    for (const w of waiters.filter((w) => w.event === r.event)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(r);
    }
  };
  for (const event of [...SERVER_EVENTS, 'connect', 'error', 'connect_error', 'disconnect']) {
    socket.on(event, (payload) => push({ event, payload }));
  }
  const waitFor = (event: string, timeoutMs = 5000): Promise<Received> => {
    const past = received.find((r) => r.event === event);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({
        event,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  };
  return { socket, received, waitFor };
}
