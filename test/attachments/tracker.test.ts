import { describe, expect, it } from 'vitest';
import { AttachmentTracker, badgeFor, convertStartSkew, problemsOf, sameBadge, timeInStatus, type AttachmentFile } from '../../src/core/attachments';
import type { JsonValue } from '../../src/core/wire/types';
import { seed, seedFiles } from '../spaces/fixtures';
import { ITEM, T0, TOPIC, att, sent, statusEvents, version, type Obj } from './helpers';

function track(codes: JsonValue[]): AttachmentFile {
  const tr = new AttachmentTracker();
  tr.addAll(statusEvents(codes));
  const f = tr.file('f1');
  if (!f) throw new Error('file not tracked');
  return f;
}

const codes = (f: AttachmentFile) => f.timeline.map((e) => e.status.code);
const kinds = (f: AttachmentFile) => f.transitions.map((t) => `${String(t.from.code)}→${String(t.to.code)} ${t.kind}`);
const problemKinds = (f: AttachmentFile, now = T0 + 10_000) => problemsOf(f, now).map((p) => p.kind);

describe('status model, one file across versions', () => {
  // versions' convertStatus → current label, transitions, problem kinds (at T0 + 10 s), retries
  it.each<[JsonValue[], string, string[], string[], number]>([
    [[0, 1], 'in progress', ['0→1 forward'], [], 0],
    [[1, 2], 'complete', ['1→2 forward'], [], 0],
    [[0, 1, 2], 'complete', ['0→1 forward', '1→2 forward'], [], 0],
    [[1, 3], 'failed', ['1→3 forward'], ['failed'], 0],
    [[1, 4], 'failed, retrying', ['1→4 forward'], ['retrying'], 0],
    [[4, 1], 'in progress', ['4→1 retry'], [], 1],
    [[0, 1, 4, 1, 3], 'failed', ['0→1 forward', '1→4 forward', '4→1 retry', '1→3 forward'], ['failed'], 1],
    [[1, 4, 1, 4, 1, 2], 'complete', ['1→4 forward', '4→1 retry', '1→4 forward', '4→1 retry', '1→2 forward'], [], 2],
    [[2, 1], 'in progress', ['2→1 backwards'], ['backwards'], 0],
    [[1, 0], 'not started', ['1→0 backwards'], ['backwards'], 0],
    [[3, 1], 'in progress', ['3→1 backwards'], ['backwards'], 0],
    [[2, 4], 'failed, retrying', ['2→4 backwards'], ['retrying', 'backwards'], 0],
    [[0, 2], 'complete', ['0→2 forward'], [], 0],
    [[1, 7, 2], 'complete', ['1→7 unknown', '7→2 unknown'], ['unknown status'], 0],
    [[1, 'x'], 'unknown ("x")', ['1→x unknown'], ['unknown status'], 0],
    [[0, null], 'unknown (null)', ['0→null unknown'], ['unknown status'], 0],
    [[7, 8, 7], 'unknown (7)', ['7→8 unknown', '8→7 unknown'], ['unknown status', 'unknown status'], 0],
    [['0', '1', '2'], 'complete', ['0→1 forward', '1→2 forward'], [], 0],
    [['1', 1, '1'], 'in progress', [], [], 0],
  ])('%j → %s', (seq, label, transitions, problems, retries) => {
    const f = track(seq);
    expect(f.status?.label).toBe(label);
    expect(kinds(f)).toEqual(transitions);
    expect(problemKinds(f)).toEqual(problems);
    expect(f.retryCount).toBe(retries);
    expect(f.retries).toHaveLength(retries);
  });

  it('an unknown code keeps its raw value and is never given a documented label', () => {
    const f = track([7]);
    expect(f.status).toEqual({ code: 7, label: 'unknown (7)', known: false });
    expect(problemsOf(f, T0)).toEqual([{ kind: 'unknown status', seq: 1, status: f.status, text: 'convertStatus unknown (7)' }]);
  });

  it('consecutive duplicates collapse into one timeline entry (numbers and numeric strings alike)', () => {
    const f = track([1, 1, '1', 2, 2]);
    expect(codes(f)).toEqual([1, 2]);
    expect(f.timeline.map((e) => [e.seq, e.repeats, e.lastSeq])).toEqual([
      [1, 2, 3],
      [4, 1, 5],
    ]);
    expect(f.versions).toBe(5);
  });

  it('a status repeated after another is a new entry', () => {
    expect(codes(track([1, 2, 1, 2]))).toEqual([1, 2, 1, 2]);
  });

  it('the same status with a new convertStart is a new timeline entry, not a transition', () => {
    const tr = new AttachmentTracker();
    tr.add(sent(1, T0, version([att('f1', { convertStatus: 1, convertStart: '2020-07-10T11:00:00.000Z' })])));
    tr.add(sent(2, T0 + 1000, version([att('f1', { convertStatus: 1, convertStart: '2020-07-10T11:00:01.000Z' })])));
    const f = tr.file('f1')!;
    expect(f.timeline.map((e) => e.convertStart)).toEqual(['2020-07-10T11:00:00.000Z', '2020-07-10T11:00:01.000Z']);
    expect(f.transitions).toEqual([]);
    expect(f.statusSince).toEqual({ seq: 1, t: T0 });
  });

  it('transitions carry the time spent in the status they leave; timeInStatus adds the open run', () => {
    const tr = new AttachmentTracker();
    const steps: Array<[number, number]> = [
      [0, 0],
      [1, 2000],
      [1, 5000],
      [4, 9000],
      [1, 69_000],
      [2, 70_500],
    ];
    steps.forEach(([code, dt], i) => tr.add(sent(i + 1, T0 + dt, version([att('f1', { convertStatus: code })]))));
    const f = tr.file('f1')!;
    expect(f.transitions.map((t) => [t.to.code, t.afterMs])).toEqual([
      [1, 2000],
      [4, 7000],
      [1, 60_000],
      [2, 1500],
    ]);
    expect(timeInStatus(f, T0 + 80_500).map((s) => [s.status.label, s.ms])).toEqual([
      ['not started', 2000],
      ['in progress', 8500],
      ['failed, retrying', 60_000],
      ['complete', 10_000],
    ]);
  });

  it('a retry records the next schedule announced by the status 4 version, and the new convertStart', () => {
    const tr = new AttachmentTracker();
    tr.add(sent(1, T0, version([att('f1', { convertStatus: 1, convertStart: 'A' })])));
    tr.add(sent(2, T0 + 1000, version([att('f1', { convertStatus: 4, nextSchedule: '2020-07-10T11:05:00.000Z', convertFailed: 'timeout' })])));
    tr.add(sent(3, T0 + 300_000, version([att('f1', { convertStatus: 1, convertStart: 'B', nextSchedule: null, convertFailed: null })])));
    tr.add(sent(4, T0 + 301_000, version([att('f1', { convertStatus: 3, convertFailed: 'unsupported format' })])));
    const f = tr.file('f1')!;
    expect(f.retries).toEqual([{ seq: 3, t: T0 + 300_000, nextSchedule: '2020-07-10T11:05:00.000Z', convertStart: 'B' }]);
    expect(f.failures.map((x) => [x.seq, x.reason, x.status.code])).toEqual([
      [2, 'timeout', 4],
      [4, 'unsupported format', 3],
    ]);
    expect(f.nextSchedule).toBeUndefined();
    expect(f.timeline[2]).toEqual({ seq: 3, t: T0 + 300_000, status: { code: 1, label: 'in progress', known: true }, convertStart: 'B', repeats: 0, lastSeq: 3 });
    expect(problemsOf(f, T0 + 302_000)).toEqual([{ kind: 'failed', seq: 4, reason: 'unsupported format', text: 'failed: unsupported format' }]);
  });
});

