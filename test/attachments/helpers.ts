// Builds CapturedEvents of MESSAGE_SENT payloads, described by the real Spaces layer.
import type { CapturedEvent } from '../../src/core/model/event';
import { describeEvent } from '../../src/core/spaces';
import type { JsonValue, SocketPacket } from '../../src/core/wire/types';

export type Obj = { [key: string]: JsonValue };

export const T0 = Date.parse('2020-07-10T11:00:00.000Z');
export const TOPIC = '5f0425254b3cd61ae416fa5f';
export const ITEM = '5f084be01015c7ea0129f976';

/** A CapturedEvent as the background builds it for a received MESSAGE_SENT. */
export function sent(seq: number, t: number, payload: JsonValue, event = 'MESSAGE_SENT', dir: 'in' | 'out' = 'in'): CapturedEvent {
  const packet: SocketPacket = { type: 'EVENT', nsp: '/chat', event, args: [payload] };
  return {
    seq,
    record: { kind: 'socket', conn: 1, t, dir, transport: 'websocket', raw: { text: '', length: 0, truncated: false }, packet },
    spaces: describeEvent(packet, dir),
  };
}

/** An attachment in content.data[]. */
export function att(fileId: string, fields: Obj = {}): Obj {
  return { fileId, fileSize: 2034, fileType: 'document', name: `${fileId}.txt`, provider: 'native', providerFileType: 'text/plain', ...fields };
}

/** A version of an item (app.event.task.updated by default) carrying `data`. */
export function version(data: JsonValue[], opts: { itemId?: string; category?: string; modified?: string; topicId?: string } = {}): Obj {
  const out: Obj = {
    _id: opts.itemId ?? ITEM,
    category: opts.category ?? 'app.event.task.updated',
    content: { bodyText: 'Collect user actions', data },
    messageId: opts.itemId ?? ITEM,
    topicId: opts.topicId ?? TOPIC,
  };
  if (opts.modified !== undefined) out.modified = opts.modified;
  return out;
}

/** One file's convertStatus values, one version each, one second apart from T0. */
export function statusEvents(codes: JsonValue[], fileId = 'f1'): CapturedEvent[] {
  return codes.map((code, i) => sent(i + 1, T0 + i * 1000, version([att(fileId, { convertStatus: code })])));
}
