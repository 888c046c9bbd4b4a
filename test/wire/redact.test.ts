import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REDACTED, redactJson, redactText, redactUrl } from '../../src/core/wire/redact';
import { createConnectionDecoder, isSocketIoUrl } from '../../src/core/wire/decoder';
import type { SocketRecord, Transport, WireRecord } from '../../src/core/wire/types';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl';

describe('redactUrl', () => {
  it.each([
    ['wss://s.example/socket.io/?EIO=3&transport=websocket&token=abc123', 'wss://s.example/socket.io/?EIO=3&transport=websocket&token=[redacted]'],
    ['https://s.example/socket.io/?access_token=abc&EIO=4', 'https://s.example/socket.io/?access_token=[redacted]&EIO=4'],
    ['https://s.example/x?Authorization=Bearer%20abc&room=1', 'https://s.example/x?Authorization=[redacted]&room=1'],
    ['https://s.example/x?auth=zz&author=me', 'https://s.example/x?auth=[redacted]&author=me'],
    ['https://s.example/x?jwt=zz&q=' + JWT, 'https://s.example/x?jwt=[redacted]&q=[redacted]'],
    ['https://s.example/x?h=Bearer+abc', 'https://s.example/x?h=[redacted]'],
    ['https://s.example/cb#access_token=abc&state=1', 'https://s.example/cb#access_token=[redacted]&state=1'],
    ['https://user:pa55@s.example/x?EIO=4', 'https://user:[redacted]@s.example/x?EIO=4'],
    ['https://s.example/socket.io/?EIO=4&transport=polling&sid=abc', 'https://s.example/socket.io/?EIO=4&transport=polling&sid=abc'],
  ])('%s', (url, want) => {
    expect(redactUrl(url)).toBe(want);
  });

  it('never keeps a token value, whatever it is', () => {
    fc.assert(
      fc.property(fc.constantFrom('token', 'access_token', 'AUTH', 'authorization', 'jwt', 'bearer', 'x-auth-token', 'refreshToken'), fc.stringMatching(/^[A-Za-z0-9._~-]{6,30}$/), (k, v) => {
        const out = redactUrl(`https://h/p?EIO=4&${k}=${encodeURIComponent(v)}&x=1`);
        expect(out).toBe(`https://h/p?EIO=4&${k}=${REDACTED}&x=1`);
      }),
    );
  });

  it('isSocketIoUrl wants EIO=3 or EIO=4', () => {
    expect(isSocketIoUrl('wss://h/socket.io/?EIO=4&transport=websocket')).toBe(true);
    expect(isSocketIoUrl('https://h/socket.io/?transport=polling&EIO=3')).toBe(true);
    expect(isSocketIoUrl('https://h/socket.io/?EIO=5')).toBe(false);
    expect(isSocketIoUrl('https://h/socket.io/?XEIO=4')).toBe(false);
    expect(isSocketIoUrl('https://h/ws')).toBe(false);
  });
});

function decode(url: string, transport: Transport, ...frames: string[]): WireRecord[] {
  const d = createConnectionDecoder({ conn: 1, url, transport });
  return frames.flatMap((data, i) => d.push({ t: i, dir: 'out', data }));
}

