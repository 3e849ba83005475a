// How scripts/test.js hands the test files to Node's runner: most files share a process with a few
// others (a group), so the ~1.5 CPU-s each process pays before its first test (loading the compiled
// tree, about 1,500 modules, and warming up its first app) is paid once per group instead of once
// per file. Node 20's runner has no `--test-isolation=none`; a group is a generated module that
// imports its files statically, so every file is loaded before any test starts and the runner still
// names each failing test's own file (`location`, and `file` in its events).
//
// A file keeps a process of its own when sharing one could change what it tests or when it takes
// minutes anyway: see ownProcessReason(). Browser files share a process only with other browser
// files (BROWSER_GROUP at a time), and one Chromium between them: the group first imports
// test/helpers/share-chromium.ts, so launchChromium() lends each file the process's browser (its
// own contexts, closed when the file closes "its" browser) instead of starting one per file, about
// 1 CPU-s each plus the 1.5 CPU-s of loading the tree in a new process. VOW_TEST_GROUP=<n> sets the
// files per group, browser groups included (1: every file in its own process, as before).
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Files per group unless VOW_TEST_GROUP says otherwise. */
export const DEFAULT_GROUP = 6;

/** Browser files per group (at most VOW_TEST_GROUP): each takes seconds to a minute. */
export const BROWSER_GROUP = 4;

/** The reason a browser file gives; alone it is the one reason such a file may share with its kind. */
export const BROWSER_REASON = 'a browser or a served vow';

/** What a browser group imports before its files: launchChromium() then lends the process's one browser. */
export const SHARE_CHROMIUM = 'test/helpers/share-chromium.ts';

/** What in a test file's source keeps it in a process of its own, and why. */
const OWN_PROCESS = [
  // A top-level beforeEach/afterEach belongs to the process's root test: it would run around every
  // test of the group. (A top-level before/after runs before the group's first test and after its
  // last: a file's setup done early, its cleanup late, which no other file sees.)
  [/^(beforeEach|afterEach)\(/m, 'a top-level beforeEach/afterEach'],
  // A top-level await lets the group's earlier files start their tests while this one loads.
  [/^(await |(const|let) [^=\n]+= await )/m, 'a top-level await'],
  // The process's own state, which the group's other files share.
  [/process\.env\.\w+\s*=[^=]|delete process\.env|process\.(umask|chdir)\(/, 'changes the process'],
  // What it measures would include its neighbours' work or garbage.
  [/process\.(memoryUsage|hrtime|cpuUsage)|performance\.now\(\)/, 'measures the process'],
  // Browsers and served copies of Vow: they share a process only with their own kind, and one
  // Chromium (BROWSER_GROUP); the files that take minutes stay alone and start first (LONG_FIRST).
  [/launchChromium|consoleInChromium|startServedVow|servedVowForSuite/, BROWSER_REASON],
  // A file can ask for it, with its reason on the same line.
  [/^\/\/ own process:/m, 'asks for it'],
];

/** Why `source` (a test file's text) needs a process of its own, or undefined if it can share. */
export function ownProcessReason(source) {
  return ownProcessReasons(source)[0];
}

/** Every reason `source` gives for a process of its own (none: it can share with any file). */
export function ownProcessReasons(source) {
  return OWN_PROCESS.filter(([pattern]) => pattern.test(source)).map(([, reason]) => reason);
}

/**
 * The order and grouping of a run: `files` (repository paths, in the order the long ones start)
 * become units, each a file alone or a group of files sharing a process. Files `alone` names (the
 * long files) and files ownProcessReasons() keeps alone stay single, except browser files whose one
 * reason is the browser: those are grouped `browserSize` at a time with one Chromium (`shareChromium`).
 * The others are grouped `size` at a time in path order (a folder's files together). The long files
 * come first, in their order; then the browser groups (seconds to a minute a file); then the rest,
 * largest first by their sources' size (so the run does not end on a big unit).
 */
export function planUnits(files, { alone, size, browserSize = Math.min(size, BROWSER_GROUP) }) {
  const first = [];
  const rest = [];
  const shareable = [];
  const browsers = [];
  for (const file of files) {
    const bytes = statSync(file).size;
    const reasons = alone(file) ? undefined : ownProcessReasons(readFileSync(file, 'utf8'));
    if (!reasons) first.push({ files: [file], bytes });
    else if (size > 1 && reasons.length === 0) shareable.push({ file, bytes });
    else if (browserSize > 1 && reasons.length === 1 && reasons[0] === BROWSER_REASON)
      browsers.push({ file, bytes });
    else rest.push({ files: [file], bytes });
  }
  const chunks = (list, n, extra) => {
    list.sort((a, b) => (a.file < b.file ? -1 : 1));
    const out = [];
    for (let i = 0; i < list.length; i += n) {
      const chunk = list.slice(i, i + n);
      const bytes = chunk.reduce((sum, s) => sum + s.bytes, 0);
      out.push({ files: chunk.map((s) => s.file), bytes, ...(chunk.length > 1 ? extra : {}) });
    }
    return out;
  };
  const browserUnits = chunks(browsers, browserSize, { shareChromium: true });
  rest.push(...chunks(shareable, size, {}));
  browserUnits.sort((a, b) => b.bytes - a.bytes);
  rest.sort((a, b) => b.bytes - a.bytes);
  return [...first, ...browserUnits, ...rest];
}

/**
 * The file Node's runner is given for `unit`: the file itself, or for a group a module written in
 * `dir` that imports each of its files (`where` maps a repository path to the file that runs).
 */
export function entryOf(unit, index, dir, where) {
  if (unit.files.length === 1) return where(unit.files[0]);
  mkdirSync(dir, { recursive: true });
  const entry = path.join(dir, `group-${String(index).padStart(3, '0')}.test.mjs`);
  writeFileSync(
    entry,
    [
      '// Generated by scripts/test.js (scripts/test-groups.js): these test files in one process.',
      ...(unit.shareChromium ? [`import ${JSON.stringify(pathToFileURL(where(SHARE_CHROMIUM)).href)};`] : []),
      ...unit.files.map((f) => `import ${JSON.stringify(pathToFileURL(where(f)).href)};`),
      '',
    ].join('\n'),
  );
  return entry;
}
