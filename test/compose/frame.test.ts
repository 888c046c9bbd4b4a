import { describe, expect, it } from 'vitest';
import { MAX_EMIT, checkEventPacket, eioOf, eventPacket, pollingBody, pollingPostUrl } from '../../src/core/compose/frame';
import { checkBackgroundToContent, checkPanelToBackground } from '../../src/core/messages';
import { createConnectionDecoder } from '../../src/core/wire/decoder';

describe('emit frames', () => {
  it('frames an EVENT on a namespace and on the root', () => {
    expect(eventPacket('/chat', 'SEND_MESSAGE', [{ a: 1 }])).toBe('42/chat,["SEND_MESSAGE",{"a":1}]');
    expect(eventPacket('/', 'x', [])).toBe('42["x"]');
  });

  it('builds packets the decoder reads back as the same event (both generations, both transports)', () => {
    const packet = eventPacket('/chat', 'SEND_MESSAGE', [{ content: { bodyText: 'héllo 👋' } }]);
    for (const eio of [3, 4] as const) {
      for (const transport of ['websocket', 'polling'] as const) {
        const d = createConnectionDecoder({ conn: 1, url: `http://h/socket.io/?EIO=${eio}&transport=${transport}`, transport });
        const data = transport === 'polling' ? pollingBody(eio, packet) : packet;
        const records = d.push({ t: 1, dir: 'out', data });
        const socket = records.find((r) => r.kind === 'socket');
        expect(socket?.kind === 'socket' && socket.packet.event, `EIO=${eio} ${transport}`).toBe('SEND_MESSAGE');
        expect(socket?.kind === 'socket' && socket.packet.nsp).toBe('/chat');
        expect(socket?.kind === 'socket' && socket.packet.args).toEqual([{ content: { bodyText: 'héllo 👋' } }]);
      }
    }
  });

  it('prefixes an Engine.IO 3 polling body with its length in characters', () => {
    expect(pollingBody(3, '42["é"]')).toBe('7:42["é"]');
    expect(pollingBody(4, '42["é"]')).toBe('42["é"]');
  });

  it('posts to the session URL with its sid and a fresh t', () => {
    expect(pollingPostUrl('http://h/socket.io/?EIO=4&transport=polling&t=old&sid=S1', 'S1', 'n')).toBe('http://h/socket.io/?EIO=4&transport=polling&t=n&sid=S1');
    expect(pollingPostUrl('http://h/socket.io/?EIO=3&transport=polling&t=old', 'a b', 'n')).toBe('http://h/socket.io/?EIO=3&transport=polling&t=n&sid=a%20b');
    expect(eioOf('http://h/socket.io/?EIO=3&transport=polling')).toBe(3);
    expect(eioOf('http://h/socket.io/?EIO=5')).toBeUndefined();
  });

  it('accepts only well-formed EVENT packets within the bound', () => {
    expect(checkEventPacket('42/chat,["SEND_MESSAGE",{}]')).toBeUndefined();
    expect(checkEventPacket('42["x"]')).toBeUndefined();
    expect(checkEventPacket('41/chat,')).toMatch(/not a Socket.IO EVENT/);
    expect(checkEventPacket('42/chat,["x"]\u001e42["y"]')).toMatch(/not JSON/);
    expect(checkEventPacket('42/chat,[{"a":1}]')).toMatch(/event name/);
    expect(checkEventPacket('42[""]')).toMatch(/event name/);
    expect(checkEventPacket('2probe')).toMatch(/not a Socket.IO EVENT/);
    expect(checkEventPacket(`42["x","${'a'.repeat(MAX_EMIT)}"]`)).toMatch(/longer than/);
  });

  it('validates the emit messages of the panel and the background', () => {
    expect(checkPanelToBackground({ type: 'panel/emit', id: 1, conn: 2, packet: '42["x"]' }).ok).toBe(true);
    expect(checkPanelToBackground({ type: 'panel/emit', id: 1, conn: 2, packet: '3probe' }).ok).toBe(false);
    expect(checkPanelToBackground({ type: 'panel/emit', id: 1, conn: 2, packet: '42["x"]', tabId: 9 }).ok).toBe(false);
    expect(checkPanelToBackground({ type: 'panel/emit', id: -1, conn: 2, packet: '42["x"]' }).ok).toBe(false);
    expect(checkBackgroundToContent({ type: 'bg/emit', id: 1, c: 2, packet: '42/chat,["x",1]' }).ok).toBe(true);
    expect(checkBackgroundToContent({ type: 'bg/emit', id: 1, c: 2, packet: 42 }).ok).toBe(false);
    expect(checkBackgroundToContent({ type: 'content/page', id: 1, c: 2, packet: '42["x"]' }).ok).toBe(false);
  });
});