describe('versions of an item', () => {
  it('ignores a version older by `modified` instead of regressing the status, and records it', () => {
    const tr = new AttachmentTracker();
    tr.add(sent(1, T0, version([att('f1', { convertStatus: 1 })], { modified: '2020-07-10T11:00:01.000Z' })));
    tr.add(sent(2, T0 + 1000, version([att('f1', { convertStatus: 2 })], { modified: '2020-07-10T11:00:03.000Z' })));
    const older = tr.add(sent(3, T0 + 2000, version([att('f1', { convertStatus: 1 })], { modified: '2020-07-10T11:00:02.000Z' })));
    const f = tr.file('f1')!;
    expect(older).toBe(true);
    expect(f.status?.code).toBe(2);
    expect(codes(f)).toEqual([1, 2]);
    expect(f.versions).toBe(2);
    expect(f.outOfOrder).toEqual([
      { seq: 3, t: T0 + 2000, itemId: ITEM, modified: '2020-07-10T11:00:02.000Z', latest: '2020-07-10T11:00:03.000Z' },
    ]);
    expect(problemKinds(f)).toEqual(['out of order']);
    // the same `modified`, or none, is applied
    tr.add(sent(4, T0 + 3000, version([att('f1', { convertStatus: 3 })], { modified: '2020-07-10T11:00:03.000Z' })));
    tr.add(sent(5, T0 + 4000, version([att('f1', { convertStatus: 2 })])));
    expect(codes(f)).toEqual([1, 2, 3, 2]);
  });

  it('a file missing from a later version of its item has disappeared, until it comes back', () => {
    const tr = new AttachmentTracker();
    tr.add(sent(1, T0, version([att('a', { convertStatus: 1 }), att('b', { convertStatus: 1 })])));
    tr.add(sent(2, T0 + 1000, version([att('a', { convertStatus: 2 })])));
    const b = tr.file('b')!;
    expect(b.missing).toEqual({ seq: 2, t: T0 + 1000, itemId: ITEM });
    expect(problemsOf(b, T0 + 2000)).toEqual([
      { kind: 'disappeared', seq: 2, itemId: ITEM, text: `no longer in a later version of its item ${ITEM}` },
    ]);
    expect(badgeFor(tr.filesOfItem(ITEM), T0 + 2000).text).toBe('');
    tr.add(sent(3, T0 + 3000, version([att('a', { convertStatus: 2 }), att('b', { convertStatus: 2 })])));
    expect(b.missing).toBeUndefined();
    expect(problemKinds(b)).toEqual([]);
    expect(tr.files().map((f) => f.fileId)).toEqual(['a', 'b']);
  });

  it('a file added by a later version is tracked from it', () => {
    const tr = new AttachmentTracker();
    tr.add(sent(1, T0, version([att('a', { convertStatus: 2 })])));
    tr.add(sent(2, T0 + 1000, version([att('a', { convertStatus: 2 }), att('c', { convertStatus: 0 })])));
    expect(tr.file('c')?.first).toEqual({ seq: 2, t: T0 + 1000 });
    expect(badgeFor(tr.filesOfItem(ITEM), T0 + 2000)).toEqual({ converting: 1, failed: 0, retrying: 0, stuck: 0, text: '1 converting' });
  });

  it('two badges are the same when every count and the text are', () => {
    const one = { converting: 1, failed: 0, retrying: 0, stuck: 0, text: '1 converting' };
    expect(sameBadge(one, { ...one })).toBe(true);
    expect(sameBadge(undefined, undefined)).toBe(true);
    expect(sameBadge(one, undefined)).toBe(false);
    for (const key of ['converting', 'failed', 'retrying', 'stuck'] as const) expect(sameBadge(one, { ...one, [key]: one[key] + 1 }), key).toBe(false);
    expect(sameBadge(one, { ...one, text: '2 converting' })).toBe(false);
  });

  it('a version without content.data says nothing about the files', () => {
    const tr = new AttachmentTracker();
    tr.add(sent(1, T0, version([att('a', { convertStatus: 1 })])));
    tr.add(sent(2, T0 + 1000, { _id: ITEM, category: 'app.event.task.updated', content: { status: 'complete' }, topicId: TOPIC }));
    expect(tr.file('a')?.missing).toBeUndefined();
  });

  it('files of a removed item are marked removed, not disappeared, and leave the badges', () => {
    const tr = new AttachmentTracker();
    tr.add(sent(1, T0, version([att('a', { convertStatus: 1 })], { category: 'chat' })));
    const removed = seed('app.event.message.removed.json');
    tr.add(sent(2, T0 + 1000, { ...removed, _id: ITEM, messageId: ITEM }));
    const a = tr.file('a')!;
    expect(a.itemRemoved).toEqual({ seq: 2, t: T0 + 1000 });
    expect(a.missing).toBeUndefined();
    expect(problemKinds(a, T0 + 10 * 60_000)).toEqual([]);
    expect(badgeFor([a], T0 + 2000).text).toBe('');
  });
});

