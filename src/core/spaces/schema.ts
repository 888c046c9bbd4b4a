// The MESSAGE_SENT / SEND_MESSAGE payload contract, derived from the Spaces doc (seed MESSAGE_SENT.txt)
// and checked against what its examples really send. Extra fields are always allowed.
import * as v from 'valibot';
import type { SchemaIssue } from './types';

/** Categories the doc lists for MESSAGE_SENT. */
export const SPACES_CATEGORIES = [
  'chat',
  'idea',
  'task',
  'topic.updated',
  'topic.markread',
  'app.event.message.updated',
  'app.event.user.topic.preference.updated',
  'app.event.task.updated',
  'app.event.idea.updated',
  'app.event.message.removed',
  'app.event.topic.new',
] as const;
export type SpacesCategory = (typeof SPACES_CATEGORIES)[number];

export function isKnownCategory(c: string): c is SpacesCategory {
  return (SPACES_CATEGORIES as readonly string[]).includes(c);
}

/** Categories about a space itself: `content` is the topic. */
export const TOPIC_CATEGORIES: ReadonlySet<string> = new Set([
  'topic.updated',
  'topic.markread',
  'app.event.user.topic.preference.updated',
  'app.event.topic.new',
]);

/**
 * Categories whose MESSAGE_SENT must carry the item's `_id`. Not `task`: the doc's only `task`
 * example has no `_id` (nor sender), so requiring it would flag what Spaces documents as sent.
 */
const ID_REQUIRED: ReadonlySet<string> = new Set([
  'chat',
  'idea',
  'app.event.message.updated',
  'app.event.task.updated',
  'app.event.idea.updated',
  'app.event.message.removed',
]);

/** Categories whose `content.status` is a task state. The doc's idea example carries one too. */
const TASK_STATUS: ReadonlySet<string> = new Set(['task', 'app.event.task.updated', 'idea', 'app.event.idea.updated']);

/** Issues kept per payload; the rest are counted in one last issue. */
export const MAX_ISSUES = 50;

const str = v.optional(v.string());
const nullableStr = v.nullish(v.string());
const timestamp = v.nullish(v.union([v.string(), v.number()]));

const convertStatus = v.pipe(
  v.union([v.number(), v.string()]),
  v.check(
    (x) => (typeof x === 'number' ? Number.isInteger(x) && x >= 0 && x <= 4 : /^[0-4]$/.test(x.trim())),
    'convertStatus must be 0–4 (0 not started, 1 in progress, 2 complete, 3 failed, 4 failed but retrying)',
  ),
);

const fileMetadata = v.looseObject({
  stgeProvd: str,
  prvwProvd: str,
  paging: v.optional(v.number()),
});

const attachment = v.looseObject({
  fileId: str,
  fileSize: v.optional(v.number()),
  fileType: str,
  name: str,
  provider: str,
  providerFileType: str,
  thumbnailFile: str,
  previewFile: str,
  previewUrl: str,
  path: str,
  thumbnailUrl: str,
  icon: str,
  // The doc says string; the examples send [].
  keywords: v.optional(v.union([v.string(), v.array(v.unknown())])),
  description: str,
  // The doc says string; the examples send numbers.
  pages: v.optional(v.union([v.number(), v.string()])),
  nextSchedule: timestamp,
  convertStart: timestamp,
  convertStatus: v.optional(convertStatus),
  convertFailed: nullableStr,
  // The doc says `metadata`, the examples send `metaData`.
  metadata: v.optional(fileMetadata),
  metaData: v.optional(fileMetadata),
});

const sender = v.looseObject({
  _id: str,
  type: str,
  username: str,
  displayname: str,
  picture_url: str,
});

const archiveStatus = v.picklist([0, 1], (i) => `archive status must be 0 (active) or 1 (archived), got ${kindOf(i.input)}`);
const topicType = v.picklist(['direct', 'group'], (i) => `must be "direct" or "group", got ${kindOf(i.input)}`);
const taskStatus = v.picklist(
  ['pending', 'complete'],
  (i) => `task status must be "pending" or "complete", got ${kindOf(i.input)}`,
);

