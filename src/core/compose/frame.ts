// The frames the panel's composer writes on a page's socket. Pure: used by the panel (building the
// packet), the relay (checking it) and the page hook (framing it for its transport).

/** Longest Socket.IO packet the panel may emit (characters). */
export const MAX_EMIT = 1024 * 1024;

/**
 * The Engine.IO message carrying a Socket.IO EVENT: `42` then `/nsp,` unless the namespace is the
 * root, then the JSON array `[event, ...args]`. Both generations (Socket.IO 2 on Engine.IO 3, and
 * Socket.IO 3+ on Engine.IO 4) frame an event alike.
 */
export function eventPacket(nsp: string, event: string, args: readonly unknown[]): string {
  const prefix = nsp === '' || nsp === '/' ? '' : `${nsp},`;
  return `42${prefix}${JSON.stringify([event, ...args])}`;
}

/** Why a packet may not be emitted, or undefined when it is a well-formed EVENT within the bound. */
export function checkEventPacket(packet: string): string | undefined {
  if (packet.length > MAX_EMIT) return `longer than ${MAX_EMIT} characters`;
  const m = /^42(\/[^,[]{0,200},)?(\[[\s\S]*)$/.exec(packet);
  if (!m) return 'not a Socket.IO EVENT (42[/nsp,][…])';
  let parsed: unknown;
  try {
    parsed = JSON.parse(m[2]!);
  } catch {
    return 'its arguments are not JSON';
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || parsed[0] === '') return 'the array does not start with an event name';
  return undefined;
}

/** Engine.IO protocol of a Socket.IO URL (EIO=3|4), or undefined. */
export function eioOf(url: string): 3 | 4 | undefined {
  const m = /[?&]EIO=([34])(?:&|#|$)/.exec(url);
  return m ? (Number(m[1]) as 3 | 4) : undefined;
}

/**
 * A long-polling POST body carrying one packet: Engine.IO 4 sends it as is (packets are separated by
 * \x1e); Engine.IO 3 prefixes its length in characters and a colon (`27:42[…]`).
 */
export function pollingBody(eio: 3 | 4, packet: string): string {
  return eio === 3 ? `${packet.length}:${packet}` : packet;
}

/** The URL a polling session's POST goes to: the session's URL with its sid and a fresh `t`. */
export function pollingPostUrl(base: string, sid: string, t: string): string {
  const [path, query = ''] = base.split('#')[0]!.split('?', 2) as [string, string?];
  const kept = query.split('&').filter((p) => p !== '' && !/^(t|sid)=/.test(p));
  return `${path}?${[...kept, `t=${encodeURIComponent(t)}`, `sid=${encodeURIComponent(sid)}`].join('&')}`;
}
