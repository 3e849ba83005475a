// The audit trail for auditors and the privacy officer: a page of entries (newest first; ids and
// actions only, never personal values) and a button that recomputes the hash chain and checks the
// anchors, naming the first broken link.

import type { AuditRow, VerifyResult } from '../../platform/audit/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { noun } from '../../platform/strings.js';
import { type FilterRefusal, filterAlert, filterSelect } from './filter-refusal.js';
import { actorLabel, eventLabel, stamp } from './labels.js';
import { type ConsoleFrame, consolePage, csrfField } from './shell.js';

/** The families of actions the trail can be narrowed to (the word before the action's first dot). */
export const AUDIT_FAMILIES = {
  request: 'Privacy requests',
  complaint: 'Complaints',
  person: 'People looked up',
  subject: 'People: under-13 reports, identifiers',
  restriction: 'Restrictions',
  consent: 'Consent changes',
  cookie_consent: 'Cookie choices',
  suppressions: 'Suppression list',
  disclosure: 'Disclosures',
  downstream: 'Recipient tasks',
  webhook: 'Webhooks',
  audience: 'Audience downloads',
  report: 'Aggregate reports',
  experiment: 'Experiments',
  import: 'Imports',
  policy: 'Policy checks',
  retention: 'Retention',
  account: 'Shopper accounts',
  staff: 'Staff accounts and log-ins',
  security: 'Security',
  audit: 'Audit trail reads and checks',
} as const;
export type AuditFamily = keyof typeof AUDIT_FAMILIES;
export const AUDIT_FAMILY_IDS = Object.keys(AUDIT_FAMILIES) as [AuditFamily, ...AuditFamily[]];

export interface AuditPage {
  /** Entries of this page, oldest first (shown newest first). */
  readonly rows: readonly AuditRow[];
  /** Staff ids to user names: staff are shown by name. */
  readonly names: ReadonlyMap<string, string>;
  /** Sequence number of the newest entry overall. */
  readonly head: number;
  /** The `after` of this page (its first entry is after+1). */
  readonly after: number;
  readonly pageSize: number;
  /** The family and staff member the page is narrowed to (then newest first, `before` paging). */
  readonly filter?: { readonly kind?: AuditFamily | undefined; readonly who?: string | undefined };
  readonly verified?: VerifyResult;
  /** Filters or a cursor in the address the page could not use (shown without them, marked). */
  readonly refusal?: FilterRefusal;
}

const FILTER_LABELS: Record<string, string> = {
  kind: 'what',
  who: 'staff member',
  after: 'the page position (after)',
  before: 'the page position (before)',
};

function caption(a: AuditPage): string {
  const without = a.refusal
    ? `, without ${[...a.refusal.problems.keys()].map((n) => FILTER_LABELS[n] ?? n).join(' or ')} (not valid in the address)`
    : '';
  return `${captionOf(a)}${without}`;
}

function captionOf(a: AuditPage): string {
  const span = a.rows.length ? `${a.rows[0]!.seq} to ${a.rows[a.rows.length - 1]!.seq}` : 'none';
  if (!a.filter) return `Entries ${span}, newest first`;
  const what = [
    a.filter.kind ? AUDIT_FAMILIES[a.filter.kind] : 'Everything',
    a.filter.who ? `by ${a.filter.who}` : '',
  ].filter(Boolean);
  return `${what.join(' ')}: ${a.rows.length} ${noun(a.rows.length, 'entry', 'entries')} (${span}), newest first`;
}

function auditFilter(a: AuditPage): SafeHtml {
  const staff = [...new Set(a.names.values())].sort();
  return html`<form method="get" action="/staff/audit" class="filters" role="search" aria-label="Narrow the audit trail">
  ${filterSelect({
    name: 'kind',
    id: 'a-kind',
    label: 'What',
    choices: [['', 'Everything'], ...Object.entries(AUDIT_FAMILIES)],
    current: a.filter?.kind,
    refusal: a.refusal,
  })}
  ${filterSelect({
    name: 'who',
    id: 'a-who',
    label: 'Staff member',
    choices: [['', 'Anyone (people, Vow, staff)'], ...staff.map((n) => [n, n] as const)],
    current: a.filter?.who,
    refusal: a.refusal,
  })}
  <p><button type="submit">Show</button> <a href="/staff/audit">Clear</a></p>
</form>`;
}

