import { describe, expect, it } from 'vitest';
import { SPACES_CATEGORIES } from '../../src/core/spaces';
import { SCENARIO, SCENARIO_CATEGORIES, SCENARIO_EVENT_COUNT, TOPICS } from '../../simulator/scenario';

type Obj = Record<string, unknown>;
const payloads = SCENARIO.map((s) => s.payload as Obj);
const keys = (o: unknown): string[] => Object.keys(o as Obj).sort();

// The categories of the seed doc's table.
const DOCUMENTED: readonly string[] = SPACES_CATEGORIES;

// Field names of the seed doc's examples.
const SEED_CHAT = ['_id', 'category', 'chatCount', 'content', 'created', 'likeCount', 'modified', 'sender', 'status', 'topicId', 'topicTitle', 'topicType'];
const SEED_CHAT_CONTENT = ['bodyText', 'data', 'description', 'endTime', 'mediaMode', 'meetingStatus', 'recordings', 'startTime', 'virtualEndTime'];
const SEED_ITEM_UPDATED = ['_id', 'category', 'content', 'messageId', 'modified', 'sender', 'topicId'];
const SEED_ITEM_CONTENT = ['bodyText', 'data', 'description', 'dueDate', 'endTime', 'mediaMode', 'meetingStatus', 'recordings', 'startTime', 'status', 'virtualEndTime'];
const SEED_FILE = ['convertStart', 'convertStatus', 'description', 'fileId', 'fileSize', 'fileType', 'icon', 'keywords', 'metaData', 'name', 'nextSchedule', 'pages', 'path', 'previewFile', 'provider', 'providerFileType', 'recordingId', 'thumbnail', 'thumbnailFile', 'type'];
const SEED_SENDER = ['_id', 'displayname', 'picture_url', 'type', 'username'];

function files(): { fileId: string; file: Obj }[] {
  return payloads.flatMap((p) => {
    const data = (p.content as Obj | undefined)?.data;
    return Array.isArray(data) ? data.map((file: Obj) => ({ fileId: String(file.fileId), file })) : [];
  });
}

/** convertStatus values of one file across the scenario, repeats collapsed. */
function conversions(name: string): unknown[] {
  const seq = files()
    .filter(({ file }) => file.name === name && 'convertStatus' in file)
    .map(({ file }) => file.convertStatus);
  return seq.filter((s, i) => i === 0 || s !== seq[i - 1]);
}

describe('scenario data', () => {
  it('exports its count and categories, and stays under 3 s', () => {
    expect(SCENARIO_EVENT_COUNT).toBe(SCENARIO.length);
    expect(SCENARIO_CATEGORIES).toEqual(payloads.map((p) => p.category));
    expect(SCENARIO.every((s) => s.event === 'MESSAGE_SENT')).toBe(true);
    expect(SCENARIO.reduce((sum, s) => sum + s.delayMs, 0)).toBeLessThan(3000);
    expect(JSON.parse(JSON.stringify(payloads))).toEqual(payloads);
  });

  it('covers every documented category and exactly one unknown one', () => {
    expect(new Set(SCENARIO_CATEGORIES)).toEqual(new Set([...DOCUMENTED, 'app.event.reaction.added']));
    expect(SCENARIO_CATEGORIES.filter((c) => !DOCUMENTED.includes(c))).toHaveLength(1);
  });

  it('has chat in group and direct spaces, with the seed chat fields', () => {
    const chats = payloads.filter((p) => p.category === 'chat');
    expect(new Set(chats.map((c) => c.topicType))).toEqual(new Set(['group', 'direct']));
    for (const c of chats) {
      expect(keys(c).filter((k) => k !== 'parentMsg')).toEqual(SEED_CHAT);
      expect(keys(c.content)).toEqual(SEED_CHAT_CONTENT);
      expect(keys(c.sender)).toEqual(SEED_SENDER);
    }
    expect(chats.some((c) => 'parentMsg' in c)).toBe(true);
  });

  it('shapes idea and task updates, and their files, like the seed', () => {
    const updates = payloads.filter((p) => p.category === 'app.event.task.updated' || p.category === 'app.event.idea.updated');
    expect(updates.length).toBeGreaterThan(4);
    for (const u of updates) {
      expect(keys(u)).toEqual(SEED_ITEM_UPDATED);
      expect(keys(u.content).filter((k) => k !== 'assignees')).toEqual(SEED_ITEM_CONTENT);
    }
    // convertFailed and thumbnailUrl are documented fields the seed's examples do not show.
    for (const { file } of files().filter(({ file }) => 'convertStatus' in file)) {
      expect(keys(file).filter((k) => k !== 'convertFailed' && k !== 'thumbnailUrl')).toEqual(SEED_FILE);
    }
    expect(files().filter(({ file }) => 'thumbnailUrl' in file).map(({ file }) => file.convertStatus)).toEqual([2, 2]);
  });

  it('moves attachments through their conversions', () => {
    expect(conversions('roadmap.pdf')).toEqual([0, 1, 2]);
    expect(conversions('userActions compressed.txt')).toEqual([0, 1, 4, 1, 3]);
    expect(conversions('whiteboard.png')).toEqual([0, 1]);
    for (const { file } of files()) {
      if (file.convertStatus === 4) expect(file.nextSchedule).toEqual(expect.any(String));
      if (file.convertStatus === 3) expect(file.convertFailed).toEqual(expect.any(String));
      else expect(file).not.toHaveProperty('convertFailed');
    }
  });

  it('completes a task, edits an idea and a message, renames and archives a space', () => {
    const taskStates = payloads.filter((p) => p.category === 'app.event.task.updated').map((p) => (p.content as Obj).status);
    expect(taskStates[0]).toBe('pending');
    expect(taskStates.at(-1)).toBe('complete');

    const ideaTexts = payloads.filter((p) => p.category === 'app.event.idea.updated').map((p) => (p.content as Obj).bodyText);
    expect(new Set(ideaTexts).size).toBeGreaterThan(1);

    const edited = payloads.find((p) => p.category === 'app.event.message.updated' && (p.content as Obj).data instanceof Array && ((p.content as Obj).data as unknown[]).length === 0);
    const original = payloads.find((p) => p.category === 'chat' && p._id === edited?._id);
    expect((edited?.content as Obj).bodyText).not.toBe((original?.content as Obj).bodyText);

    const topicUpdates = payloads.filter((p) => p.category === 'topic.updated').map((p) => p.content as Obj);
    expect(topicUpdates.map((t) => [t._id, t.title, t.status])).toEqual([
      [TOPICS.retro._id, 'Q3 retrospective', 0],
      [TOPICS.retro._id, 'Q3 retrospective', 1],
    ]);
    expect(TOPICS.retro.title).not.toBe('Q3 retrospective');
  });
});
