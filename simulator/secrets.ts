// Credentials in Spaces traffic, both directions: what the server sends (a refreshed JWT, an access
// token, a token in a MESSAGE_SENT, file URLs with ?token=, a channel password) and what the page
// sends, each inside the shapes that hide it from a whole-value check (header pairs, "jwt …" and
// "Authorization: …" text, encoded URLs, URL paths, body text, cookies). `SECRETS` lists every string
// that must never be stored, shown or exported; `KEPT` lists look-alikes that must stay as they are.
// Shared by the unit corpus (test/fixtures/secrets.ts) and the simulator's `?scenario=secrets`.
import type { JsonValue } from '../src/core/wire/types';
import { TOPICS, type JsonObject } from './scenario';

const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

/** A JWT shaped as Spaces issues them (HS256 header); the signature names the case. */
function jwt(sub: string, signature: string): { token: string; parts: string[] } {
  const payload = b64url(JSON.stringify({ sub, iat: 1764000000, exp: 1764003600, scope: 'spaces' }));
  const token = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${payload}.${signature}`;
  return { token, parts: [token, payload, signature] };
}

const J = {
  refreshed: jwt('refreshed-5f04251c', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'),
  fileUrl: jwt('file-url-5f04251c', 'q0TfileURLsig_8Hh2Kk4Mm6Nn8Pp0Rr2Tt4Vv6Xx8Zz'),
  scheme: jwt('scheme-5f04251c', 'Ab1schemeSIG-2Cd3Ef4Gh5Ij6Kl7Mn8Op9Qr0St1Uv'),
  pair: jwt('pair-5f04251c', 'Hp9headerPAIRsig-Zy8Xw7Vu6Ts5Rq4Po3Nm2Lk1Ji0'),
  line: jwt('line-5f04251c', 'Ln7authLINEsig_Kj6Ih5Gf4Ed3Cb2Ba1Zy0Xw9Vu8Ts'),
  path: jwt('path-5f04251c', 'Pt3urlPATHsig_Qr4St5Uv6Wx7Yz8Ab9Cd0Ef1Gh2Ij3'),
  body: jwt('body-5f04251c', 'Bd5bodyTEXTsig-Fg6Hi7Jk8Lm9No0Pq1Rs2Tu3Vw4Xy'),
  sent: jwt('sent-5f04251c', 'Sn1pageSENTsig_Op2Qr3St4Uv5Wx6Yz7Ab8Cd9Ef0Gh'),
  ack: jwt('ack-5f04251c', 'Ak2ackARGSsig-Lm3No4Pq5Rs6Tu7Vw8Xy9Za0Bc1De2'),
  connect: jwt('connect-5f04251c', 'Cn4connectSIG_Fg5Hi6Jk7Lm8No9Pq0Rs1Tu2Vw3Xy4'),
  binary: jwt('binary-5f04251c', 'Bn6binarySIG-Za7Bc8De9Fg0Hi1Jk2Lm3No4Pq5Rs6'),
};

/** Opaque credentials (no JWT shape): told only by their key or the text around them. */
const O = {
  accessToken: 'at-9f8e7d6c5b4a3f2e1d0c',
  contentToken: 'ct-4af3b2c1d0e9f8a7b6c5',
  password: 'chan-pw-Zq81!x',
  schemeOpaque: '8c1f0e2d9b7a6c5d4e3f',
  apiKey: 'k-77aa88bb99cc00dd',
  cookiePair: 'cookie-s3cr3t-1a2b3c',
  basic: 'dXNlcjpzM2NyM3QtYmFzaWM=',
  bearerText: 'abc123def456ghi789',
  cookieKey: 'ck-1a2b3c4d5e6f',
  setCookie: 'ck-7g8h9i0j1k2l',
  setCookieLine: 'ck-3m4n5o6p7q8r',
  queryToken: 'tk-55aa66bb77cc',
  semicolon: 'semi-tk-12ab34cd',
  nested: 'nested-tk-98zy76xw',
  doubleNested: 'double-tk-11qq22ww',
  sentPassword: 'page-pw-Lk90??',
  sentToken: 'page-ct-0a1b2c3d4e',
  ackToken: 'ack-at-1b2c3d4e5f',
  connectQuery: 'conn-tk-q1w2e3r4t5',
  connectAuth: 'auth-tk-y6u7i8o9p0',
  errorBearer: 'err-tk-5t6y7u8i9o',
  binaryPassword: 'bin-pw-0o9i8u7y',
  pin: '482913',
} as const;

/** Every string that must not appear in anything stored, shown or exported. */
export const SECRETS: readonly string[] = [...Object.values(J).flatMap((j) => j.parts), ...Object.values(O)];

const topicId = TOPICS.falcon._id;
const sender = { _id: '5f04251caa4a347af9946e06', displayname: 'Test user', picture_url: '', type: 'user', username: 'test.user@example.com' };
const file = (name: string, path: string): JsonObject => ({
  fileId: `63cb20f5-12d8-4dea-b784-${name.length.toString().padStart(12, '0')}`,
  name,
  fileType: 'document',
  fileSize: 2034,
  provider: 'native',
  convertStatus: 2,
  path,
  previewUrl: path,
  thumbnailUrl: `https://storage.example.com/thumbs/${name}`,
});

