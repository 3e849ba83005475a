// The inner half of scripts/test.js: runs the test files it is given (a file, or a group's module
// that imports several: scripts/test-groups.js) with Node's own runner, each in a process of its
// own, in the order given. `node --test a b c` sorts the files it is handed, so the long files
// scripts/test.js puts first (LONG_FIRST) would start wherever their names fall; `run({ files })`
// keeps the order.
// The options this process was started with (--enable-source-maps, or --import tsx) reach each
// file's process. Reporters: spec on a terminal, TAP otherwise, as `node --test` chooses; with
// VOW_TEST_TIMINGS=<file> also scripts/test-timings.js. Any failed test makes the exit code 1.
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';
import timings from './test-timings.js';

const files = process.argv.slice(2);
// Six at once: most files share a process now (scripts/test-groups.js), and a unit waits on its
// databases' commits and Chromium most of its time; with four, a CI run of 7 December kept the two
// cores only 131% busy (1,887 CPU-s in 23.8 minutes).
const concurrency = Number(process.env.VOW_TEST_CONCURRENCY ?? 6);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(
    `VOW_TEST_CONCURRENCY must be a whole number of at least 1, not ${process.env.VOW_TEST_CONCURRENCY}`,
  );
  process.exit(2);
}

const stream = run({ files, concurrency });
stream.on('test:fail', (data) => {
  if (!data.todo) process.exitCode = 1;
});
stream.compose(process.stdout.isTTY ? new spec() : tap).pipe(process.stdout);
if (process.env.VOW_TEST_TIMINGS) stream.compose(timings).pipe(process.stderr);
