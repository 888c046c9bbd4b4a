#!/usr/bin/env node
// `npx spaces-devtools log …` from the repository: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/main.ts');
// A reader that goes away (`| head -1`) closes the pipe: stop writing and exit cleanly, not with EPIPE.
let closed = false;
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  closed = true;
});
let full = false;
process.exitCode = await run(process.argv.slice(2), {
  out: (t) => {
    if (!closed && !process.stdout.write(t)) full = true;
  },
  err: (t) => process.stderr.write(t),
  stdin: process.stdin,
  closed: () => closed,
  drain: () =>
    full && !closed
      ? new Promise((ok) => {
          const done = () => {
            full = false;
            process.stdout.off('drain', done);
            process.stdout.off('error', done);
            ok();
          };
          process.stdout.once('drain', done);
          process.stdout.once('error', done);
        })
      : Promise.resolve(),
});
if (closed) process.exitCode = 0;
