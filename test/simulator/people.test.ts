import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/server';
import { SIM_EVENTS } from '../../simulator/scenario';
import { MEDIA_SEND_AS_SENT, PEOPLE_SCENARIO } from '../../simulator/people';
import { connectChat } from './client';

describe.each([2, 4] as const)('the people scenario on a socket.io %i server', (generation) => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ generation, quiet: true });
  });
  afterAll(() => sim.close());

  it('plays the server half and hands the page its half, in order', async () => {
    const client = connectChat(sim.origin, sim.token, 'websocket');
    const seen: { dir: 'in' | 'out'; event: string; payload: unknown }[] = [];
    for (const name of ['PRESENCE_EVENT_RESPONSE', 'MEDIA_SESSION_RESPONSE']) client.socket.on(name, (payload) => seen.push({ dir: 'in', event: name, payload }));
    client.socket.on(SIM_EVENTS.peopleSend, (p) => {
      const { event, payload } = p as { event: string; payload: unknown };
      seen.push({ dir: 'out', event, payload });
      client.socket.emit(event, payload);
    });
    try {
      await client.waitFor('connect');
      client.socket.emit(SIM_EVENTS.people, {});
      const done = await client.waitFor(SIM_EVENTS.scenarioDone);
      expect(done.payload).toEqual({ count: PEOPLE_SCENARIO.length });
      expect(seen).toEqual(PEOPLE_SCENARIO.map((s) => ({ dir: s.dir, event: s.event, payload: s.payload })));
      expect(seen.map((s) => s.event)).toContain(MEDIA_SEND_AS_SENT);
    } finally {
      client.socket.close();
    }
  });
});
