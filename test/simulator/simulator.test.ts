import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startSimulator, PLAIN_WS_PATH, type Simulator } from '../../simulator/server';
import {
  DEMO_PLAN,
  DEMO_TOKEN,
  SCENARIO,
  SCENARIO_EVENT_COUNT,
  SIM_EVENTS,
  UNKNOWN_TOPIC_ID,
  demoCounts,
  sendMessagePayload,
} from '../../simulator/scenario';
import { connectChat, type Recorder } from './client';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => {
  expect(typeof v === 'object' && v !== null).toBe(true);
  return v as Obj;
};

/** Runs the demo page's plan on a recorder; resolves with the ack of the acked send. */
function runPlan(client: Recorder, play: boolean): Promise<unknown> {
  const { socket } = client;
  for (const id of DEMO_PLAN.subscribe) socket.emit('SUBSCRIBE_CHANNEL', { channel: { _id: id, type: 'topic' } });
  let ack: Promise<unknown> = Promise.resolve(undefined);
  for (const send of DEMO_PLAN.sends) {
    if (send.ack) ack = new Promise((resolve) => socket.emit('SEND_MESSAGE', sendMessagePayload(send), resolve));
    else socket.emit('SEND_MESSAGE', sendMessagePayload(send));
  }
  socket.emit('UNSUBSCRIBE_CHANNEL', { channel: { _id: DEMO_PLAN.unsubscribe, type: 'topic' } });
  if (play) socket.emit(SIM_EVENTS.play, {});
  return ack;
}

