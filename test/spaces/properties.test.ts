import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPACES_EVENTS, describeEvent } from '../../src/core/spaces/describe';
import { createSendTracker } from '../../src/core/spaces/pairing';
import type { Direction, JsonValue, SocketPacket, SocketPacketType } from '../../src/core/wire/types';

const json = fc.jsonValue({ maxDepth: 5 }) as fc.Arbitrary<JsonValue>;
const name = fc.oneof(fc.constantFrom(...SPACES_EVENTS), fc.string({ maxLength: 20 }));
const dir = fc.constantFrom<Direction>('in', 'out');
const type = fc.constantFrom<SocketPacketType>('EVENT', 'BINARY_EVENT', 'ACK', 'BINARY_ACK', 'CONNECT', 'DISCONNECT');
// Payload-like objects, so the Spaces paths (category, content, channel, …) are reached, not only junk.
const payload = fc.record(
  {
    _id: json,
    category: fc.oneof(fc.constantFrom('chat', 'task', 'topic.updated', 'app.event.user.topic.preference.updated'), json),
    topicId: json,
    content: fc.oneof(fc.record({ bodyText: json, data: fc.array(json, { maxLength: 3 }), status: json }), json),
    sender: json,
    channel: fc.oneof(fc.record({ _id: json, type: json, password: json }), json),
    loopbackMetadata: json,
  },
  { requiredKeys: [] },
) as fc.Arbitrary<JsonValue>;
const packet: fc.Arbitrary<SocketPacket> = fc.record({
  type,
  nsp: fc.constantFrom('/', '/chat'),
  event: name,
  id: fc.option(fc.nat(5), { nil: undefined }),
  args: fc.array(fc.oneof(json, payload), { maxLength: 3 }),
});

describe('properties', () => {
  it('describeEvent never throws and returns bounded, JSON-safe data', () => {
    fc.assert(
      fc.property(packet, dir, (p, d) => {
        const info = describeEvent(p, d);
        expect(typeof info.summary).toBe('string');
        expect(info.summary.length).toBeLessThanOrEqual(200);
        expect(Array.isArray(info.issues)).toBe(true);
        expect(JSON.parse(JSON.stringify(info))).toEqual(info);
      }),
      { numRuns: 1500 },
    );
  });

  it('a SUBSCRIBE_CHANNEL password never appears in the description', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{12,20}$/), fc.string(), dir, (password, id, d) => {
        const info = describeEvent({ type: 'EVENT', nsp: '/chat', event: 'SUBSCRIBE_CHANNEL', args: [{ channel: { _id: id, type: 'topic', password } }] }, d);
        expect(info.channel?.password).toBe('[redacted]');
        expect(JSON.stringify(info)).not.toContain(password);
      }),
    );
  });

  it('the tracker never throws and never holds more than maxPending', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(packet, dir, fc.integer({ min: 0, max: 10_000 })), { maxLength: 60 }), (steps) => {
        const tr = createSendTracker({ maxPending: 5 });
        steps.forEach(([p, d, t], i) => {
          const reply = tr.observe({ seq: i, t, dir: d, packet: p, spaces: describeEvent(p, d) });
          if (reply) expect(reply.toSeq).toBeLessThan(i);
          expect(tr.pending()).toBeLessThanOrEqual(5);
        });
      }),
      { numRuns: 300 },
    );
  });
});
