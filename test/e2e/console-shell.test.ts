// Every staff page wears the one console shell: for each role, every staff HTML page it may open
// (walked from the declared routes, so a new page is covered without editing this test) and every
// page a console form answers with carries the console stylesheet and exactly the menu its roles
// open, in order, and no other menu. The log-in page has the shell with an empty menu, and so has
// the password page while the one-time password is still to be replaced. No staff page is cached.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { declaredRoutes } from '../../src/http/access.js';
import { catalogBody } from '../collection/fixtures.js';
import { cookieFrom, serviceCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import { fixture } from '../imports/fixtures.js';

type StaffCaller = Awaited<ReturnType<typeof staffCaller>>;
/** What to post to a console form and the status of the page it answers with, or why it shows none. */
type FormAnswer = [url: string, values: Record<string, string>, status: number] | string;

const STYLESHEETS = ['/assets/vow.css', '/assets/console.css'];
const NOTICE = '/privacy';

/** The menu each role sees, in order (the notice first, as on every page). */
const MENUS: Record<string, string[]> = {
  privacy_officer: [
    '/staff',
    '/staff/people',
    '/staff/requests',
    '/staff/complaints',
    '/staff/suppressions',
    '/staff/under13',
    '/staff/appeals',
    '/staff/incidents',
    '/staff/audiences',
    '/staff/experiments',
    '/staff/reports',
    '/staff/audit',
    '/staff/records-of-processing',
    '/staff/accounts',
    '/staff/api-keys',
    '/staff/downstream',
    '/staff/webhooks',
    '/staff/imports',
    '/staff/policy',
  ],
  customer_service: [
    '/staff',
    '/staff/people',
    '/staff/requests',
    '/staff/complaints',
    '/staff/suppressions',
  ],
  marketing: ['/staff', '/staff/audiences', '/staff/experiments', '/staff/reports'],
  auditor: ['/staff', '/staff/audit', '/staff/records-of-processing'],
  admin: [
    '/staff',
    '/staff/accounts',
    '/staff/api-keys',
    '/staff/webhooks',
    '/staff/imports',
    '/staff/policy',
  ],
};

/** The menu's links and the stylesheets of a page, as the browser reads them. */
function shellOf(body: string): { menus: number; menu: string[]; stylesheets: string[] } {
  const head = /<head>([\s\S]*?)<\/head>/.exec(body)?.[1] ?? '';
  const navs = [...body.matchAll(/<nav aria-label="Main">([\s\S]*?)<\/nav>/g)];
  return {
    menus: navs.length,
    menu: [...(navs[0]?.[1] ?? '').matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!),
    stylesheets: [...head.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]!),
  };
}

/**
 * The shell of a console page: the menu, the stylesheets, the brand leading to the console's home and
 * the footer speaking to staff; with `username`, who is signed in and the log-out in the header (the
 * way out on every page, not only at the foot of the dashboard).
 */
