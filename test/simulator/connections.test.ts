// The simulator's connection-life controls: a stop (every connection dropped, new ones refused, then
// back) and a heartbeat stopped on one socket; with socket.io-client 2.x (Engine.IO 3) and 4.x (4).
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/server';
import { DEMO_TOKEN, SIM_EVENTS } from '../../simulator/scenario';

interface Sock {
  on(event: string, fn: (...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  close(): unknown;
}
const require = createRequire(import.meta.url);
const clients: Record<2 | 4, (url: string, opts: Record<string, unknown>) => Sock> = {
  2: require('socket.io-client-v2'),
  4: require('socket.io-client').io,
};

function watch(s: Sock) {
  const seen: string[] = [];
  const waiters: [string, () => void][] = [];
  const note = (what: string) => {
    seen.push(what);
    for (const [w, done] of waiters) if (w === what) done();
  };
  s.on('connect', () => note('connect'));
  s.on('disconnect', (reason) => note(`disconnect:${String(reason)}`));
  const until = (what: string, n = 1) =>
    new Promise<void>((resolve) => {
      const check = () => seen.filter((x) => x === what).length >= n && resolve();
      waiters.push([what, check]);
      check();
    });
  return { seen, until };
}

for (const gen of [2, 4] as const) {
  describe(`simulator v${gen}: connection life`, () => {
    let sim: Simulator;
    beforeAll(async () => {
      sim = await startSimulator({ generation: gen, quiet: true, pingInterval: 300, pingTimeout: 300 });
    });
    afterAll(() => sim.close());

    it('stops, refuses while stopped, and comes back: the client reconnects', async () => {
      const s = clients[gen](`${sim.origin}/chat`, { transports: ['websocket'], query: { token: DEMO_TOKEN }, forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 200 });
      const w = watch(s);
      await w.until('connect');
      s.emit(SIM_EVENTS.stop, { ms: 800 });
      await w.until('connect', 2);
      s.close();
      expect(w.seen[1]).toBe('disconnect:transport close');
      expect(w.seen.filter((x) => x === 'connect')).toHaveLength(2);
    }, 20_000);

    it('stops the heartbeat of one socket: the client times out', async () => {
      const s = clients[gen](`${sim.origin}/chat`, { transports: ['websocket'], query: { token: DEMO_TOKEN }, forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 200 });
      const w = watch(s);
      await w.until('connect');
      s.emit(SIM_EVENTS.pingTimeout, {});
      await w.until('connect', 2);
      s.close();
      expect(w.seen[1]).toBe('disconnect:ping timeout');
    }, 20_000);
  });
}
