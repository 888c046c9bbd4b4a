import { describe, expect, it } from 'vitest';
import { diffPayloads, htmlWordDiff, summarize, wordDiff, type Change } from '../../src/core/versions/diff';
import type { JsonValue } from '../../src/core/wire/types';
import { edited, seed, type J } from './helpers';

const chat = seed('chat');
const idea = seed('idea');
const ideaUpdated = seed('app.event.idea.updated');
const task = seed('app.event.task.updated');
const topic = seed('topic.updated');
const pref = seed('app.event.user.topic.preference.updated');
const markread = seed('topic.markread');
const removed = seed('app.event.message.removed');
const file1 = seed('attachment.convertStatus-1');
const newTask = seed('task');
const comment = seed('chat.comment');

const att = (fileId: string, name: string): J => ({ fileId, name, convertStatus: 0, fileType: 'document' });
const updated = (p: J, category: string, modified = '2020-07-10T12:00:00.000Z'): J => ({ ...structuredClone(p), category, modified });

interface Row {
  name: string;
  before: J | undefined;
  after: J;
  summary: string;
  changes: Partial<Change>[];
  /** The delta records a reorder the change list leaves out. */
  moves?: boolean;
}

const ROWS: Row[] = [
  {
    name: 'chat created (first version)',
    before: undefined,
    after: chat,
    summary: 'created',
    changes: [{ path: '', kind: 'added', new: chat }],
  },
  {
    name: 'message body edited (chat → app.event.message.updated)',
    before: chat,
    after: edited(updated(chat, 'app.event.message.updated'), (p) => (p.content.bodyText = '<p>asd qwe</p>')),
    summary: 'body edited',
    changes: [{ path: 'content.bodyText', kind: 'changed', old: '<p>asd</p>', new: '<p>asd qwe</p>' }],
  },
  {
    name: 'only noise (modified, category) differs',
    before: chat,
    after: updated(chat, 'app.event.message.updated', '2030-01-01T00:00:00.000Z'),
    summary: 'no change',
    changes: [],
  },
  {
    name: 'task completed with one more attachment',
    before: task,
    after: edited(task, (p) => {
      p.content.status = 'complete';
      p.content.data.push(att('new-file', 'x.pdf'));
    }),
    summary: 'status pending → complete, +1 attachment',
    changes: [
      { path: 'content.data[fileId=new-file]', kind: 'added', new: att('new-file', 'x.pdf') },
      { path: 'content.status', kind: 'changed', old: 'pending', new: 'complete' },
    ],
  },
  {
    name: 'task reassigned',
    before: task,
    after: edited(task, (p) => (p.content.assignees = [{ _id: 'u2' }])),
    summary: 'assignees +1 −1',
    changes: [
      { path: 'content.assignees[_id=u2]', kind: 'added', new: { _id: 'u2' } },
      { path: 'content.assignees[_id=5f04251caa4a347af9946e06]', kind: 'removed', old: { _id: '5f04251caa4a347af9946e06' } },
    ],
  },
  {
    name: 'assignees as plain user ids, reordered and one added',
    before: edited(task, (p) => (p.content.assignees = ['a', 'b'])),
    after: edited(task, (p) => (p.content.assignees = ['b', 'a', 'c'])),
    summary: 'assignees +1',
    changes: [{ path: 'content.assignees[2]', kind: 'added', new: 'c' }],
  },
  {
    name: 'attachments reordered: no change',
    before: edited(task, (p) => p.content.data.push(att('f2', 'b.txt'), att('f3', 'c.txt'))),
    after: edited(task, (p) => {
      p.content.data.push(att('f2', 'b.txt'), att('f3', 'c.txt'));
      p.content.data.reverse();
    }),
    summary: 'no change',
    changes: [],
    moves: true,
  },
  {
    name: 'attachment reordered and converted: only the conversion',
    before: edited(file1, (p) => p.content.data.push(att('f2', 'b.txt'))),
    after: edited(file1, (p) => {
      p.content.data.push(att('f2', 'b.txt'));
      p.content.data.reverse();
      (p.content.data[1] as J).convertStatus = 2;
      (p.content.data[1] as J).pages = 1;
    }),
    summary: 'file photo.png convertStatus 1 → 2',
    changes: [
      { path: 'content.data[fileId=0c1591af-9d7a-4252-ba93-64e0b1ad49d1].convertStatus', kind: 'changed', old: 1, new: 2 },
      { path: 'content.data[fileId=0c1591af-9d7a-4252-ba93-64e0b1ad49d1].pages', kind: 'changed', old: 0, new: 1 },
    ],
  },
  {
    name: 'attachment removed',
    before: ideaUpdated,
    after: edited(ideaUpdated, (p) => (p.content.data = [])),
    summary: '−1 attachment',
    changes: [
      {
        path: 'content.data[fileId=0c1591af-9d7a-4252-ba93-64e0b1ad49d4]',
        kind: 'removed',
        old: (ideaUpdated.content as J & { data: J[] }).data[0] as J,
      },
    ],
  },
  {
    name: 'attachment edited (not convertStatus)',
    before: ideaUpdated,
    after: edited(ideaUpdated, (p) => ((p.content.data[0] as J).name = 'renamed.txt')),
    summary: 'file renamed.txt edited',
    changes: [
      {
        path: 'content.data[fileId=0c1591af-9d7a-4252-ba93-64e0b1ad49d4].name',
        kind: 'changed',
        old: 'userActions working example.txt',
        new: 'renamed.txt',
      },
    ],
  },
  {
    name: 'idea updated: description and due date',
    before: idea,
    after: edited(updated(idea, 'app.event.idea.updated'), (p) => {
      p.content.description = '<p>asdasdadsasdasdadasd and more</p>';
      p.content.dueDate = '2020-07-11T00:00:00.000Z';
    }),
    summary: 'description edited, dueDate changed',
    changes: [
      { path: 'content.description', kind: 'changed', old: '<p>asdasdadsasdasdadasd</p>', new: '<p>asdasdadsasdasdadasd and more</p>' },
      { path: 'content.dueDate', kind: 'added', new: '2020-07-11T00:00:00.000Z' },
    ],
  },
  {
    name: 'topic renamed',
    before: topic,
    after: edited(topic, (p) => (p.content.title = 'renamed space')),
    summary: 'title "new space" → "renamed space"',
    changes: [{ path: 'content.title', kind: 'changed', old: 'new space', new: 'renamed space' }],
  },
  {
    name: 'topic archived (content.modified is noise)',
    before: topic,
    after: edited(topic, (p) => {
      p.content.status = 1;
      p.content.modified = '2020-07-10T12:00:00.000Z';
    }),
    summary: 'archived',
    changes: [{ path: 'content.status', kind: 'changed', old: 0, new: 1 }],
  },
  {
    name: 'topic member joined, another changed role',
    before: topic,
    after: edited(topic, (p) => {
      const members = p.content.members as J[];
      (members[1] as J).role = 'admin';
      members.push({ member: 'u3', displayname: 'New one', role: 'member' });
    }),
    summary: 'members edited, members +1',
    changes: [
      { path: 'content.members[member=5ef9b678aa4a347af983c74c].role', kind: 'changed', old: 'member', new: 'admin' },
      { path: 'content.members[member=u3]', kind: 'added', new: { member: 'u3', displayname: 'New one', role: 'member' } },
    ],
  },
  {
    name: 'keywords (a plain list) reordered: moved',
    before: edited(ideaUpdated, (p) => ((p.content.data[0] as J).keywords = ['a', 'b', 'c'])),
    after: edited(ideaUpdated, (p) => ((p.content.data[0] as J).keywords = ['c', 'a', 'b'])),
    summary: 'file userActions working example.txt edited',
    changes: [{ path: 'content.data[fileId=0c1591af-9d7a-4252-ba93-64e0b1ad49d4].keywords[2]', kind: 'moved', old: 2, new: 0 }],
  },
  {
    name: 'preference: unpinned',
    before: pref,
    after: edited(pref, (p) => (p.content.isPinned = false)),
    summary: 'unpinned',
    changes: [{ path: 'content.isPinned', kind: 'changed', old: true, new: false }],
  },
  {
    name: 'preference first seen',
    before: undefined,
    after: pref,
    summary: 'pinned, notifications on',
    changes: [{ path: '', kind: 'added', new: pref }],
  },
  {
    name: 'topic.markread',
    before: markread,
    after: markread,
    summary: 'marked read',
    changes: [],
  },
  {
    name: 'message removed',
    before: chat,
    after: edited(removed, (p) => (p._id = chat._id as string)),
    summary: 'removed',
    changes: [],
  },
  {
    name: 'task created (seed "task", first version)',
    before: undefined,
    after: newTask,
    summary: 'created',
    changes: [{ path: '', kind: 'added', new: newTask }],
  },
  {
    name: 'new task (task) completed and reassigned by its first app.event.task.updated',
    before: newTask,
    after: edited(updated(newTask, 'app.event.task.updated'), (p) => {
      p.content.status = 'complete';
      p.content.assignees = [{ _id: 'u2' }];
    }),
    summary: 'status pending → complete, assignees +1 −1',
    changes: [
      { path: 'content.assignees[_id=u2]', kind: 'added', new: { _id: 'u2' } },
      { path: 'content.assignees[_id=5f04251caa4a347af9946e06]', kind: 'removed', old: { _id: '5f04251caa4a347af9946e06' } },
      { path: 'content.status', kind: 'changed', old: 'pending', new: 'complete' },
    ],
  },
  {
    name: 'comment inside a post (chat with parentMsg) edited',
    before: comment,
    after: edited(updated(comment, 'app.event.message.updated'), (p) => (p.content.bodyText = '<p>This is an edited comment inside a post</p>')),
    summary: 'body edited',
    changes: [
      { path: 'content.bodyText', kind: 'changed', old: '<p>This is a comment inside a post</p>', new: '<p>This is an edited comment inside a post</p>' },
    ],
  },
  {
    name: 'space joined (app.event.topic.new), then renamed (topic.updated)',
    before: { ...structuredClone(topic), category: 'app.event.topic.new' },
    after: edited(topic, (p) => (p.content.title = 'Q3 retrospective')),
    summary: 'title "new space" → "Q3 retrospective"',
    changes: [{ path: 'content.title', kind: 'changed', old: 'new space', new: 'Q3 retrospective' }],
  },
  {
    name: 'sender added at the top level',
    before: edited(task, (p) => delete p.sender),
    after: task,
    summary: 'sender changed',
    changes: [{ path: 'sender', kind: 'added', new: task.sender as J }],
  },
];

