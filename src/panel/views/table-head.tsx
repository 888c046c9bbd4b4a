// A data table's caption (read by screen readers, hidden) and its column headers: one shape for the
// tables of every view.
import type { ComponentChildren } from 'preact';

/** A column's header: its text, or [text, class] (`num` for a right-aligned number column); false leaves it out. */
export type Column = string | readonly [string, string] | false;

export function TableHead({ caption, cols }: { caption: ComponentChildren; cols: readonly Column[] }) {
  return (
    <>
      <caption class="sr-only">{caption}</caption>
      <thead>
        <tr>
          {cols.map((c, i) =>
            c === false ? null : typeof c === 'string' ? (
              <th key={i} scope="col">
                {c}
              </th>
            ) : (
              <th key={i} scope="col" class={c[1]}>
                {c[0]}
              </th>
            ),
          )}
        </tr>
      </thead>
    </>
  );
}