describe('redaction in decoded frames', () => {
  it('protocol 4 namespace query: packet.query and raw text', () => {
    const [r] = decode('wss://h/socket.io/?EIO=3&transport=websocket', 'websocket', '40/chat?token=s3cr3t&room=a,');
    const p = (r as SocketRecord).packet;
    expect(p).toMatchObject({ type: 'CONNECT', nsp: '/chat', query: `token=${REDACTED}&room=a` });
    expect(r?.raw.text).toBe(`40/chat?token=${REDACTED}&room=a,`);
    expect(r?.raw.length).toBe('40/chat?token=s3cr3t&room=a,'.length);
  });

  it('protocol 5 CONNECT auth payload, nested and Bearer values, in EIO4 polling', () => {
    const frame = `40/chat,{"token":"s3cr3t","user":{"authorization":"Bearer s3cr3t2","name":"n"},"x":"${JWT}","room":"a"}`;
    const [r] = decode('https://h/socket.io/?EIO=4&transport=polling', 'polling', frame + '\x1e2');
    expect((r as SocketRecord).packet.data).toEqual({ token: REDACTED, user: { authorization: REDACTED, name: 'n' }, x: REDACTED, room: 'a' });
    expect(r?.raw.text).not.toMatch(/s3cr3t|eyJ/);
    expect(JSON.parse(r?.raw.text.slice(r.raw.text.indexOf('{')) ?? '')).toEqual((r as SocketRecord).packet.data);
  });

  it('server CONNECT answer without tokens keeps its raw text as sent', () => {
    const [r] = decode('wss://h/?EIO=4', 'websocket', '40/chat,{"sid":"abc"}');
    expect(r?.raw.text).toBe('40/chat,{"sid":"abc"}');
  });

  it('raw text of a CONNECT that cannot be decoded', () => {
    const [r] = decode('wss://h/?EIO=4', 'websocket', '40/chat,{"token":"s3cr3t","auth":"x", broken');
    expect(r?.kind).toBe('error');
    expect(r?.raw.text).not.toContain('s3cr3t');
    expect(r?.raw.text).toContain(`"token":"${REDACTED}"`);
  });

  it('raw text of a bad EIO3 polling payload carrying a namespace query', () => {
    const [r] = decode('https://h/?EIO=3', 'polling', '99:40/chat?access_token=s3cr3t,');
    expect(r?.kind).toBe('error');
    expect(r?.raw.text).toBe(`99:40/chat?access_token=${REDACTED},`);
  });

  it('what the page sends: credential keys and values in event and ack arguments, and the raw text', () => {
    const frame = `42/chat,1["SUBSCRIBE_CHANNEL",{"channel":{"_id":"c1","password":"hunter2"},"n":"Bearer s3cr3t"},{"JWt":0}]`;
    const [r, ack] = decode('wss://h/socket.io/?EIO=3&transport=websocket', 'websocket', frame, '43/chat,1[{"apiKey":"k9"}]');
    expect((r as SocketRecord).packet.args).toEqual([{ channel: { _id: 'c1', password: REDACTED }, n: `Bearer ${REDACTED}` }, { JWt: REDACTED }]);
    expect(r?.raw.text).not.toMatch(/hunter2|s3cr3t/);
    expect((ack as SocketRecord).packet).toMatchObject({ type: 'ACK', args: [{ apiKey: REDACTED }] });
  });

  it('a received frame: a PIN, and credential keys and schemes spelled with \\u escapes', () => {
    const url = 'wss://h/socket.io/?EIO=3&transport=websocket';
    const d = createConnectionDecoder({ conn: 1, url, transport: 'websocket' });
    const [plain, pin, escaped] = [
      '42/chat,["MESSAGE_SENT",{"topicId":"t1","content":{"bodyText":"hello"}}]',
      '42/chat,["MESSAGE_SENT",{"settings":{"confPin":"4711"}}]',
      '42/chat,["MESSAGE_SENT",{"\\u0074oken":"s3cr3t","a":"\\u0042earer s3cr3t-2"}]',
    ].map((data, t) => d.push({ t, dir: 'in', data })[0] as SocketRecord);
    expect(plain?.packet.args).toEqual([{ topicId: 't1', content: { bodyText: 'hello' } }]);
    expect(pin?.packet.args).toEqual([{ settings: { confPin: REDACTED } }]);
    expect(pin?.raw.text).not.toContain('4711');
    expect(escaped?.packet.args).toEqual([{ token: REDACTED, a: `Bearer ${REDACTED}` }]);
    expect(escaped?.raw.text).not.toContain('s3cr3t');
  });

  it('a PIN in text: pin= and "confPin": values', () => {
    expect(redactText('confPin=4711 {"confPin": "4712"}')).toBe(`confPin=${REDACTED} {"confPin": "${REDACTED}"}`);
  });

  it('redactText covers query pairs, JSON pairs, Bearer values and JWTs', () => {
    expect(redactText(`a?token=1&b=2 {"jwt": "x", "Authorization":"Bearer q"} ${JWT} Bearer zzz-99`)).toBe(
      `a?token=${REDACTED}&b=2 {"jwt": "${REDACTED}", "Authorization":"${REDACTED}"} ${REDACTED} Bearer ${REDACTED}`,
    );
  });
});

