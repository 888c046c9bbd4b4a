// The sends scenario (`?scenario=sends`): after the demo plan's own sends, the page sends each of
// SENDS_PLAN: normal sends (loopbackMetadata) that are echoed, k6-style sends ({category, chatMessages,
// content, topicId} and nothing else) that are echoed, sends to a topic the user is not a member of
// (SEND_MESSAGE_FAILED with a reason), and sends the server never answers. Tests compare the panel's
// ✓ / ✖ / ◷ counts with sendsExpected().
import { DEMO_PLAN, FORBIDDEN_TOPIC_ID, TOPICS, type JsonObject } from './scenario';

/** Sends to it are never answered: the server keeps silent. */
export const SILENT_TOPIC_ID = '5f5113e7000000000000dead';

export interface ScenarioSend {
  topicId: string;
  /** Absent: a k6-style send, without loopbackMetadata. */
  loopbackMetadata?: string;
  /** Sent with an ack callback (answered with the echo). */
  ack?: boolean;
  bodyText: string;
  expect: 'echo' | 'failed' | 'none';
}

export const SENDS_PLAN: readonly ScenarioSend[] = [
  { topicId: TOPICS.falcon._id, loopbackMetadata: 'lb-s1', bodyText: '<p>normal send</p>', expect: 'echo' },
  { topicId: TOPICS.release._id, bodyText: '<p>k6 send one</p>', expect: 'echo' },
  { topicId: TOPICS.direct._id, bodyText: '<p>k6 send two</p>', expect: 'echo' },
  { topicId: FORBIDDEN_TOPIC_ID, loopbackMetadata: 'lb-s2', bodyText: '<p>to a space I left</p>', expect: 'failed' },
  { topicId: FORBIDDEN_TOPIC_ID, bodyText: '<p>k6 to a space I left</p>', expect: 'failed' },
  { topicId: SILENT_TOPIC_ID, loopbackMetadata: 'lb-s3', bodyText: '<p>into the void</p>', expect: 'none' },
  { topicId: SILENT_TOPIC_ID, bodyText: '<p>k6 into the void</p>', expect: 'none' },
  { topicId: TOPICS.retro._id, loopbackMetadata: 'lb-s4', ack: true, bodyText: '<p>normal send with an ack</p>', expect: 'echo' },
];

/** The payload the page sends: as Spaces' web client shapes it, or as a k6 client does. */
export function scenarioSendPayload(send: ScenarioSend): JsonObject {
  const content = { bodyText: send.bodyText, data: [] };
  if (send.loopbackMetadata === undefined) return { category: 'chat', chatMessages: {}, content, topicId: send.topicId };
  return { content, category: 'chat', topicId: send.topicId, version: '1.1', loopbackMetadata: send.loopbackMetadata };
}

/** The outcomes of every send the page makes with `?scenario=sends` (the demo plan's sends included). */
export function sendsExpected(): { ok: number; failed: number; unanswered: number } {
  const demoOk = DEMO_PLAN.sends.filter((s) => s.expect === 'MESSAGE_SENT').length;
  return {
    ok: demoOk + SENDS_PLAN.filter((s) => s.expect === 'echo').length,
    failed: DEMO_PLAN.sends.length - demoOk + SENDS_PLAN.filter((s) => s.expect === 'failed').length,
    unanswered: SENDS_PLAN.filter((s) => s.expect === 'none').length,
  };
}

/** Events the server answers with, the demo plan's included: the page is done once it has them all. */
export function sendsAnswers(): number {
  return DEMO_PLAN.subscribe.length + DEMO_PLAN.sends.length + 1 + SENDS_PLAN.filter((s) => s.expect !== 'none').length;
}
