// The curl examples of README.md and docs/*.md run against a live Vow (SQLite), so they cannot rot:
// each call must succeed (curl exit 0), answer the documented status (2xx when none is shown) and,
// where the page shows the answer, the JSON Vow gives must match it ("…" is a wildcard); a call to
// the JSON API must be a route and status /openapi.json describes.
// Conventions: test/docs/examples.ts; for readers: docs/api.md, "Running the examples".
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  answerMismatch,
  answersOf,
  bodyValues,
  curlBlocks,
  type ExampleBlock,
  mismatch,
  parsePattern,
  scriptFor,
} from './examples.js';
import { startLiveVow } from './live-vow.js';
import { type OpenApi, operationOf } from './openapi.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** README.md, then every page under docs/, as paths relative to the repository. */
function documents(): string[] {
  const docs = readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/**
 * How long one page's examples may run, all together: a hang fails the test instead of the run.
 * docs/api.md's ~150 calls took 80 s on a machine busy with two test runs at once (load 20), and
 * were cut at the 60 s this was before, in the middle of a page that works.
 */
const PAGE_TIMEOUT_MS = 300_000;

function run(
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
        timeout: PAGE_TIMEOUT_MS,
        maxBuffer: 64 << 20,
      },
      (err, _stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stderr });
      },
    );
  });
}

interface Call {
  readonly step: number;
  readonly exit: number;
  readonly method: string;
  /** The address's path, without the query string. */
  readonly path: string;
  readonly status: number;
  readonly body: string;
}

function readCalls(logDir: string): Call[] {
  const file = path.join(logDir, 'calls');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [step, exit, bodyFile] = line.split('\t') as [string, string, string];
      const statusFile = `${bodyFile}.status`;
      // curl's -w writes the method, address and status last on its stderr (after any error message
      // of its own).
      const written = existsSync(statusFile)
        ? /(\S+) (\S+) (\d{3})\s*$/.exec(readFileSync(statusFile, 'utf8'))
        : null;
      return {
        step: Number(step),
        exit: Number(exit),
        method: written?.[1] ?? '',
        path: written ? new URL(written[2]!).pathname : '',
        status: Number(written?.[3] ?? 0),
        body: readFileSync(bodyFile, 'utf8'),
      };
    });
}

/** The tools the examples use; outside CI a machine without them skips the runs (CI installs them: .ci/run). */
function missingTools(): string[] {
  const dirs = (process.env.PATH ?? '').split(path.delimiter);
  return ['bash', 'curl', 'jq'].filter((tool) => !dirs.some((d) => existsSync(path.join(d, tool))));
}
const MISSING = missingTools();
const CI = process.env.CI === 'true' || process.env.CI === '1';

/** Why a call to the JSON API is not in /openapi.json as it was answered (undefined: it is). */
function notInOpenApi(api: OpenApi, call: Call): string | undefined {
  if (!call.path.startsWith('/v1/') || call.method === 'HEAD' || call.method === 'OPTIONS') return undefined;
  const template = operationOf(api.paths, call.path);
  const op = template ? api.paths[template]![call.method.toLowerCase()] : undefined;
  // The generic address of the forms is described once per form the policy declares; another
  // form's address answers 404 there.
  if (!op && /^\/v1\/collection-points\/[^/]+\/submissions$/.test(call.path) && call.status === 404)
    return undefined;
  // A method the path does not take: 405, the path described for the others.
  if (!op && template && call.status === 405) return undefined;
  if (!op) return `${call.method} ${call.path} is not described in /openapi.json`;
  if (!op.responses[call.status])
    return `${call.method} ${template} answered ${call.status}, which /openapi.json does not list (${Object.keys(op.responses).join(', ')})`;
  return undefined;
}

let ran = 0;

