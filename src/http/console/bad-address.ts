// A console address a page cannot read (a bookmark from an older version, a hand-edited filter, a
// link cut short): which of its parameters is wrong, what was sent and what the page takes, and
// where to go instead (the same page without the wrong parameters, the list unfiltered, the list a
// record's page belongs to). Read from the matched route's own schemas, so every console page with
// a query or path schema gets it without a line of its own (error-page.ts shows it).
import type { FastifyRequest } from 'fastify';
import { CONSOLE_LINKS } from './shell.js';

/** One parameter of the address a page cannot use. */
export interface AddressProblem {
  /** `query` (after `?`) or `path` (a part of the address itself, such as a request's id). */
  readonly part: 'query' | 'path';
  readonly name: string;
  /** What was sent, as sent (cut at 80 characters); '' for a path part the router could not read. */
  readonly value: string;
  /** What the page takes there, in plain words ("it takes one of open, closed"). */
  readonly expected: string;
}

/** What a console page's bad address comes back with. */
export interface BadAddress {
  readonly problems: readonly AddressProblem[];
  /** The same page without the wrong query parameters (the others kept); none for a bad path part. */
  readonly without?: string;
  /** The list the page belongs to, unfiltered (`/staff/requests` for a request's page). */
  readonly list: string;
  readonly listLabel: string;
}

interface ZodLike {
  safeParse(v: unknown): { success: boolean; error?: { issues: readonly IssueLike[] } };
  readonly shape?: Record<string, ZodLike>;
}

interface IssueLike {
  readonly code?: string;
  readonly origin?: string;
  readonly format?: string;
  readonly expected?: string;
  readonly values?: readonly unknown[];
  readonly maximum?: number | bigint;
  readonly minimum?: number | bigint;
  readonly errors?: readonly (readonly IssueLike[])[];
}

const MAX_SHOWN = 80;

function shown(value: unknown): string {
  const text = Array.isArray(value) ? value.map(String).join(', ') : String(value ?? '');
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** The choices a refused value could have been (an enum, a literal, a union of them). */
function choicesOf(issues: readonly IssueLike[]): string[] {
  const out: string[] = [];
  for (const i of issues) {
    if (i.code === 'invalid_value' && i.values) out.push(...i.values.filter((v) => v !== '').map(String));
    if (i.code === 'invalid_union' && i.errors) for (const branch of i.errors) out.push(...choicesOf(branch));
  }
  return [...new Set(out)];
}

/** What the page takes where the value failed, from the first issue Zod found. */
function expectation(issues: readonly IssueLike[], repeated: boolean): string {
  if (repeated) return 'give it once, not several times';
  const choices = choicesOf(issues);
  if (choices.length === 1) return `it takes only ${choices[0]}, or leave it out`;
  if (choices.length > 1) return `it takes one of ${choices.join(', ')}`;
  const i = issues[0] ?? {};
  const number = i.origin === 'number' || i.expected === 'number' || i.expected === 'int';
  switch (i.code) {
    case 'too_big':
      return number ? `it takes a number up to ${i.maximum}` : `it takes at most ${i.maximum} characters`;
    case 'too_small':
      return number
        ? `it takes a whole number from ${i.minimum}`
        : `it takes at least ${i.minimum} characters`;
    case 'invalid_type':
      return number ? 'it takes a whole number' : 'it takes a single plain value';
    case 'invalid_format':
      return i.format === 'date'
        ? 'it takes a day written YYYY-MM-DD'
        : 'the value is not in the form it takes';
    default:
      return 'the page does not know this value';
  }
}

function problemsOf(part: 'query' | 'path', schema: unknown, sent: unknown): AddressProblem[] {
  const shape = (schema as ZodLike | undefined)?.shape;
  if (!shape || typeof sent !== 'object' || sent === null) return [];
  const out: AddressProblem[] = [];
  for (const [name, value] of Object.entries(sent as Record<string, unknown>)) {
    const field = shape[name];
    if (!field) {
      out.push({ part, name, value: shown(value), expected: 'this page does not take it' });
      continue;
    }
    const parsed = field.safeParse(value);
    if (!parsed.success)
      out.push({
        part,
        name,
        value: shown(value),
        expected: expectation(parsed.error?.issues ?? [], Array.isArray(value)),
      });
  }
  return out;
}

/** The console list a path belongs to: its menu entry (`/staff/requests/…` is under Requests). */
export function listOf(path: string): { href: string; label: string } {
  const section = `/staff/${path.split('/')[2] ?? ''}`;
  const link = CONSOLE_LINKS.find((l) => l.href === section && l.href !== '/staff');
  return link ? { href: link.href, label: link.label } : { href: '/staff', label: 'Dashboard' };
}

/**
 * The problems of a console GET refused for its address: its path parameters and its query, each
 * checked against the matched route's schema. Undefined when the refusal is not about the address
 * (a validation refusal with no parameter at fault is left to the generic page).
 */
export function badAddress(req: FastifyRequest, routerMessage?: string): BadAddress | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const [path = '/staff', search = ''] = req.url.split('?', 2);
  const list = listOf(path);
  const base = { list: list.href, listLabel: list.label };
  // The router refused the address before any route matched it (a malformed %-encoding, a part
  // longer than 100 characters): the whole path part is at fault, not a parameter.
  if (routerMessage !== undefined)
    return { ...base, problems: [{ part: 'path', name: 'address', value: '', expected: routerMessage }] };
  const schema = req.routeOptions?.schema as { params?: unknown; querystring?: unknown } | undefined;
  if (!schema) return undefined;
  const pathProblems = problemsOf('path', schema.params, req.params);
  const queryProblems = problemsOf('query', schema.querystring, req.query);
  const problems = [...pathProblems, ...queryProblems];
  if (problems.length === 0) return undefined;
  if (pathProblems.length > 0) return { ...base, problems };
  const bad = new Set(queryProblems.map((p) => p.name));
  const kept = new URLSearchParams(search);
  for (const name of bad) kept.delete(name);
  const rest = kept.toString();
  return { ...base, problems, without: rest ? `${path}?${rest}` : path };
}
