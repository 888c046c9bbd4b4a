import { describe, expect, it } from 'vitest';
import { MAX_ISSUES, checkPayload } from '../../src/core/spaces/schema';
import type { JsonValue } from '../../src/core/wire/types';
import { seed, seedFiles } from './fixtures';

type Obj = { [key: string]: JsonValue };
const clone = <T>(x: T): T => structuredClone(x);
const paths = (p: unknown, mode?: 'received' | 'send') => checkPayload(p, mode).map((i) => i.path);
const content = (p: Obj) => p.content as Obj;
const firstFile = (p: Obj) => (content(p).data as Obj[])[0] as Obj;

describe('MESSAGE_SENT schema', () => {
  it('accepts every seed fixture with no issue', () => {
    expect(seedFiles.length).toBe(20);
    for (const f of seedFiles) expect({ f, issues: checkPayload(seed(f)) }).toEqual({ f, issues: [] });
  });

  it('accepts convertStatus 0–4 as numbers and numeric strings', () => {
    const p = seed('attachment.convertStatus-0.json');
    for (const status of [0, 1, 2, 3, 4, '0', '1', '2', '3', '4']) {
      firstFile(p).convertStatus = status;
      expect(checkPayload(p)).toEqual([]);
    }
  });

  it('names a convertStatus outside 0–4 or of the wrong type by its path', () => {
    for (const bad of [5, -1, 1.5, '5', '12', 'x', '', null, true, [], {}]) {
      const p = seed('app.event.task.updated.json');
      firstFile(p).convertStatus = bad;
      const issues = checkPayload(p);
      expect(issues.map((i) => i.path)).toEqual(['content.data[0].convertStatus']);
    }
    const p = seed('app.event.task.updated.json');
    firstFile(p).convertStatus = 7;
    expect(checkPayload(p)[0]?.message).toMatch(/0–4/);
  });

  it('requires _id on chat, idea and the update/removed categories', () => {
    const base = seed('chat.json');
    for (const category of [
      'chat',
      'idea',
      'app.event.message.updated',
      'app.event.task.updated',
      'app.event.idea.updated',
      'app.event.message.removed',
    ]) {
      const p = clone(base);
      delete p._id;
      p.category = category;
      expect(checkPayload(p)).toEqual([{ path: '_id', message: 'required, missing' }]);
    }
  });

  it('does not require _id where the doc examples have none (task, topic events)', () => {
    expect(seed('task.json')._id).toBeUndefined();
    expect(checkPayload(seed('task.json'))).toEqual([]);
    expect(seed('topic.updated.json')._id).toBeUndefined();
    expect(checkPayload(seed('topic.updated.json'))).toEqual([]);
  });

  it('does not require _id on an outgoing SEND_MESSAGE', () => {
    const p = seed('chat.json');
    delete p._id;
    expect(checkPayload(p, 'send')).toEqual([]);
    expect(paths(p, 'received')).toEqual(['_id']);
  });

  it('requires category and topicId', () => {
    const p = seed('topic.updated.json');
    delete p.category;
    delete p.topicId;
    expect(paths(p)).toEqual(['category', 'topicId']);
    expect(paths({ category: 'chat', _id: 'x', topicId: 5 })).toEqual(['topicId']);
  });

  it('names wrong types by path', () => {
    const p = seed('app.event.task.updated.json');
    content(p).bodyText = 5;
    (p.sender as Obj).displayname = ['x'];
    ((content(p).assignees as Obj[])[0] as Obj)._id = null;
    firstFile(p).fileSize = '2034';
    (firstFile(p).metaData as Obj).paging = 'no';
    p.content = { ...content(p), data: [firstFile(p), 'not a file'] };
    const issues = checkPayload(p);
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        'sender.displayname',
        'content.bodyText',
        'content.assignees[0]._id',
        'content.data[0].fileSize',
        'content.data[0].metaData.paging',
        'content.data[1]',
      ].sort(),
    );
    expect(issues.find((i) => i.path === 'content.bodyText')?.message).toBe('expected string, got 5');
  });

  it('checks task status, archive status and topic type', () => {
    const task = seed('task.json');
    content(task).status = 'done';
    expect(paths(task)).toEqual(['content.status']);
    const updated = seed('app.event.task.updated.json');
    content(updated).status = 'complete';
    expect(checkPayload(updated)).toEqual([]);
    content(updated).status = 1;
    expect(paths(updated)).toEqual(['content.status']);

    const chat = seed('chat.json');
    chat.status = 2;
    chat.topicType = 'channel';
    expect(paths(chat)).toEqual(['status', 'topicType']);
    expect(checkPayload(chat)[0]?.message).toMatch(/0 \(active\) or 1 \(archived\)/);

    const topic = seed('topic.updated.json');
    content(topic).status = 1;
    expect(checkPayload(topic)).toEqual([]);
    content(topic).status = 'archived';
    content(topic).type = 'public';
    expect(paths(topic)).toEqual(['content.status', 'content.type']);
  });

  it('keeps unknown categories and extra fields without issue', () => {
    expect(checkPayload({ category: 'app.event.future.thing', topicId: 't', anything: { deep: [1] } })).toEqual([]);
    const p = seed('chat.json');
    p.newField = { x: 1 };
    (content(p) as Obj).newContentField = [null];
    expect(checkPayload(p)).toEqual([]);
    // An unknown category is still checked against the common fields.
    expect(paths({ category: 'app.event.future.thing', topicId: 1 })).toEqual(['topicId']);
  });

  it('reports a non-object payload at the root', () => {
    for (const x of [null, 'x', 3, [], true, undefined]) expect(paths(x)).toEqual(['']);
  });

  it('never quotes string values in its messages', () => {
    const p = seed('chat.json');
    p.topicType = 'very-private-value';
    content(p).bodyText = { privateKey: 'x' };
    const text = JSON.stringify(checkPayload(p));
    expect(text).not.toContain('very-private-value');
    expect(text).not.toContain('privateKey');
  });

  it('bounds the number of issues', () => {
    const p = seed('chat.json');
    content(p).data = Array.from({ length: 200 }, () => ({ convertStatus: 9 }));
    const issues = checkPayload(p);
    expect(issues).toHaveLength(MAX_ISSUES + 1);
    expect(issues[MAX_ISSUES]).toEqual({ path: '', message: '150 more issues not shown' });
  });
});
