// The simulator's scripted scenario, fed to the tracker as the background would capture it.
import { describe, expect, it } from 'vitest';
import { AttachmentTracker, badgeFor, problemsOf, timeInStatus } from '../../src/core/attachments';
import { SCENARIO, TOPICS } from '../../simulator/scenario';
import { sent } from './helpers';

// The scenario's own clock: its timestamps are BASE + n seconds; step i is captured at BASE + i s.
const BASE = Date.parse('2020-07-16T11:40:00.000Z');
const at = (seconds: number) => BASE + seconds * 1000;
const events = SCENARIO.map((step, i) => sent(i + 1, at(i), step.payload));
const LAST = at(SCENARIO.length - 1);

const OK = '0c1591af-9d7a-4252-ba93-64e0b1ad49d4';
const FAIL = '63cb20f5-12d8-4dea-b784-ae13c11a1cb8';
const STUCK = '9a7e4c21-5b3d-4f08-a6e2-1c9d8b7f6a55';

function tracked() {
  const tr = new AttachmentTracker();
  tr.addAll(events);
  return tr;
}

describe('simulator scenario', () => {
  it('tracks its three files', () => {
    expect(tracked().files().map((f) => [f.name, f.humanSize, f.status?.label])).toEqual([
      ['roadmap.pdf', '3.2 KB', 'complete'],
      ['userActions compressed.txt', '2.0 KB', 'failed'],
      ['whiteboard.png', '470.8 KB', 'in progress'],
    ]);
  });

  it('one file complete: 0 → 1 → 2, no problem', () => {
    const f = tracked().file(OK)!;
    expect(f.timeline.map((e) => e.status.code)).toEqual([0, 1, 2]);
    expect(f.transitions.map((t) => t.kind)).toEqual(['forward', 'forward']);
    expect(f.pages).toBe(3);
    expect(f).toMatchObject({ topicId: TOPICS.release._id, topicTitle: 'Release planning', itemId: '5f084a681015c7cc4929f8ca' });
    // the text edit re-sent status 2: collapsed
    expect(f.timeline[2]?.repeats).toBe(1);
    expect(problemsOf(f, LAST + 3_600_000)).toEqual([]);
  });

  it('one file failed after a retry: 0 → 1 → 4 → 1 → 3, with its schedule and reason', () => {
    const f = tracked().file(FAIL)!;
    expect(f.timeline.map((e) => e.status.code)).toEqual([0, 1, 4, 1, 3]);
    expect(f.transitions.map((t) => t.kind)).toEqual(['forward', 'forward', 'retry', 'forward']);
    expect(f.retryCount).toBe(1);
    expect(f.retries[0]).toMatchObject({ nextSchedule: '2020-07-16T11:41:06.000Z', convertStart: '2020-07-16T11:41:06.000Z' });
    expect(f.failures.map((x) => x.reason)).toEqual(['Thumbnail conversion failed: unsupported file format']);
    // the new 'task' (short form: no status, no _id), then six versions with a status, the last one repeated
    expect(f.versions).toBe(7);
    expect(f.timeline[4]?.repeats).toBe(1);
    expect(problemsOf(f, LAST).map((p) => p.text)).toEqual(['failed: Thumbnail conversion failed: unsupported file format']);
    expect(timeInStatus(f, LAST).map((s) => s.status.code)).toEqual([0, 1, 4, 3]);
  });

  it('one file stuck in progress, once the threshold has passed since its status was seen', () => {
    const f = tracked().file(STUCK)!;
    expect(f.timeline.map((e) => e.status.code)).toEqual([0, 1]);
    expect(f.convertStart).toBe('2020-07-16T11:40:06.000Z');
    expect(problemsOf(f, LAST)).toEqual([]);
    const seen = f.statusSince!.t;
    expect(problemsOf(f, seen + 120_000)).toEqual([]);
    expect(problemsOf(f, seen + 120_001)).toMatchObject([{ kind: 'stuck', since: seen, forMs: 120_001 }]);
  });

  it('badges per topic and per message row', () => {
    const tr = tracked();
    const later = at(6) + 5 * 60_000;
    expect(badgeFor(tr.filesOfTopic(TOPICS.release._id), later).text).toBe('1 failed');
    expect(badgeFor(tr.filesOfTopic(TOPICS.falcon._id), LAST).text).toBe('1 converting');
    expect(badgeFor(tr.filesOfTopic(TOPICS.falcon._id), later).text).toBe('1 stuck');
    expect(badgeFor(tr.filesOfItem('5f103c8b76111fce5a460e21'), later)).toMatchObject({ stuck: 1, converting: 0 });
    expect(tr.topics().map((t) => [t.topicTitle, t.files.length])).toEqual([
      ['Release planning', 2],
      ['Project Falcon', 1],
    ]);
  });
});
