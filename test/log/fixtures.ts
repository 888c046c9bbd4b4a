// A capture as the background makes it: Engine.IO 4 / Socket.IO 5 frames of the simulator's demo
// (handshake, SEND_MESSAGE and its echo, the whole scenario, a keep-alive, a broken frame) through TabCapture.
import { TabCapture } from '../../src/core/model/capture';
import type { CapturedEvent } from '../../src/core/model/event';
import type { HookFrame } from '../../src/core/messages';
import { DEMO_PLAN, SCENARIO, sendMessagePayload } from '../../simulator/scenario';

export const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig';
export const URL4 = `ws://127.0.0.1:8084/socket.io/?token=${TOKEN}&EIO=4&transport=websocket`;
export const T0 = Date.parse('2020-07-16T11:40:00.000Z');

/** The demo's frames in order: [direction, text]. */
export function demoFrames(): [HookFrame['d'], string][] {
  const send = DEMO_PLAN.sends[0]!;
  const echo = { ...(SCENARIO[0]!.payload as object), loopbackMetadata: send.loopbackMetadata };
  return [
    ['in', '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'],
    ['out', `40/chat,{"token":"${TOKEN}"}`],
    ['in', '40/chat,{"sid":"s1"}'],
    ['out', `42/chat,["SEND_MESSAGE",${JSON.stringify(sendMessagePayload(send))}]`],
    ['in', `42/chat,["MESSAGE_SENT",${JSON.stringify(echo)}]`],
    ['in', '2'],
    ['out', '3'],
    ...SCENARIO.map((s): [HookFrame['d'], string] => ['in', `42/chat,["MESSAGE_SENT",${JSON.stringify(s.payload)}]`]),
    ['in', '42/chat,["MESSAGE_SENT",{"broken"'],
  ];
}

export function capture(): CapturedEvent[] {
  const frames: HookFrame[] = demoFrames().map(([d, x], i) => ({ c: 1, t: T0 + i * 1000, d, x }));
  const out = new TabCapture().ingest('page-1', [{ c: 1, url: URL4, transport: 'websocket' }], frames, 1);
  return out.map((u, i) => ({ seq: i + 1, ...u }));
}
