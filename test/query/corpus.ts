// A fixed corpus for query tests: the simulator's scripted scenario (MESSAGE_SENT payloads shaped as
// in the seed doc), then a few events of other kinds: a send and its failure, a decode error, a frame's
// socket, an engine ping an hour later (so that the in-progress file is stuck by then).
import type { CapturedEvent } from '../../src/core/model/event';
import { SCENARIO } from '../../simulator/scenario';
import { sent } from '../attachments/helpers';
import { searchText } from '../../src/panel/store/row';
import { TrackedContext } from '../../src/core/query';

export const BASE = Date.parse('2020-07-16T11:40:00.000Z');
const raw = (text: string, length = text.length) => ({ text, length, truncated: length > text.length });

const send: CapturedEvent = sent(25, BASE + 30_000, { category: 'chat', topicId: '5f0425254b3cd61ae416fa5f', content: { bodyText: '<p>ship it</p>' }, loopbackMetadata: 'loop-7f3a9c' }, 'SEND_MESSAGE', 'out');
const failed: CapturedEvent = {
  ...sent(26, BASE + 30_800, { error: 'Not a member of this space', loopbackMetadata: 'loop-7f3a9c' }, 'SEND_MESSAGE_FAILED'),
};
failed.spaces = { ...failed.spaces!, reply: { toSeq: 25, rttMs: 800, outcome: 'failed' } };
const anonymous = sent(27, BASE + 31_000, { category: 'chat', topicId: '5f06c25e574ca36b54cb4cdf', _id: 'aa11', sender: { _id: 'guest1', displayName: 'Guest', type: 'anonymous' }, content: { bodyText: '<p>hello from a guest</p>' } });
anonymous.record = { ...anonymous.record, raw: raw('42["MESSAGE_SENT",…]', 20_000) };
const decodeError: CapturedEvent = {
  seq: 28,
  record: { kind: 'error', conn: 1, t: BASE + 32_000, dir: 'in', transport: 'websocket', error: 'invalid packet type 9', raw: raw('9xyz') },
};
const inFrame: CapturedEvent = { ...sent(29, BASE + 33_000, { category: 'chat', topicId: '5f06c25e574ca36b54cb4cdf', _id: 'bb22', content: { bodyText: '<p>from the frame</p>' } }), frame: 'http://localhost:8081/embed.html' };
inFrame.record = { ...inFrame.record, conn: 2 };
const ping: CapturedEvent = { seq: 30, record: { kind: 'engine', type: 'ping', conn: 1, t: BASE + 3_600_000, dir: 'in', transport: 'websocket', raw: raw('2') } };

export const CORPUS: CapturedEvent[] = [...SCENARIO.map((s, i) => sent(i + 1, BASE + i * 1000, s.payload)), send, failed, anonymous, decodeError, inFrame, ping];

export function corpusContext(events: readonly CapturedEvent[] = CORPUS): TrackedContext {
  const ctx = new TrackedContext(searchText);
  for (const ev of events) ctx.add(ev);
  return ctx;
}
