// What the simulator plays, as data: the demo page's plan (subscriptions, sends) and the scripted
// MESSAGE_SENT scenario. Payload shapes follow the examples in the Spaces MESSAGE_SENT doc (seed).
import type { JsonValue } from '../src/core/wire/types';

export type JsonObject = { [key: string]: JsonValue };

/** A fixed JWT-looking token (not a real JWT) that the demo page sends by default. */
export const DEMO_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI1ZjA0MjUxY2FhNGEzNDdhZjk5NDZlMDYiLCJzaW0iOnRydWV9.c2ltdWxhdG9yLWRlbW8';

/** Events the simulator adds to the Spaces protocol (page → server, then the server's answers). */
export const SIM_EVENTS = {
  /** page → server: `{ ms }` the server drops every connection and refuses new ones for ms, then comes back. */
  stop: 'SIM_STOP',
  /** page → server: the server stops its heartbeat on this socket (no ping, no pong): the client times out. */
  pingTimeout: 'SIM_PING_TIMEOUT',
  /** page → server: play the scenario. */
  play: 'SIM_PLAY',
  /** server → page: `{ count }` once every scenario event was emitted. */
  scenarioDone: 'SIM_SCENARIO_DONE',
  /** page → server: `{ rate, count?, seconds?, size, mix? }` (mix: edits and attachments among them). */
  load: 'SIM_LOAD',
  /** server → page: `{ count, elapsedMs }`. */
  loadDone: 'SIM_LOAD_DONE',
  /** page → server: send the hostile corpus (simulator/hostile.ts), then scenarioDone. */
  hostile: 'SIM_HOSTILE',
  /**
   * page → server, with an ack: play the secrets corpus (simulator/secrets.ts). The server answers the
   * ack, sends its events and a binary upload, asks (secretsAsk) for the page's ack, then hands the
   * page its half (secretsPlan); the page sends it and says secretsSent; then scenarioDone.
   */
  secrets: 'SIM_SECRETS',
  /** server → page, with an ack the page answers with `{ args }`. */
  secretsAsk: 'SIM_SECRETS_ASK',
  /** server → page: `{ out: [{ event, args }], attachment }`, what the page sends (the attachment as binary). */
  secretsPlan: 'SIM_SECRETS_PLAN',
  /** page → server: the page's half is sent. */
  secretsSent: 'SIM_SECRETS_SENT',
  /** page → server: play the people scenario (simulator/people.ts), then scenarioDone. */
  people: 'SIM_PEOPLE',
  /** server → page: `{ event, payload }`, a presence or media send the page makes now. */
  peopleSend: 'SIM_PEOPLE_SEND',
} as const;

export interface Topic {
  _id: string;
  title: string;
  type: 'group' | 'direct';
}

export const TOPICS = {
  falcon: { _id: '5f06c25e574ca36b54cb4cdf', title: 'Project Falcon', type: 'group' },
  release: { _id: '5f0425254b3cd61ae416fa5f', title: 'Release planning', type: 'group' },
  direct: { _id: '5f1051f0f3ed772f915e19ed', title: 'Vidas Andrijaitis', type: 'direct' },
  retro: { _id: '5f047cbf1f2f363310b0cda0', title: 'new space', type: 'group' },
  lobby: { _id: '5f0a1b2c3d4e5f6071829304', title: 'Welcome lobby', type: 'group' },
  joined: { _id: '5f2a0c3e9b1d4e0017a1b2c3', title: 'Design reviews', type: 'group' },
} as const satisfies Record<string, Topic>;

/** Subscribing to it fails (SUBSCRIBE_CHANNEL_FAILED). */
export const UNKNOWN_TOPIC_ID = '5f0000000000000000000bad';
/** Sending to it fails (SEND_MESSAGE_FAILED): the user is not a member. */
export const FORBIDDEN_TOPIC_ID = '5f0bad0bad0bad0bad0bad00';

/** Topics a SEND_MESSAGE may target. */
export const MEMBER_TOPICS: readonly Topic[] = Object.values(TOPICS);

export interface PlannedSend {
  topicId: string;
  loopbackMetadata: string;
  /** Sent with an ack callback; the server acks `{ _id, loopbackMetadata }`. */
  ack: boolean;
  /** The server's answer event. */
  expect: 'MESSAGE_SENT' | 'SEND_MESSAGE_FAILED';
}