describe('the documented curl examples', () => {
  for (const doc of documents()) {
    const blocks: ExampleBlock[] = curlBlocks(doc, readFileSync(path.join(ROOT, doc), 'utf8'));
    if (blocks.length === 0) continue;
    const skip = MISSING.length > 0 && !CI ? `needs ${MISSING.join(', ')}` : false;
    it(`${doc}: every curl example answers as documented`, { skip }, async () => {
      assert.deepEqual(MISSING, [], 'CI needs bash, curl and jq for the documentation examples');
      const { script, steps } = scriptFor(blocks);
      if (steps.length === 0) return;
      const vow = await startLiveVow();
      const api = (await vow.app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApi;
      const work = mkdtempSync(path.join(tmpdir(), 'vow-docs-run-'));
      const logDir = path.join(work, '.log');
      try {
        mkdirSync(logDir);
        const result = await run(script, work, { ...vow.env, DOC_LOG: logDir });
        const calls = readCalls(logDir);
        const problems: string[] = [];
        steps.forEach((command, n) => {
          const mine = calls.filter((c) => c.step === n + 1);
          const first = command.text.split('\n')[0]!.slice(0, 120);
          if (mine.length === 0) {
            problems.push(`${command.where}: never ran (${first})`);
            return;
          }
          for (const call of mine) {
            // VOW_TEST_DOCS_SHOW=1 prints every answer, for writing the documented ones.
            if (process.env.VOW_TEST_DOCS_SHOW)
              console.log(`# ${command.where} ${call.status} ${call.body.slice(0, 1500)}`);
            const where = `${command.where}: ${first}\n    `;
            if (call.exit !== 0) problems.push(`${where}curl exited ${call.exit}`);
            else if (
              command.expectedStatus === undefined
                ? call.status < 200 || call.status > 299
                : call.status !== command.expectedStatus
            )
              problems.push(
                `${where}status ${call.status}, documented ${command.expectedStatus ?? '2xx'}: ${call.body.slice(0, 400)}`,
              );
            else {
              const why = answerMismatch(command.expectedJson, call.body);
              if (why) problems.push(`${where}${why}`);
            }
            // The API's answers agree with /openapi.json: the route is described, and this status.
            const undescribed = notInOpenApi(api, call);
            if (call.exit === 0 && undescribed) problems.push(`${where}${undescribed}`);
          }
        });
        if (result.code !== 0 && problems.length === 0)
          problems.push(`the script stopped with exit code ${result.code}: ${result.stderr.slice(-800)}`);
        ran += steps.length;
        assert.deepEqual(problems, [], `\n${problems.join('\n')}\n${result.stderr.slice(-800)}`);
      } finally {
        await vow.close();
        rmSync(work, { recursive: true, force: true });
      }
    });
  }

  it('lists the blocks that opt out with <!-- not-run: reason -->', () => {
    // Runs after the documents (node:test runs a suite's tests in order).
    const all = documents().flatMap((doc) => curlBlocks(doc, readFileSync(path.join(ROOT, doc), 'utf8')));
    const notRun = all.filter((b) => b.notRun);
    console.log(
      `# documentation examples: ${ran} curl command(s) run, ${notRun.length} block(s) not run${
        notRun.length ? `:\n${notRun.map((b) => `#   ${b.file}:${b.line}: ${b.notRun}`).join('\n')}` : ''
      }`,
    );
    for (const b of notRun) assert.ok(b.notRun!.length >= 10, `${b.file}:${b.line} says why it is not run`);
  });
});

describe('the example conventions', () => {
  it('reads a documented status and JSON answer, over several comment lines', () => {
    assert.deepEqual(answersOf([' 201 {"a":1,', '  "b":[1,…]}', ' prose']), {
      expectedStatus: 201,
      expectedJson: ['{"a":1, "b":[1,…]}'],
    });
    assert.deepEqual(answersOf([' the policy in force']), { expectedJson: [] });
    assert.deepEqual(answersOf([' {"x":1}', ' {"x":2}']), { expectedJson: ['{"x":1}', '{"x":2}'] });
    assert.deepEqual(answersOf([' 303 to /staff']), { expectedStatus: 303, expectedJson: [] });
    assert.deepEqual(answersOf([' the dashboard', ' 404 (a page)']), {
      expectedStatus: 404,
      expectedJson: [],
    });
  });

  it('matches JSON with … as a wildcard, and nothing else', () => {
    const ok = (p: string, v: unknown) => assert.equal(mismatch(parsePattern(p), v), undefined, p);
    const no = (p: string, v: unknown) => assert.notEqual(mismatch(parsePattern(p), v), undefined, p);
    ok('{"a":"…","b":[1,…]}', { a: 'x', b: [1, 2, 3] });
    ok('{"a":"vow_st_…",…}', { a: 'vow_st_abc', c: 1 });
    ok('[…,{"k":2},…]', [{ k: 1 }, { k: 2 }]);
    ok('{…}', { any: 'thing' });
    no('{"a":1}', { a: 1, b: 2 });
    no('{"a":"vow_st_…"}', { a: 'vow_sk_x' });
    no('[1,2]', [1, 2, 3]);
    no('{"a":1,…}', { b: 1 });
  });

  it('finds each NDJSON line once, in any order, and skips response headers', () => {
    assert.equal(answerMismatch(['{"e":"d"}', '{"e":"b"}'], '{"e":"a"}\n{"e":"b"}\n{"e":"d"}\n'), undefined);
    assert.notEqual(answerMismatch(['{"e":"b"}', '{"e":"b"}'], '{"e":"b"}\n{"e":"d"}\n'), undefined);
    assert.deepEqual(bodyValues('HTTP/1.1 200 OK\r\nx: y\r\n\r\n{"ok":true}'), [{ ok: true }]);
  });

  it('splits a block into commands, quotes and continuations included', () => {
    const [block] = curlBlocks(
      'x.md',
      [
        '```sh',
        "curl -s $VOW/a -d '{",
        '  "k": "# not a comment"',
        "}'   # 201",
        '# {"id":"…"}',
        '',
        'X=$(curl -s $VOW/b \\',
        '  -H "a: b" | jq -r .id)',
        'echo "$X"',
        '```',
      ].join('\n'),
    );
    assert.equal(block!.commands.length, 2);
    assert.equal(block!.commands[0]!.expectedStatus, 201);
    assert.deepEqual(block!.commands[0]!.expectedJson, ['{"id":"…"}']);
    assert.equal(block!.commands[1]!.where, 'x.md:7');
  });
});
