// The breach register's tests (test/incidents/): staff of each role logged in for a file, the shop's
// orders (people with an address), an incident decided a high risk (through the API as the privacy
// officer, or through the service), a console form, and a change slipped into an Art. 34
// confirmation between its read of the incident and its write.
import assert from 'node:assert/strict';
import { before } from 'node:test';
import { orderBody } from '../collection/fixtures.js';
import { callAs, csrfOf, serviceCaller, staffCaller } from './auth.js';
import type { TestEnv } from './env.js';

/** A logged-in staff member (cookie and bearer). */
export type Staff = Awaited<ReturnType<typeof staffCaller>>;

/** The English Art. 34 message of the tests (no advice), whose facts the incidents are recorded with. */
export const EN = {
  lang: 'en-US',
  subject: 'Your address was exposed',
  whatHappened: 'A courier lost a box of printed packing slips.',
  consequences: 'Someone could send you mail pretending to be us.',
  measures: 'We changed courier.',
} as const;

/**
 * The staff of a test file, logged in before its tests: a privacy officer and one member of each of
 * `roles` (in that order). Read them inside the tests.
 */
export function staffBefore(env: () => TestEnv, roles: readonly string[] = []) {
  const staff = { officer: undefined as unknown as Staff, others: [] as Staff[] };
  before(async () => {
    staff.officer = await staffCaller(env(), ['privacy_officer']);
    for (const role of roles) staff.others.push(await staffCaller(env(), [role]));
  });
  return staff as { readonly officer: Staff; readonly others: readonly Staff[] };
}

/** Orders posted by the shop backend with its API key (each a person with a postal address): 201 each. */
export async function placeOrders(
  env: TestEnv,
  numbers: readonly string[],
  extra: Parameters<typeof orderBody>[1] = {},
): Promise<void> {
  const shop = await serviceCaller(env);
  for (const n of numbers) {
    const made = await callAs(env, shop, 'POST', '/v1/orders', orderBody(n, extra));
    assert.equal(made.status, 201, JSON.stringify(made.body));
  }
}

/** An incident of customers' data of `categories`, recorded through the API by `officer`: its id. */
export async function recordIncident(
  env: TestEnv,
  officer: Staff,
  categories: readonly string[] = ['contact.postal_address'],
): Promise<string> {
  const made = await callAs(env, officer, 'POST', '/v1/incidents', {
    summary: EN.whatHappened,
    dataCategories: categories,
    subjectKinds: ['customer'],
    consequences: EN.consequences,
    measures: EN.measures,
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  return made.body.id as string;
}

/** The incident decided a high risk through the API by `officer`. */
export async function decideHighRisk(env: TestEnv, officer: Staff, id: string, reason = 'r'): Promise<void> {
  const risk = await callAs(env, officer, 'POST', `/v1/incidents/${id}/risk`, { level: 'high', reason });
  assert.equal(risk.status, 200, JSON.stringify(risk.body));
}

/** recordIncident, then decideHighRisk: the id of an incident Art. 34 applies to. */
export async function highRiskIncident(
  env: TestEnv,
  officer: Staff,
  categories: readonly string[] = ['contact.postal_address'],
): Promise<string> {
  const id = await recordIncident(env, officer, categories);
  await decideHighRisk(env, officer, id);
  return id;
}

/**
 * An incident of customers' data of `categories` with the facts of `draft`, recorded and decided a
 * high risk through the service (no HTTP, no access control) by the officer `officer-1`: its id.
 */
export async function highRiskThroughService(
  env: TestEnv,
  draft: { readonly whatHappened: string; readonly consequences: string; readonly measures: string },
  { categories = ['contact.postal_address'], reason = 'Home addresses' } = {},
): Promise<string> {
  const inc = await env.services.incidents.record(
    {
      summary: draft.whatHappened,
      dataCategories: categories,
      subjectKinds: ['customer'],
      consequences: draft.consequences,
      measures: draft.measures,
    },
    { staffId: 'officer-1', privacyOfficer: true },
  );
  await env.services.incidents.decideRisk(inc.id, 'high', reason, 'officer-1');
  return inc.id;
}

/**
 * A console form posted by `who` with its cookie: with the session's anti-forgery token unless
 * `csrf` says another (null: none), from the same origin unless `site` says otherwise.
 */
export function consoleForm(
  env: TestEnv,
  who: Staff,
  url: string,
  fields: Record<string, string>,
  { csrf = csrfOf(who.token), site = 'same-origin' }: { csrf?: string | null; site?: string } = {},
) {
  return env.app.inject({
    method: 'POST',
    url,
    headers: {
      ...who.headers,
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': site,
    },
    payload: new URLSearchParams(csrf === null ? fields : { _csrf: csrf, ...fields }).toString(),
  });
}

/**
 * Confirms the message `versions` of incident `id` as `officer` through the service, running
 * `meanwhile` once between the confirmation's reading of the incident and its write: the confirmation
 * must be refused (VOW_INCIDENT_STATE) and nothing queued.
 */
export async function confirmationRefusedAfter(
  env: TestEnv,
  id: string,
  versions: readonly object[],
  officer: Staff,
  meanwhile: (incidentId: string) => Promise<unknown>,
): Promise<void> {
  const incidents = env.services.incidents;
  const get = incidents.get.bind(incidents);
  let once = false;
  incidents.get = async (iid: string) => {
    const view = await get(iid);
    if (!once) {
      once = true;
      await meanwhile(iid);
    }
    return view;
  };
  try {
    await assert.rejects(
      env.services.incidentNotices.queue(
        id,
        versions.map((v) => ({ advice: '', ...v }) as never),
        officer.staffId,
      ),
      { code: 'VOW_INCIDENT_STATE' },
    );
  } finally {
    incidents.get = get;
  }
  assert.equal(await env.services.incidentNotices.progress(id), null, 'nothing queued');
}
