// The simulator's `?scenario=secrets` played by a socket.io-client 2.x in Node, the page's part done as
// demo.js does it: every frame of it, both ways, goes through the capture pipeline, and the secrets
// that were on the wire are in nothing it keeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/server';
import { SIM_EVENTS } from '../../simulator/scenario';
import { SECRETS, secretAttachment, secretsPlay } from '../../simulator/secrets';
import { TabCapture } from '../../src/core/model/capture';
import type { HookFrame } from '../../src/core/messages';
import { bytesToBase64 } from '../../src/core/base64';
import { leaked } from '../fixtures/secrets';
import { connectChat, type ClientSocket } from './client';

interface EnginePacket {
  type: string;
  data?: unknown;
}
interface Engine {
  on(event: 'packet' | 'packetCreate', fn: (p: EnginePacket) => void): void;
}

describe.each([2, 4] as const)('socket.io %i server: the secrets corpus', (generation) => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ generation, quiet: true });
  });
  afterAll(() => sim.close());

  it.each(['websocket', 'polling'] as const)('plays both halves over %s; the capture keeps none of them', async (transport) => {
    const client = connectChat(sim.origin, sim.token, transport);
    const frames: HookFrame[] = [];
    const wire: string[] = [];
    const take = (d: 'in' | 'out') => (p: EnginePacket): void => {
      if (p.type !== 'message') return;
      const t = Date.now() + frames.length;
      if (typeof p.data === 'string') {
        frames.push({ c: 1, t, d, x: `4${p.data}` });
        wire.push(p.data);
      } else if (p.data instanceof ArrayBuffer || ArrayBuffer.isView(p.data)) {
        const bytes = p.data instanceof ArrayBuffer ? new Uint8Array(p.data) : new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength);
        frames.push({ c: 1, t, d, x: { b64: bytesToBase64(bytes) } });
        wire.push(new TextDecoder().decode(bytes));
      }
    };
    const engine = (client.socket as ClientSocket & { io: { engine: Engine } }).io.engine;
    engine.on('packet', take('in'));
    engine.on('packetCreate', take('out'));
    const socket = client.socket;
    try {
      await client.waitFor('connect');
      const acked = new Promise<unknown[]>((resolve) => socket.emit(SIM_EVENTS.secrets, {}, (...args: unknown[]) => resolve(args)));
      socket.on(SIM_EVENTS.secretsAsk, (...args: unknown[]) => {
        const [p, ack] = args as [{ args: unknown[] }, (...a: unknown[]) => void];
        ack(...p.args);
      });
      const upload = new Promise<unknown>((resolve) => socket.on('upload', (_meta, bytes) => resolve(bytes)));
      socket.on(SIM_EVENTS.secretsPlan, (p) => {
        const plan = p as ReturnType<typeof secretsPlay>['plan'];
        for (const e of plan.out) socket.emit(e.event, ...e.args);
        socket.emit('upload', { name: 'body.json' }, Buffer.from(plan.attachment));
        socket.emit(SIM_EVENTS.secretsSent, {});
      });
      await client.waitFor(SIM_EVENTS.scenarioDone);
      expect(await acked).toEqual(secretsPlay().ack);
      expect(new Uint8Array(await upload as ArrayBuffer)).toEqual(secretAttachment());
    } finally {
      client.socket.close();
    }
    // what was on the wire: most of the corpus' secrets, both ways
    const onWire = leaked(wire.join('\n'), SECRETS);
    expect(onWire.length).toBeGreaterThan(SECRETS.length / 2);
    // each Engine.IO packet as one frame, as a WebSocket carries them
    const url = `${sim.origin.replace('http', 'ws')}/socket.io/?EIO=3&transport=websocket&token=${sim.token}`;
    const events = new TabCapture().ingest('p', [{ c: 1, url, transport: 'websocket' }], frames, 1);
    expect(events.length).toBeGreaterThan(15);
    expect(leaked(JSON.stringify(events), onWire)).toEqual([]);
  });
});
