// The panel store feeds the versions and attachments cores as events arrive; what the list, the
// changes view and the badges read from them.
import { describe, expect, it } from 'vitest';
import { PanelStore } from '../../src/panel/store/state';
import { FileIndex, parseStuckAfter, rowVersion, topicTimeline } from '../../src/panel/store/changes';
import { SCENARIO, TOPICS } from '../../simulator/scenario';
import { sent } from '../attachments/helpers';
import { chat } from './fixtures';

const BASE = Date.parse('2020-07-16T11:40:00.000Z');
const scenario = SCENARIO.map((s, i) => sent(i + 1, BASE + i * 1000, s.payload));
const TASK = '5f084be01015c7ea0129f976';
const IDEA = '5f084a681015c7cc4929f8ca';
const WHITEBOARD = '5f103c8b76111fce5a460e21';
const LATER = BASE + 60 * 60_000;

const seqOf = (pred: (i: number) => boolean): number[] => scenario.filter((_, i) => pred(i)).map((e) => e.seq);
const taskSeqs = seqOf((i) => SCENARIO[i]!.payload._id === TASK);

describe('PanelStore feeds versions and attachments', () => {
  it('builds both as batches arrive, one event at a time or many', () => {
    const a = new PanelStore();
    for (const ev of scenario) a.receive([ev], false);
    const b = new PanelStore();
    b.receive(scenario, false);
    for (const s of [a, b]) {
      expect(s.versions.get(`item:${TASK}`)?.versions.map((v) => v.seq)).toEqual(taskSeqs);
      expect(s.attachments.files().map((f) => f.status?.label)).toEqual(['complete', 'failed', 'in progress']);
    }
  });

  it('events held back by pause are fed on resume, not before', () => {
    const s = new PanelStore();
    s.receive(scenario.slice(0, 3), false);
    s.setPaused(true);
    s.receive(scenario.slice(3), false);
    expect(s.versions.get(`item:${TASK}`)).toBeUndefined();
    s.setPaused(false);
    expect(s.versions.get(`item:${TASK}`)?.versions.length).toBe(taskSeqs.length);
  });

  it('a reset and a clear forget both; events after them are tracked afresh', () => {
    const s = new PanelStore();
    s.receive(scenario, false);
    s.clear();
    expect(s.versions.stats().items).toBe(0);
    expect(s.attachments.files()).toEqual([]);
    // After a clear the same item comes back with new seqs: a history of one.
    const again = sent(100, LATER, SCENARIO[2]!.payload);
    s.receive([again], false);
    expect(s.versions.get(`item:${IDEA}`)?.versions.map((v) => v.seq)).toEqual([100]);
    // A reset replays from seq 1.
    s.receive(scenario.slice(0, 4), true);
    expect(s.versions.get(`item:${IDEA}`)?.versions.map((v) => v.seq)).toEqual([3]);
    expect(s.attachments.files().map((f) => f.fileId)).toEqual(['0c1591af-9d7a-4252-ba93-64e0b1ad49d4', '63cb20f5-12d8-4dea-b784-ae13c11a1cb8']);
  });

  it('keeps the history of items whose events the list dropped', () => {
    const s = new PanelStore({ max: 5 });
    s.receive(scenario, false);
    expect(s.findSeq(taskSeqs[0]!)).toBeUndefined();
    expect(s.versions.get(`item:${TASK}`)?.versions.length).toBe(taskSeqs.length);
  });
});

