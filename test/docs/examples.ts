// The executable examples of README.md and docs/*.md: finds every ```sh block holding a curl
// command, splits it into commands with the answers the doc shows for them, turns a document's
// blocks into one bash script, and matches the answers Vow gave against the documented ones.
//
// The conventions (also in docs/api.md, "Running the examples"):
// - `$VOW` is the base URL, `$KEY` an API key of the shop backend, `$STAFF_TOKEN` a staff token
//   of the privacy officer; blocks of one page run in order in one shell, so a variable set in one
//   block (`SUBJECT=$(curl … | jq -r .subjectId)`) is there in the next.
// - A comment right after a command (on its last line or on the lines below it, up to a blank
//   line) that starts with a status (`# 201`, `# 403 {…}`) or a JSON value (`# {"decision":"deny",…}`)
//   is the documented answer. Without a status the answer must be 2xx. JSON is matched with `…` as
//   a wildcard: a value `…` is anything, `"ab…"` is any string starting with "ab", `…` among an
//   object's members allows more members, and among an array's elements any number of elements.
//   Several JSON comment lines are NDJSON lines, each found among the answer's lines (any order).
// - `<!-- not-run: reason -->` on the line before a block skips it; the test lists each one.

export interface ExampleCommand {
  /** `file:line` of the command's first line. */
  readonly where: string;
  /** The command as written (its lines joined). */
  readonly text: string;
  /** Index of its first line in the block. */
  readonly startLine: number;
  readonly expectedStatus?: number;
  /** Documented JSON answers (NDJSON lines when more than one), as written. */
  readonly expectedJson: readonly string[];
}

export interface ExampleBlock {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lines: readonly string[];
  /** Why it is not run, when it carries the not-run marker. */
  readonly notRun?: string;
  readonly commands: readonly ExampleCommand[];
}

const NOT_RUN = /^<!--\s*not-run:\s*(.+?)\s*-->$/;

/** Every ```sh block of a Markdown text that holds a curl command. */
export function curlBlocks(file: string, markdown: string): ExampleBlock[] {
  const lines = markdown.split('\n');
  const out: ExampleBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```(\w*)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    const start = i;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
    const body = lines.slice(start + 1, end).map((l) => l.slice(fence[1]!.length));
    i = end;
    if (fence[2] !== 'sh' && fence[2] !== 'bash') continue;
    if (!body.some((l) => /(^|[\s$(|;&])curl\s/.test(l))) continue;
    let before = start - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const marker = before >= 0 ? NOT_RUN.exec(lines[before]!.trim()) : null;
    out.push({
      file,
      line: start + 1,
      lines: body,
      ...(marker ? { notRun: marker[1] } : {}),
      commands: splitCommands(file, start + 2, body),
    });
  }
  return out;
}

interface LineScan {
  /** Quote state at the end of the line. */
  readonly open: "'" | '"' | null;
  /** The comment on this line (outside quotes), without '#'. */
  readonly comment?: string;
  /** The line ends with a backslash continuation. */
  readonly continues: boolean;
}

/** Shell quoting, enough for documentation: '…', "…" with \-escapes, # comments at a word start. */
function scanLine(line: string, open: "'" | '"' | null): LineScan {
  let q = open;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q === "'") {
      if (c === "'") q = null;
    } else if (q === '"') {
      if (c === '\\') i++;
      else if (c === '"') q = null;
    } else if (c === '\\') i++;
    else if (c === "'" || c === '"') q = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return { open: null, comment: line.slice(i + 1), continues: false };
    }
  }
  return { open: q, continues: q === null && /\\$/.test(line) };
}

function splitCommands(file: string, firstLine: number, body: readonly string[]): ExampleCommand[] {
  const commands: ExampleCommand[] = [];
  let i = 0;
  while (i < body.length) {
    const line = body[i]!;
    if (line.trim() === '' || line.trim().startsWith('#')) {
      i++;
      continue;
    }
    // One command: until its quotes close and no line continues it.
    const start = i;
    let open: "'" | '"' | null = null;
    let last: LineScan;
    do {
      last = scanLine(body[i]!, open);
      open = last.open;
      i++;
    } while (i < body.length && (open !== null || last.continues));
    // A here-document (`<<'EOF'` … `EOF`) belongs to the command.
    const heredoc = /<<-?\s*['"]?(\w+)['"]?/.exec(body.slice(start, i).join('\n'));
    if (heredoc) {
      while (i < body.length && body[i]!.trim() !== heredoc[1]) i++;
      i++;
    }
    const text = body.slice(start, Math.min(i, body.length)).join('\n');
    // The answers: the comment on its last line, then the comment lines below, up to a blank line.
    const comments: string[] = [];
    if (last.comment !== undefined) comments.push(last.comment);
    while (i < body.length && body[i]!.trim().startsWith('#')) {
      comments.push(body[i]!.trim().slice(1));
      i++;
    }
    if (!/(^|[\s$(|;&])curl\s/.test(text)) continue;
    commands.push({
      where: `${file}:${firstLine + start}`,
      text,
      startLine: start,
      ...answersOf(comments),
    });
  }
  return commands;
}

/** The documented status and JSON answers among the comments that follow a command. */
export function answersOf(comments: readonly string[]): {
  expectedStatus?: number;
  expectedJson: string[];
} {
  let expectedStatus: number | undefined;
  const expectedJson: string[] = [];
  let k = 0;
  while (k < comments.length) {
    let c = comments[k]!.trim();
    // The first comment that opens with a status gives it (`# 201 {…}`, `# 303 to /staff`).
    const m = expectedStatus === undefined ? /^(\d{3})(?=\s|$)/.exec(c) : null;
    if (m) {
      expectedStatus = Number(m[1]);
      c = c.slice(3).trim();
    }
    if (c.startsWith('{') || c.startsWith('[')) {
      // A JSON value, over as many comment lines as its brackets take; several are NDJSON lines.
      const joined = joinJson([c, ...comments.slice(k + 1).map((x) => x.trim())]);
      expectedJson.push(joined.value);
      k += joined.used;
    } else k++;
  }
  return { ...(expectedStatus === undefined ? {} : { expectedStatus }), expectedJson };
}

