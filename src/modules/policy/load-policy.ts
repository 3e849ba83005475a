// Reads a policy YAML file into a validated Policy, or fails with every problem located by path and line.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, visit } from 'yaml';
import { VowError } from '../../platform/errors.js';
import { counted, noun } from '../../platform/strings.js';
import { parseBoundedYaml } from './bounded-yaml.js';
import { shippedBreachLaws } from './breach-laws.js';
import { Policy } from './model.js';
import { type PolicyDocument, policySchema } from './schema.js';
import { shippedText } from './shipped-document.js';
import { shippedStateLaws } from './state-laws.js';
import { validatePolicy } from './validate-policy.js';

export interface PolicyProblem {
  /** Where in the document, e.g. `rules[3].channel`. */
  readonly path: string;
  /** 1-based line and column of the offending node, when the node exists in the file. */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  /**
   * What stopped the reading, when the file was refused as a whole (stable): `yaml_too_deep` (nested
   * past MAX_YAML_DEPTH), `yaml_aliases` (aliases expand past MAX_ALIAS_COUNT), `more_problems` (the
   * line counting the problems past MAX_PROBLEMS). Other problems have none: their path says where.
   */
  readonly code?: 'yaml_too_deep' | 'yaml_aliases' | 'more_problems';
}

/** The default policy shipped with Vow (the seed retailer's policy). */
export const DEFAULT_POLICY_PATH = fileURLToPath(new URL('../../../policies/default.yaml', import.meta.url));

export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(s))) out += `[${JSON.stringify(String(s))}]`;
    else out += out === '' ? String(s) : `.${String(s)}`;
  }
  return out || '(root)';
}

export function formatProblem(file: string, p: PolicyProblem): string {
  const where = p.line === undefined ? file : `${file}:${p.line}:${p.column ?? 1}`;
  return `${where} ${p.path}: ${p.message}`;
}

/**
 * Finds the line and column of a path in a parsed YAML document, walking as deep as the document
 * goes so a missing key is reported at its parent. Shared by every YAML loader with located errors.
 */
export function makeLocator(
  doc: Document,
  lineCounter: LineCounter,
): (segments: readonly PropertyKey[]) => { line?: number; column?: number } {
  return (segments) => {
    let node: unknown = doc.contents;
    let found: Node | undefined = doc.contents ?? undefined;
    let keyNode: Node | undefined;
    for (const seg of segments) {
      if (isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
        if (!pair) break;
        keyNode = isScalar(pair.key) ? pair.key : undefined;
        node = pair.value;
        found = (pair.value as Node | null) ?? keyNode;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined) break;
        keyNode = undefined;
        node = item;
        found = item as Node;
      } else break;
    }
    const range = found?.range ?? keyNode?.range;
    if (!range) return {};
    const pos = lineCounter.linePos(range[0]);
    return { line: pos.line, column: pos.col };
  };
}

/** A problem before the path is formatted: where (segments) and what. */
export interface RawProblem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export type Locate = (segments: readonly PropertyKey[]) => { line?: number; column?: number };

/** How many problems of a file are reported (each is located in the file, which costs a walk). */
export const MAX_PROBLEMS = 100;

/**
 * The first MAX_PROBLEMS of a file's problems, made by `make`, and a last one counting the others:
 * locating 32,000 problems in a file of as many entries cost over 20 s (each walks its map).
 */
function firstProblems<T>(all: readonly T[], make: (item: T) => PolicyProblem): PolicyProblem[] {
  const shown = all.slice(0, MAX_PROBLEMS).map(make);
  if (all.length > MAX_PROBLEMS)
    shown.push({
      path: '(file)',
      message: `and ${counted(all.length - MAX_PROBLEMS, 'more problem', 'more problems')}, not listed: correct these first`,
      code: 'more_problems',
    });
  return shown;
}

/** How many alias uses (`*name`) a YAML file may make before it is refused as an expansion bomb. */
const MAX_ALIAS_COUNT = 100;

/** Where the file's first alias is (1-based), for the problem that refuses its expansion. */
function firstAlias(doc: Document, lineCounter: LineCounter): { line: number; column: number } {
  let at: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      at = node.range?.[0];
      return visit.BREAK;
    },
  });
  const pos = lineCounter.linePos(at ?? 0);
  return { line: pos.line, column: pos.col };
}

/**
 * Parses YAML and validates it with a Zod schema, every problem located by path and line: YAML
 * syntax errors, schema issues (an unknown key is pointed at itself), then the caller's own
 * cross-reference checks. Shared by every YAML file Vow reads (the policy, dataset annotations).
 */