/**
 * What the demo page (and the tests' client) does, in order: subscribe to each of `subscribe`,
 * send each of `sends`, unsubscribe from `unsubscribe`, then emit SIM_PLAY.
 */
export const DEMO_PLAN = {
  subscribe: [TOPICS.falcon._id, TOPICS.release._id, TOPICS.direct._id, TOPICS.retro._id, TOPICS.lobby._id, UNKNOWN_TOPIC_ID],
  sends: [
    { topicId: TOPICS.falcon._id, loopbackMetadata: 'lb-1', ack: false, expect: 'MESSAGE_SENT' },
    { topicId: FORBIDDEN_TOPIC_ID, loopbackMetadata: 'lb-2', ack: false, expect: 'SEND_MESSAGE_FAILED' },
    { topicId: TOPICS.direct._id, loopbackMetadata: 'lb-3', ack: true, expect: 'MESSAGE_SENT' },
  ] satisfies PlannedSend[],
  unsubscribe: TOPICS.lobby._id,
  bodyText: '<p>hello</p>',
};

/** The SEND_MESSAGE payload the demo page sends, as Spaces' web client shapes it. */
export function sendMessagePayload(send: PlannedSend): JsonObject {
  return {
    content: { bodyText: DEMO_PLAN.bodyText, data: [] },
    category: 'chat',
    topicId: send.topicId,
    version: '1.1',
    loopbackMetadata: send.loopbackMetadata,
  };
}

export interface ScenarioStep {
  /** Wait before emitting, in ms. */
  delayMs: number;
  event: 'MESSAGE_SENT';
  payload: JsonObject;
}

// ---- people and building blocks ----

const TEST_USER = { _id: '5f04251caa4a347af9946e06', displayname: 'Test user', picture_url: '', type: 'user', username: '' };
const VIDAS = { _id: '5ef9b678aa4a347af983c74c', displayname: 'Vidas Andrijaitis', picture_url: '', type: 'user', username: 'vidas@example.com' };
type Person = typeof TEST_USER;

const BASE = Date.parse('2020-07-16T11:40:00.000Z');
/** Fixed timestamps so the scenario is the same on every run. */
const at = (seconds: number): string => new Date(BASE + seconds * 1000).toISOString();

/** The media fields every message content carries in the seed examples. */
function media(startTime: string): JsonObject {
  return { endTime: null, mediaMode: 'audio', meetingStatus: 'active', recordings: [], startTime, virtualEndTime: null };
}

interface FileSpec {
  fileId: string;
  fileSize: number;
  fileType: 'image' | 'video' | 'audio' | 'document';
  name: string;
  providerFileType: string;
}

interface Conversion {
  convertStatus: 0 | 1 | 2 | 3 | 4;
  convertStart?: string;
  nextSchedule?: string;
  convertFailed?: string;
  pages?: number;
  thumbnailFile?: string;
  /** Where the page would load the thumbnail from (a name that never resolves: the panel must not load it). */
  thumbnailUrl?: string;
}

/** An attachment in content.data[], in the long form of the seed's *.updated examples. */
function attachment(file: FileSpec, conv: Conversion): JsonObject {
  const out: JsonObject = {
    convertStart: conv.convertStart ?? null,
    convertStatus: conv.convertStatus,
    description: '',
    fileId: file.fileId,
    fileSize: file.fileSize,
    fileType: file.fileType,
    icon: '',
    keywords: [],
    metaData: { paging: 0, prvwProvd: 'gcs', stgeProvd: 'gcs' },
    name: file.name,
    nextSchedule: conv.nextSchedule ?? null,
    pages: conv.pages ?? 0,
    path: '',
    previewFile: '',
    provider: 'native',
    providerFileType: file.providerFileType,
    recordingId: null,
    thumbnail: '',
    thumbnailFile: conv.thumbnailFile ?? '',
    type: null,
  };
  if (conv.convertFailed !== undefined) out.convertFailed = conv.convertFailed;
  if (conv.thumbnailUrl !== undefined) out.thumbnailUrl = conv.thumbnailUrl;
  return out;
}

/** The short form of an attachment, as in the seed's new 'task' example. */
function attachmentShort(file: FileSpec): JsonObject {
  return { fileId: file.fileId, fileSize: file.fileSize, fileType: file.fileType, icon: '', name: file.name, provider: 'native', providerFileType: file.providerFileType };
}