function plain(changes: Change[]): Partial<Change>[] {
  return changes.map(({ path, kind, old, new: neu }) => {
    const c: Partial<Change> = { path, kind };
    if (old !== undefined) c.old = old;
    if (neu !== undefined) c.new = neu;
    return c;
  });
}

describe('diffPayloads + summarize (seed categories)', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const category = row.after.category as string;
      const d = diffPayloads(row.before, row.after);
      if (row.name !== 'message removed') expect(plain(d.changes)).toEqual(row.changes);
      expect(summarize(category, d.changes, row.after, row.before)).toBe(row.summary);
      // The summary path (no text patches, no word diffs) sees the same changes.
      expect(plain(diffPayloads(row.before, row.after, { words: false, textPatches: false }).changes)).toEqual(plain(d.changes));
      if (d.changes.length || row.moves) expect(d.delta).toBeDefined();
      else expect(d.delta).toBeUndefined();
    });
  }

  it('a removal that drops fields lists them, and is summarized as "removed"', () => {
    const d = diffPayloads(chat, edited(removed, (p) => (p._id = chat._id as string)));
    expect(d.changes.map((c) => c.path)).toContain('content.bodyText');
    expect(summarize('app.event.message.removed', d.changes, removed, chat)).toBe('removed');
  });

  it('a topic.updated first seen, an app.event.topic.new', () => {
    expect(summarize('topic.updated', [], topic)).toBe('first seen');
    expect(summarize('app.event.topic.new', [], topic)).toBe('joined');
  });

  it('whole attachment list appearing counts its items', () => {
    const before = edited(task, (p) => delete (p.content as J).data);
    const after = edited(task, (p) => p.content.data.push(att('f2', 'b.txt')));
    const d = diffPayloads(before, after);
    expect(plain(d.changes)).toEqual([{ path: 'content.data', kind: 'added', new: after.content && (after.content as J).data }]);
    expect(summarize('app.event.task.updated', d.changes, after, before)).toBe('+2 attachments');
  });
});

