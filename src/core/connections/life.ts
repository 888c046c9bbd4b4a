// One line for a socket's life record (list row, detail, raw text). Pure.
import type { LifeRecord } from '../wire/types';

/** "close 1006 (not clean): reason", "error: polling request got HTTP 400", "start wss://…". */
/** The name a socket's life record goes by in the list (and for `event:` in a query). */
export const lifeEventName = (r: Pick<LifeRecord, 'life'>): string =>
  ({ start: 'socket started', open: 'socket open', close: 'socket closed', error: 'socket error' })[r.life];

export function lifeText(r: Pick<LifeRecord, 'life' | 'url' | 'code' | 'reason' | 'clean' | 'status'>): string {
  const parts: string[] = [r.life];
  if (r.url) parts.push(r.url);
  if (r.code !== undefined) parts.push(String(r.code));
  if (r.clean === false) parts.push('(not clean)');
  let text = parts.join(' ');
  if (r.status !== undefined) text += r.status === 0 ? ': polling request failed (no response)' : `: polling request got HTTP ${r.status}`;
  if (r.reason) text += `: ${r.reason}`;
  return text;
}