function messageSent(id: string, content: JsonObject): JsonObject {
  return {
    _id: id,
    category: 'chat',
    chatCount: 0,
    content: { bodyText: '', data: [], description: '', mediaMode: 'audio', meetingStatus: 'active', recordings: [], ...content },
    created: '2026-12-01T09:00:00.000Z',
    modified: '2026-12-01T09:00:00.000Z',
    sender,
    status: 0,
    topicId,
    topicTitle: TOPICS.falcon.title,
    topicType: 'group',
  };
}

export interface SecretEvent {
  /** What the case shows, e.g. "token.refreshed {jwt}". */
  name: string;
  /** in: server → page; out: page → server. */
  dir: 'in' | 'out';
  /** An event (`emit(event, ...args)`), or the arguments of an ack answering ack id `ack`. */
  event?: string;
  ack?: number;
  args: JsonValue[];
}

/** The events of the corpus, in the order the simulator plays them. */
export const SECRET_EVENTS: readonly SecretEvent[] = [
  { name: 'token.refreshed {jwt}', dir: 'in', event: 'token.refreshed', args: [{ jwt: J.refreshed.token }] },
  { name: 'accessToken', dir: 'in', event: 'session.renewed', args: [{ accessToken: O.accessToken, expiresIn: 3600 }] },
  { name: 'MESSAGE_SENT content.token', dir: 'in', event: 'MESSAGE_SENT', args: [messageSent('5f103c8b76111fce5a460d01', { bodyText: '<p>hi</p>', token: O.contentToken })] },
  {
    name: 'MESSAGE_SENT file URL ?token=<JWT>',
    dir: 'in',
    event: 'MESSAGE_SENT',
    args: [messageSent('5f103c8b76111fce5a460d02', { bodyText: '<p>report</p>', data: [file('report.pdf', `https://storage.example.com/files/63cb/report.pdf?token=${J.fileUrl.token}`)] })],
  },
  {
    name: 'CHANNEL_SUBSCRIBED channel.password',
    dir: 'in',
    event: 'CHANNEL_SUBSCRIBED',
    args: [{ channel: { _id: topicId, type: 'topic', password: O.password }, dtsid: '1', sessionId: '5e5500000000000000000001' }],
  },
  { name: '"jwt <JWT>" and "jwt <opaque>" in text', dir: 'in', event: 'session.info', args: [{ header: `jwt ${J.scheme.token}`, note: `retry with jwt ${O.schemeOpaque} later` }] },
  {
    name: 'header pairs ["Authorization", "jwt …"]',
    dir: 'in',
    event: 'request.replayed',
    args: [{ headers: [['Authorization', `jwt ${J.pair.token}`], ['X-Api-Key', O.apiKey], ['Accept', 'application/json']], raw: ['Cookie', `sid=${O.cookiePair}`, 'Accept', '*/*'] }],
  },
  {
    name: '"Authorization: jwt …" and Basic in text',
    dir: 'in',
    event: 'request.logged',
    args: [{ line: `GET /api/spaces HTTP/1.1\r\nAuthorization: jwt ${J.line.token}\r\nAccept: */*`, proxy: `Proxy-Authorization: Basic ${O.basic}` }],
  },
  {
    name: 'Bearer inside body text',
    dir: 'in',
    event: 'MESSAGE_SENT',
    args: [messageSent('5f103c8b76111fce5a460d03', { bodyText: `<p>call it with Bearer ${O.bearerText} please</p>` })],
  },
  {
    name: 'cookie and set-cookie keys, Set-Cookie line',
    dir: 'in',
    event: 'session.cookies',
    args: [{ cookie: `sid=${O.cookieKey}`, 'set-cookie': [`sess=${O.setCookie}; HttpOnly`], log: `HTTP/1.1 200 OK\nSet-Cookie: sess=${O.setCookieLine}; Path=/\nVary: Origin` }],
  },
  {
    name: 'URLs: ?token=, ;token=, nested encoded, JWT in path',
    dir: 'in',
    event: 'MESSAGE_SENT',
    args: [
      messageSent('5f103c8b76111fce5a460d04', {
        bodyText: '<p>links</p>',
        data: [
          file('a.pdf', `https://files.example.com/a.pdf?x=1&token=${O.queryToken}`),
          file('b.pdf', `https://files.example.com/b.pdf;token=${O.semicolon}`),
          file('c.pdf', `https://login.example.com/cb?redirect=https%3A%2F%2Fapp.example.com%2F%3Ftoken%3D${O.nested}%26x%3D1`),
          file('d.pdf', `https://login.example.com/cb?next=https%253A%252F%252Fapp.example.com%252F%253Ftoken%253D${O.doubleNested}%2526y%253D2`),
          file('e.pdf', `https://files.example.com/dl/${J.path.token}/e.pdf`),
        ],
      }),
    ],
  },
  {
    name: 'JWT inside body text, meeting PIN',
    dir: 'in',
    event: 'MESSAGE_SENT',
    args: [messageSent('5f103c8b76111fce5a460d05', { bodyText: `<p>my token is ${J.body.token} oops</p>`, settings: { confId: '5f06c25e', confPin: O.pin } })],
  },
  {
    name: 'page sends SEND_MESSAGE with content.token, SUBSCRIBE_CHANNEL with a password',
    dir: 'out',
    event: 'SEND_MESSAGE',
    args: [{ category: 'chat', topicId, loopbackMetadata: 'lb-secrets-1', content: { bodyText: '<p>hello</p>', token: O.sentToken, data: [] } }],
  },
  { name: 'page subscribes with a password', dir: 'out', event: 'SUBSCRIBE_CHANNEL', args: [{ channel: { _id: topicId, type: 'topic', password: O.sentPassword } }] },
  { name: 'page authenticates: emit("auth", "jwt …")', dir: 'out', event: 'auth', args: [`jwt ${J.sent.token}`] },
  { name: 'server ack with an access token', dir: 'in', ack: 7, args: [{ ok: true, accessToken: O.ackToken, refreshed: J.ack.token }] },
  { name: 'page ack with a token', dir: 'out', ack: 3, args: [{ token: O.ackToken }] },
];

