// Requests over the real modules, as a shopper makes them: a capturing mail transport, and a request
// submitted, its mailed code typed in, and its jobs run. Shared by the tests of the rights flows.
import assert from 'node:assert/strict';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { post } from '../collection/fixtures.js';
import type { TestEnv } from '../helpers/env.js';
import { captureMail as keepMail } from '../helpers/mail.js';

// biome-ignore lint/suspicious/noExplicitAny: request bodies of every type
export type RequestBody = Record<string, any>;

/** Captures every message Vow delivers (call in `before`); returns the list it fills. */
export function captureMail(env: () => TestEnv): OutgoingMessage[] {
  return keepMail(env());
}

/**
 * Submits a request on the web form's API, types in the code mailed to `body.email`, and runs the
 * jobs that follow; returns the request's id and status token.
 */
export async function verifiedRequest(
  e: TestEnv,
  sent: readonly OutgoingMessage[],
  body: RequestBody,
): Promise<{ id: string; statusToken: string }> {
  const r = await post(e, '/v1/requests', body);
  assert.equal(r.statusCode, 202, r.body);
  await e.services.jobs.drain();
  const mail = sent.filter((m) => m.to === body.email && /code/.test(m.subject)).at(-1);
  const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1];
  assert.ok(code, `a code was mailed to ${body.email}`);
  const statusToken = r.json().statusToken as string;
  const v = await post(e, '/v1/requests/verify', { statusToken, code });
  assert.equal(v.statusCode, 200, v.body);
  await e.services.jobs.drain();
  return { id: (await e.services.rights.statusByToken(statusToken)).id, statusToken };
}

/**
 * A correction asked from `email` through the real flow (the emailed code) and approved by staff;
 * its id (the caller drains the jobs that apply it, or looks at what was opened first).
 */
export async function approvedCorrection(
  e: TestEnv,
  sent: readonly OutgoingMessage[],
  email: string,
  correction: { readonly category: string; readonly value: string },
): Promise<string> {
  const { id } = await verifiedRequest(e, sent, {
    type: 'correction',
    jurisdiction: 'us-ca',
    email,
    correction,
  });
  const approved = await post(e, `/v1/staff/requests/${id}/approve-correction`, {});
  assert.equal(approved.statusCode, 200, approved.body);
  return id;
}

/** The path of the download link in the last "ready" mail to `to`. */
export function exportLink(sent: readonly OutgoingMessage[], to: string): string {
  const answer = sent.filter((m) => m.to === to && /ready/.test(m.subject)).at(-1);
  const link = /(\/privacy\/request\/export\/[A-Za-z0-9_-]+)/.exec(answer?.text ?? '')?.[1];
  assert.ok(link, `a download link was mailed to ${to}`);
  return link;
}