describe('the text rules (both directions, any string)', () => {
  it('a JWT is told from a look-alike by its header: base64url of a JSON object', () => {
    // "eyJub3Qh" is '{"not!': the start of a JSON object, not one
    expect(redactText('file eyJub3Qh.a-jwt.lookalike.pdf')).toBe('file eyJub3Qh.a-jwt.lookalike.pdf');
    expect(redactText(`dl/${JWT}/x.pdf`)).toBe(`dl/${REDACTED}/x.pdf`);
    // without its signature (a frame cut after the payload) it is still one
    expect(redactText(`cut ${JWT.slice(0, JWT.lastIndexOf('.') + 1)}`)).toBe(`cut ${REDACTED}`);
  });

  it('auth schemes: a credential after jwt, Bearer, Basic, OAuth; words after them stay', () => {
    expect(redactText('Authorization: Basic dXNlcjpwYXNzd29yZA==')).toBe(`Authorization: ${REDACTED}`);
    expect(redactText('retry with jwt 8c1f0e2d9b7a6c5d later')).toBe(`retry with jwt ${REDACTED} later`);
    expect(redactText('Basic plan, bearer tokens expire, OAuth setup')).toBe('Basic plan, bearer tokens expire, OAuth setup');
  });

  it('Cookie and Set-Cookie lines, ;token= and token%3D in an encoded URL', () => {
    expect(redactText('HTTP/1.1 200\nSet-Cookie: sess=a1b2c3; Path=/\nVary: x')).toBe(`HTTP/1.1 200\nSet-Cookie: ${REDACTED}\nVary: x`);
    expect(redactText('https://f.example/b.pdf;token=semi-1')).toBe(`https://f.example/b.pdf;token=${REDACTED}`);
    expect(redactText('https://l.example/cb?redirect=https%3A%2F%2Fa.example%2F%3Ftoken%3Dn-98zy%26x%3D1')).toBe(`https://l.example/cb?redirect=https%3A%2F%2Fa.example%2F%3Ftoken%3D${REDACTED}%26x%3D1`);
    expect(redactText('next=https%253A%252F%252Fa%252F%253Ftoken%253Dd-11qq%2526y')).toBe(`next=https%253A%252F%252Fa%252F%253Ftoken%253D${REDACTED}%2526y`);
  });

  it('is idempotent', () => {
    const text = `Authorization: jwt ${JWT}; {"password":"x"} Set-Cookie: a=b token%3Dc Bearer s3cr3t-99`;
    const once = redactText(text);
    expect(once).not.toMatch(/s3cr3t|eyJ|"x"|a=b|%3Dc/);
    expect(redactText(once)).toBe(once);
  });

  it('header pairs: the element after a credential name in an array', () => {
    expect(redactJson([['Authorization', 'jwt abc'], ['Accept', '*/*'], 'Cookie', 'sid=1', 'Vary', 'x'])).toEqual([['Authorization', REDACTED], ['Accept', '*/*'], 'Cookie', REDACTED, 'Vary', 'x']);
  });

  it('a credential the raw text cut splits is replaced whole', () => {
    const frame = `42/chat,["x",{"pad":"${'a'.repeat(16 * 1024 - 39)}","password":"hunter2-long-secret"}`; // not JSON: kept raw
    const [r] = decode('wss://h/socket.io/?EIO=4', 'websocket', frame);
    expect(r?.kind).toBe('error');
    expect(r?.raw.truncated).toBe(true);
    expect(r?.raw.text).toContain('"password":');
    expect(r?.raw.text).not.toMatch(/hunt|2-lo/);
  });
});

describe('values of credential keys', () => {
  it('go whatever their type, but for flags, null and empty strings, which say nothing', () => {
    const settings = { passwordRequired: false, allowPasswordInURL: true, confPin: '', password: null, pin: 482913, apiKey: { v: 'k' }, token: ['a'] };
    expect(redactJson(settings)).toEqual({ passwordRequired: false, allowPasswordInURL: true, confPin: '', password: null, pin: REDACTED, apiKey: REDACTED, token: REDACTED });
    expect(redactJson(['Cookie', '', 'Authorization', 'x'])).toEqual(['Cookie', '', 'Authorization', REDACTED]);
  });
});
