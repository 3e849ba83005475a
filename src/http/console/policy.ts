// The policy page of the console, for the privacy officer and administrators: the policy in force
// (its versions, purposes, recipients, retention and promises, with a link to the notice), and a
// form that checks a policy file, uploaded or pasted, against it: every problem with its line, or
// what putting it in force would change and how to. Nothing checked is stored.

import {
  MAIN_PARTS,
  type PartChanges,
  type Policy,
  type PolicyComparison,
  type PolicyProblem,
  retentionInWords,
} from '../../modules/policy/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { noun } from '../../platform/strings.js';
import { type ConsoleFrame, type ConsoleMessage, consolePage, csrfField, flash } from './shell.js';

/** The largest policy file the check reads (the shipped policy is about 100 KiB). */
export const POLICY_CHECK_MAX_BYTES = 512 * 1024;

/** What a check of a file found: its problems, or what it would change. */
export type PolicyCheckOutcome =
  | { readonly name: string; readonly ok: false; readonly problems: readonly PolicyProblem[] }
  | {
      readonly name: string;
      readonly ok: true;
      readonly policy: Policy;
      readonly comparison: PolicyComparison;
      /** Valid, but worth knowing before it is in force (unpromisedWarnings of the promise monitor). */
      readonly warnings: readonly string[];
    };

export interface PolicyPageInput {
  /** Where the policy in force was read from (VOW_POLICY), or undefined for the shipped one. */
  readonly file: string | undefined;
  readonly outcome?: PolicyCheckOutcome | undefined;
  /** The text pasted, shown again in the box so a problem can be corrected there. */
  readonly pasted?: string | undefined;
  readonly message?: ConsoleMessage | undefined;
}

/** The words of each compared part. */
const PART_LABELS: Readonly<Record<string, string>> = {
  promises: 'Promises',
  categories: 'Categories of data',
  purposes: 'Purposes',
  subject_kinds: 'Kinds of people',
  channels: 'Consent channels',
  cookie_categories: 'Cookie banner categories',
  collection_points: 'Collection points (forms)',
  rules: 'Rules',
  recipients: 'Recipients',
  retention: 'Retention periods',
  exemptions: 'Deletion exemptions',
};

const list = (xs: readonly string[]): string => (xs.length ? xs.join(', ') : '—');

function inForce(policy: Policy, file: string | undefined): SafeHtml {
  const d = policy.doc;
  return html`<dl class="facts" data-testid="policy-in-force">
  <dt>Name</dt><dd>${d.name}</dd>
  <dt>File</dt><dd>${file ? html`<code>${file}</code> (VOW_POLICY)` : html`the shipped <code>policies/default.yaml</code> (VOW_POLICY is not set)`}</dd>
  <dt>Version</dt><dd><code data-testid="policy-version">${policy.version}</code></dd>
  <dt>Effective date</dt><dd>${policy.effectiveDate}</dd>
  <dt>Consent version</dt><dd><code>${policy.consentVersion}</code> (what people consented to: channels, cookie categories, consent rules, recipients)</dd>
  <dt>Notice</dt><dd><a href="/privacy">Read the notice people see (/privacy)</a></dd>
</dl>`;
}

function purposesTable(policy: Policy): SafeHtml {
  return html`<div class="scroll" tabindex="0" role="region" aria-labelledby="purposes-h"><table class="stack" data-testid="policy-purposes">
  <thead><tr><th scope="col">Purpose</th><th scope="col">What for</th><th scope="col">Aggregate only</th></tr></thead>
  <tbody>${Object.entries(policy.doc.purposes).map(
    ([id, p]) =>
      html`<tr><th scope="row"><code>${id}</code></th><td data-label="What for">${p.description}</td><td data-label="Aggregate only">${p.aggregate_only ? 'yes: counts, never people' : 'no'}</td></tr>`,
  )}</tbody>
</table></div>`;
}

function recipientsTable(policy: Policy): SafeHtml {
  const entries = Object.entries(policy.doc.recipients);
  if (entries.length === 0) return html`<p class="empty">No recipient: no data goes to an outside party.</p>`;
  return html`<div class="scroll" tabindex="0" role="region" aria-labelledby="recipients-h"><table class="stack" data-testid="policy-recipients">
  <thead><tr><th scope="col">Recipient</th><th scope="col">Role</th><th scope="col">Purposes</th><th scope="col">Categories</th><th scope="col">Promise</th></tr></thead>
  <tbody>${entries.map(
    ([id, r]) =>
      html`<tr><th scope="row">${r.name} <span class="small">(<code>${id}</code>)</span></th><td data-label="Role">${r.role === 'processor' ? 'processor' : 'third party'}${r.personal_data === 'never' ? ', aggregates only' : r.identifying_data === 'never' ? ', nothing identifying' : ''}</td><td data-label="Purposes">${list(r.purposes)}</td><td data-label="Categories">${list(r.categories)}</td><td data-label="Promise">${r.promise}</td></tr>`,
  )}</tbody>
</table></div>`;
}