export function parseLocatedYaml<T>(
  source: string,
  schema: {
    safeParse(
      value: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: readonly ZodIssueLike[] } };
  },
  crossCheck: (data: T) => readonly RawProblem[] = () => [],
  /** The page documenting the file's keys, named in a missing key's problem (`docs/policy.md`). */
  guide?: string,
): { ok: true; data: T; locate: Locate } | { ok: false; problems: PolicyProblem[] } {
  const lineCounter = new LineCounter();
  const read = parseBoundedYaml(source, lineCounter);
  if (!read.ok) {
    const pos = lineCounter.linePos(read.refusal.offset);
    return {
      ok: false,
      problems: [
        {
          path: '(yaml)',
          line: pos.line,
          column: pos.col,
          message: read.refusal.message,
          code: 'yaml_too_deep',
        },
      ],
    };
  }
  const doc = read.doc;
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: firstProblems(doc.errors, (e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return {
          path: '(yaml)',
          line: pos.line,
          column: pos.col,
          message: e.message.split('\n')[0] ?? e.code,
        };
      }),
    };
  }
  const locate = makeLocator(doc, lineCounter);
  const located = (p: RawProblem): PolicyProblem => ({
    path: formatPath(p.path),
    ...locate(p.path),
    message: p.message,
  });
  let input: unknown;
  try {
    input = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // The yaml library refuses a document whose aliases (`*name`, merge keys `<<: *name`) expand
    // past the count ("billion laughs"); any file read this way is the operator's or an upload's,
    // so the refusal is a problem of the file, never an exception of the caller (a 500).
    const first = firstAlias(doc, lineCounter);
    const aliases = /alias/i.test((err as Error).message);
    return {
      ok: false,
      problems: [
        {
          path: '(yaml)',
          ...first,
          ...(aliases ? { code: 'yaml_aliases' as const } : {}),
          message: aliases
            ? `the file's aliases (*name) expand too far: at most ${MAX_ALIAS_COUNT} are read; write the values out instead`
            : `the file cannot be read: ${(err as Error).message.split('\n')[0]}`,
        },
      ],
    };
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: firstProblems(parsed.error.issues, (issue) =>
        issue.code === 'unrecognized_keys' && issue.keys && issue.keys.length > 0
          ? located({
              path: [...issue.path, issue.keys[0]!],
              message: `unknown ${noun(issue.keys.length, 'key')} ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
            })
          : located({ path: issue.path, message: issueMessage(issue, valueAt(input, issue.path), guide) }),
      ),
    };
  }
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) return { ok: false, problems: firstProblems(problems, located) };
  return { ok: true, data: parsed.data, locate };
}

/** The part of a Zod issue the locator needs. */
export interface ZodIssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
  readonly expected?: string;
}

/** What a YAML author calls each kind of value Zod expects. */
const VALUE_WORDS: Readonly<Record<string, string>> = {
  object: 'a map of keys',
  record: 'a map of ids',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/**
 * A schema issue in the words of the file: a missing required key says so and where its keys are
 * documented (Zod said "Invalid input: expected object, received undefined"); a value of the wrong
 * kind names the kind wanted. Any other issue keeps its own message.
 */
function issueMessage(issue: ZodIssueLike, value: unknown, guide: string | undefined): string {
  if (issue.code !== 'invalid_type' || !issue.expected) return issue.message;
  const wanted = VALUE_WORDS[issue.expected] ?? issue.expected;
  if (value === undefined) {
    const top = issue.path.find((s) => typeof s === 'string');
    const where = guide ? `; see ${guide}${top ? `, \`${String(top)}\`` : ''}` : '';
    return `missing: add this required key (${wanted})${where}`;
  }
  // A message of the schema's own ("must be a date written YYYY-MM-DD") says it better.
  if (!issue.message.startsWith('Invalid input')) return issue.message;
  const found = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  return `must be ${wanted}, not ${VALUE_WORDS[found] ?? found}`;
}

/** The value at a path of the parsed document (undefined where the document has nothing). */
function valueAt(root: unknown, segments: readonly PropertyKey[]): unknown {
  let node = root;
  for (const s of segments) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[s];
  }
  return node;
}

/**
 * Parses and validates policy text. Returns the policy or the list of problems; never throws for
 * a bad document (only the caller decides whether a problem is fatal).
 */
export function parsePolicy(
  source: string,
): { ok: true; policy: Policy } | { ok: false; problems: PolicyProblem[] } {
  const result = parseLocatedYaml(source, policySchema, validatePolicy, 'docs/policy.md');
  if (!result.ok) return result;
  // A state the policy does not declare keeps the shipped entry (statute numbers with citations);
  // a state it declares is replaced whole by the retailer's own entry.
  const doc = result.data as PolicyDocument;
  // The shipped policy itself inherits nothing: its sections are the shipped ones (no second parse).
  if (source === shippedText(DEFAULT_POLICY_PATH)) return { ok: true, policy: new Policy(doc, source) };
  const laws = { ...shippedStateLaws(DEFAULT_POLICY_PATH), ...(doc.us_state_laws ?? {}) };
  const breach = { ...shippedBreachLaws(DEFAULT_POLICY_PATH), ...(doc.us_breach_laws ?? {}) };
  return { ok: true, policy: new Policy({ ...doc, us_state_laws: laws, us_breach_laws: breach }, source) };
}

/** Loads a policy file, throwing VOW_POLICY_INVALID (with every located problem) when it is wrong. */
export function loadPolicyFile(file: string): Policy {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    throw new VowError('VOW_POLICY_NOT_FOUND', `Cannot read the policy file ${file}`, undefined, {
      cause: err,
    });
  }
  const result = parsePolicy(source);
  if (!result.ok) {
    const name = path.relative(process.cwd(), file) || file;
    const lines = result.problems.map((p) => formatProblem(name, p));
    throw new VowError(
      'VOW_POLICY_INVALID',
      `The policy ${name} has ${counted(lines.length, 'problem')}:\n${lines.join('\n')}`,
      {
        problems: result.problems,
      },
    );
  }
  return result.policy;
}

/** The policy named by configuration, or the shipped default. */
export function loadPolicy(policyPath?: string): Policy {
  return loadPolicyFile(policyPath ?? DEFAULT_POLICY_PATH);
}
