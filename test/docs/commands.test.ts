// The `vow` commands shown in README.md and docs/*.md run too, so they cannot rot: every ```sh block
// holding an `npx vow` command (and no curl: those run in examples.test.ts) runs in page order in one
// scratch folder, with its own data folder, the repository's datasets/, examples/ and policies/, and
// `my-policy.yaml` (a copy of the shipped policy, as docs/policy.md suggests starting from).
// Conventions (for writers, also in docs/api.md, "Running the examples"):
// - each command must exit 0, unless its comment on the same line starts with `exit N`;
// - comment lines right below a command are lines of its output (stdout and stderr), each found in
//   order, `…` standing for any text; a comment on the command's own line is a note, not checked;
// - `<!-- not-run: reason -->` on the line before a block skips it (a server, another engine, a
//   file the reader brings), and the test lists each.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NOT_RUN = /^<!--\s*not-run:\s*(.+?)\s*-->$/;

export interface DocCommand {
  readonly where: string;
  readonly text: string;
  readonly exit: number;
  /** Output lines the doc shows, `…` a wildcard. */
  readonly output: readonly string[];
}

interface CommandBlock {
  readonly where: string;
  readonly notRun?: string;
  readonly commands: readonly DocCommand[];
}

/** The ```sh blocks of a page that run a `vow` command and no curl. */
export function commandBlocks(file: string, markdown: string): CommandBlock[] {
  const lines = markdown.split('\n');
  const out: CommandBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(sh|bash)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    const start = i;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    const body = lines.slice(start + 1, end);
    i = end;
    if (body.some((l) => /(^|[\s$(|;&])curl\s/.test(l))) continue;
    if (!body.some((l) => /^(\S+=\S+\s+)*npx vow\s/.test(l))) continue;
    let before = start - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const marker = before >= 0 ? NOT_RUN.exec(lines[before]!.trim()) : null;
    const commands: DocCommand[] = [];
    for (let n = 0; n < body.length; n++) {
      const line = body[n]!;
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      const at = n;
      const note = /\s#\s(.*)$/.exec(line);
      const output: string[] = [];
      while (n + 1 < body.length && body[n + 1]!.startsWith('# ')) output.push(body[++n]!.slice(2));
      commands.push({
        where: `${file}:${start + 2 + at}`,
        text: (note ? line.slice(0, note.index) : line).trimEnd(),
        exit: Number(/^exit (\d+)/.exec(note?.[1] ?? '')?.[1] ?? 0),
        output,
      });
    }
    out.push({ where: `${file}:${start + 1}`, ...(marker ? { notRun: marker[1] } : {}), commands });
  }
  return out;
}

/** Where the documented lines are not found in order in the output (undefined: they are). */
export function outputMismatch(expected: readonly string[], output: string): string | undefined {
  const lines = output.split('\n');
  let at = 0;
  for (const e of expected) {
    const re = new RegExp(
      `^${e
        .split('…')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    const found = lines.findIndex((l, k) => k >= at && re.test(l.trimEnd()));
    if (found === -1) return `no output line matches "${e}"`;
    at = found + 1;
  }
  return undefined;
}

function run(
  command: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; out: string }> {
  const script = `npx() { if [ "$1" = vow ]; then shift; node "${ROOT}bin/vow.js" "$@"; else command npx "$@"; fi; }\n${command}`;
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', `${script} 2>&1`],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
        timeout: 120_000,
        maxBuffer: 64 << 20,
      },
      (err, stdout) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout });
      },
    );
  });
}

function documents(): string[] {
  const docs = readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

describe('the documented vow commands', () => {
  const all = documents().map((doc) => ({
    doc,
    blocks: commandBlocks(doc, readFileSync(path.join(ROOT, doc), 'utf8')),
  }));
  for (const { doc, blocks } of all) {
    const runnable = blocks.filter((b) => !b.notRun);
    if (runnable.length === 0) continue;
    it(`${doc}: every vow command answers as documented`, async () => {
      const work = mkdtempSync(path.join(tmpdir(), 'vow-docs-cli-'));
      try {
        for (const dir of ['datasets', 'examples', 'policies'])
          symlinkSync(path.join(ROOT, dir), path.join(work, dir));
        copyFileSync(path.join(ROOT, 'policies/default.yaml'), path.join(work, 'my-policy.yaml'));
        mkdirSync(path.join(work, 'data'));
        const env = {
          VOW_DATA_DIR: path.join(work, 'data'),
          VOW_MASTER_KEY: Buffer.alloc(32, 13).toString('base64'),
          VOW_LOG_LEVEL: 'silent',
        };
        const problems: string[] = [];
        for (const block of runnable)
          for (const c of block.commands) {
            const { code, out } = await run(c.text, work, env);
            const first = c.text.trim().slice(0, 100);
            if (code !== c.exit)
              problems.push(
                `${c.where}: ${first}\n    exited ${code}, documented ${c.exit}: ${out.slice(-600)}`,
              );
            const why = outputMismatch(c.output, out);
            if (why) problems.push(`${c.where}: ${first}\n    ${why}; it printed:\n${out.slice(0, 800)}`);
          }
        assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  }

  it('lists the blocks that opt out with <!-- not-run: reason -->', () => {
    const notRun = all.flatMap(({ blocks }) => blocks.filter((b) => b.notRun));
    console.log(
      `# documented vow commands: ${notRun.length} block(s) not run${
        notRun.length ? `:\n${notRun.map((b) => `#   ${b.where}: ${b.notRun}`).join('\n')}` : ''
      }`,
    );
    for (const b of notRun) assert.ok(b.notRun!.length >= 10, `${b.where} says why it is not run`);
  });

  it('reads commands, their exit code and their output lines', () => {
    const [block] = commandBlocks(
      'x.md',
      [
        '```sh',
        'npx vow policy check p.yaml   # exit 1: a note',
        '# p.yaml:3:1 …',
        '# 1 problem …',
        '```',
      ].join('\n'),
    );
    assert.deepEqual(block!.commands, [
      {
        where: 'x.md:2',
        text: 'npx vow policy check p.yaml',
        exit: 1,
        output: ['p.yaml:3:1 …', '1 problem …'],
      },
    ]);
    assert.equal(outputMismatch(['a …', 'c'], 'x\na b\nc\n'), undefined);
    assert.notEqual(outputMismatch(['c', 'a …'], 'a b\nc\n'), undefined);
  });
});
