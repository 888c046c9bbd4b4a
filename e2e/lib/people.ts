// The People and Meetings views on the simulator's people scenario (?scenario=people), read as a person
// sees them, in any panel: Chromium's DevTools, Firefox's toolbox, the offline viewer. The in-page
// functions are sent as source text (no closure, no named inner functions).
import assert from 'node:assert/strict';
import { PEOPLE_TOPIC } from '../../simulator/people';
import type { PanelFrame, Row } from './panel';
import { until } from './wait';

/** Runs fn(window, arg) in the panel's window. */
export type InPanel = <T, A>(fn: (win: Window, arg: A) => T | Promise<T>, arg: A) => Promise<Awaited<T>>;

export const inFrame =
  (panel: PanelFrame): InPanel =>
  (fn, arg) =>
    panel.evaluate(`(${fn.toString()})(window, ${JSON.stringify(arg)})`);

/** Clicks the first element matching selector whose text includes `text` (if given); false when none. */
function clickIn(win: Window, a: { selector: string; text?: string; within?: string }): boolean {
  const els = Array.from(win.document.querySelectorAll<HTMLElement>(a.selector));
  const el = els.find((e) => (a.text === undefined || (e.textContent ?? '').includes(a.text)) && (a.within === undefined || (e.closest('tr')?.textContent ?? '').includes(a.within)));
  if (!el) return false;
  el.click();
  return true;
}

export interface ViewsSnapshot {
  view: string;
  title: string;
  counts: string;
  moment: string;
  people: string[][];
  history: string[][];
  meetings: { title: string; attendees: string[][]; recordings: string; entries: string[] }[];
  calls: string[][];
  problems: string[];
}

