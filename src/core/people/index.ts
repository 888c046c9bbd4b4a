// People and sessions of a topic, from its presence and media-session events (issue #22): who is
// online, idle or typing, their role and media; each meeting and call with its timing and problems.
// `SessionIndex` keeps each topic's session events (bounded) as they arrive; `peopleAt` and
// `meetingsAt` replay them to any moment of the timeline, so an imported log can be read at time t.
import type { CapturedEvent } from '../model/event';
import { readSession, sessionFamily, whoOf, type MediaState, type SessionFamily, type SessionPayload } from '../spaces/presence';
import type { Direction } from '../wire/types';

/** A party.typing shows for this long unless another comes (clients resend it while a person types). */
export const TYPING_MS = 5000;
/** An offer unanswered for longer is a problem (Spaces clients stop ringing well before). */
export const RING_MS = 60_000;
/** Session events kept per topic, and topics kept; the oldest go first, counted. */
export const MAX_PER_TOPIC = 5000;
export const MAX_TOPICS = 500;

export interface SessionObs {
  seq: number;
  t: number;
  dir: Direction;
  family: SessionFamily;
  s: SessionPayload;
}

export class SessionIndex {
  private byTopic = new Map<string, { list: SessionObs[]; dropped: number }>();
  /** Changes whenever what the index holds changes. */
  revision = 0;

  add(ev: CapturedEvent): void {
    const r = ev.record;
    if (r.kind !== 'socket' || typeof r.packet.event !== 'string') return;
    const family = sessionFamily(r.packet.event);
    if (!family) return;
    const s = readSession(r.packet.args[0]);
    const topic = ev.spaces?.topicId ?? s.topicId;
    if (topic === undefined) return;
    let t = this.byTopic.get(topic);
    if (t) this.byTopic.delete(topic);
    else t = { list: [], dropped: 0 };
    this.byTopic.set(topic, t); // the most recently active topic last
    t.list.push({ seq: ev.seq, t: r.t, dir: r.dir, family, s });
    if (t.list.length > MAX_PER_TOPIC) t.dropped += t.list.splice(0, t.list.length - MAX_PER_TOPIC).length;
    for (const oldest of this.byTopic.keys()) {
      if (this.byTopic.size <= MAX_TOPICS) break;
      this.byTopic.delete(oldest);
    }
    this.revision++;
  }

  /** A topic's session events in arrival order. */
  of(topic: string): readonly SessionObs[] {
    return this.byTopic.get(topic)?.list ?? [];
  }

  /** Events of the topic no longer kept. */
  droppedOf(topic: string): number {
    return this.byTopic.get(topic)?.dropped ?? 0;
  }

  topics(): string[] {
    return [...this.byTopic.keys()];
  }

  clear(): void {
    this.byTopic.clear();
    this.revision++;
  }
}

// ---- people ----

export type PresenceState = 'online' | 'idle' | 'offline';

export interface Person {
  /** Sender id, or name; "" for this page's own user when its sends name no sender. */
  key: string;
  name: string;
  type?: string;
  state: PresenceState;
  role?: string;
  desktop?: boolean;
  media?: MediaState;
  /** Start of the current typing run, when typing at the moment read. */
  typingSince?: number;
  /** When they first came online, and last left, within the timeline. */
  joinedAt?: number;
  leftAt?: number;
  /** The last event about them. */
  lastSeq: number;
}

export interface PresenceChange {
  t: number;
  /** The event that says so; none for "stopped typing" (a timeout). */
  seq?: number;
  name: string;
  what: string;
}

export interface SessionProblem {
  t: number;
  seq?: number;
  text: string;
}

export interface PeopleState {
  people: Person[];
  /** Joins, leaves, idle, typing and media changes, oldest first. */
  history: PresenceChange[];
  problems: SessionProblem[];
}

interface Typing {
  since: number;
  last: number;
}

const keyOf = (o: SessionObs): string => o.s.sender?.id ?? o.s.sender?.name ?? (o.dir === 'out' ? '' : '?');