/** A retention period in words with its value in the file: "7 years (P7Y)". */
function keptFor(keep: string): SafeHtml {
  if (keep === 'until_deletion') return html`until deletion`;
  const words = retentionInWords(keep);
  return words !== keep
    ? html`${words} <span class="small">(<code>${keep}</code>)</span>`
    : html`<code>${keep}</code>`;
}

function retentionTable(policy: Policy): SafeHtml {
  const FROM: Record<string, string> = {
    collected: 'collection',
    order_date: 'the order',
    last_activity: 'the last activity',
  };
  return html`<div class="scroll" tabindex="0" role="region" aria-labelledby="retention-h"><table class="stack" data-testid="policy-retention">
  <thead><tr><th scope="col">Data</th><th scope="col">Whose</th><th scope="col">Kept for</th><th scope="col">Counted from</th><th scope="col">Why</th></tr></thead>
  <tbody>${policy.doc.retention.map(
    (r) =>
      html`<tr><th scope="row"><code>${r.category}</code></th><td data-label="Whose">${r.subject_kinds?.length ? list(r.subject_kinds) : 'everyone'}</td><td data-label="Kept for">${keptFor(r.keep_for)}</td><td data-label="Counted from">${FROM[r.from] ?? r.from}</td><td data-label="Why">${r.reason}</td></tr>`,
  )}</tbody>
</table></div>`;
}

function promisesTable(policy: Policy): SafeHtml {
  const promises = Object.entries(policy.doc.promises).sort(
    ([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)),
  );
  return html`<div class="scroll" tabindex="0" role="region" aria-labelledby="promises-h"><table class="stack" data-testid="policy-promises">
  <thead><tr><th scope="col">Promise</th><th scope="col">What it promises</th><th scope="col">In the notice</th><th scope="col">How it is kept</th></tr></thead>
  <tbody>${promises.map(
    ([id, p]) =>
      html`<tr data-promise="${id}"><th scope="row">${id}</th><td data-label="What it promises">${p.title}</td><td data-label="In the notice"><a href="/privacy#${p.section}">${policy.doc.notice.sections.find((s) => s.id === p.section)?.heading ?? p.section}<span class="visually-hidden"> (${id})</span></a></td><td data-label="How it is kept">${p.enforcement}</td></tr>`,
  )}</tbody>
</table></div>`;
}

function checkForm(frame: ConsoleFrame, pasted: string | undefined): SafeHtml {
  return html`<form method="post" action="/staff/policy/check" enctype="multipart/form-data" aria-labelledby="check-h" data-testid="policy-check-form">
  ${csrfField(frame.csrf)}
  <p><label for="policy-file">A policy file (YAML, at most ${POLICY_CHECK_MAX_BYTES / 1024} KiB)</label><input type="file" id="policy-file" name="file" accept=".yaml,.yml,text/yaml,application/yaml,text/plain"></p>
  <p><label for="policy-yaml">Or paste the file's text</label><textarea id="policy-yaml" name="yaml" rows="12" spellcheck="false" autocomplete="off">${pasted ?? ''}</textarea></p>
  <p><button type="submit">Check the file</button></p>
</form>`;
}

/**
 * Every problem as `npx vow policy check` prints it (formatProblem's `file:line:column path: message`),
 * the path set apart so the message wraps as prose on a phone.
 */
function problemsFound(name: string, problems: readonly PolicyProblem[]): SafeHtml {
  return html`<div class="flash bad" role="alert" data-testid="policy-problems" data-code="VOW_POLICY_INVALID">
  <p><strong>${name} has ${problems.length} ${noun(problems.length, 'problem')}</strong>; Vow would refuse to start with it (error code <code>VOW_POLICY_INVALID</code>). Each is shown with its line and column, the key it concerns and what to do, as <code>npx vow policy check</code> shows them:</p>
  <ol>${problems.map(
    (p) =>
      html`<li data-testid="policy-problem" data-line="${p.line === undefined ? '' : String(p.line)}"><code>${p.line === undefined ? name : `${name}:${p.line}:${p.column ?? 1}`}</code> <code class="ids">${p.path}</code>: ${p.message}</li>`,
  )}</ol>
</div>`;
}

function partChanges(p: PartChanges): SafeHtml {
  return html`<section class="kept" data-part="${p.part}" aria-labelledby="part-${p.part}">
  <h4 id="part-${p.part}">${PART_LABELS[p.part] ?? p.part} (<code>${p.part}</code>)</h4>
  <ul>
    ${p.added.length ? html`<li><strong>Added:</strong> ${list(p.added)}</li>` : ''}
    ${p.removed.length ? html`<li><strong>Removed:</strong> ${list(p.removed)}</li>` : ''}
    ${p.changed.map((e) => html`<li><strong>Changed:</strong> <code>${e.id}</code>: ${e.changes.join('; ')}</li>`)}
  </ul>
</section>`;
}

