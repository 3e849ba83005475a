// A console list opened with a filter it cannot use (a bookmark from an older version, a hand-edited
// `/staff/requests?status=bogus`) answers the list itself, still 400: the filter form shows the value
// sent at its field, marked invalid (aria-invalid, the reason tied by aria-describedby), and the rows
// are those of the address without that filter, labelled so. A list opts in with `config.filterPage`;
// the error page (error-page.ts) calls it with the address's problems and the rest of its query.
import type { FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../../platform/html.js';
import type { AddressProblem } from './bad-address.js';

/** The filters of the address a list could not use, by parameter name. */
export type FilterProblems = ReadonlyMap<string, AddressProblem>;

/** What a list's `filterPage` is given: the problems, and the query parsed without them. */
export interface FilterRefusal {
  readonly problems: FilterProblems;
  /** The address's other parameters, parsed by the route's own query schema. */
  readonly query: Record<string, unknown>;
  /** The same page without the refused parameters (the others kept). */
  readonly without: string;
  /** The list unfiltered. */
  readonly list: string;
}

/** Renders a list for a refused filter (the page's HTML; the error handler answers it with 400). */
export type FilterPage = (req: FastifyRequest, refusal: FilterRefusal) => Promise<string>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A console list that answers a refused filter with itself (filter-refusal.ts). */
    filterPage?: FilterPage;
  }
}

const errorId = (id: string) => `${id}-error`;

/** A filter field's attributes when the address gave it a refused value. */
export function invalidAttrs(problem: AddressProblem | undefined, id: string): SafeHtml | '' {
  return problem ? html` aria-invalid="true" aria-describedby="${errorId(id)}"` : '';
}

/** The reason under a refused filter field, short (the alert above says what it takes). */
export function invalidMessage(problem: AddressProblem | undefined, id: string): SafeHtml | '' {
  return problem
    ? html`<span class="field-error" id="${errorId(id)}" data-testid="filter-error">Not applied: ${problem.value ? html`<bdi>${problem.value}</bdi>` : 'an empty value'} is not a value this filter takes.</span>`
    : '';
}

/**
 * A select's option holding the refused value, selected, so the form shows what the address sent;
 * its value is empty, so sending the form again drops it.
 */
export function invalidOption(problem: AddressProblem | undefined): SafeHtml | '' {
  return problem ? html`<option value="" selected>${problem.value || '(empty)'}: not valid</option>` : '';
}

/** The alert above a list shown without the parameters it refused: each named, and the ways on. */
export function filterAlert(
  refusal: FilterRefusal | undefined,
  labels: Record<string, string>,
): SafeHtml | '' {
  if (!refusal) return '';
  const problems = [...refusal.problems.values()];
  const names = problems.map((p) => labels[p.name] ?? p.name);
  return html`<div class="flash bad" role="alert" data-testid="console-error" data-code="VOW_VALIDATION" data-status="400">
<p><strong>The address holds ${problems.length > 1 ? 'parameters' : 'a parameter'} this list cannot use</strong> (a bookmark from an older version or a hand-edited link). The list below shows what the rest of the address selects, <strong>without ${names.join(' or ')}</strong>:</p>
<ul data-testid="address-problems">${problems.map(
    (p) =>
      html`<li data-name="${p.name}"><code>${p.name}</code>${p.value ? html` <code><bdi>${p.value}</bdi></code>` : ''}: ${p.expected}.</li>`,
  )}</ul>
<p><a href="${refusal.without}" data-testid="address-without">Open the list without ${problems.length > 1 ? 'them' : 'it'}</a> · <a href="${refusal.list}" data-testid="address-list">the whole list, unfiltered</a></p>
</div>`;
}

/** One select of a list's filter form: its choices, the one in use, and a refused value if any. */
export interface FilterSelect {
  readonly name: string;
  readonly id: string;
  readonly label: string;
  /** [value, words] of each choice, the "any" choice (value '') first. */
  readonly choices: readonly (readonly [string, string])[];
  readonly current: string | undefined;
  readonly refusal?: FilterRefusal | undefined;
}

/**
 * A filter select. When the address gave it a refused value, that value is shown selected (its
 * option sends nothing, so the form sent again drops it), the select is marked invalid and the
 * reason follows it, named by aria-describedby.
 */
export function filterSelect(s: FilterSelect): SafeHtml {
  const problem = s.refusal?.problems.get(s.name);
  const current = problem ? undefined : (s.current ?? '');
  return html`<p><label for="${s.id}">${s.label}</label><select id="${s.id}" name="${s.name}"${invalidAttrs(problem, s.id)}>
    ${invalidOption(problem)}${s.choices.map(([value, words]) => html`<option value="${value}"${current === value ? html` selected` : ''}>${words}</option>`)}
  </select>${invalidMessage(problem, s.id)}</p>`;
}

/**
 * The refusal of a value the query schema takes but the list does not know (a recipient the
 * policy does not name): the same page as for a value the schema refuses.
 */
export function unknownValue(
  path: string,
  query: Readonly<Record<string, string | undefined>>,
  name: string,
  o: { readonly expected: string },
): FilterRefusal {
  const value = query[name] ?? '';
  const kept = Object.entries(query).filter((e): e is [string, string] => e[0] !== name && Boolean(e[1]));
  const rest = new URLSearchParams(kept).toString();
  return {
    problems: new Map([
      [
        name,
        {
          part: 'query',
          name,
          value: value.length > 80 ? `${value.slice(0, 80)}…` : value,
          expected: o.expected,
        },
      ],
    ]),
    query: Object.fromEntries(kept),
    without: rest ? `${path}?${rest}` : path,
    list: path,
  };
}
