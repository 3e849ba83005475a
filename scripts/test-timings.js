// A test reporter (VOW_TEST_TIMINGS=<file>): how long each test file's suites took, slowest first,
// written when the run ends, to keep the whole run inside CI's budget.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export default async function* timings(source) {
  const perFile = new Map();
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0) {
      const file = event.data.file
        ? path.relative(process.cwd(), event.data.file).replace(/^\.tmp\/test-build\/\d+\//, '')
        : '(unknown)';
      // A suite a helper defines (describeEachDialect) is named, its file being the helper.
      const key = /test\/helpers\//.test(file) ? `"${event.data.name.replace(/ \[[^\]]*\]$/, '')}"` : file;
      perFile.set(key, (perFile.get(key) ?? 0) + (event.data.details?.duration_ms ?? 0));
    }
  }
  const rows = [...perFile].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((n, [, ms]) => n + ms, 0);
  const lines = rows.map(([file, ms]) => `${(ms / 1000).toFixed(1).padStart(7)} s  ${file}`);
  writeFileSync(
    process.env.VOW_TEST_TIMINGS,
    `${lines.join('\n')}\n${(total / 1000).toFixed(1).padStart(7)} s  in all (suites' own time, summed)\n`,
  );
  yield '';
}