describe('long strings and text diffs', () => {
  const long = 'The quick brown fox jumps over the lazy dog, then rests under the old oak tree for a while.';

  it('keeps long strings as a text patch in the delta and whole values in the change', () => {
    const before = edited(task, (p) => (p.content.bodyText = `<p>${long}</p>`));
    const after = edited(task, (p) => (p.content.bodyText = `<p>${long.replace('lazy', 'sleepy')}</p>`));
    const d = diffPayloads(before, after);
    const delta = d.delta as { content: { bodyText: [string, number, number] } };
    expect(delta.content.bodyText[1]).toBe(0);
    expect(delta.content.bodyText[2]).toBe(2);
    expect(delta.content.bodyText[0]).toMatch(/^@@ [^\n]*\n the \n-laz\n\+sleep\n/);
    expect(d.changes[0]).toMatchObject({ path: 'content.bodyText', kind: 'changed', old: before.content && (before.content as J).bodyText });
    expect(d.changes[0]?.text).toEqual([
      { op: 'equal', text: 'The quick brown fox jumps over the ' },
      { op: 'delete', text: 'lazy' },
      { op: 'insert', text: 'sleepy' },
      { op: 'equal', text: ' dog, then rests under the old oak tree for a while.' },
    ]);
  });

  it('word diff of HTML compares the text, entities decoded', () => {
    expect(htmlWordDiff('<p>fish &amp; chips</p>', '<p>fish &amp; <b>fries</b></p>')).toEqual([
      { op: 'equal', text: 'fish & ' },
      { op: 'delete', text: 'chips' },
      { op: 'insert', text: 'fries' },
    ]);
    expect(htmlWordDiff('<p>same</p>', '<div>same</div>')).toEqual([{ op: 'equal', text: 'same' }]);
  });

  it('word diff of an added body is one insert; of a removed one, one delete', () => {
    const before = edited(idea, (p) => delete (p.content as J).bodyText);
    const d = diffPayloads(before, idea);
    expect(d.changes).toEqual([
      { path: 'content.bodyText', keys: ['content', 'bodyText'], kind: 'added', new: 'asdasasd', text: [{ op: 'insert', text: 'asdasasd' }] },
    ]);
    expect(diffPayloads(idea, before).changes[0]?.text).toEqual([{ op: 'delete', text: 'asdasasd' }]);
  });

  it('word diff keeps every character of both texts (non-Latin, emoji, punctuation)', () => {
    const a = 'Grüße, 世界! 🎉 done — ok?';
    const b = 'Grüße an alle, 世界! 🎉🎉 not done — ok.';
    const segs = wordDiff(a, b);
    expect(segs.filter((s) => s.op !== 'insert').map((s) => s.text).join('')).toBe(a);
    expect(segs.filter((s) => s.op !== 'delete').map((s) => s.text).join('')).toBe(b);
    expect(segs.some((s) => s.op === 'equal' && s.text.includes('世界'))).toBe(true);
  });

  it('flags a text diff cut to the first TEXT_MAX characters', () => {
    const big = `<p>${'word '.repeat(1000)}</p>`;
    const d = diffPayloads(edited(task, (p) => (p.content.bodyText = big)), edited(task, (p) => (p.content.bodyText = `${big}!`)));
    expect(d.changes[0]?.textTruncated).toBe(true);
  });
});