function changesOf(c: PolicyComparison): SafeHtml {
  const main = c.parts.filter((p) => MAIN_PARTS.includes(p.part));
  const other = c.parts.filter((p) => !MAIN_PARTS.includes(p.part));
  if (c.same)
    return html`<p data-testid="policy-same">It is the policy in force: the same version <code>${c.version.to}</code>. Putting it in force changes nothing.</p>`;
  return html`<p>Version <code>${c.version.to}</code> (in force: <code>${c.version.from}</code>)${
    c.effectiveDate.from === c.effectiveDate.to
      ? html`, effective ${c.effectiveDate.to} as now.`
      : html`, effective ${c.effectiveDate.to} (in force: ${c.effectiveDate.from}).`
  }</p>
${
  c.consentVersion.changed
    ? html`<div class="flash bad" role="status" data-testid="policy-consent-changed"><p><strong>What people consented to changes: consent must be asked again.</strong> Its consent version becomes <code>${c.consentVersion.to}</code> (in force: <code>${c.consentVersion.from}</code>). Once it is in force, the cookie banner asks every visitor again, and a choice made on the older banner is refused (<code>VOW_CONSENT_VERSION_STALE</code>).</p></div>`
    : html`<p data-testid="policy-consent-same">What people consented to does not change (consent version <code>${c.consentVersion.to}</code>): nobody is asked again.</p>`
}
${
  c.parts.length === 0
    ? html`<p>Only words and settings outside the compared parts differ (the notice's text, the controller, the reports or the translations).</p>`
    : html`<div data-testid="policy-changes">${main.map(partChanges)}${
        other.length
          ? html`<details data-testid="policy-other-changes"><summary>Other changes: ${other.map((p) => PART_LABELS[p.part] ?? p.part).join(', ')}</summary>${other.map(partChanges)}</details>`
          : ''
      }</div>`
}`;
}

function outcomeOf(o: PolicyCheckOutcome): SafeHtml {
  if (!o.ok) return problemsFound(o.name, o.problems);
  const d = o.policy.doc;
  return html`<div data-testid="policy-valid">
<p class="flash ok" role="status"><strong>${o.name} is valid.</strong> ${d.name}: ${Object.keys(d.promises).length} promises, ${d.rules.length} rules, ${Object.keys(d.purposes).length} purposes, ${Object.keys(d.recipients).length} recipients. Nothing was stored, and the policy in force is unchanged.</p>
${
  o.warnings.length > 0
    ? html`<div class="flash" role="status" data-testid="policy-warnings"><p><strong>${o.warnings.length === 1 ? 'A warning' : `${o.warnings.length} warnings`}</strong> (the file is valid and can be put in force):</p><ul>${o.warnings.map((w) => html`<li>${w}</li>`)}</ul></div>`
    : ''
}
<h3 id="changes-h">What it would change</h3>
${changesOf(o.comparison)}
<h3 id="in-force-how-h">How to put it in force</h3>
<p>Vow reads its policy once, at start. Save the file on the server, set <code>VOW_POLICY</code> to its path, and restart every Vow process of this installation (they must all run the same file). The new version is recorded the first time it is in force, and everything collected or decided from then on names it.</p>
</div>`;
}

export function renderPolicyPage(frame: ConsoleFrame, input: PolicyPageInput): string {
  const policy = frame.policy;
  return consolePage(frame, {
    title: 'Policy',
    section: '/staff/policy',
    body: html`<h1>Policy</h1>
<p>Everything Vow decides, allows, refuses and shows people comes from the policy in force. Its promises are checked on the live data on the dashboard. Below: the policy in force, a check of a new policy file, then the policy's <a href="#purposes-h">purposes</a>, <a href="#recipients-h">recipients</a>, <a href="#retention-h">retention periods</a> and <a href="#promises-h">promises</a>.</p>
<h2 id="in-force-h">The policy in force</h2>
${inForce(policy, input.file)}
<h2 id="check-h">Check a policy file</h2>
<p>Upload or paste a policy file to see every problem in it, or what putting it in force would change. Nothing is stored, and checking a file does not change the policy in force.</p>
${
  input.message
    ? html`<div tabindex="-1" autofocus data-testid="policy-check-message">${flash(input.message)}</div>`
    : ''
}
${input.outcome ? html`<section aria-labelledby="result-h" tabindex="-1" autofocus data-testid="policy-check-result"><h3 id="result-h">Result: ${input.outcome.name}</h3>${outcomeOf(input.outcome)}</section>` : ''}
${checkForm(frame, input.pasted)}
<h2 id="purposes-h">Purposes</h2>
${purposesTable(policy)}
<h2 id="recipients-h">Recipients</h2>
${recipientsTable(policy)}
<h2 id="retention-h">Retention</h2>
${retentionTable(policy)}
<h2 id="promises-h">Promises</h2>
${promisesTable(policy)}`,
  });
}