/** What the view shown says, cell by cell (event links "#12" left out: a log renumbers nothing, but they are links, not state). */
function readViews(win: Window): ViewsSnapshot {
  const d = win.document;
  const t = (e: Element | null | undefined): string => (e?.textContent ?? '').replace(/\s+/g, ' ').replace(/ ?#\d+( \(no longer in the list\))?$/, '').trim();
  const cells = (sel: string): string[][] => Array.from(d.querySelectorAll(sel)).map((r) => Array.from(r.children).map((c) => t(c)));
  return {
    view: d.querySelector('[role=tab][aria-selected=true]')?.textContent ?? '',
    title: t(d.querySelector('.ppl-view .att-title')),
    counts: t(d.querySelector('.ppl-counts, .mtg-counts')),
    moment: t(d.querySelector('.moment-at')),
    people: cells('.ppl-table tbody tr'),
    history: cells('.ppl-history tbody tr').map((r) => r.slice(0, 3)),
    meetings: Array.from(d.querySelectorAll('.mtg')).map((m) => ({
      title: t(m.querySelector('.mtg-title')),
      attendees: Array.from(m.querySelectorAll('.mtg-attendees tbody tr')).map((r) => Array.from(r.children).map((c) => t(c))),
      recordings: t(m.querySelector('.mtg-line:not(.muted)')),
      entries: Array.from(m.querySelectorAll('.mtg-entries li')).map((li) => t(li)),
    })),
    calls: cells('.mtg-calls tbody tr').map((r) => r.slice(0, 5)),
    problems: Array.from(d.querySelectorAll('.ppl-problem')).map((p) => t(p)),
  };
}

async function click(run: InPanel, what: string, selector: string, text?: string, within?: string): Promise<void> {
  await until(`click ${what}`, () => run(clickIn, { selector, ...(text === undefined ? {} : { text }), ...(within === undefined ? {} : { within }) }), (ok) => ok, 15_000);
}

/** The Events view (the panel keeps the view last chosen, across tests of one browser). */
export const showEvents = (run: InPanel): Promise<void> => click(run, 'the Events view', '#view-events');

export const snapshot = (run: InPanel): Promise<ViewsSnapshot> => run(readViews, null);

/** The list's rows of the scenario: named as sent, one line each, attributed to the scenario's topic. */
export function checkRows(rows: Row[]): void {
  // A row with schema issues starts with their badge ("⚠ 1 issue").
  const of = (summary: string): Row | undefined => rows.find((r) => r.summary.replace(/^⚠ \d+ issues?/, '') === summary);
  const expected: [string, string][] = [
    ['You ask who is here', 'SEND_PRESENCE_EVENT'],
    ['Vidas Andrijaitis is online · admin (to 1)', 'PRESENCE_EVENT_RESPONSE'],
    ['Ann Lee is idle · guest (to 1)', 'PRESENCE_EVENT_RESPONSE'],
    ['Vidas Andrijaitis is typing', 'PRESENCE_EVENT_RESPONSE'],
    ['meeting started · video', 'MEDIA_SESSION_RESPONSE'],
    ['Ann Lee joined the meeting', 'MEDIA_SESSION_RESPONSE'],
    ['Ann Lee: audio, muted, phone', 'MEDIA_SESSION_RESPONSE'],
    // Sent as 'SEND_MEDIA_SESSION_EVENTS ' (its trailing space is not visible in a cell).
    ['call offered to Ann Lee', 'SEND_MEDIA_SESSION_EVENTS'],
    ['call not answered', 'MEDIA_SESSION_RESPONSE'],
    ['meeting ended', 'MEDIA_SESSION_RESPONSE'],
  ];
  for (const [summary, event] of expected) {
    const r = of(summary);
    assert.ok(r, `no row "${summary}" among ${rows.map((x) => x.summary).join(' / ').slice(0, 3000)}`);
    assert.equal(r.event, event, summary);
    if (event === 'SEND_MEDIA_SESSION_EVENTS') assert.match(r.summary, /^⚠ 1 issue/, 'the trailing space in the name is flagged');
    assert.ok(r.topic === PEOPLE_TOPIC.title || r.topic === PEOPLE_TOPIC._id || r.topic.startsWith('Project'), `${summary}: topic ${r.topic}`);
  }
}

const person = (s: ViewsSnapshot, name: string): string[] | undefined => s.people.find((r) => r[0]?.startsWith(name));

/**
 * Opens People then Meetings for the scenario's topic and checks what the scenario played. Returns what
 * both views show at the latest moment (less the typing column, which follows the clock live).
 */
export async function checkPeopleAndMeetings(run: InPanel, attach?: (name: string) => Promise<void>): Promise<{ people: ViewsSnapshot; meetings: ViewsSnapshot }> {
  await click(run, 'the People view', '#view-people');
  // The topic: chosen from the People view when none is chosen in the tree.
  await run(clickIn, { selector: `.ppl-topics button[data-topic="${PEOPLE_TOPIC._id}"]` });
  const people = await until('the People view lists the scenario', () => snapshot(run), (s) => s.people.length === 3 && s.history.some((h) => h[2] === 'stopped typing' || h[2] === 'started typing') && /Ann Lee/.test(s.people.map((r) => r.join(' ')).join()), 30_000);
  assert.equal(people.view, 'People');
  const vidas = person(people, 'Vidas Andrijaitis');
  const ann = person(people, 'Ann Lee');
  const me = person(people, 'You');
  // Person | State | Typing | Role | Media | Joined | Left
  assert.deepEqual([vidas?.[1], vidas?.[3], vidas?.[4]], ['online', 'admin', 'audio, video'], `Vidas: ${vidas?.join(' | ')}`);
  assert.deepEqual([ann?.[1], ann?.[3], ann?.[4]], ['online', 'guest', 'audio, muted, phone'], `Ann: ${ann?.join(' | ')}`);
  assert.deepEqual([me?.[0], me?.[1], me?.[3]], ['You (this page)', 'online', 'member'], `You: ${me?.join(' | ')}`);
  assert.deepEqual(
    people.history.filter((h) => h[1] !== 'You').map((h) => `${h[1]}: ${h[2]}`).filter((h) => !h.endsWith('stopped typing')),
    ['Vidas Andrijaitis: joined', 'Ann Lee: joined (idle)', 'Vidas Andrijaitis: audio on, video on', 'Ann Lee: is back', 'Ann Lee: audio on, muted, joined by phone', 'Vidas Andrijaitis: started typing'],
  );
  assert.deepEqual(people.problems, []);
  if (attach) await attach('people');

  // Replayed to the moment Vidas started typing: Ann was back, Vidas typing.
  await click(run, 'the time of "started typing"', '.ppl-history tbody tr td:first-child button', undefined, 'started typing');
  const typing = await until('Vidas typing at that moment', () => snapshot(run), (s) => /^typing since /.test(person(s, 'Vidas Andrijaitis')?.[2] ?? ''));
  assert.match(typing.moment, /^\d\d:\d\d:\d\d\.\d{3}$/);
  assert.match(typing.counts, /^3 online · 0 idle · 1 typing · 0 offline$/);
  // Replayed to the first answer: only Vidas and this page, Ann not yet there.
  await click(run, 'the time of Vidas joining', '.ppl-history tbody tr td:first-child button', undefined, 'Vidas Andrijaitis');
  const early = await until('the moment Vidas joined', () => snapshot(run), (s) => person(s, 'Ann Lee') === undefined);
  assert.equal(person(early, 'Vidas Andrijaitis')?.[1], 'online');
  await click(run, 'Latest', '.moment button', 'Latest');
  await until('back to the latest moment', () => snapshot(run), (s) => s.people.length === 3);

  await click(run, 'the Meetings view', '#view-meetings');
  const meetings = await until('the Meetings view shows the ended meeting and the call', () => snapshot(run), (s) => s.meetings.length === 1 && s.calls.length === 1 && /→ \d/.test(s.meetings[0]!.title) && s.calls[0]![3] !== 'ringing', 30_000);
  assert.equal(meetings.view, 'Meetings');
  assert.match(meetings.counts, /^1 meeting · 1 call · 1 problem$/);
  const m = meetings.meetings[0]!;
  assert.match(m.title, /^Meeting · video · \d\d:\d\d:\d\d\.\d{3} → \d\d:\d\d:\d\d\.\d{3} · \(\d+(\.\d)? m?s\) \w+$/);
  assert.deepEqual(m.attendees.map((a) => [a[0], a[3]]), [['Vidas Andrijaitis', 'no'], ['Ann Lee', 'no']]);
  assert.match(m.recordings, /^Recording rec-1: \S+ → \S+ \((\d+ ms|\d+\.\d s)\)$/);
  assert.deepEqual(m.entries.map((e) => e.replace(/^\S+ /, '')), ['meeting started · video', 'Vidas Andrijaitis joined', 'Ann Lee joined', 'recording started', 'recording stopped', 'Ann Lee left', 'meeting ended']);
  // Offered | From | To | Outcome | After
  const call = meetings.calls[0]!;
  assert.deepEqual([call[1], call[2]], ['You', 'Ann Lee']);
  assert.match(call[3]!, /^not answered ⚠ not answered after \d+ ms$/);
  assert.match(call[4]!, /^\d+ ms$/);
  assert.deepEqual(meetings.problems.map((p) => p.replace(/^⚠ \S+ /, '')), [`call to Ann Lee: not answered after ${/\d+/.exec(call[4]!)?.[0]} ms`]);
  if (attach) await attach('meetings');
  return { people: { ...people, people: people.people.map((r) => r.filter((_, i) => i !== 2)), history: people.history.filter((h) => h[2] !== 'stopped typing'), counts: '', moment: '' }, meetings: { ...meetings, moment: '' } };
}
