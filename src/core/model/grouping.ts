// Groups captured events by topic and, inside a topic, by category. Incremental: fed events in
// order (and told which ones were dropped), O(1) per event, no copy of the event list.
import type { CapturedEvent } from './event';
import type { JsonValue } from '../wire/types';

/** Group key of events that name no topic. */
export const NO_TOPIC = '';
/** Group key of events that carry no category. */
export const OTHER_CATEGORY = 'other';

const FAILURES: ReadonlySet<string> = new Set(['SEND_MESSAGE_FAILED', 'SUBSCRIBE_CHANNEL_FAILED']);
/** Categories whose `content` is the topic itself (members, status, title). */
const TOPIC_CONTENT: ReadonlySet<string> = new Set(['topic.updated', 'app.event.topic.new']);

/** A decode error, a payload that breaks the schema, or a failure the server answered. */
export function isProblem(ev: CapturedEvent): boolean {
  if (ev.record.kind === 'error') return true;
  const s = ev.spaces;
  return s !== undefined && (s.issues.length > 0 || FAILURES.has(s.event));
}

export function topicKeyOf(ev: CapturedEvent): string {
  const s = ev.spaces;
  return s?.topicId ?? s?.topicTitle ?? NO_TOPIC;
}

export function categoryKeyOf(ev: CapturedEvent): string {
  return ev.spaces?.category || OTHER_CATEGORY;
}

export interface CategoryGroup {
  key: string;
  /** Events held in this group. */
  count: number;
  problems: number;
  /** Time (epoch ms) of the newest event seen in the group. */
  last: number;
  /** False for a category the Spaces doc does not list. */
  known: boolean;
}

export interface TopicGroup {
  /** topicId, or the title when only a title is known, or NO_TOPIC. */
  key: string;
  title?: string;
  type?: string;
  /** Member count from the latest topic.updated / app.event.topic.new content. */
  members?: number;
  /** Topic status from the latest topic event: true when archived (status 1). */
  archived?: boolean;
  count: number;
  problems: number;
  last: number;
  categories: Map<string, CategoryGroup>;
}

type Obj = { [key: string]: JsonValue };
const asObj = (x: JsonValue | undefined): Obj | undefined =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? x : undefined;

/** The topic object a topic event carries as `content`, when it has one. */
function topicContent(ev: CapturedEvent): Obj | undefined {
  const s = ev.spaces;
  if (!s?.category || !TOPIC_CONTENT.has(s.category) || ev.record.kind !== 'socket') return undefined;
  return asObj(asObj(ev.record.packet.args[0])?.content);
}

export class Grouping {
  private groups = new Map<string, TopicGroup>();
  private all = new Map<string, CategoryGroup>();
  /** Bumped on every change. */
  version = 0;
  /** Bumped when a topic's title is learned or changes (what sorting by topic depends on). */
  titlesVersion = 0;

  /** Counts one event in; returns its topic group. */
  add(ev: CapturedEvent): TopicGroup {
    const key = topicKeyOf(ev);
    let g = this.groups.get(key);
    if (!g) {
      g = { key, count: 0, problems: 0, last: 0, categories: new Map() };
      this.groups.set(key, g);
    }
    const s = ev.spaces;
    if (s?.topicTitle && s.topicTitle !== g.title) {
      g.title = s.topicTitle;
      this.titlesVersion++;
    }
    if (s?.topicType) g.type = s.topicType;
    const content = topicContent(ev);
    if (content) {
      const members = content.members;
      if (Array.isArray(members)) g.members = members.length;
      if (typeof content.status === 'number') g.archived = content.status === 1;
    }
    const problem = isProblem(ev);
    const t = ev.record.t;
    g.count++;
    if (problem) g.problems++;
    if (t > g.last) g.last = t;
    const ckey = categoryKeyOf(ev);
    let c = g.categories.get(ckey);
    if (!c) {
      c = { key: ckey, count: 0, problems: 0, last: 0, known: ckey === OTHER_CATEGORY || s?.knownCategory !== false };
      g.categories.set(ckey, c);
    }
    c.count++;
    if (problem) c.problems++;
    if (t > c.last) c.last = t;
    let a = this.all.get(ckey);
    if (!a) this.all.set(ckey, (a = { ...c, count: 0, problems: 0 }));
    a.count++;
    if (problem) a.problems++;
    if (t > a.last) a.last = t;
    this.version++;
    return g;
  }

  /** Counts one event out (dropped from the front of the buffer). Names and last activity are kept. */
  remove(ev: CapturedEvent): void {
    const g = this.groups.get(topicKeyOf(ev));
    const c = g?.categories.get(categoryKeyOf(ev));
    if (!g || !c) return;
    const a = this.all.get(c.key)!;
    const problem = isProblem(ev);
    g.count--;
    c.count--;
    a.count--;
    if (problem) {
      g.problems--;
      c.problems--;
      a.problems--;
    }
    if (c.count <= 0) g.categories.delete(c.key);
    if (a.count <= 0) this.all.delete(a.key);
    if (g.count <= 0) this.groups.delete(g.key);
    this.version++;
  }

  clear(): void {
    this.groups.clear();
    this.all.clear();
    this.version++;
  }

  get size(): number {
    return this.groups.size;
  }

  topic(key: string): TopicGroup | undefined {
    return this.groups.get(key);
  }

  /** Title learned for a topic id from any event held. */
  titleOf(topicId: string): string | undefined {
    return this.groups.get(topicId)?.title;
  }

  /** Topics, most recently active first; "No topic" last. O(topics log topics): call per render, not per event. */
  topics(): TopicGroup[] {
    const list = [...this.groups.values()];
    return list.sort((a, b) => (a.key === NO_TOPIC ? 1 : b.key === NO_TOPIC ? -1 : b.last - a.last || (a.key < b.key ? -1 : 1)));
  }

  /** Categories of a topic (of every topic when null), largest first. */
  categories(topicKey: string | null): CategoryGroup[] {
    const map = topicKey === null ? this.all : this.groups.get(topicKey)?.categories;
    if (!map) return [];
    return [...map.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  }
}
