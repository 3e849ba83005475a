// API keys for the admin: which systems of the shop hold a key and what each may do (its scopes),
// a form to make one (its secret shown once, with a copy button), and revoking one.

import {
  API_SCOPE_LABELS,
  API_SCOPES,
  type ApiKeyInfo,
  type ApiScope,
  isApiScope,
} from '../../modules/identity/index.js';
import { html, type SafeHtml } from '../../platform/html.js';
import { secondaryToneClass } from './confirm.js';
import { type ConsoleFrame, type ConsoleMessage, consolePage, csrfField, flash } from './shell.js';

/** The script of the copy button (same origin: the console's CSP forbids inline script). */
export const COPY_SCRIPT = '/assets/console-copy.js';

export interface ApiKeysView {
  readonly keys: readonly ApiKeyInfo[];
  /** User names by staff id, for "Created by". */
  readonly staffNames: ReadonlyMap<string, string>;
  /** A key just made: the only time its secret is on a page. */
  readonly created?: { readonly name: string; readonly key: string; readonly scopes: readonly string[] };
  readonly message?: ConsoleMessage;
  /** The form's values to show again after a refusal. */
  readonly form?: { readonly name: string; readonly scopes: readonly string[] };
}

/** What a scope lets a key do, in a few plain words (the form says each in full). */
const SCOPE_WORDS: Readonly<Record<ApiScope, string>> = {
  decide: 'ask whether data may be used',
  collect: 'record what the shop collects',
  disclose: 'record what goes to third parties',
  marketing: 'export marketing audiences and render emails',
  feedback: "take in mail and SMS providers' reports",
  metrics: 'read the metrics',
  all: 'do everything, scopes added later included',
};

/** A key's scopes in plain words only, for a sentence (the revoke confirmation). */
export function scopeText(scopes: readonly string[]): string {
  return scopes.map((s) => (isApiScope(s) ? SCOPE_WORDS[s] : s)).join('; ');
}

/** A key's scopes as words, each with its id (what the command line and the docs call it). */
export function scopeWords(scopes: readonly string[]): SafeHtml {
  return html`${scopes.map(
    (s, i) => html`${i > 0 ? '; ' : ''}${isApiScope(s) ? SCOPE_WORDS[s] : s} (<code>${s}</code>)`,
  )}`;
}

function createdBy(k: ApiKeyInfo, names: ReadonlyMap<string, string>): string {
  if (k.createdBy === null) return 'the command line';
  return names.get(k.createdBy) ?? 'a removed staff account';
}

export function renderApiKeys(frame: ConsoleFrame, v: ApiKeysView): string {
  const active = v.keys.filter((k) => k.revokedAt === null);
  const revoked = v.keys.filter((k) => k.revokedAt !== null);
  const chosen = new Set(v.form?.scopes ?? []);
  return consolePage(frame, {
    title: 'API keys',
    section: '/staff/api-keys',
    scripts: v.created ? [COPY_SCRIPT] : [],
    body: html`<h1>API keys</h1>
<p>The shop's own systems call Vow's API with a key: the storefront, the warehouse, the email tool.
Give each system its own key with only the scopes it needs, so a key that leaks can do little and
can be revoked without stopping the others.</p>
${
  v.message?.ok
    ? html`<p class="flash ok" role="status" tabindex="-1" autofocus>${v.message.text}</p>`
    : flash(v.message)
}
${
  v.created
    ? html`<section class="once" tabindex="-1" autofocus data-testid="new-key" aria-labelledby="new-key-h">
<h2 id="new-key-h">Copy the key for ${v.created.name} now: it is shown only this once</h2>
<p>Vow keeps only a hash of it and cannot show it again: if it is lost, create another key and revoke this one. Put it in the secret store of the system that uses it, never in a web page, an email or a repository.</p>
<p><label for="new-key-value">The key (secret)</label><textarea id="new-key-value" class="secret" data-testid="new-key-value" readonly rows="2" autocomplete="off" spellcheck="false">${v.created.key}</textarea></p>
<p class="copy"><button type="button" class="secondary" data-copy="new-key-value" hidden>Copy the key</button> <span data-copy-status role="status"></span></p>
<p>What it may do: ${scopeWords(v.created.scopes)}</p>
</section>`
    : ''
}
<h2 id="active-h">Keys in use</h2>
${
  active.length === 0
    ? html`<p data-testid="no-keys">No key is in use: no system of the shop can call the API.</p>`
    : html`<div class="scroll" tabindex="0" role="region" aria-labelledby="active-h"><table class="stack" data-testid="api-keys" aria-labelledby="active-h">
  <thead><tr><th scope="col">Name</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Created by</th><th scope="col">Key id</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
  <tbody>${active.map(
    (k) =>
      html`<tr data-key-id="${k.id}"><th scope="row">${k.name}</th><td data-label="Scopes">${scopeWords(k.scopes)}</td><td data-label="Created">${k.createdAt.slice(0, 10)}</td><td data-label="Created by">${createdBy(k, v.staffNames)}</td><td data-label="Key id"><code>${k.id}</code></td><td data-label="Action"><form method="post" action="/staff/api-keys/revoke" class="inline">
  ${csrfField(frame.csrf)}<input type="hidden" name="id" value="${k.id}">
  <button type="submit"${secondaryToneClass('destructive')} data-tone="destructive">Revoke<span class="visually-hidden"> ${k.name}</span></button>
</form></td></tr>`,
  )}</tbody>
</table></div>`
}
<h2 id="create-h">Create a key</h2>
<form method="post" action="/staff/api-keys" aria-labelledby="create-h" data-testid="create-key">
  ${csrfField(frame.csrf)}
  <p><label for="key-name">What it is for</label><input id="key-name" name="name" required maxlength="100" autocomplete="off" placeholder="e.g. storefront checkout" value="${v.form?.name ?? ''}"></p>
  <fieldset aria-describedby="scopes-hint"><legend>What the key may do (at least one)</legend>
  <p class="small" id="scopes-hint">Tick the fewest the system needs. A storefront needs <strong>collect</strong>; a warehouse <strong>disclose</strong>; a CRM or email tool <strong>marketing</strong>, and its provider's webhooks <strong>feedback</strong>; an analytics relay <strong>decide</strong>. <strong>all</strong> is only for a key that must do everything.</p>
  ${API_SCOPES.map(
    (s) =>
      html`<p class="check"><input type="checkbox" id="scope-${s}" name="scopes" value="${s}"${chosen.has(s) ? html` checked` : ''}><label for="scope-${s}"><strong>${s}</strong>: ${API_SCOPE_LABELS[s]}</label></p>`,
  )}
  </fieldset>
  <p><button type="submit">Create the key</button></p>
</form>
${
  revoked.length === 0
    ? ''
    : html`<h2 id="revoked-h">Revoked keys</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="revoked-h"><table class="stack" data-testid="revoked-keys" aria-labelledby="revoked-h">
  <thead><tr><th scope="col">Name</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Revoked</th></tr></thead>
  <tbody>${revoked.map(
    (k) =>
      html`<tr><th scope="row">${k.name}</th><td data-label="Scopes">${scopeWords(k.scopes)}</td><td data-label="Created">${k.createdAt.slice(0, 10)}</td><td data-label="Revoked">${(k.revokedAt ?? '').slice(0, 10)}</td></tr>`,
  )}</tbody>
</table></div>`
}`,
  });
}