const contentEntries = {
  _id: str,
  cid: str,
  bodyText: str,
  description: str,
  dueDate: nullableStr,
  endTime: timestamp,
  mediaMode: str,
  meetingStatus: str,
  recordings: v.optional(v.array(v.unknown())),
  startTime: nullableStr,
  virtualEndTime: timestamp,
  assignees: v.optional(v.array(v.looseObject({ _id: v.string() }))),
  data: v.optional(v.array(attachment)),
  settings: v.optional(
    v.looseObject({ confId: str, mdOpts: v.optional(v.array(v.string())), mdSrv: str }),
  ),
  title: str,
};

const payloadEntries = {
  _id: str,
  category: v.string(),
  topicId: v.string(),
  chatCount: v.optional(v.number()),
  likeCount: v.optional(v.number()),
  messageId: str,
  created: str,
  modified: str,
  sender: v.optional(sender),
  parentMsg: v.optional(v.looseObject({})),
  status: v.optional(archiveStatus),
  topicTitle: str,
  topicType: v.optional(topicType),
  loopbackMetadata: str,
  version: str,
};

function contentFor(category: string) {
  if (TASK_STATUS.has(category)) return v.looseObject({ ...contentEntries, status: v.optional(taskStatus) });
  if (TOPIC_CATEGORIES.has(category)) {
    return v.looseObject({ ...contentEntries, status: v.optional(archiveStatus), type: v.optional(topicType) });
  }
  return v.looseObject(contentEntries);
}

/** `received`: a MESSAGE_SENT from the server; `send`: a SEND_MESSAGE from the client (no `_id` yet). */
export type PayloadMode = 'received' | 'send';

function buildSchema(category: string, mode: PayloadMode) {
  const idRequired = mode === 'received' && ID_REQUIRED.has(category);
  return v.looseObject({ ...payloadEntries, _id: idRequired ? v.string() : str, content: v.optional(contentFor(category)) });
}

type PayloadSchema = ReturnType<typeof buildSchema>;
const schemas = new Map<string, PayloadSchema>();

function schemaFor(category: string, mode: PayloadMode): PayloadSchema {
  // Unknown categories share one schema: the page cannot grow this cache.
  const key = `${mode}|${isKnownCategory(category) ? category : ''}`;
  let s = schemas.get(key);
  if (!s) {
    s = buildSchema(isKnownCategory(category) ? category : '', mode);
    schemas.set(key, s);
  }
  return s;
}

/** A value for messages: numbers and booleans as they are, otherwise only the kind (strings may be private). */
export function kindOf(x: unknown): string {
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  if (x === undefined) return 'nothing';
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
  return `a ${typeof x}`;
}

/** Short messages for issues whose schema names none; they never quote the value. */
function defaultMessage(issue: v.BaseIssue<unknown>): string {
  if (issue.kind !== 'schema') return issue.message;
  const last = issue.path?.[issue.path.length - 1];
  if (issue.input === undefined && last && 'origin' in last && last.origin === 'key') return 'required, missing';
  const expected = issue.expected === 'Object' ? 'an object' : (issue.expected ?? 'another type');
  return `expected ${expected}, got ${kindOf(issue.input)}`;
}

/** "content.data[0].convertStatus" */
export function formatPath(path: readonly { key: unknown }[] | undefined): string {
  let out = '';
  for (const item of path ?? []) {
    const key = item.key;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Checks a MESSAGE_SENT (or SEND_MESSAGE) payload. Unknown categories are checked against the
 * common fields only and are not an issue. Issue paths are relative to the payload ("" is the payload).
 */
export function checkPayload(payload: unknown, mode: PayloadMode = 'received'): SchemaIssue[] {
  if (!isRecord(payload)) return [{ path: '', message: `expected an object, got ${kindOf(payload)}` }];
  const category = Object.hasOwn(payload, 'category') && typeof payload.category === 'string' ? payload.category : '';
  const result = v.safeParse(schemaFor(category, mode), payload, { message: defaultMessage });
  if (result.success) return [];
  const issues = result.issues.slice(0, MAX_ISSUES).map((i) => ({ path: formatPath(i.path), message: i.message }));
  if (result.issues.length > MAX_ISSUES) {
    issues.push({ path: '', message: `${result.issues.length - MAX_ISSUES} more issues not shown` });
  }
  return issues;
}
