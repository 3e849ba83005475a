// Staff console pages read in tests, as a browser gets them (HTML), without a browser.
import { staffCaller } from './auth.js';
import type { TestEnv } from './env.js';

/** The page's <main> (what the page says, without the shell's menu and header). */
export function mainOf(body: string): string {
  return /<main[\s\S]*<\/main>/.exec(body)?.[0] ?? '';
}

/** GET `url` as a browser of a new staff member holding `roles`: the status and the page's <main>. */
export async function consolePageAs(
  env: TestEnv,
  url: string,
  roles: string[],
): Promise<{ status: number; main: string }> {
  const who = await staffCaller(env, roles);
  const res = await env.app.inject({ method: 'GET', url, headers: { ...who.headers, accept: 'text/html' } });
  return { status: res.statusCode, main: mainOf(res.body) };
}