interface ChatSpec {
  _id: string;
  topic: Topic;
  sender: Person;
  bodyText: string;
  time: string;
  data?: JsonValue[];
  category?: string;
  parentMsg?: JsonObject;
}

/** A 'chat' payload (seed: "Payload Received ('chat')"); also used for other chat-shaped categories. */
function chat(spec: ChatSpec): JsonObject {
  const out: JsonObject = {
    _id: spec._id,
    category: spec.category ?? 'chat',
    chatCount: 0,
    content: { bodyText: spec.bodyText, data: spec.data ?? [], description: '', ...media(spec.time) },
    created: spec.time,
    likeCount: 0,
    modified: spec.time,
    sender: { ...spec.sender },
    status: 0,
    topicId: spec.topic._id,
    topicTitle: spec.topic.title,
    topicType: spec.topic.type,
  };
  if (spec.parentMsg !== undefined) out.parentMsg = spec.parentMsg;
  return out;
}

interface ItemSpec {
  _id: string;
  category: string;
  topic: Topic;
  bodyText: string;
  description: string;
  data: JsonValue[];
  dueDate: string;
  startTime: string;
  status: 'pending' | 'complete';
  modified: string;
  assignees?: string[];
}

/** An idea/task event in the shape of the seed's 'app.event.task.updated' / 'app.event.idea.updated'. */
function item(spec: ItemSpec): JsonObject {
  const content: JsonObject = {};
  if (spec.assignees) content.assignees = spec.assignees.map((_id) => ({ _id }));
  Object.assign(content, {
    bodyText: spec.bodyText,
    data: spec.data,
    description: spec.description,
    dueDate: spec.dueDate,
    ...media(spec.startTime),
    status: spec.status,
  });
  return {
    _id: spec._id,
    category: spec.category,
    content,
    messageId: spec._id,
    modified: spec.modified,
    sender: { ...TEST_USER },
    topicId: spec.topic._id,
  };
}

/** A topic object, as in the seed's 'topic.updated' content. */
function topicObject(topic: Topic, opts: { title: string; status: 0 | 1; modified: string; confId: string }): JsonObject {
  const member = (p: Person, role: string, joinTime: string): JsonObject => ({
    displayname: p.displayname,
    joinTime,
    member: p._id,
    memberType: 'userId',
    phone_numbers: [],
    picture_url: '',
    role,
    username: '',
  });
  return {
    __restrictProccessed: true,
    _id: topic._id,
    cid: TEST_USER._id,
    companies: [{ companyid: '5697db96283a4708c4f786f6', userid: TEST_USER._id }],
    created: '2020-07-07T13:46:39.344Z',
    members: [member(TEST_USER, 'admin', '2020-07-07T13:46:39.339Z'), member(VIDAS, 'member', '2020-07-09T09:32:12.934Z')],
    modified: opts.modified,
    msgRetention: {
      notInheritParentPolicy: false,
      policy: { from: 'company', limitCustomLength: false, retentionLength: 0, retentionType: 'forever' },
      retentionLength: 0,
      retentionType: 'forever',
    },
    parents: [],
    restrict: [],
    settings: {
      allowPasswordInURL: false,
      autoStart: false,
      confId: opts.confId,
      confPin: '',
      encryptedPassword: '',
      hideAutoStartPrompt: false,
      mdLic: [],
      mdOpts: [],
      mdProviders: [],
      mdSrv: 'mpaas',
      memberOnly: false,
      mpaasSettings: {
        eventConference: { enable: false, endDate: null, hostingContinent: 'EU', startDate: null },
        maxResolution: '720P',
        mixerMode: 'OPTIMIZED_PROCESSED',
      },
      passwordRequired: { allGuests: true },
    },
    status: opts.status,
    title: opts.title,
    type: topic.type,
  };
}

function topicEvent(category: string, topic: Topic, opts: { title: string; status: 0 | 1; modified: string; confId: string }): JsonObject {
  return {
    category,
    content: topicObject(topic, opts),
    sender: { _id: TEST_USER._id, displayname: TEST_USER.displayname, type: 'user' },
    topicId: topic._id,
  };
}

// ---- the files whose thumbnails convert ----