describe('page data shapes', () => {
  it('keys named like Object.prototype members are diffed as data', () => {
    const before: JsonValue = { content: { status: 'pending' } };
    const after: JsonValue = { content: { status: 'pending', constructor: 'x', toString: 1 } };
    expect(plain(diffPayloads(before, after).changes)).toEqual([
      { path: 'content.constructor', kind: 'added', new: 'x' },
      { path: 'content.toString', kind: 'added', new: 1 },
    ]);
  });

  it('odd keys are quoted in paths; items without an identity are matched by position', () => {
    const before: JsonValue = { content: { 'a b': [{ x: 1 }, { x: 2 }] } };
    const after: JsonValue = { content: { 'a b': [{ x: 1 }, { x: 3 }] } };
    expect(plain(diffPayloads(before, after).changes)).toEqual([{ path: 'content["a b"][1].x', kind: 'changed', old: 2, new: 3 }]);
  });

  it('a value changing type, and non-object payloads', () => {
    expect(plain(diffPayloads({ content: { data: [] } }, { content: { data: 'none' } }).changes)).toEqual([
      { path: 'content.data', kind: 'changed', old: [], new: 'none' },
    ]);
    expect(plain(diffPayloads('a', 'b').changes)).toEqual([{ path: '', kind: 'changed', old: 'a', new: 'b' }]);
    expect(diffPayloads(null, null)).toEqual({ delta: undefined, changes: [] });
  });

  it('duplicate identities in one array still diff without losing values', () => {
    const before: JsonValue = { content: { data: [{ fileId: 'a', n: 1 }, { fileId: 'a', n: 2 }] } };
    const after: JsonValue = { content: { data: [{ fileId: 'a', n: 1 }] } };
    const d = diffPayloads(before, after);
    expect(plain(d.changes)).toEqual([{ path: 'content.data[fileId=a]', kind: 'removed', old: { fileId: 'a', n: 2 } }]);
  });
});