describe('stuck in progress', () => {
  const START = '2020-07-10T11:00:00.000Z';

  it("counts from when its status was seen (one clock with time in status), not from the server's convertStart", () => {
    const tr = new AttachmentTracker();
    // convertStart says T0; the panel saw status 1 at T0 + 30 s: the skew is shown beside, the clock is the panel's
    tr.add(sent(1, T0 + 30_000, version([att('f1', { convertStatus: 1, convertStart: START })])));
    const f = tr.file('f1')!;
    expect(problemsOf(f, T0 + 150_000)).toEqual([]);
    expect(problemsOf(f, T0 + 150_001)).toEqual([
      { kind: 'stuck', seq: 1, since: T0 + 30_000, forMs: 120_001, text: 'in progress for 2 min (since its status was seen)' },
    ]);
    expect(problemKinds(f, T0 + 90_001).length).toBe(0);
    expect(problemsOf(f, T0 + 90_001, { stuckAfterMs: 60_000 }).map((p) => p.kind)).toEqual(['stuck']);
    expect(convertStartSkew(f)).toEqual({ convertStart: T0, seenAt: T0 + 30_000, skewMs: 30_000 });
  });

  it('counts from when status 1 was first seen when convertStart is absent or unreadable', () => {
    const extras: Obj[] = [{}, { convertStart: null }, { convertStart: 'soon' }];
    for (const extra of extras) {
      const tr = new AttachmentTracker();
      tr.add(sent(1, T0, version([att('f1', { convertStatus: 0 })])));
      tr.add(sent(2, T0 + 5000, version([att('f1', { convertStatus: 1, ...extra })])));
      tr.add(sent(3, T0 + 50_000, version([att('f1', { convertStatus: 1, ...extra })])));
      const f = tr.file('f1')!;
      expect(problemsOf(f, T0 + 125_000)).toEqual([]);
      const [p] = problemsOf(f, T0 + 125_001);
      expect(p).toMatchObject({ kind: 'stuck', seq: 2, since: T0 + 5000, forMs: 120_001 });
    }
  });

  it('a file converting, failed or retrying is not stuck', () => {
    for (const code of [0, 2, 3, 4]) {
      const f = track([code]);
      expect(problemKinds(f, T0 + 3_600_000)).not.toContain('stuck');
    }
  });
});