/** Connect frames (a namespace query, a CONNECT auth payload) and a server's CONNECT_ERROR, as Socket.IO text after the Engine.IO "4". */
export const SECRET_CONNECTS = {
  /** Protocol 4 (socket.io 2.x): the token in the namespace query. */
  query: `0/chat?token=${O.connectQuery}&tokenType=jwt,`,
  /** Protocol 5 (socket.io 4): the token in the CONNECT auth payload. */
  auth: `0/chat,{"token":"${J.connect.token}","user":{"authorization":"Bearer ${O.connectAuth}"}}`,
  /** A server's refusal quoting the credential. */
  error: `4/chat,{"message":"Authentication error: Bearer ${O.errorBearer} expired"}`,
} as const;

/** Bytes of a binary attachment holding credentials (a JSON body uploaded as a file). */
export function secretAttachment(): Uint8Array {
  return new TextEncoder().encode(`{"password":"${O.binaryPassword}","jwt":"${J.binary.token}","note":"uploaded"}`);
}

/**
 * Strings that look like a credential to a careless rule and are not: ids, a JWT-like id whose header is
 * not JSON, base64 images, "token" and "Bearer" as words in chat, "Basic plan". Each must stay as is.
 */
export const KEPT: readonly string[] = [
  '5f04251caa4a347af9946e06',
  '63cb20f5-12d8-4dea-b784-ae13c11a1cb8',
  'eyJub3Qh.a-jwt.lookalike',
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'the token ring is Basic plan material',
  'Basic plan',
  'bearer tokens expire, ask auth team',
  'Tokyo author passes the cookie jar',
];

/** A MESSAGE_SENT carrying every KEPT string where a person reads it. */
export const KEPT_EVENT: SecretEvent = {
  name: 'look-alikes that stay',
  dir: 'in',
  event: 'MESSAGE_SENT',
  args: [
    messageSent('5f04251caa4a347af9946e06', {
      bodyText: `<p>${KEPT[4]}; ${KEPT[6]}; ${KEPT[7]}</p>`,
      description: KEPT[5] ?? '',
      data: [{ ...file('eyJub3Qh.a-jwt.lookalike', 'https://storage.example.com/files/eyJub3Qh.a-jwt.lookalike'), fileId: KEPT[1] ?? '', thumbnailFile: KEPT[3] ?? '' }],
    }),
  ],
};

/** What the simulator plays, in order: the server's half, then what it hands the page to send. */
export function secretsPlay(): { ack: JsonValue[]; events: { event: string; args: JsonValue[] }[]; ask: JsonValue[]; plan: { out: { event: string; args: JsonValue[] }[]; attachment: string } } {
  const withEvent = (e: SecretEvent): e is SecretEvent & { event: string } => e.event !== undefined;
  const ackOf = (dir: 'in' | 'out'): JsonValue[] => SECRET_EVENTS.find((e) => e.ack !== undefined && e.dir === dir)?.args ?? [];
  return {
    ack: ackOf('in'),
    events: SECRET_EVENTS.filter((e) => e.dir === 'in').filter(withEvent).map((e) => ({ event: e.event, args: e.args })),
    ask: ackOf('out'),
    plan: {
      out: SECRET_EVENTS.filter((e) => e.dir === 'out').filter(withEvent).map((e) => ({ event: e.event, args: e.args })),
      attachment: new TextDecoder().decode(secretAttachment()),
    },
  };
}