/** The people of one topic at time `at` (epoch ms), from its session events. */
export function peopleAt(obs: readonly SessionObs[], at: number): PeopleState {
  const people = new Map<string, Person>();
  const typing = new Map<string, Typing>();
  const history: PresenceChange[] = [];
  const problems: SessionProblem[] = [];

  const stopTypingBefore = (t: number): void => {
    for (const [key, run] of typing) {
      if (run.last + TYPING_MS >= t) continue;
      typing.delete(key);
      history.push({ t: run.last + TYPING_MS, name: people.get(key)?.name ?? key, what: 'stopped typing' });
    }
  };

  for (const o of obs) {
    if (o.t > at) break;
    stopTypingBefore(o.t);
    const s = o.s;
    const c = s.category ?? '';
    const key = keyOf(o);
    const name = whoOf(s, o.dir === 'out');
    const person = (): Person => {
      let p = people.get(key);
      if (!p) {
        p = { key, name, state: 'offline', lastSeq: o.seq };
        if (s.sender?.type !== undefined) p.type = s.sender.type;
        people.set(key, p);
      }
      if (s.sender?.name) p.name = s.sender.name;
      p.lastSeq = o.seq;
      return p;
    };
    const note = (what: string): void => {
      history.push({ t: o.t, seq: o.seq, name: people.get(key)?.name ?? name, what });
    };
    if (c === 'app.event.presence.party.online') {
      const p = person();
      const next: PresenceState = s.offline ? 'offline' : s.idle ? 'idle' : 'online';
      if (next !== p.state) {
        if (next === 'offline') {
          p.leftAt = o.t;
          typing.delete(key);
        } else if (p.state === 'offline') p.joinedAt = o.t;
        note(next === 'offline' ? 'went offline' : p.state === 'offline' ? (next === 'idle' ? 'joined (idle)' : 'joined') : next === 'idle' ? 'went idle' : 'is back');
        p.state = next;
      }
      if (s.role !== undefined) p.role = s.role;
      if (s.desktop !== undefined) p.desktop = s.desktop;
      if (s.media) setMedia(p, s.media, note);
    } else if (c === 'app.event.presence.party.leaves') {
      const p = person();
      if (p.state !== 'offline') note('left');
      p.state = 'offline';
      p.leftAt = o.t;
      typing.delete(key);
    } else if (c === 'party.typing') {
      const p = person();
      if (!typing.has(key)) note('started typing');
      const run = typing.get(key);
      typing.set(key, { since: run?.since ?? o.t, last: o.t });
      if (p.state === 'offline') {
        p.state = 'online';
        p.joinedAt ??= o.t;
      }
    } else if (c === 'app.event.presence.request.parties') {
      person();
      note('asked who is here');
    } else if (c === 'media.session.invalid') {
      note('media session invalid');
      problems.push({ t: o.t, seq: o.seq, text: `media session invalid${s.sender ? ` for ${name}` : ''}` });
    } else if ((c === 'tracksstatus' || c === 'trackstatus') && s.media && (s.sender || o.dir === 'out')) {
      setMedia(person(), s.media, note);
    }
  }
  stopTypingBefore(at);
  for (const [key, run] of typing) {
    const p = people.get(key);
    if (p) p.typingSince = run.since;
  }
  const rank = { online: 0, idle: 1, offline: 2 } as const;
  const list = [...people.values()].sort((a, b) => rank[a.state] - rank[b.state] || a.name.localeCompare(b.name));
  return { people: list, history: history.sort((a, b) => a.t - b.t), problems };
}

const MEDIA_FLAGS = ['audio', 'video', 'screenshare', 'selfMuted', 'phone'] as const;
const FLAG_WORDS: Record<(typeof MEDIA_FLAGS)[number], [string, string]> = {
  audio: ['audio on', 'audio off'],
  video: ['video on', 'video off'],
  screenshare: ['started sharing the screen', 'stopped sharing the screen'],
  selfMuted: ['muted', 'unmuted'],
  phone: ['joined by phone', 'left the phone'],
};