function verification(v: VerifyResult): SafeHtml {
  if (v.ok)
    return html`<div class="flash ok" role="status" data-testid="audit-verify" data-ok="yes"><strong>The chain is intact.</strong> ${v.entries} ${noun(v.entries, 'entry', 'entries')} recomputed, ${v.anchors} ${noun(v.anchors, 'anchor')} ${v.anchors === 1 ? 'matches' : 'match'}${v.head ? html`; head <code>${v.head.slice(0, 16)}…</code>` : ''}.</div>`;
  return html`<div class="flash bad" role="alert" data-testid="audit-verify" data-ok="no"><strong>The chain is broken at entry ${v.brokenAt ?? '?'}.</strong> ${v.problem ?? ''} (${v.entries} ${noun(v.entries, 'entry', 'entries')}, ${v.anchors} ${noun(v.anchors, 'anchor')}).</div>`;
}

/**
 * An entry's details as `key=value` pairs a reader can take in: a list reads "a, b" (not
 * `["a","b"]`), and a nested value gets a space after each comma, so the cell wraps between values
 * instead of widening the table past the screen.
 */
function details(json: string): string {
  const d = JSON.parse(json) as Record<string, unknown>;
  const value = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object'))
      return v.map(value).join(', ');
    return JSON.stringify(v).replace(/,(?=["{[\d-]|true|false|null)/g, ', ');
  };
  return Object.entries(d)
    .map(([k, v]) => `${k}=${value(v)}`)
    .join(' ');
}

/** What an entry is about: a staff member by user name, anything else by its kind and id. */
function target(names: ReadonlyMap<string, string>, r: AuditRow): SafeHtml | string {
  if (!r.target_type) return '—';
  if (r.target_type === 'staff') return `staff member ${actorLabel(names, 'staff', r.target_id)}`;
  return html`${r.target_type} <code>${r.target_id}</code>`;
}

export function renderAudit(frame: ConsoleFrame, a: AuditPage): string {
  const rows = [...a.rows].reverse();
  const query = (more: Record<string, string>) =>
    new URLSearchParams({
      ...(a.filter?.kind ? { kind: a.filter.kind } : {}),
      ...(a.filter?.who ? { who: a.filter.who } : {}),
      ...more,
    }).toString();
  let older: string | null;
  let newer: string | null;
  if (a.filter) {
    // Narrowed: newest first; older pages start below this page's oldest entry.
    const oldest = a.rows[0]?.seq;
    older = oldest !== undefined && a.rows.length === a.pageSize ? query({ before: String(oldest) }) : null;
    newer = null;
  } else {
    older = a.after > 0 ? query({ after: String(Math.max(0, a.after - a.pageSize)) }) : null;
    newer = a.after + a.pageSize < a.head ? query({ after: String(a.after + a.pageSize) }) : null;
  }
  return consolePage(frame, {
    title: 'Audit trail',
    section: '/staff/audit',
    body: html`<h1>Audit trail</h1>
<p>Every staff action, disclosure, consent change and request step, hash-chained: each entry's hash covers the one before, and hourly anchors pin the head. ${a.head} entries.</p>
<form method="post" action="/staff/audit/verify">
  ${csrfField(frame.csrf)}
  <button type="submit">Verify the chain</button>
</form>
${a.verified ? verification(a.verified) : ''}
${filterAlert(a.refusal, FILTER_LABELS)}
${auditFilter(a)}
<div class="scroll" tabindex="0"><table class="stack" data-testid="audit-table">
  <caption>${caption(a)}</caption>
  <thead><tr><th scope="col">Entry</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Details</th></tr></thead>
  <tbody>${rows.map(
    (r) =>
      html`<tr><td data-label="Entry">${String(r.seq)}</td><td data-label="When">${stamp(r.at, true)}</td><td data-label="Who">${actorLabel(a.names, r.actor_type, r.actor_id)}</td><td data-label="Action">${eventLabel(r.action)} <span class="small">${r.action}</span></td><td data-label="Target" class="values target">${target(a.names, r)}</td><td data-label="Details" class="small values">${r.reason ? `${r.reason}. ` : ''}${details(r.details)}</td></tr>`,
  )}</tbody>
</table></div>
<nav aria-label="Audit pages" class="pager">
  ${a.filter ? html`<a href="/staff/audit">Newest of everything</a>` : ''}
  ${newer !== null ? html`<a href="/staff/audit?${newer}">Newer entries</a>` : ''}
  ${older !== null ? html`<a href="/staff/audit?${older}">Older entries</a>` : ''}
</nav>`,
  });
}
