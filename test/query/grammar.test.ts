// The query language over a fixed corpus (test/query/corpus.ts): query → the events it takes, and the
// errors it reports. Times of day are read in UTC here.
process.env.TZ = 'UTC';
import { describe, expect, it } from 'vitest';
import { compile, parseQuery, tryParse, termOf } from '../../src/core/query';
import { CORPUS, corpusContext } from './corpus';

const ctx = corpusContext();
const run = (q: string): number[] => CORPUS.filter(compile(parseQuery(q), ctx)).map((e) => e.seq);
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const TASK = [4, 7, 8, 11, 15, 16, 17];
const RELEASE = [3, 4, 6, 7, 8, 10, 11, 12, 13, 15, 16, 17, 25];
const CHANGED = [6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 20, 22];

const TABLE: [string, number[]][] = [
  ['', range(1, 30)],
  ['event:MESSAGE_SENT', [...range(1, 24), 27, 29]],
  ['event:message_sent', [...range(1, 24), 27, 29]],
  ['event:send*', [25, 26]],
  ['event:ping', [30]],
  ['category:task*', TASK],
  ['category:chat', [1, 2, 5, 12, 25, 27, 29]],
  ['category:other', [26, 28, 30]],
  ['topic:"Release planning"', RELEASE],
  ['topic:5f0425254b3cd61ae416fa5f', RELEASE],
  ['topic:release*', RELEASE],
  ['sender:vidas*', [1, 2, 5, 9, 12, 14, 18, 24]],
  ['sender:guest1', [27]],
  ['dir:out', [25]],
  ['conn:2', [29]],
  ['conn:#2', [29]],
  ['conn:*localhost:8081*', [29]],
  ['id:5f084be0', TASK],
  ['file:roadmap.pdf', [3, 6, 10, 13]],
  ['file:*.PNG', [5, 9]],
  ['file:63cb20f5-12d8-4dea-b784-ae13c11a1cb8', TASK],
  ['convert:failed', TASK],
  ['convert:retrying', [11]],
  ['convert:stuck', [5, 9]],
  ['convert:complete', [10, 13]],
  ['has:file', [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 16, 17]],
  ['has:diff', CHANGED],
  ['has:problem', [4, 5, 7, 8, 9, 11, 15, 16, 17, 26, 28]],
  ['has:reply', [26]],
  ['has:error', [26, 28]],
  ['status:complete', [17]],
  ['status:failed', [26]],
  ['rtt>500', [26]],
  ['rtt>1s', []],
  ['rtt<=800', [26]],
  ['size>10k', [27]],
  ['version>1', CHANGED],
  ['version>=7', [17]],
  ['seq<=3 OR seq>=29', [1, 2, 3, 29, 30]],
  ['time:11:40:00..11:40:02', [1, 2, 3]],
  ['time:11:40:05', [6]],
  ['time>2020-07-16T11:40:30Z', [26, 27, 28, 29, 30]],
  ['time:..11:40:01', [1, 2]],
  ['content.status:complete', [17]],
  ['sender.type:anonymous', [27]],
  ['content.data.name:*.png', [5, 9]],
  ['content.data[0].convertStatus>=3', [11, 16, 17]],
  // Free words and phrases: row texts, and what only the detail shows.
  ['"convertStatus 0 → 1"', [6, 8, 9]],
  ['unsupported', [16, 17]],
  ['5f084be0', TASK],
  ['loop-7f3a9c', [25, 26]],
  ['"not a member"', [26]],
  ['63CB20F5', TASK],
  ['embed.html', [29]],
  // a host and port, a URL: text, not an unknown field
  ['localhost:8081', [29]],
  ['http://localhost:8081/embed', [29]],
  ['/road(map|show)\\.pdf/', [3, 6, 10, 13]],
  ['/^ROADMAP/', [3, 6, 10, 13]],
  // Combinations.
  ['-event:MESSAGE_SENT', [25, 26, 28, 30]],
  ['NOT event:MESSAGE_SENT', [25, 26, 28, 30]],
  ['category:task* sender:"Test user" convert:failed status:complete', [17]],
  ['category:task* AND status:complete', [17]],
  ['(category:idea OR category:task) -version>2', [3, 4]],
  ['category:idea OR category:task -version>2', [3, 4]],
  ['-(category:idea OR category:task*) has:file', [5, 6, 9, 10, 13]],
  ['--dir:out', [25]],
  ['roadmap | whiteboard', [3, 5, 6, 9, 10, 13]],
];

describe('query grammar over the corpus', () => {
  it.each(TABLE)('%s', (q, expected) => {
    expect(run(q)).toEqual(expected);
  });
});