/** Joins comment lines until the brackets opened on the first one close; `used`: lines taken. */
function joinJson(lines: readonly string[]): { value: string; used: number } {
  let depth = 0;
  let inString = false;
  let text = '';
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      text += c;
      if (inString) {
        if (c === '\\') text += line[++i] ?? '';
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return { value: text, used: n + 1 };
      }
    }
    text += ' ';
  }
  return { value: text, used: lines.length };
}

// ---- JSON with "…" ------------------------------------------------------------------------------

type Pattern =
  | { readonly t: 'any' }
  | { readonly t: 'lit'; readonly v: string | number | boolean | null }
  | { readonly t: 'glob'; readonly re: RegExp; readonly text: string }
  | { readonly t: 'obj'; readonly members: ReadonlyMap<string, Pattern>; readonly rest: boolean }
  | { readonly t: 'arr'; readonly items: readonly (Pattern | 'rest')[] };

const ELLIPSIS = '…';

/** Parses JSON in which `…` may stand for a value, for more members or elements, or inside a string. */
export function parsePattern(source: string): Pattern {
  let i = 0;
  const ws = () => {
    while (i < source.length && /\s/.test(source[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`${what} at ${i} in ${source}`);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < source.length && source[i] !== '"') i += source[i] === '\\' ? 2 : 1;
    if (i >= source.length) fail('unterminated string');
    i++;
    return JSON.parse(source.slice(start, i)) as string;
  };
  const value = (): Pattern | 'rest' => {
    ws();
    const c = source[i];
    if (c === ELLIPSIS || source.startsWith('...', i)) {
      i += c === ELLIPSIS ? 1 : 3;
      return 'rest';
    }
    if (c === '{') {
      i++;
      const members = new Map<string, Pattern>();
      let rest = false;
      ws();
      if (source[i] === '}') {
        i++;
        return { t: 'obj', members, rest };
      }
      for (;;) {
        ws();
        if (source[i] === ELLIPSIS || source.startsWith('...', i)) {
          i += source[i] === ELLIPSIS ? 1 : 3;
          rest = true;
        } else {
          if (source[i] !== '"') fail('expected a key');
          const key = str();
          ws();
          if (source[i] !== ':') fail('expected ":"');
          i++;
          const v = value();
          members.set(key, v === 'rest' ? { t: 'any' } : v);
        }
        ws();
        if (source[i] === ',') i++;
        else if (source[i] === '}') {
          i++;
          return { t: 'obj', members, rest };
        } else fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const items: (Pattern | 'rest')[] = [];
      ws();
      if (source[i] === ']') {
        i++;
        return { t: 'arr', items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (source[i] === ',') i++;
        else if (source[i] === ']') {
          i++;
          return { t: 'arr', items };
        } else fail('expected "," or "]"');
      }
    }
    if (c === '"') {
      const s = str();
      if (!s.includes(ELLIPSIS)) return { t: 'lit', v: s };
      if (s === ELLIPSIS) return { t: 'any' };
      const re = new RegExp(
        `^${s
          .split(ELLIPSIS)
          .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('[\\s\\S]*')}$`,
      );
      return { t: 'glob', re, text: s };
    }
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(source.slice(i));
    if (!m) return fail('expected a value');
    i += m[0].length;
    return { t: 'lit', v: JSON.parse(m[0]) as number | boolean | null };
  };
  const v = value();
  return v === 'rest' ? { t: 'any' } : v;
}

/** Where `actual` differs from the pattern (a path and what), or undefined when it matches. */
export function mismatch(p: Pattern, actual: unknown, path = '$'): string | undefined {
  switch (p.t) {
    case 'any':
      return undefined;
    case 'lit':
      return actual === p.v ? undefined : `${path}: expected ${JSON.stringify(p.v)}, got ${show(actual)}`;
    case 'glob':
      return typeof actual === 'string' && p.re.test(actual)
        ? undefined
        : `${path}: expected ${JSON.stringify(p.text)}, got ${show(actual)}`;
    case 'obj': {
      if (typeof actual !== 'object' || actual === null || Array.isArray(actual))
        return `${path}: expected an object, got ${show(actual)}`;
      const obj = actual as Record<string, unknown>;
      for (const [k, sub] of p.members) {
        if (!Object.hasOwn(obj, k)) return `${path}: no member "${k}" in ${show(actual)}`;
        const inner = mismatch(sub, obj[k], `${path}.${k}`);
        if (inner) return inner;
      }
      if (!p.rest) {
        const extra = Object.keys(obj).filter((k) => !p.members.has(k));
        if (extra.length > 0) return `${path}: members not in the doc: ${extra.join(', ')} (add …)`;
      }
      return undefined;
    }
    case 'arr': {
      if (!Array.isArray(actual)) return `${path}: expected an array, got ${show(actual)}`;
      return matchItems(p.items, actual, 0, 0, path)
        ? undefined
        : `${path}: the elements differ from the doc: ${show(actual)}`;
    }
  }
}

function matchItems(
  items: readonly (Pattern | 'rest')[],
  actual: readonly unknown[],
  i: number,
  j: number,
  path: string,
): boolean {
  if (i === items.length) return j === actual.length;
  const item = items[i]!;
  if (item === 'rest') {
    for (let k = j; k <= actual.length; k++) if (matchItems(items, actual, i + 1, k, path)) return true;
    return false;
  }
  if (j >= actual.length) return false;
  return (
    mismatch(item, actual[j], `${path}[${j}]`) === undefined && matchItems(items, actual, i + 1, j + 1, path)
  );
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

/** The JSON values of an answer body: one JSON document, or NDJSON lines; headers (-i) skipped. */
export function bodyValues(body: string): unknown[] | undefined {
  let text = body;
  if (/^HTTP\/[\d.]+ \d{3}/.test(text)) {
    const cut = text.search(/\r?\n\r?\n/);
    text = cut === -1 ? '' : text.slice(cut).trim();
  }
  try {
    return [JSON.parse(text)];
  } catch {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    try {
      return lines.map((l) => JSON.parse(l) as unknown);
    } catch {
      return undefined;
    }
  }
}

/** Whether each documented JSON answer matches a value of the answer (NDJSON lines in any order). */
export function answerMismatch(expected: readonly string[], body: string): string | undefined {
  if (expected.length === 0) return undefined;
  const values = bodyValues(body);
  if (!values) return `the answer is not JSON: ${body.slice(0, 300)}`;
  const unused = [...values];
  for (const e of expected) {
    const pattern = parsePattern(e);
    const reasons = unused.map((v) => mismatch(pattern, v));
    const at = reasons.indexOf(undefined);
    if (at === -1) return reasons[0] ?? `no answer line left for ${e}`;
    unused.splice(at, 1);
  }
  return undefined;
}

// ---- One bash script per document ---------------------------------------------------------------

/**
 * The script that runs a document's blocks in order, in one shell. Before each command it names
 * the step (`__step N`), and `curl` is a function that runs the real curl, passes its output on
 * and records the step, exit code, method, address, status and body of every call in $DOC_LOG/calls.
 */
export function scriptFor(blocks: readonly ExampleBlock[]): { script: string; steps: ExampleCommand[] } {
  const steps: ExampleCommand[] = [];
  const out: string[] = [
    'set -euo pipefail',
    'export DOC_STEP=0',
    '__step() { export DOC_STEP="$1"; }',
    'curl() {',
    '  local f rc=0',
    '  f=$(mktemp "$DOC_LOG/call.XXXXXX")',
    '  { command curl -w "%{stderr}%{method} %{url_effective} %{http_code}" "$@" 2>"$f.status"; } | tee "$f" || rc=$?',
    '  printf "%s\\t%s\\t%s\\n" "$DOC_STEP" "$rc" "$f" >> "$DOC_LOG/calls"',
    '  return $rc',
    '}',
  ];
  for (const block of blocks) {
    if (block.notRun) continue;
    const starts = new Map(block.commands.map((c) => [c.startLine, c]));
    block.lines.forEach((line, n) => {
      const command = starts.get(n);
      if (command) {
        steps.push(command);
        out.push(`__step ${steps.length}`);
      }
      out.push(line);
    });
  }
  return { script: `${out.join('\n')}\n`, steps };
}