function setMedia(p: Person, m: MediaState, note: (what: string) => void): void {
  const before = p.media ?? {};
  const changes = MEDIA_FLAGS.filter((f) => m[f] !== undefined && !!m[f] !== !!before[f]).map((f) => FLAG_WORDS[f][m[f] ? 0 : 1]);
  // A first report with everything off changes nothing: only flags that differ are told.
  if (changes.length) note(changes.join(', '));
  p.media = { ...before, ...m };
}

// ---- meetings and calls ----

export interface MeetingEntry {
  t: number;
  seq: number;
  text: string;
}

export interface Attendance {
  name: string;
  id?: string;
  joinedAt?: number;
  leftAt?: number;
  present: boolean;
}

export interface Recording {
  id?: string;
  start: number;
  stop?: number;
  seq: number;
}

export interface Meeting {
  /** meetingId, when sent. */
  id?: string;
  /** Event time of app.event.meeting.started; undefined when the capture began during the meeting. */
  start?: number;
  end?: number;
  mediaMode?: string;
  startedBy?: string;
  attendees: Attendance[];
  recordings: Recording[];
  /** Everything that happened in it, oldest first. */
  entries: MeetingEntry[];
  problems: string[];
}

export type CallOutcome = 'accepted' | 'rejected' | 'cancelled' | 'not answered' | 'failed';

export interface Call {
  id?: string;
  offeredAt: number;
  offerSeq: number;
  from: string;
  to?: string;
  outcome?: CallOutcome;
  /** The outcome's category as sent. */
  outcomeCategory?: string;
  /** Offer to outcome, ms. */
  ms?: number;
  endedAt?: number;
  problem?: string;
}

export interface MeetingsState {
  meetings: Meeting[];
  calls: Call[];
  problems: SessionProblem[];
}

const OUTCOMES: Record<string, CallOutcome> = {
  'space.call.offer.accepted': 'accepted',
  'space.call.accepted': 'accepted',
  'space.call.rejected': 'rejected',
  'space.call.cancelled': 'cancelled',
  'space.call.not.answered': 'not answered',
  'space.call.failed': 'failed',
  'space.call.offer.failed': 'failed',
  'space.call.no.capability': 'failed',
};

