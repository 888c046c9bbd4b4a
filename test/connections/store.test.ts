import { describe, expect, it } from 'vitest';
import { PanelStore } from '../../src/panel/store/state';
import type { CapturedEvent } from '../../src/core/model/event';
import type { LifeRecord } from '../../src/core/wire/types';

const raw = { text: '', length: 0, truncated: false };
const life = (seq: number, conn: number, t: number, l: LifeRecord['life'], more: Partial<LifeRecord> = {}): CapturedEvent => ({
  seq,
  record: { kind: 'life', conn, t, dir: 'in', transport: 'websocket', raw, life: l, ...more },
});
const URL = 'ws://h/socket.io/?EIO=4&transport=websocket';

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
});
