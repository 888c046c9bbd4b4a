// A hostile page's traffic, as MESSAGE_SENT payloads a real server sends: markup and script in every
// text a panel shows, `javascript:` and tracking URLs, bidi and zero-width characters, a 1 MB string,
// 10,000-deep nesting, `__proto__`/`constructor` keys, lone surrogates. Each URL points back at the
// simulator's `/pwned/…`, which counts requests: the panel must fetch none of them.
import type { JsonValue } from '../src/core/wire/types';
import type { JsonObject } from './scenario';
import { TOPICS } from './scenario';

/** Path prefix the simulator counts requests to. */
export const PWNED_PATH = '/pwned/';
/** Global a script from the corpus would set, in whatever document ran it. */
export const PWNED_GLOBAL = '__spacesPwned';

const run = `window.${PWNED_GLOBAL}=1`;

/** Markup and script that would run if rendered as HTML. */
export function xssStrings(origin: string): string[] {
  return [
    `<img src="${origin}${PWNED_PATH}img" onerror="${run}">`,
    `<script>${run}</script>`,
    `"><svg onload="${run}"><a href="javascript:${run}">x</a>`,
    `<iframe src="javascript:${run}"></iframe>`,
    `<style>@import url(${origin}${PWNED_PATH}css);</style><b>bold?</b>`,
    `{{constructor.constructor('${run}')()}}`,
  ];
}

/** Strings a person must see as such (escaped), not rendered. */
export const VISIBLE_MARKERS = ['<script>', 'onerror=', '\u202Efdp.exe', 'javascript:'];

/** Sender of the corpus' one ordinary message. */
export const BASELINE_SENDER = 'Baseline Person';

/** Depth of the nested value (arrays in arrays). */
export const DEEP = 10_000;
export const MEGABYTE = 1024 * 1024;

/** Stands for the deep value in a payload; hostileFrames writes it out (JSON.stringify would overflow). */
const DEEP_MARK = '\u0000deep\u0000';

/** An object with own `__proto__` and `constructor` keys, as JSON.parse makes them. */
function protoKeys(): JsonObject {
  return JSON.parse(`{"__proto__": {"polluted": "yes", "${PWNED_GLOBAL}": 1}, "constructor": {"prototype": {"polluted": "yes"}}, "toString": "not a function"}`) as JsonObject;
}

const sender = (displayname: string): JsonObject => ({
  _id: '5f04251caa4a347af9946e66',
  type: 'user',
  username: `${displayname}@example.com`,
  displayname,
  picture_url: 'javascript:alert(1)',
});

/** The corpus: one MESSAGE_SENT each, then edits of the same items (versions and attachment timelines). */
export function hostileCorpus(origin: string): JsonObject[] {
  const xss = xssStrings(origin);
  const topic = { topicId: TOPICS.falcon._id, topicType: 'group' };
  const file = (name: string, convertStatus: JsonValue, extra: JsonObject = {}): JsonObject => ({
    fileId: `f-${name.length}-${String(convertStatus)}`,
    name,
    fileType: 'document',
    fileSize: 1234,
    provider: 'spaces',
    convertStatus,
    thumbnailUrl: `${origin}${PWNED_PATH}thumb`,
    previewUrl: `javascript:${run}`,
    ...extra,
  });
  // An ordinary message first: what opening a row costs when nothing in it is hostile.
  const out: JsonObject[] = [
    {
      _id: '6b00000000000000000000a0',
      category: 'chat',
      ...topic,
      topicTitle: TOPICS.falcon.title,
      created: '2026-11-25T09:00:00.000Z',
      modified: '2026-11-25T09:00:00.000Z',
      sender: { ...sender(BASELINE_SENDER), picture_url: '' },
      content: { bodyText: '<p>Standup moved to 10:30</p>', description: 'Agenda', data: [{ ...file('agenda.pdf', 2), thumbnailUrl: '', previewUrl: '' }] },
    },
  ];
  xss.forEach((s, i) => {
    out.push({
      _id: `6b00000000000000000000${String(i).padStart(2, '0')}`,
      category: 'chat',
      // The first one in a topic of its own, named with markup (the tree keeps a topic's latest title).
      ...(i === 0 ? { topicId: '6b00000000000000000000e0', topicType: 'group', topicTitle: s } : { ...topic, topicTitle: TOPICS.falcon.title }),
      created: '2026-11-25T09:00:00.000Z',
      modified: '2026-11-25T09:00:00.000Z',
      sender: sender(s),
      content: { bodyText: `<p>${s}</p>`, description: s, data: [file(s, 1)] },
    });
  });
  // Edits: the diff shows hostile old → new values and a word diff of markup.
  out.push({
    _id: '6b0000000000000000000000',
    category: 'app.event.message.updated',
    ...topic,
    modified: '2026-11-25T09:01:00.000Z',
    sender: sender('Mallory'),
    content: { bodyText: `<p>${xss[1]} edited ${xss[2]}</p>`, data: [file(xss[0]!, 3, { convertFailed: xss[3]! })] },
  });
  // Bidi override and zero-width characters in names people read.
  out.push({
    _id: '6b00000000000000000000b1',
    category: 'idea',
    ...topic,
    topicTitle: `Pay\u200Broll\u200D \u202Efdp.exe`,
    modified: '2026-11-25T09:02:00.000Z',
    sender: sender('\u202EeciffO\u202C'),
    content: { description: 'invoice\u202Efdp.exe', data: [file('report\u202Efdp.exe', 9)] },
  });
  // A 1 MB body, 10,000-deep nesting, prototype keys, lone surrogates.
  out.push({ _id: '6b00000000000000000000c1', category: 'chat', ...topic, modified: '2026-11-25T09:03:00.000Z', sender: sender('Big'), content: { bodyText: 'A'.repeat(MEGABYTE) } });
  out.push({ _id: '6b00000000000000000000c2', category: 'chat', ...topic, modified: '2026-11-25T09:04:00.000Z', sender: sender('Deep'), content: { bodyText: 'deep', extra: DEEP_MARK } });
  out.push({ _id: '6b00000000000000000000c3', category: 'chat', ...topic, modified: '2026-11-25T09:05:00.000Z', sender: sender('Proto'), content: { bodyText: 'proto', ...protoKeys() } });
  out.push({
    _id: '6b00000000000000000000c4',
    category: 'chat',
    ...topic,
    modified: '2026-11-25T09:06:00.000Z',
    sender: sender('Lone \uD800 surrogate'),
    content: { bodyText: 'half \uDC00 pair \uD83D', data: [file('bad\uDFFFname', 2)] },
  });
  return out;
}

/** The corpus as the text of Socket.IO event packets on /chat (`2/chat,["MESSAGE_SENT",…]`). */
export function hostileFrames(origin: string): string[] {
  const deep = '['.repeat(DEEP) + '"bottom"' + ']'.repeat(DEEP);
  return hostileCorpus(origin).map((p) => `2/chat,${JSON.stringify(['MESSAGE_SENT', p]).replace(JSON.stringify(DEEP_MARK), deep)}`);
}