describe.each([2, 4] as const)('socket.io %i server', (generation) => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ generation, quiet: true });
  });
  afterAll(() => sim.close());

  it.each(['websocket', 'polling'] as const)('answers the plan and plays the whole scenario in order over %s', async (transport) => {
    const client = connectChat(sim.origin, sim.token, transport);
    try {
      await client.waitFor('connect');
      const ack = runPlan(client, true);
      const done = await client.waitFor(SIM_EVENTS.scenarioDone);
      expect(done.payload).toEqual({ count: SCENARIO_EVENT_COUNT });

      const events = client.received.filter((r) => r.event !== 'connect');
      const subs = DEMO_PLAN.subscribe.length;
      const sends = DEMO_PLAN.sends.length;

      // subscriptions: answered in order, the unknown topic fails
      events.slice(0, subs).forEach((r, i) => {
        const id = DEMO_PLAN.subscribe[i];
        expect(r.event).toBe(id === UNKNOWN_TOPIC_ID ? 'SUBSCRIBE_CHANNEL_FAILED' : 'CHANNEL_SUBSCRIBED');
        expect(obj(r.payload).channel).toEqual({ _id: id, type: 'topic' });
      });
      expect(obj(events[subs - 1]?.payload).error).toEqual(expect.any(String));

      // sends: echo with the same loopback, or failed with an error
      const answers = events.slice(subs, subs + sends);
      DEMO_PLAN.sends.forEach((send, i) => {
        const r = answers[i];
        expect(r?.event).toBe(send.expect);
        const p = obj(r?.payload);
        expect(p.loopbackMetadata).toBe(send.loopbackMetadata);
        if (send.expect === 'MESSAGE_SENT') {
          expect(p).toMatchObject({ category: 'chat', topicId: send.topicId, content: { bodyText: DEMO_PLAN.bodyText, data: [] } });
          expect(p._id).toMatch(/^[0-9a-f]{24}$/);
        } else {
          expect(p.error).toEqual(expect.any(String));
        }
      });
      const ackedIndex = DEMO_PLAN.sends.findIndex((s) => s.ack);
      expect(await ack).toEqual({ _id: obj(answers[ackedIndex]?.payload)._id, loopbackMetadata: DEMO_PLAN.sends[ackedIndex]?.loopbackMetadata });

      expect(events[subs + sends]).toEqual({ event: 'CHANNEL_UNSUBSCRIBED', payload: { channel: { _id: DEMO_PLAN.unsubscribe, type: 'topic' } } });

      // the scenario, exactly and in order, then the done marker, and nothing else
      const played = events.slice(subs + sends + 1);
      expect(played.map((r) => r.event)).toEqual([...SCENARIO.map((s) => s.event), SIM_EVENTS.scenarioDone]);
      expect(played.slice(0, -1).map((r) => r.payload)).toEqual(SCENARIO.map((s) => s.payload));
      // what the demo page, which does the same, reports on <body>
      expect({ received: events.length, messages: events.filter((r) => r.event === 'MESSAGE_SENT').length }).toEqual(demoCounts(true));
    } finally {
      client.socket.close();
    }
  });

  it('does not play the scenario unless asked', async () => {
    const client = connectChat(sim.origin, sim.token, 'websocket');
    try {
      await client.waitFor('connect');
      await runPlan(client, false);
      await client.waitFor('CHANNEL_UNSUBSCRIBED');
      await new Promise((r) => setTimeout(r, 300));
      expect(client.received.filter((r) => r.event === 'MESSAGE_SENT')).toHaveLength(2);
      expect(client.received.at(-1)?.event).toBe('CHANNEL_UNSUBSCRIBED');
      const events = client.received.filter((r) => r.event !== 'connect');
      expect({ received: events.length, messages: events.filter((r) => r.event === 'MESSAGE_SENT').length }).toEqual(demoCounts(false));
    } finally {
      client.socket.close();
    }
  });

  it.each(['websocket', 'polling'] as const)('refuses a wrong token over %s', async (transport) => {
    const client = connectChat(sim.origin, `${sim.token}x`, transport);
    try {
      // socket.io-client 2.x reports a namespace refused by middleware as "error"
      const refused = await client.waitFor('error');
      expect(refused.payload).toBe('Authentication error');
      client.socket.emit('SUBSCRIBE_CHANNEL', { channel: { _id: DEMO_PLAN.subscribe[0], type: 'topic' } });
      await new Promise((r) => setTimeout(r, 200));
      expect(client.received.map((r) => r.event)).toEqual(['error']);
    } finally {
      client.socket.close();
    }
  });

  it.each([
    ['only in the CONNECT frame', '', 'good', 'accepted'],
    ['in both', 'good', 'good', 'accepted'],
    ['right in CONNECT, wrong in the URL', 'bad', 'good', 'accepted'],
    ['wrong in CONNECT, right in the URL', 'good', 'bad', 'refused'],
    ['only in the URL', 'good', '', 'accepted'],
  ] as const)('reads the token %s (raw Engine.IO 3 frames)', async (_name, inUrl, inConnect, outcome) => {
    const pick = (which: string): string => (which === 'good' ? `token=${encodeURIComponent(sim.token)}&` : which === 'bad' ? 'token=nope&' : '');
    const ws = new WebSocket(`${sim.origin.replace('http', 'ws')}/socket.io/?${pick(inUrl)}EIO=3&transport=websocket`);
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('message', (data) => {
        const frame = String(data);
        if (frame.startsWith('0{')) ws.send(`40/chat${inConnect ? `?${pick(inConnect).slice(0, -1)}` : ''},`);
        else if (frame.startsWith('40/chat')) resolve('accepted');
        else if (frame.startsWith('44/chat')) resolve('refused');
      });
      ws.on('error', reject);
    });
    ws.close();
    expect(reply).toBe(outcome);
  });

  it('streams load messages at the asked rate and size, each stamped with its emit time', async () => {
    const client = connectChat(sim.origin, sim.token, 'websocket');
    try {
      await client.waitFor('connect');
      const start = Date.now();
      client.socket.emit(SIM_EVENTS.load, { rate: 200, count: 60, size: 800 });
      const done = await client.waitFor(SIM_EVENTS.loadDone);
      const elapsed = Date.now() - start;
      expect(obj(done.payload).count).toBe(60);
      // 60 messages at 200/s: about 300 ms
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(3000);
      const msgs = client.received.filter((r) => r.event === 'MESSAGE_SENT').map((r) => obj(r.payload));
      expect(msgs).toHaveLength(60);
      msgs.forEach((m, i) => {
        const body = String(obj(m.content).bodyText);
        const match = /^<p>t=(\d+) seq=(\d+) x*<\/p>$/.exec(body);
        expect(match?.[2]).toBe(String(i + 1));
        expect(Number(match?.[1])).toBeGreaterThanOrEqual(start - 5);
        expect(Number(match?.[1])).toBeLessThanOrEqual(Date.now());
        expect(JSON.stringify(m).length).toBeGreaterThanOrEqual(790);
        expect(JSON.stringify(m).length).toBeLessThanOrEqual(810);
      });
      expect(new Set(msgs.map((m) => m._id)).size).toBe(60);
    } finally {
      client.socket.close();
    }
  });

  it('serves the pages, the 2.x client bundle and the plain echo socket', async () => {
    const index = await fetch(`${sim.origin}/`);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await index.text();
    const planJson = /<script type="application\/json" id="plan">(.*?)<\/script>/s.exec(html)?.[1];
    expect(JSON.parse(planJson ?? 'null')).toMatchObject({ ...DEMO_PLAN, token: DEMO_TOKEN, events: SIM_EVENTS });

    const bundle = await (await fetch(`${sim.origin}/socket.io-client.js`)).text();
    expect(bundle).toContain('2.5.0');
    const demo = await (await fetch(`${sim.origin}/demo.js`)).text();
    expect(demo).toContain("io(location.origin + '/chat'");
    expect(await (await fetch(`${sim.origin}/plain.html`)).text()).toContain(PLAIN_WS_PATH);
    const early = await (await fetch(`${sim.origin}/early.html`)).text();
    expect(early).toMatch(/<head>[\s\S]*const WS = window\.WebSocket;[\s\S]*<\/head>/);
    expect(early).toContain(DEMO_TOKEN);
    expect((await fetch(`${sim.origin}/nope`)).status).toBe(404);

    const ws = new WebSocket(`${sim.origin.replace('http', 'ws')}${PLAIN_WS_PATH}`);
    const echoes: { data: string; binary: boolean }[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => {
        ws.send('hello');
        ws.send(Buffer.from([1, 2, 3]));
      });
      ws.on('message', (data, binary) => {
        echoes.push({ data: Buffer.from(data as Buffer).toString('hex'), binary });
        if (echoes.length === 2) resolve();
      });
      ws.on('error', reject);
    });
    ws.close();
    expect(echoes).toEqual([
      { data: Buffer.from('hello').toString('hex'), binary: false },
      { data: '010203', binary: true },
    ]);
  });
});

it('runs both generations at once on different ports, each with its own token', async () => {
  const [v2, v4] = await Promise.all([
    startSimulator({ generation: 2, quiet: true, token: 'tok-2' }),
    startSimulator({ generation: 4, quiet: true, token: 'tok-4' }),
  ]);
  try {
    expect(v2.port).not.toBe(v4.port);
    expect([v2.generation, v4.generation]).toEqual([2, 4]);
    const a = connectChat(v2.origin, 'tok-2', 'websocket');
    const b = connectChat(v4.origin, 'tok-4', 'websocket');
    const c = connectChat(v4.origin, 'tok-2', 'websocket');
    await Promise.all([a.waitFor('connect'), b.waitFor('connect'), c.waitFor('error')]);
    for (const x of [a, b, c]) x.socket.close();
  } finally {
    await Promise.all([v2.close(), v4.close()]);
  }
});