const ERRORS: [string, string][] = [
  ['(category:chat', "at column 15: expected ')'"],
  ['(a OR (b c)', "at column 12: expected ')'"],
  ['a) b', "at column 2: unexpected ')' (no '(' before it)"],
  ['()', 'at column 2: expected a term inside ( )'],
  ['a OR', 'at column 5: expected a term after OR'],
  ['OR a', 'at column 1: OR needs a term before it'],
  ['a NOT', 'at column 6: expected a term after -'],
  ['"open phrase', 'at column 1: unterminated quote: expected a closing "'],
  ['x /ab', 'at column 3: unterminated regex: expected a closing /'],
  ['/a(/', 'at column 2: invalid regex: /a(/i: Unterminated group'],
  ['/a/g', 'at column 4: regex flags may be i, m, s or u, not "g"'],
  ['evnt:x', 'at column 1: unknown field "evnt" (did you mean event?); for a payload field write its path (content.evnt), for text put it in quotes'],
  ['Topic:x', 'at column 1: unknown field "Topic" (field names are lower case: topic); for a payload field write its path (content.Topic), for text put it in quotes'],
  ['dir:up', 'at column 5: dir: expects in, out, not "up"'],
  ['has:files', 'at column 5: has: expects file, problem, diff, reply, error, not "files"'],
  ['rtt>fast', 'at column 5: rtt takes a number (rtt>500), not "fast"'],
  ['size>', 'at column 6: expected a value after "size>"'],
  ['topic>3', 'at column 6: "topic" takes topic:value, not >'],
  ['time:25:00', 'at column 6: "25:00" is not a time (17:30, 17:30:05.250, 2024-01-02T03:04:05Z or epoch ms)'],
  ['time:a..b..c', 'at column 6: a time range is time:FROM..TO'],
];

describe('query errors say where and why', () => {
  it.each(ERRORS)('%s', (q, message) => {
    const r = tryParse(q);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe(message);
  });
});

describe('terms added from the panel', () => {
  it('quotes values that need it, and negates', () => {
    expect(termOf('topic', 'Release planning')).toBe('topic:"Release planning"');
    expect(termOf('sender', 'Vidas', true)).toBe('-sender:Vidas');
    expect(termOf('content.bodyText', 'say "hi"')).toBe('content.bodyText:"say \\"hi\\""');
    expect(run(termOf('topic', 'Release planning', true))).toEqual(range(1, 30).filter((s) => !RELEASE.includes(s)));
  });
});

describe('choosing several topics or categories, and a time range, edit the query', () => {
  it('toggles a term in one OR group of its field, keeping the rest', async () => {
    const { toggleChoice, addTerm } = await import('../../src/core/query');
    const steps = ['a', 'Release planning', 'b', 'a', 'Release planning', 'b'];
    const seen: string[] = [];
    let q = 'dir:in';
    for (const v of steps) seen.push((q = toggleChoice(q, 'topic', v)));
    expect(seen).toEqual(['dir:in topic:a', 'dir:in (topic:a OR topic:"Release planning")', 'dir:in (topic:a OR topic:"Release planning" OR topic:b)', 'dir:in (topic:"Release planning" OR topic:b)', 'dir:in topic:b', 'dir:in']);
    expect(run(toggleChoice(toggleChoice('', 'category', 'idea'), 'category', 'task'))).toEqual([3, 4]);
    expect(addTerm('a OR b', 'time:1..2')).toBe('(a OR b) time:1..2');
    expect(addTerm('x time:3..4', 'time:11:40:01..11:40:02')).toBe('x time:11:40:01..11:40:02');
  });

  it('says which topics or categories a query chooses, for the sidebar to mark', async () => {
    const { chosenValues, toggleChoice } = await import('../../src/core/query');
    let q = 'dir:in';
    for (const v of ['a', 'Release planning', 'b']) q = toggleChoice(q, 'topic', v);
    expect(chosenValues(q, 'topic')).toEqual(['a', 'Release planning', 'b']);
    expect(chosenValues(q, 'category')).toEqual([]);
    expect(chosenValues('topic:a', 'topic')).toEqual(['a']);
    expect(chosenValues('(category:idea OR category:task*) topic:x', 'category')).toEqual(['idea', 'task*']);
    // Not a choice: negated, mixed with another field, under an OR with other terms, or not parsing.
    expect(chosenValues('-topic:a', 'topic')).toEqual([]);
    expect(chosenValues('(topic:a OR dir:in)', 'topic')).toEqual([]);
    expect(chosenValues('topic:a OR dir:in', 'topic')).toEqual([]);
    expect(chosenValues('topic:a (', 'topic')).toEqual([]);
  });
});
