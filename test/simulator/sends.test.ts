// The sends scenario on both server generations: echoed (with and without loopbackMetadata), refused with
// a reason, and never answered, as simulator/sends.ts says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/server';
import { SENDS_PLAN, scenarioSendPayload } from '../../simulator/sends';
import { connectChat } from './client';

describe.each([2, 4] as const)('socket.io %i server: sends', (generation) => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ generation, quiet: true });
  });
  afterAll(() => sim.close());

  it('echoes, refuses and leaves unanswered the sends of SENDS_PLAN', async () => {
    const client = connectChat(sim.origin, sim.token, 'websocket');
    try {
      await client.waitFor('connect');
      for (const s of SENDS_PLAN) client.socket.emit('SEND_MESSAGE', scenarioSendPayload(s));
      const answers = SENDS_PLAN.filter((s) => s.expect !== 'none').length;
      // Each answered send is answered in order; then a marker send shows nothing else came.
      client.socket.emit('SEND_MESSAGE', scenarioSendPayload({ topicId: SENDS_PLAN[0]!.topicId, loopbackMetadata: 'marker', bodyText: 'marker', expect: 'echo' }));
      await expect.poll(() => client.received.filter((r) => r.event === 'MESSAGE_SENT' || r.event === 'SEND_MESSAGE_FAILED').length, { timeout: 5000 }).toBe(answers + 1);
      const got = client.received.filter((r) => r.event === 'MESSAGE_SENT' || r.event === 'SEND_MESSAGE_FAILED');
      const expected = SENDS_PLAN.filter((s) => s.expect !== 'none').map((s) => (s.expect === 'echo' ? 'MESSAGE_SENT' : 'SEND_MESSAGE_FAILED'));
      expect(got.slice(0, -1).map((r) => r.event)).toEqual(expected);
      for (const r of got.filter((x) => x.event === 'SEND_MESSAGE_FAILED')) expect(r.payload).toMatchObject({ error: 'You are not a member of this space' });
      // k6-style sends are echoed with their content, without loopbackMetadata of their own.
      const k6 = got.filter((r) => r.event === 'MESSAGE_SENT' && /k6 send/.test(JSON.stringify(r.payload)));
      expect(k6.map((r) => (r.payload as { loopbackMetadata?: string }).loopbackMetadata ?? '')).toEqual(['', '']);
    } finally {
      client.socket.close();
    }
  });
});
