// Traces: the stack of the page code that sent a frame (Error().stack in the page hook, only while the
// panel's Trace setting is on). Pure: redacted by the relay, parsed by the panel for its links.
import { MAX_TRACE } from '../messages';
import { redactUrl } from '../wire/redact';

/** A URL in a stack line, with the `:line:col` that may follow it. */
const URL_AT = /\b([a-z][a-z0-9+.-]*:\/\/[^\s()@]+?)(:\d+:\d+)?(?=[\s)]|$)/gi;

/** The trace with each URL's secrets (tokens in its query) redacted, within MAX_TRACE. */
export function redactTrace(trace: string): string {
  return trace.slice(0, MAX_TRACE).replace(URL_AT, (_, url: string, pos: string | undefined) => redactUrl(url) + (pos ?? ''));
}

export interface TraceFrame {
  /** Function name, '' when anonymous. */
  fn: string;
  url: string;
  /** 1-based, as the stack says. */
  line: number;
  col: number;
}

/** One stack line, Chrome's (`at fn (url:1:2)`, `at url:1:2`) or Firefox's (`fn@url:1:2`). */
function parseLine(line: string): TraceFrame | string {
  const t = line.trim();
  const chrome = /^at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/.exec(t);
  const firefox = chrome ? null : /^(.*?)@(.+?):(\d+):(\d+)$/.exec(t);
  const m = chrome ?? firefox;
  if (!m) return t;
  return { fn: (m[1] ?? '').replace(/^async /, ''), url: m[2]!, line: Number(m[3]), col: Number(m[4]) };
}

/** The frames of a trace, in order (a line that is no frame stays as its text). */
export const parseTrace = (trace: string): (TraceFrame | string)[] => trace.split('\n').filter((l) => l.trim() !== '').map(parseLine);