function assertShell(body: string, menu: string[], where: string, username?: string): void {
  assert.deepEqual(shellOf(body), { menus: 1, menu: [NOTICE, ...menu], stylesheets: STYLESHEETS }, where);
  assert.match(body, /<a class="brand" href="\/staff"/, `${where}: the brand leads to the console`);
  const footer = /<footer class="site">([\s\S]*?)<\/footer>/.exec(body)?.[1] ?? '';
  assert.match(footer, /Shoppers reach .+'s privacy team at/, `${where}: the footer speaks to staff`);
  assert.doesNotMatch(footer, /Questions about your privacy/, where);
  const header = /<header class="site">([\s\S]*?)<\/header>/.exec(body)?.[1] ?? '';
  const account =
    /<form class="console-account" method="post" action="\/staff\/logout"[^>]*>([\s\S]*?)<\/form>/.exec(
      header,
    );
  if (username === undefined) {
    assert.equal(account, null, `${where}: no log-out before log-in`);
    return;
  }
  assert.ok(account, `${where}: the header's log-out`);
  assert.match(account[1]!, new RegExp(`Signed in as <strong><bdi>${username}</bdi></strong>`), where);
  assert.match(account[1]!, /<input type="hidden" name="_csrf" value="[^"]+">/, `${where}: its token`);
}

function form(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

describeEachDialect(
  'the one console shell',
  (env) => {
    const callers: Record<string, StaffCaller> = {};
    /** A concrete URL for each staff page with a parameter. */
    const examples: Record<string, string> = {};
    let subjectId = '';

    before(async () => {
      for (const role of Object.keys(MENUS)) callers[role] = await staffCaller(env(), [role]);
      const { rights, complaints } = env().services;
      const request = await rights.submit(
        { type: 'access', jurisdiction: 'eea', email: 'shell.request@example.com' },
        { channel: 'email', staffId: 'demo', receivedOn: '2026-01-05' },
      );
      const complaint = await complaints.submit(
        { jurisdiction: 'eea', email: 'shell.complaint@example.com', message: 'Stop the catalog.' },
        { channel: 'web' },
      );
      const experiment = await env().app.inject({
        method: 'POST',
        url: '/v1/experiments',
        headers: callers.marketing!.bearer.writeHeaders,
        payload: {
          id: 'shell-hero',
          name: 'Hero image',
          variants: [
            { id: 'control', weight: 1 },
            { id: 'b', weight: 1 },
          ],
        },
      });
      assert.equal(experiment.statusCode, 201, experiment.body);
      const service = await serviceCaller(env());
      const person = await env().app.inject({
        method: 'POST',
        url: '/v1/catalog-requests',
        headers: service.writeHeaders,
        payload: catalogBody('Shell'),
      });
      assert.equal(person.statusCode, 201, person.body);
      subjectId = person.json().subjectId;
      examples['/staff/requests/:id'] = `/staff/requests/${request.requestId}`;
      examples['/staff/complaints/:id'] = `/staff/complaints/${complaint.view.id}`;
      const incident = await env().services.incidents.record(
        {
          summary: 'A box of packing slips was lost.',
          dataCategories: ['identity.name'],
          subjectKinds: ['customer'],
        },
        { staffId: 'demo', privacyOfficer: true },
      );
      examples['/staff/incidents/:id'] = `/staff/incidents/${incident.id}`;
      const highRisk = await env().services.incidents.record(
        {
          summary: 'Order backups were readable.',
          dataCategories: ['contact.email'],
          subjectKinds: ['customer'],
        },
        { staffId: 'demo', privacyOfficer: true },
      );
      await env().services.incidents.decideRisk(highRisk.id, 'high', 'Emails for phishing', 'demo');
      examples['/staff/incidents/:id/notify'] = `/staff/incidents/${highRisk.id}/notify`;
      examples['/staff/experiments/:id'] = '/staff/experiments/shell-hero';
      const imported = await env().services.imports.run({
        file: fixture('shopify-customers.csv'),
        format: 'shopify-customers',
      });
      examples['/staff/imports/:id'] = `/staff/imports/${imported.runId}`;
    });

    const get = (url: string, who?: StaffCaller) =>
      env().app.inject({ method: 'GET', url, headers: { ...who?.headers, accept: 'text/html' } });

    it('serves the console stylesheet', async () => {
      const css = await get('/assets/console.css');
      assert.equal(css.statusCode, 200);
      assert.match(css.headers['content-type'] as string, /^text\/css/);
    });

    it('gives every staff page each role opens the console stylesheet and that role’s menu', async () => {
      const pages = declaredRoutes(env().app)
        // GET /staff/session and /staff/session/state answer console-idle.js in JSON (console-idle.test.ts).
        .filter((r) => r.method === 'GET' && (r.url === '/staff' || r.url.startsWith('/staff/')))
        .filter((r) => r.url !== '/staff/session' && r.url !== '/staff/session/state')
        // A download is a file, not a page (without-email.csv: test/incidents/without-email.test.ts).
        .filter((r) => !r.url.endsWith('.csv'))
        .map((r) => r.url);
      assert.ok(pages.length >= 12, `only ${pages.length} staff pages`);
      const opened = new Set<string>();
      for (const pattern of pages) {
        const url = pattern.includes(':') ? examples[pattern] : pattern;
        assert.ok(url, `${pattern} is a new staff page: give it an example URL in this test`);
        for (const [role, menu] of Object.entries(MENUS)) {
          const res = await get(url, callers[role]);
          if (res.statusCode === 403) continue;
          assert.equal(res.statusCode, 200, `${role} ${url}: ${res.body.slice(0, 200)}`);
          assert.match(res.headers['content-type'] as string, /^text\/html/, url);
          // Staff pages can hold personal data and carry form tokens: never kept by a cache.
          assert.equal(res.headers['cache-control'], 'no-store', url);
          // The log-in page is the same for everyone: nobody is logged in on it as far as it knows.
          if (url === '/staff/login') assertShell(res.body, [], `${role} ${url}`);
          else assertShell(res.body, menu, `${role} ${url}`, callers[role]!.username);
          opened.add(pattern);
        }
      }
      assert.deepEqual(
        pages.filter((p) => !opened.has(p)),
        [],
        'every staff page is opened by some role',
      );
    });

    it('shows no menu before log-in, nor while the one-time password is still to be replaced', async () => {
      const login = await get('/staff/login');
      assert.equal(login.statusCode, 200);
      assertShell(login.body, [], 'the log-in page');
      const { password } = await env().services.identity.staff.add('shell-newcomer', ['auditor'], null);
      const res = await env().app.inject({
        method: 'POST',
        url: '/staff/login',
        payload: { username: 'shell-newcomer', password },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().mustChangePassword, true);
      const cookie = `vow_staff=${encodeURIComponent(cookieFrom(res, 'vow_staff')!)}`;
      const page = await env().app.inject({
        method: 'GET',
        url: '/staff/password',
        headers: { cookie, accept: 'text/html' },
      });
      assert.equal(page.statusCode, 200);
      assertShell(page.body, [], 'the password page before the first password');
    });

    it('answers every console form that shows a page with the same shell', async () => {
      const officer = callers.privacy_officer!;
      const post = (url: string, values: Record<string, string>) =>
        env().app.inject({
          method: 'POST',
          url,
          headers: { cookie: officer.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
          payload: form({ _csrf: officer.writeHeaders['x-csrf-token']!, ...values }),
        });
      // Each console form, with what to post and the status its page answers with. The forms
      // that answer with a redirect (to a page walked above) are named with the reason.
      const answers: Record<string, FormAnswer> = {
        '/staff/login': 'a separate check below: it is posted without a session',
        '/staff/logout': 'redirects to the log-in page',
        '/staff/session': "answers JSON to the idle warning's Stay signed in (console-idle.test.ts)",
        '/staff/promises/check': 'redirects to the dashboard',
        '/staff/password': ['/staff/password', { current: 'not my password', password: 'x'.repeat(12) }, 401],
        '/staff/people': ['/staff/people', { email: 'nobody.shell@example.com' }, 404],
        '/staff/requests': ['/staff/requests', { q: 'shell', show: 'all' }, 200],
        '/staff/people/suppress': [
          '/staff/people/suppress',
          { subjectId, channel: 'postal_marketing', reason: 'asked on the phone', confirmed: 'yes' },
          200,
        ],
        '/staff/people/under13': [
          '/staff/people/under13',
          { subjectId, reason: 'said so on the phone', confirmed: 'yes' },
          202,
        ],
        '/staff/under13/decide': [
          '/staff/under13/decide',
          { proposalId: 'no-such-proposal', decision: 'reject', confirmed: 'yes' },
          404,
        ],
        '/staff/appeals/decide': [
          '/staff/appeals/decide',
          { appealId: 'no-such-appeal', outcome: 'upheld', reasons: 'not found' },
          404,
        ],
        '/staff/log-request': [
          '/staff/log-request',
          { type: 'access', jurisdiction: 'eea', channel: 'postal', receivedOn: '2099-01-01' },
          400,
        ],
        // Irreversible actions answer their confirmation step; done ones redirect (303).
        '/staff/requests/:id': [
          examples['/staff/requests/:id']!,
          { action: 'deny', basis: 'Art. 12(5)' },
          200,
        ],
        '/staff/complaints/:id': [examples['/staff/complaints/:id']!, { action: 'close' }, 200],
        '/staff/incidents': ['/staff/incidents', { summary: 'Lost slips', dataCategories: 'no.such' }, 400],
        '/staff/incidents/:id': [examples['/staff/incidents/:id']!, { action: 'close' }, 200],
        '/staff/incidents/:id/us-states': [
          `${examples['/staff/incidents/:id']!}/us-states`,
          { action: 'residents', residents: 'WI many' },
          400,
        ],
        '/staff/incidents/:id/notify': [
          examples['/staff/incidents/:id/notify']!,
          {
            step: 'preview',
            subject: 'S',
            whatHappened: 'W',
            consequences: 'C',
            measures: 'M',
            // The test policy is published in Spanish too: the message needs that version.
            'subject.es-US': 'S',
            'whatHappened.es-US': 'W',
            'consequences.es-US': 'C',
            'measures.es-US': 'M',
          },
          200,
        ],
        '/staff/audit/verify': ['/staff/audit/verify', {}, 200],
        '/staff/accounts': ['/staff/accounts', { username: 'shell-added', roles: 'auditor' }, 201],
        '/staff/accounts/roles': 'redirects to the staff accounts page',
        '/staff/accounts/state': ['/staff/accounts/state', { username: 'shell-added', disabled: 'yes' }, 200],
        '/staff/api-keys': ['/staff/api-keys', { name: 'shell key', scopes: 'decide' }, 201],
        '/staff/api-keys/revoke': ['/staff/api-keys/revoke', { id: 'no-such-key' }, 404],
        '/staff/webhooks/retry': ['/staff/webhooks/retry', { deliveryId: 'no-such-delivery' }, 404],
        '/staff/policy/check': ['/staff/policy/check', { yaml: 'vow_policy: 1\n' }, 200],
        '/staff/downstream/complete': [
          '/staff/downstream/complete',
          { taskId: 'no-such-task', outcome: 'done', evidence: 'confirmed by email' },
          404,
        ],
      };
      const forms = declaredRoutes(env().app)
        .filter((r) => r.method === 'POST' && r.url.startsWith('/staff/'))
        .map((r) => r.url);
      for (const pattern of forms) {
        const answer = answers[pattern];
        assert.ok(answer, `${pattern} is a new console form: say in this test what it answers`);
        if (typeof answer === 'string') continue;
        const [url, values, status] = answer;
        const res = await post(url, values);
        assert.equal(res.statusCode, status, `${url}: ${res.body.slice(0, 300)}`);
        assertShell(res.body, MENUS.privacy_officer!, `POST ${url}`, officer.username);
      }
    });

    it('answers a refused log-in with the log-in page in the shell', async () => {
      const page = await get('/staff/login');
      assert.equal(page.headers['set-cookie'], undefined, 'the log-in page sets no cookie');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const res = await env().app.inject({
        method: 'POST',
        url: '/staff/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: token, username: 'nobody-at-all', password: 'wrong password' }),
      });
      assert.equal(res.statusCode, 401, res.body);
      assertShell(res.body, [], 'the refused log-in');
    });
  },
  { auth: 'enforced', rateLimits: false },
);