describe('badges', () => {
  it('counts converting, stuck, retrying and failed files', () => {
    const tr = new AttachmentTracker();
    const files = [
      att('a', { convertStatus: 0 }),
      att('b', { convertStatus: 1, convertStart: '2020-07-10T11:00:50.000Z' }),
      att('d', { convertStatus: '3' }),
      att('e', { convertStatus: 4 }),
      att('f', { convertStatus: 2 }),
      att('g', { convertStatus: 7 }),
      att('h', {}),
    ];
    // c (another item) has been in progress since an hour before
    tr.add(sent(1, T0 - 3_600_000, version([att('c', { convertStatus: 1, convertStart: '2020-07-10T10:00:00.000Z' })], { itemId: '5f084be01015c7ea0129f977' })));
    tr.add(sent(2, T0 + 60_000, version(files)));
    expect(badgeFor(tr.filesOfTopic(TOPIC), T0 + 60_000)).toEqual({
      converting: 2,
      failed: 1,
      retrying: 1,
      stuck: 1,
      text: '2 converting · 1 stuck · 1 retrying · 1 failed',
    });
    expect(badgeFor([], T0)).toEqual({ converting: 0, failed: 0, retrying: 0, stuck: 0, text: '' });
    expect(badgeFor([tr.file('a')!, tr.file('b')!, tr.file('d')!], T0 + 60_000).text).toBe('2 converting · 1 failed');
  });
});

