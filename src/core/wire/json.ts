// One pass over a parsed JSON value: depth cap, forbidden keys, binary placeholders, and whether it
// may hold a credential. No recursion.
import { MAX_DEPTH } from './limits';
import { isSensitiveKey, mayHoldSecret, namesSecret } from './redact';

/** Where a `{"_placeholder":true,"num":N}` sits, to be replaced by its attachment. */
export interface PlaceholderSlot {
  parent: unknown[] | Record<string, unknown>;
  key: number | string;
  num: number;
}

export type Inspection = { error: string } | { placeholders: PlaceholderSlot[]; secrets: boolean };

const NONE: PlaceholderSlot[] = [];

function isPlaceholder(v: object): boolean {
  return (v as { _placeholder?: unknown })._placeholder === true;
}

/**
 * Checks a value JSON.parse returned. Keys `__proto__` and `constructor` are refused: JSON.parse keeps
 * them as own data properties, but code downstream that copies by assignment would not.
 * With `placeholders`, collects the binary placeholders instead of descending into them.
 * `secrets` is true when a key is a credential's or a string may hold one (see redactJson): the
 * one walk a received frame costs when it holds none.
 */
export function inspectJson(root: unknown, placeholders: boolean): Inspection {
  if (typeof root !== 'object' || root === null) return { placeholders: NONE, secrets: typeof root === 'string' && mayHoldSecret(root) };
  let found: PlaceholderSlot[] = NONE;
  let secrets = false;
  const stack: object[] = [root];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const v = stack.pop() as object;
    const depth = (depths.pop() as number) + 1;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const c: unknown = v[i];
        // a string may hold one, or name one (the next element of a header pair)
        if (typeof c === 'string' && !secrets) secrets = mayHoldSecret(c) || namesSecret(c);
        if (typeof c !== 'object' || c === null) continue;
        if (placeholders && isPlaceholder(c)) {
          const r = slot(v, i, c);
          if (typeof r === 'string') return { error: r };
          if (found === NONE) found = [];
          found.push(r);
          continue;
        }
        if (depth > MAX_DEPTH) return { error: `JSON nested deeper than ${MAX_DEPTH} levels` };
        stack.push(c);
        depths.push(depth);
      }
    } else {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        if (k === '__proto__' || k === 'constructor') return { error: `forbidden key "${k}" in JSON` };
        const c = o[k];
        if (!secrets) secrets = isSensitiveKey(k) || (typeof c === 'string' && mayHoldSecret(c));
        if (typeof c !== 'object' || c === null) continue;
        if (placeholders && isPlaceholder(c)) {
          const r = slot(o, k, c);
          if (typeof r === 'string') return { error: r };
          if (found === NONE) found = [];
          found.push(r);
          continue;
        }
        if (depth > MAX_DEPTH) return { error: `JSON nested deeper than ${MAX_DEPTH} levels` };
        stack.push(c);
        depths.push(depth);
      }
    }
  }
  return { placeholders: found, secrets };
}

function slot(parent: PlaceholderSlot['parent'], key: number | string, c: object): PlaceholderSlot | string {
  const num = (c as { num?: unknown }).num;
  if (typeof num !== 'number' || !Number.isInteger(num) || num < 0) return 'binary placeholder without a valid "num"';
  return { parent, key, num };
}