/** The meetings and calls of one topic at time `at` (epoch ms). */
export function meetingsAt(obs: readonly SessionObs[], at: number): MeetingsState {
  const meetings: Meeting[] = [];
  const calls: Call[] = [];
  const problems: SessionProblem[] = [];
  const open = (): Meeting | undefined => meetings.findLast((m) => m.end === undefined);

  for (const o of obs) {
    if (o.t > at) break;
    const s = o.s;
    const c = s.category ?? '';
    const who = whoOf(s, o.dir === 'out');
    const target = s.attendee?.name ?? s.attendee?.id ?? s.targetId;
    // Several events name the same meeting (the sender's and the server's): the meeting is found by id, else the open one.
    const find = (): Meeting | undefined => (s.meetingId !== undefined ? meetings.findLast((m) => m.id === s.meetingId) : undefined) ?? open();
    const current = (): Meeting => {
      let m = find();
      if (!m) {
        m = { attendees: [], recordings: [], entries: [], problems: [] };
        if (s.meetingId !== undefined) m.id = s.meetingId;
        meetings.push(m);
      }
      return m;
    };
    const entry = (m: Meeting, text: string): void => {
      m.entries.push({ t: o.t, seq: o.seq, text });
    };
    const attend = (m: Meeting, name: string, id: string | undefined, joined: boolean): void => {
      let a = m.attendees.find((x) => (id !== undefined ? x.id === id : x.name === name));
      if (!a) {
        a = { name, present: false };
        if (id !== undefined) a.id = id;
        m.attendees.push(a);
      }
      if (joined && !a.present) a.joinedAt = o.t;
      if (!joined) a.leftAt = o.t;
      a.present = joined;
    };
    if (c === 'app.event.meeting.started') {
      // The same meeting may be announced twice (the page's send and the server's): one meeting per id.
      let m = s.meetingId !== undefined ? meetings.findLast((x) => x.id === s.meetingId) : undefined;
      const running = open();
      if (!m && running && running.start === undefined) m = running;
      if (!m) {
        m = { attendees: [], recordings: [], entries: [], problems: [] };
        if (s.meetingId !== undefined) m.id = s.meetingId;
        meetings.push(m);
      }
      m.start ??= o.t;
      if (s.mediaMode !== undefined) m.mediaMode = s.mediaMode;
      if (s.sender?.type !== 'spaceserver') m.startedBy = who;
      for (const a of s.attendees) attend(m, a.name ?? a.id ?? '?', a.id, true);
      entry(m, ['meeting started', s.mediaMode].filter(Boolean).join(' · '));
    } else if (c === 'app.event.meeting.ended') {
      const m = find();
      if (m) {
        m.end = o.t;
        for (const a of m.attendees) if (a.present) a.leftAt = o.t;
        entry(m, 'meeting ended');
      }
    } else if (c === 'app.event.attendee.added' || c === 'app.event.attendee.left') {
      const m = current();
      const joined = c === 'app.event.attendee.added';
      const name = target ?? who;
      attend(m, name, s.attendee?.id ?? (s.attendee ? undefined : s.sender?.id), joined);
      entry(m, `${name} ${joined ? 'joined' : 'left'}`);
    } else if (c === 'app.event.recording.started') {
      const m = current();
      const r: Recording = { start: o.t, seq: o.seq };
      const id = s.recordings[s.recordings.length - 1];
      if (id !== undefined) r.id = id;
      m.recordings.push(r);
      entry(m, 'recording started');
    } else if (c === 'app.event.recording.stopped' || c === 'app.event.recording.ended') {
      const m = current();
      const r = m.recordings.findLast((x) => x.stop === undefined);
      if (r) r.stop = o.t;
      entry(m, c === 'app.event.recording.stopped' ? 'recording stopped' : 'recording ended');
    } else if (c === 'app.event.all.parties.muted') {
      entry(current(), `everyone muted by ${who}`);
    } else if (c === 'app.event.meeting.permission.requested') {
      entry(current(), `${who} asked permission`);
    } else if (c === 'video.end') {
      const m = open();
      if (m) entry(m, `${who} ended video`);
    } else if (c === 'space.call.offer' || (c === 'space.call.offer.sent' && !calls.some((x) => x.id !== undefined && x.id === s.spaceCallId))) {
      const call: Call = { offeredAt: o.t, offerSeq: o.seq, from: who };
      if (s.spaceCallId !== undefined) call.id = s.spaceCallId;
      if (target !== undefined) call.to = target;
      calls.push(call);
    } else if (c in OUTCOMES || c === 'space.call.ended') {
      const call = (s.spaceCallId !== undefined ? calls.findLast((x) => x.id === s.spaceCallId) : undefined) ?? calls.findLast((x) => x.outcome === undefined);
      if (!call) continue;
      if (c === 'space.call.ended') call.endedAt = o.t;
      else if (call.outcome === undefined) {
        call.outcome = OUTCOMES[c]!;
        call.outcomeCategory = c;
        call.ms = o.t - call.offeredAt;
      }
    } else if (c === 'media.session.invalid') {
      problems.push({ t: o.t, seq: o.seq, text: 'media session invalid' });
    }
  }

  for (const m of meetings) {
    if (m.start === undefined) m.problems.push('started before the capture');
    if (m.end === undefined) m.problems.push('no end seen');
    for (const r of m.recordings) if (r.stop === undefined && m.end !== undefined) m.problems.push('a recording never stopped');
    for (const text of m.problems) problems.push({ t: m.start ?? m.entries[0]?.t ?? 0, seq: m.entries[0]?.seq, text: `meeting: ${text}` });
  }
  for (const call of calls) {
    if (call.outcome === 'not answered') call.problem = `not answered after ${call.ms} ms`;
    else if (call.outcome === 'failed') call.problem = `failed (${call.outcomeCategory})`;
    else if (call.outcome === undefined && at - call.offeredAt > RING_MS) call.problem = 'no answer seen';
    if (call.problem) problems.push({ t: call.offeredAt, seq: call.offerSeq, text: `call${call.to ? ` to ${call.to}` : ''}: ${call.problem}` });
  }
  return { meetings, calls, problems: problems.sort((a, b) => a.t - b.t) };
}