describe('what is read from the payload', () => {
  it('keeps file details, the topic and the item; URLs as text', () => {
    const tr = new AttachmentTracker();
    const file = att('f1', {
      name: 'photo.png',
      fileType: 'image',
      fileSize: '48213',
      providerFileType: 'image/png',
      pages: '3',
      convertStatus: 2,
      previewUrl: 'https://example.com/p/photo.png?sig=1',
      thumbnailUrl: 'https://example.com/t/photo.png',
      thumbnailFile: 'thumb-f1',
      path: 'javascript:alert(1)',
      metaData: { paging: 0, prvwProvd: 'gcs', stgeProvd: 'gcs', nested: { x: 1 } },
    });
    tr.add(sent(1, T0, { ...version([file], { category: 'chat' }), topicTitle: 'Release planning' }));
    expect(tr.file('f1')).toMatchObject({
      name: 'photo.png',
      fileType: 'image',
      providerFileType: 'image/png',
      provider: 'native',
      size: 48213,
      humanSize: '47.1 KB',
      pages: 3,
      previewUrl: 'https://example.com/p/photo.png?sig=1',
      thumbnailUrl: 'https://example.com/t/photo.png',
      thumbnailFile: 'thumb-f1',
      path: 'javascript:alert(1)',
      metadata: { paging: 0, prvwProvd: 'gcs', stgeProvd: 'gcs' },
      topicId: TOPIC,
      topicTitle: 'Release planning',
      itemId: ITEM,
      category: 'chat',
    });
    expect(tr.topics()).toEqual([{ topicId: TOPIC, topicTitle: 'Release planning', files: [tr.file('f1')] }]);
  });

  it('reads every attachment seed fixture the same, number or string', () => {
    const names = seedFiles.filter((n) => n.startsWith('attachment.'));
    expect(names).toHaveLength(10);
    for (const name of names) {
      const n = Number(/convertStatus-(\d)/.exec(name)?.[1]);
      const tr = new AttachmentTracker();
      tr.add(sent(1, T0, seed(name)));
      const [f] = tr.files();
      expect(f?.status).toMatchObject({ code: n, known: true });
      expect(f?.humanSize).toBe('47.1 KB');
    }
  });

  it('follows the seed idea/task update examples', () => {
    const tr = new AttachmentTracker();
    tr.add(sent(1, T0, seed('app.event.task.updated.json')));
    tr.add(sent(2, T0, seed('app.event.idea.updated.json')));
    expect(tr.files().map((f) => [f.name, f.status?.label, f.humanSize, f.metadata?.stgeProvd])).toEqual([
      ['userActions compressed.txt', 'not started', '2.0 KB', 'gcs'],
      ['userActions working example.txt', 'not started', '3.2 KB', 'gcs'],
    ]);
  });

  it('ignores what is not a received item MESSAGE_SENT, and seqs already fed', () => {
    const tr = new AttachmentTracker();
    const payload = version([att('f1', { convertStatus: 1 })]);
    expect(tr.add(sent(1, T0, payload, 'SEND_MESSAGE', 'out'))).toBe(false);
    expect(tr.add(sent(2, T0, payload, 'MESSAGE_SENT', 'out'))).toBe(false);
    expect(tr.add(sent(3, T0, payload, 'SOMETHING_ELSE'))).toBe(false);
    expect(tr.add(sent(4, T0, { ...payload, category: 'topic.updated' }))).toBe(false);
    expect(tr.add(sent(5, T0, 'not an object'))).toBe(false);
    expect(tr.add(sent(6, T0, { ...payload, content: { data: [null, 1, 'x', {}, { fileId: '' }] } }))).toBe(false);
    expect(tr.files()).toEqual([]);
    expect(tr.add(sent(7, T0, payload))).toBe(true);
    expect(tr.add(sent(7, T0, payload))).toBe(false);
    expect(tr.add(sent(3, T0, payload))).toBe(false);
    expect(tr.skipped).toBe(2);
    expect(tr.file('f1')?.versions).toBe(1);
  });

  it('a fileId listed twice in one version counts once', () => {
    const tr = new AttachmentTracker();
    tr.add(sent(1, T0, version([att('f1', { convertStatus: 1 }), att('f1', { convertStatus: 2 })])));
    expect(codes(tr.file('f1')!)).toEqual([1]);
  });
});

describe('bounds', () => {
  it('caps files, oldest first seen dropped, and counts them', () => {
    const tr = new AttachmentTracker({ maxFiles: 2 });
    ['a', 'b', 'c'].forEach((id, i) => tr.add(sent(i + 1, T0, version([att(id, { convertStatus: 0 })], { itemId: `item-${id}` }))));
    expect(tr.files().map((f) => f.fileId)).toEqual(['b', 'c']);
    expect(tr.dropped).toEqual({ files: 1, items: 1 });
  });

  it('caps each file list, oldest dropped, and counts them', () => {
    const tr = new AttachmentTracker({ maxEntries: 3 });
    tr.addAll(statusEvents([1, 4, 1, 4, 1, 4, 1, 2]));
    const f = tr.file('f1')!;
    expect(codes(f)).toEqual([4, 1, 2]);
    expect(f.transitions.map((t) => t.seq)).toEqual([6, 7, 8]);
    expect(f.retries.map((r) => r.seq)).toEqual([3, 5, 7]);
    expect(f.retryCount).toBe(3);
    expect(f.dropped).toMatchObject({ timeline: 5, transitions: 4, retries: 0 });
  });

  it('clips long text from the page', () => {
    const tr = new AttachmentTracker();
    tr.add(sent(1, T0, version([att('f1', { name: 'n'.repeat(10_000), convertStatus: 3, convertFailed: 'e'.repeat(10_000), path: 'p'.repeat(10_000) })])));
    const f = tr.file('f1')!;
    expect(f.name?.length).toBe(256);
    expect(f.convertFailed?.length).toBe(500);
    expect(f.path?.length).toBe(2048);
  });
});
