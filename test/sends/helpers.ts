// A capture of sends built through the real pipeline (TabCapture): frames in, events with their pairing out.
import { TabCapture } from '../../src/core/model/capture';
import type { HookFrame } from '../../src/core/messages';
import type { CapturedEvent } from '../../src/core/model/event';
import type { JsonValue } from '../../src/core/wire/types';

type Obj = { [key: string]: JsonValue };

export const TOPIC_A = '5f06c25e574ca36b54cb4cdf';
export const TOPIC_B = '5f0425254b3cd61ae416fa5f';
export const FORBIDDEN = '5f0bad0bad0bad0bad0bad00';

export const send = (topicId: string, bodyText: string, loopbackMetadata?: string): Obj =>
  loopbackMetadata === undefined
    ? { category: 'chat', chatMessages: {}, content: { bodyText, data: [] }, topicId }
    : { content: { bodyText, data: [] }, category: 'chat', topicId, version: '1.1', loopbackMetadata };

export const echo = (topicId: string, bodyText: string, loopbackMetadata?: string): Obj => ({
  _id: `5f1e${Math.abs(hashCode(bodyText)).toString(16).padStart(20, '0')}`.slice(0, 24),
  category: 'chat',
  chatCount: 0,
  content: { bodyText, data: [], description: '' },
  created: '2020-07-16T11:40:00.000Z',
  likeCount: 0,
  modified: '2020-07-16T11:40:00.000Z',
  sender: { _id: '5f04251caa4a347af9946e06', displayname: 'Test user', type: 'user' },
  status: 0,
  topicId,
  topicTitle: 'A topic',
  topicType: 'group',
  ...(loopbackMetadata === undefined ? {} : { loopbackMetadata }),
});

export const failed = (error: string, loopbackMetadata?: string): Obj => ({ ...(loopbackMetadata === undefined ? {} : { loopbackMetadata }), error });

function hashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

/** [time ms, direction, event, payload, ack id?] */
export type Step = [number, 'in' | 'out', string, Obj, number?];

/** The events of a /chat session that plays `steps` (after the engine open and the namespace connect). */
export function capture(steps: Step[]): CapturedEvent[] {
  const cap = new TabCapture();
  const frames: HookFrame[] = [
    { c: 1, t: 0, d: 'in', x: '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":5000}' },
    { c: 1, t: 1, d: 'out', x: '40/chat,' },
    { c: 1, t: 2, d: 'in', x: '40/chat,' },
    ...steps.map(([t, d, name, payload, id]): HookFrame => ({ c: 1, t, d, x: `42/chat,${id ?? ''}${JSON.stringify([name, payload])}` })),
  ];
  const out = cap.ingest('page-1', [{ c: 1, url: 'ws://127.0.0.1:8080/socket.io/?EIO=3&transport=websocket', transport: 'websocket' }], frames, 1);
  return out.map((e, i) => ({ ...e, seq: i + 1 }));
}

/** The events named `name`, in order. */
export const named = (evs: CapturedEvent[], name: string): CapturedEvent[] => evs.filter((e) => e.spaces?.event === name);