/** Converts: 0 → 1 → 2. */
const FILE_OK: FileSpec = { fileId: '0c1591af-9d7a-4252-ba93-64e0b1ad49d4', fileSize: 3235, fileType: 'document', name: 'roadmap.pdf', providerFileType: 'application/pdf' };
/** Fails after a retry: 0 → 1 → 4 (nextSchedule) → 1 → 3 (convertFailed). */
const FILE_FAIL: FileSpec = { fileId: '63cb20f5-12d8-4dea-b784-ae13c11a1cb8', fileSize: 2034, fileType: 'document', name: 'userActions compressed.txt', providerFileType: 'text/plain' };
/** Stuck at 1. */
const FILE_STUCK: FileSpec = { fileId: '9a7e4c21-5b3d-4f08-a6e2-1c9d8b7f6a55', fileSize: 482113, fileType: 'image', name: 'whiteboard.png', providerFileType: 'image/png' };

const IDEA_ID = '5f084a681015c7cc4929f8ca';
/** The converted thumbnail of FILE_OK. */
export const THUMBNAIL_URL = `https://thumbnails.spaces.invalid/${FILE_OK.fileId}.png`;
const CONVERTED: Conversion = { convertStatus: 2, convertStart: at(5), pages: 3, thumbnailFile: `thumb-${FILE_OK.fileId}`, thumbnailUrl: THUMBNAIL_URL };
const TASK_ID = '5f084be01015c7ea0129f976';

const idea = (category: string, bodyText: string, conv: Conversion, modified: string): JsonObject =>
  item({
    _id: IDEA_ID,
    category,
    topic: TOPICS.release,
    bodyText,
    description: '<p>Ship the roadmap as a PDF</p>',
    data: [attachment(FILE_OK, conv)],
    dueDate: at(86400),
    startTime: at(2),
    status: 'pending',
    modified,
  });

const task = (status: 'pending' | 'complete', conv: Conversion, modified: string): JsonObject =>
  item({
    _id: TASK_ID,
    category: 'app.event.task.updated',
    topic: TOPICS.release,
    bodyText: 'Collect user actions',
    description: '<p>Attach the compressed user actions log</p>',
    data: [attachment(FILE_FAIL, conv)],
    dueDate: at(172800),
    startTime: at(3),
    status,
    modified,
    assignees: [TEST_USER._id],
  });

const whiteboardChat = (category: string, conv: Conversion, modified: string): JsonObject => ({
  ...chat({ _id: '5f103c8b76111fce5a460e21', topic: TOPICS.falcon, sender: VIDAS, bodyText: '<p>Whiteboard from today</p>', time: at(4), data: [attachment(FILE_STUCK, conv)], category }),
  modified,
});

const retroOpts = { status: 0 as const, confId: '918529927' };