describe('rowVersion', () => {
  const s = new PanelStore();
  s.receive([...scenario, chat(1000)], false);

  it('numbers each version of its item and summarizes every one after the first', () => {
    const rows = taskSeqs.map((seq) => rowVersion(s.versions, s.findSeq(seq)!));
    expect(rows.map((r) => `${r?.n}/${r?.of}`)).toEqual(taskSeqs.map((_, i) => `${i + 1}/${taskSeqs.length}`));
    expect(rows[0]?.summary).toBe('');
    expect(rows.at(-1)?.summary).toBe('status pending → complete');
    expect(rows.map((r) => r?.summary).slice(2, 6)).toEqual([
      'file userActions compressed.txt convertStatus 0 → 1',
      'file userActions compressed.txt convertStatus 1 → 4',
      'file userActions compressed.txt convertStatus 4 → 1',
      'file userActions compressed.txt convertStatus 1 → 3',
    ]);
  });

  it('marks removals, duplicates and out-of-order versions', () => {
    const removal = scenario.find((e) => e.spaces?.category === 'app.event.message.removed')!;
    expect(rowVersion(s.versions, removal)).toMatchObject({ n: 2, of: 2, removal: true, summary: 'removed' });
    const t = new PanelStore();
    const completed = SCENARIO[16]!.payload; // the task completed (modified at(70))
    const retrying = SCENARIO[10]!.payload; // the task at convertStatus 4 (modified at(7))
    t.receive([sent(1, BASE, completed), sent(2, BASE + 1, completed), sent(3, BASE + 2, retrying)], false);
    const [a, b, c] = [1, 2, 3].map((seq) => rowVersion(t.versions, t.findSeq(seq)!));
    expect(a).toMatchObject({ n: 1, duplicate: false, outOfOrder: false });
    expect(b).toMatchObject({ n: 2, duplicate: true, summary: 'duplicate of #1' });
    expect(c).toMatchObject({ n: 3, outOfOrder: true });
  });

  it('is undefined for what is not a version of an item', () => {
    expect(rowVersion(s.versions, s.findSeq(1000)!)).toBeUndefined();
  });
});

describe('topicTimeline', () => {
  const s = new PanelStore();
  s.receive(scenario, false);

  it("lists one topic's updates newest first, without first versions", () => {
    const { rows, more } = topicTimeline(s.versions, TOPICS.falcon._id, 100);
    expect(more).toBe(0);
    expect(rows.map((r) => [r.item.kind, r.summary])).toEqual([
      ['topic', 'pinned, notifications on'],
      ['message', 'body edited'],
      ['message', 'file whiteboard.png convertStatus 0 → 1'],
    ]);
  });

  it('across all topics, bounded, counting the rest', () => {
    const { rows, more } = topicTimeline(s.versions, null, 3);
    expect(rows.map((r) => r.version.seq)).toEqual([...rows.map((r) => r.version.seq)].sort((x, y) => y - x));
    expect(rows.length + more).toBe(topicTimeline(s.versions, null, 1000).rows.length);
    expect(more).toBeGreaterThan(0);
  });
});

describe('FileIndex', () => {
  it('badges per item and per topic, following the tracker and the threshold', () => {
    const s = new PanelStore();
    const idx = new FileIndex();
    s.receive(scenario.slice(0, 9), false);
    // At convertStart + 1 min nothing is stuck yet; the task's and the idea's files are converting.
    const early = BASE + 6_000 + 60_000;
    expect(idx.itemBadge(s.attachments, TASK, early, 120_000)?.text).toBe('1 converting');
    expect(idx.topicBadge(s.attachments, TOPICS.release._id, early, 120_000)?.text).toBe('2 converting');
    s.receive(scenario.slice(9), false);
    expect(idx.itemBadge(s.attachments, TASK, LATER, 120_000)?.text).toBe('1 failed');
    expect(idx.itemBadge(s.attachments, IDEA, LATER, 120_000)).toBeUndefined();
    expect(idx.itemBadge(s.attachments, WHITEBOARD, LATER, 120_000)?.text).toBe('1 stuck');
    expect(idx.itemBadge(s.attachments, WHITEBOARD, LATER, 2 * 60 * 60_000)?.text).toBe('1 converting');
    expect(idx.topicBadge(s.attachments, null, LATER, 120_000)?.text).toBe('1 stuck · 1 failed');
    expect(idx.ofTopic(s.attachments, TOPICS.release._id).map((f) => f.name)).toEqual(['roadmap.pdf', 'userActions compressed.txt']);
    // A new tracker (after a reset) is picked up.
    s.receive([], true);
    expect(idx.files(s.attachments)).toEqual([]);
  });

  it('parseStuckAfter keeps sane values only', () => {
    expect(parseStuckAfter(300_000, 120_000)).toBe(300_000);
    for (const bad of [5_000, 100_000_000, 1.5, '300000', null, undefined]) expect(parseStuckAfter(bad, 120_000)).toBe(120_000);
  });
});
