import type { CapturedEvent } from '../../src/core/model/event';

const raw = (text: string) => ({ text, length: text.length, truncated: false });

/** A MESSAGE_SENT chat event. */
export function chat(seq: number, over: { topic?: string; sender?: string; summary?: string } = {}): CapturedEvent {
  return {
    seq,
    record: {
      kind: 'socket',
      conn: 1,
      t: 1_700_000_000_000 + seq,
      dir: 'in',
      transport: 'websocket',
      raw: raw(`42["MESSAGE_SENT",{"category":"chat"}]`),
      packet: { type: 'EVENT', nsp: '/', event: 'MESSAGE_SENT', args: [{ category: 'chat' }] },
    },
    spaces: {
      event: 'MESSAGE_SENT',
      known: true,
      category: 'chat',
      knownCategory: true,
      topicId: 't1',
      topicTitle: over.topic ?? 'Design review',
      sender: { id: 'u1', displayName: over.sender ?? 'Ada Lovelace' },
      summary: over.summary ?? `hello ${seq}`,
      issues: [],
    },
  };
}

export function ping(seq: number, type: 'ping' | 'pong' | 'open' | 'close' = 'ping'): CapturedEvent {
  return {
    seq,
    record: { kind: 'engine', type, conn: 1, t: 1_700_000_000_000 + seq, dir: 'out', transport: 'websocket', raw: raw('2') },
  };
}

export const seqs = (evs: readonly { seq: number }[]): number[] => evs.map((e) => e.seq);