/** The scripted scenario, in the order it is played. Every step is a MESSAGE_SENT. */
const SCENARIO_PAYLOADS: JsonObject[] = [
  // chat in a group space and in a direct space
  chat({ _id: '5f103c8b76111fce5a460df8', topic: TOPICS.falcon, sender: VIDAS, bodyText: '<p>Morning all, standup in 5</p>', time: at(0) }),
  chat({ _id: '5f103c8b76111fce5a460e02', topic: TOPICS.direct, sender: VIDAS, bodyText: '<p>Got a minute?</p>', time: at(1) }),
  // an idea (post) with a file that converts: 0 → 1 → 2
  idea('idea', '<p>Roadmap draft</p>', { convertStatus: 0 }, at(2)),
  // a new task with a file (short form, as the seed's 'task' example)
  {
    _id: TASK_ID,
    category: 'task',
    chatMessages: {},
    topicId: TOPICS.release._id,
    content: {
      bodyText: 'Collect user actions',
      assignees: [{ _id: TEST_USER._id }],
      description: '<p>Attach the compressed user actions log</p>',
      data: [attachmentShort(FILE_FAIL)],
      dueDate: at(172800),
      status: 'pending',
    },
  },
  // a chat with an image whose thumbnail never finishes
  whiteboardChat('chat', { convertStatus: 0 }, at(4)),
  idea('app.event.idea.updated', '<p>Roadmap draft</p>', { convertStatus: 1, convertStart: at(5) }, at(5)),
  task('pending', { convertStatus: 0 }, at(5)),
  task('pending', { convertStatus: 1, convertStart: at(6) }, at(6)),
  whiteboardChat('app.event.message.updated', { convertStatus: 1, convertStart: at(6) }, at(6)),
  idea('app.event.idea.updated', '<p>Roadmap draft</p>', CONVERTED, at(7)),
  task('pending', { convertStatus: 4, convertStart: at(6), nextSchedule: at(66) }, at(7)),
  // a comment inside the idea (chat with parentMsg)
  chat({
    _id: '5f103c8b76111fce5a460e40',
    topic: TOPICS.release,
    sender: VIDAS,
    bodyText: '<p>This is a comment inside a post</p>',
    time: at(8),
    parentMsg: { _id: IDEA_ID, category: 'idea', content: { bodyText: '<p>Roadmap draft</p>' } },
  }),
  // the idea's text is edited
  idea('app.event.idea.updated', '<p>Roadmap draft v2</p>', CONVERTED, at(9)),
  // a message is edited
  { ...chat({ _id: '5f103c8b76111fce5a460df8', topic: TOPICS.falcon, sender: VIDAS, bodyText: '<p>Morning all, standup in 10</p>', time: at(0), category: 'app.event.message.updated' }), modified: at(10) },
  task('pending', { convertStatus: 1, convertStart: at(66) }, at(66)),
  task('pending', { convertStatus: 3, convertStart: at(66), convertFailed: 'Thumbnail conversion failed: unsupported file format' }, at(67)),
  task('complete', { convertStatus: 3, convertStart: at(66), convertFailed: 'Thumbnail conversion failed: unsupported file format' }, at(70)),
  // a message is removed (seed: 'app.event.message.removed' has no topicTitle/likeCount)
  {
    _id: '5f103c8b76111fce5a460e02',
    category: 'app.event.message.removed',
    content: { bodyText: '<p>Got a minute?</p>', data: [], description: '', ...media(at(1)) },
    created: at(1),
    messageId: '5f103c8b76111fce5a460e02',
    sender: { ...VIDAS },
    topicId: TOPICS.direct._id,
  },
  // the space is renamed, then archived
  topicEvent('topic.updated', TOPICS.retro, { ...retroOpts, title: 'Q3 retrospective', modified: at(72) }),
  topicEvent('topic.updated', TOPICS.retro, { ...retroOpts, title: 'Q3 retrospective', status: 1, modified: at(73) }),
  // the seed shows no markread payload: the same outer fields as the preference event
  { category: 'topic.markread', content: { _id: TOPICS.falcon._id, lastRead: at(74) }, sender: { _id: TEST_USER._id, type: 'user' }, topicId: TOPICS.falcon._id },
  {
    category: 'app.event.user.topic.preference.updated',
    content: { _id: TOPICS.falcon._id, isPinned: true, notification: true },
    sender: { _id: TEST_USER._id, type: 'user' },
    topicId: TOPICS.falcon._id,
  },
  topicEvent('app.event.topic.new', TOPICS.joined, { title: TOPICS.joined.title, status: 0, modified: at(76), confId: '918530114' }),
  // a category that is not in the documented table
  chat({ _id: '5f103c8b76111fce5a460e77', topic: TOPICS.falcon, sender: VIDAS, bodyText: '<p>👍</p>', time: at(77), category: 'app.event.reaction.added' }),
];

export const SCENARIO: readonly ScenarioStep[] = SCENARIO_PAYLOADS.map((payload, i) => ({
  delayMs: i === 0 ? 50 : 80,
  event: 'MESSAGE_SENT',
  payload,
}));

export const SCENARIO_EVENT_COUNT = SCENARIO.length;

/** Categories of the scenario's events, in order. */
export const SCENARIO_CATEGORIES: readonly string[] = SCENARIO.map((s) => String(s.payload.category));

/** The counts the demo page sets on <body> (data-received, data-messages) once it is done. */
export function demoCounts(playScenario: boolean): { received: number; messages: number } {
  const echoes = DEMO_PLAN.sends.filter((s) => s.expect === 'MESSAGE_SENT').length;
  const answers = DEMO_PLAN.subscribe.length + DEMO_PLAN.sends.length + 1; // + CHANNEL_UNSUBSCRIBED
  return playScenario
    ? { received: answers + SCENARIO.length + 1, messages: echoes + SCENARIO.length } // + SIM_SCENARIO_DONE
    : { received: answers, messages: echoes };
}
