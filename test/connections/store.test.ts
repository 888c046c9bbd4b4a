import { describe, expect, it } from 'vitest';
import { PanelStore } from '../../src/panel/store/state';
import type { CapturedEvent } from '../../src/core/model/event';
import type { Direction, LifeRecord } from '../../src/core/wire/types';
import { RESUBSCRIBE_GRACE_MS } from '../../src/core/connections/model';
import { describeEvent } from '../../src/core/spaces';

const raw = { text: '', length: 0, truncated: false };
const life = (seq: number, conn: number, t: number, l: LifeRecord['life'], more: Partial<LifeRecord> = {}): CapturedEvent => ({
  seq,
  record: { kind: 'life', conn, t, dir: 'in', transport: 'websocket', raw, life: l, ...more },
});
const URL = 'ws://h/socket.io/?EIO=4&transport=websocket';
const emit = (seq: number, conn: number, t: number, dir: Direction, event: string, arg: unknown): CapturedEvent => {
  const packet = { type: 'EVENT' as const, nsp: '/chat', event, args: [arg as never] };
  return { seq, record: { kind: 'socket', conn, t, dir, transport: 'websocket', raw, packet }, spaces: describeEvent(packet, dir) };
};

describe('PanelStore and connections', () => {
  it('"Only problems" shows an abnormal close; a clean one stays out; the list filters to one socket', () => {
    const s = new PanelStore({ max: 100 });
    s.receive(
      [
        life(1, 1, 0, 'start', { url: URL }),
        life(2, 1, 1, 'open'),
        life(3, 1, 2, 'close', { code: 1006, clean: false }),
        life(4, 2, 3, 'start', { url: URL }),
        life(5, 2, 4, 'open'),
        life(6, 2, 5, 'close', { code: 1000, clean: true }),
      ],
      false,
    );
    const shown = () => Array.from({ length: s.size }, (_, i) => s.at(i)!.seq);
    s.setFilters({ problems: true });
    expect(shown()).toEqual([3]);
    s.setFilters({ problems: false });
    // A socket's start and open are shown with the keep-alives; its close always.
    expect(shown()).toEqual([3, 6]);
    s.setShowEngine(true);
    s.setConnectionFilter([' 2']);
    expect(shown()).toEqual([4, 5, 6]);
    s.setConnectionFilter(null);
    expect(shown()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(s.connections.outageAt(4)).toMatchObject({ fromSeq: 3, toSeq: 5 });
  });

  it('a subscription not taken again after a reconnect shows under "Only problems" once the clock passes its grace, with no new event', () => {
    const s = new PanelStore({ max: 100 });
    s.receive(
      [
        life(1, 1, 0, 'start', { url: URL }),
        life(2, 1, 1, 'open'),
        emit(3, 1, 10, 'out', 'SUBSCRIBE_CHANNEL', { channel: { _id: 'T1', type: 'topic' } }),
        emit(4, 1, 20, 'in', 'CHANNEL_SUBSCRIBED', { _id: 'T1', type: 'topic' }),
        life(5, 1, 1000, 'close', { code: 1006, clean: false }),
        life(6, 2, 5000, 'start', { url: URL }),
        life(7, 2, 5001, 'open'),
      ],
      false,
    );
    const shown = () => Array.from({ length: s.size }, (_, i) => s.at(i)!.seq);
    s.setFilters({ problems: true, kind: 'conn-not-resubscribed' });
    s.tickProblems(5001 + RESUBSCRIBE_GRACE_MS, 120_000, 10_000);
    expect(shown()).toEqual([]);
    s.tickProblems(5001 + RESUBSCRIBE_GRACE_MS + 1, 120_000, 10_000);
    expect(shown().length).toBe(1);
    expect(s.problemContext.connections.count('not-resubscribed')).toBe(1);
  });
});
