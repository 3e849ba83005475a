// Logging in for tests that run with real access control (createTestEnv(dialect, { auth: 'enforced' })):
// staff members with chosen roles, shopper accounts, API keys, each with the headers to send.
import type { LightMyRequestResponse } from 'fastify';
import { csrfTokenFor, SESSION_COOKIE } from '../../src/modules/identity/sessions.js';
import type { TestEnv } from './env.js';

export interface Caller {
  /** Headers for a GET. */
  readonly headers: Record<string, string>;
  /** Headers for a write (adds the CSRF token when the caller uses a cookie). */
  readonly writeHeaders: Record<string, string>;
}

/** One API call as `who` (its write headers for anything but a GET): the status and the JSON body. */
export async function callAs(
  env: TestEnv,
  who: Caller,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers of every shape
): Promise<{ status: number; body: Record<string, any> }> {
  const res = await env.app.inject({
    method,
    url,
    headers: method === 'GET' ? who.headers : who.writeHeaders,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.json() };
}

export function cookieFrom(res: LightMyRequestResponse, name: string): string | undefined {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  for (const c of list) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m) return decodeURIComponent(m[1]!);
  }
  return undefined;
}

/** The anti-forgery token of a session (what its pages embed), for writes made with its cookie. */
export function csrfOf(sessionToken: string): string {
  return csrfTokenFor(sessionToken);
}

function cookieCaller(name: string, token: string): Caller {
  const headers = { cookie: `${name}=${encodeURIComponent(token)}` };
  return { headers, writeHeaders: { ...headers, 'x-csrf-token': csrfTokenFor(token) } };
}

let counter = 0;
export const STAFF_PASSWORD = 'correct horse battery staple';

/** A staff member holding `roles`, past the first-login password change, logged in by cookie. */
export async function staffCaller(
  env: TestEnv,
  roles: string[],
): Promise<Caller & { staffId: string; username: string; token: string; bearer: Caller }> {
  const username = `staff${++counter}-${roles.join('-').replace(/_/g, '')}`.slice(0, 60);
  const { staff } = env.services.identity;
  const { id, password } = await staff.add(username, roles, null);
  await staff.changePassword(id, password, STAFF_PASSWORD);
  const res = await env.app.inject({
    method: 'POST',
    url: '/staff/login',
    payload: { username, password: STAFF_PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`staff login failed: ${res.statusCode} ${res.body}`);
  const token = cookieFrom(res, SESSION_COOKIE.staff)!;
  const bearerRes = await env.app.inject({
    method: 'POST',
    url: '/v1/staff/tokens',
    payload: { username, password: STAFF_PASSWORD },
  });
  const bearerToken = bearerRes.json().token as string;
  const bearer = {
    headers: { authorization: `Bearer ${bearerToken}` },
    writeHeaders: { authorization: `Bearer ${bearerToken}` },
  };
  return { ...cookieCaller(SESSION_COOKIE.staff, token), staffId: id, username, token, bearer };
}

export const SHOPPER_PASSWORD = 'my very own long password';

/**
 * A shopper account for `email`, its email confirmed (linked to the subject with that email when
 * the subjects module knows one), logged in by cookie.
 */
export async function shopperCaller(
  env: TestEnv,
  email: string,
): Promise<Caller & { accountId: string; subjectId: string | null; token: string }> {
  const { accounts } = env.services.identity;
  const reg = await env.app.inject({
    method: 'POST',
    url: '/account/register',
    payload: { email, password: SHOPPER_PASSWORD },
  });
  if (reg.statusCode !== 202) throw new Error(`register failed: ${reg.statusCode} ${reg.body}`);
  const accountId = (await accounts.resetRecipient(email))!.accountId;
  // Confirmed with the emailed link and the account's password (both needed), then logged in.
  const verifyToken = await accounts.issueToken(accountId, 'verify_email');
  const verified = await env.app.inject({
    method: 'POST',
    url: '/account/verify',
    payload: { token: verifyToken, password: SHOPPER_PASSWORD },
  });
  if (verified.statusCode !== 200) throw new Error(`verify failed: ${verified.statusCode} ${verified.body}`);
  const login = await env.app.inject({
    method: 'POST',
    url: '/login',
    payload: { email, password: SHOPPER_PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  const view = await accounts.view(accountId);
  const token = cookieFrom(login, SESSION_COOKIE.shopper)!;
  return {
    ...cookieCaller(SESSION_COOKIE.shopper, token),
    accountId,
    subjectId: view?.subjectId ?? null,
    token,
  };
}

/** An API key of the shop backend (every scope unless given some). */
export async function serviceCaller(
  env: TestEnv,
  scopes: readonly string[] = ['all'],
): Promise<Caller & { keyId: string; key: string }> {
  const { id, key } = await env.services.identity.apiKeys.create('test shop', null, scopes);
  const headers = { authorization: `Bearer ${key}` };
  return { headers, writeHeaders: headers, keyId: id, key };
}

/**
 * A shopper account made through the identity service, not the pages: registered, its email
 * confirmed, then logged in once from 127.0.0.1 (a session in the store); its id.
 */
export async function accountThroughService(env: TestEnv, email: string): Promise<string> {
  const password = 'a long enough password 1';
  const { accounts } = env.services.identity;
  const { accountId } = await accounts.register(email, password);
  await accounts.verifyEmail(await accounts.issueToken(accountId, 'verify_email'), password, (m: string) =>
    env.services.subjects.findByEmail(m),
  );
  await accounts.login(email, password, '127.0.0.1');
  return accountId;
}
