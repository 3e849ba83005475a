// The staff console's pages over HTTP with real access control: each role reaches only its pages,
// people are looked up by POST (nothing personal in a URL), every form needs its CSRF token,
// suppression, the promise table, the audit trail's verification and staff accounts.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { giftRecipient, orderBody } from '../collection/fixtures.js';
import { serviceCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

type StaffCaller = Awaited<ReturnType<typeof staffCaller>>;

const CATALOG = {
  first_name: 'Nora',
  last_name: 'Lookup',
  postal_address: {
    line1: '7 Birch Road',
    city: 'Madison',
    region: 'WI',
    postal_code: '53703',
    country: 'US',
  },
  email: 'nora.lookup@example.com',
  relationship_status: 'engaged',
  jewelry_types: ['engagement_ring'],
  budget: '1000_2000',
  age_range: '25_34',
  residence_type: 'urban',
};

function form(values: Record<string, string | string[]>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) for (const one of [v].flat()) p.append(k, one);
  return p.toString();
}

describeEachDialect(
  'staff console pages',
  (env) => {
    let officer: StaffCaller;
    let support: StaffCaller;
    let marketing: StaffCaller;
    let auditor: StaffCaller;
    let admin: StaffCaller;
    let subjectId = '';
    let buyerId = '';

    before(async () => {
      [officer, support, marketing, auditor, admin] = await Promise.all([
        staffCaller(env(), ['privacy_officer']),
        staffCaller(env(), ['customer_service']),
        staffCaller(env(), ['marketing']),
        staffCaller(env(), ['auditor']),
        staffCaller(env(), ['admin']),
      ]);
      const service = await serviceCaller(env());
      const res = await env().app.inject({
        method: 'POST',
        url: '/v1/catalog-requests',
        headers: service.writeHeaders,
        payload: CATALOG,
      });
      assert.equal(res.statusCode, 201, res.body);
      subjectId = res.json().subjectId;
      const base = orderBody('PH1');
      const order = await env().app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: service.writeHeaders,
        payload: { ...base, buyer: { ...base.buyer, phone: '(608) 555-0142' } },
      });
      assert.equal(order.statusCode, 201, order.body);
      buyerId = order.json().subjectId;
    });

    const get = (url: string, who: StaffCaller) =>
      env().app.inject({ method: 'GET', url, headers: { ...who.headers, accept: 'text/html' } });
    const post = (url: string, who: StaffCaller, values: Record<string, string | string[]>, csrf = true) =>
      env().app.inject({
        method: 'POST',
        url,
        headers: {
          cookie: who.headers.cookie!,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: form(csrf ? { _csrf: who.writeHeaders['x-csrf-token']!, ...values } : values),
      });

    it('shows each role only the navigation entries and pages its role opens', async () => {
      const expectations: [StaffCaller, string[], string[]][] = [
        [officer, ['/staff/people', '/staff/audiences', '/staff/audit', '/staff/accounts'], []],
        [
          support,
          ['/staff/people', '/staff/requests'],
          ['/staff/audiences', '/staff/audit', '/staff/accounts'],
        ],
        [
          marketing,
          ['/staff/audiences', '/staff/reports'],
          ['/staff/people', '/staff/audit', '/staff/accounts'],
        ],
        [auditor, ['/staff/audit'], ['/staff/people', '/staff/audiences', '/staff/accounts']],
        [admin, ['/staff/accounts'], ['/staff/people', '/staff/audiences', '/staff/audit']],
      ];
      for (const [who, may, mayNot] of expectations) {
        const home = await get('/staff', who);
        assert.equal(home.statusCode, 200, who.username);
        const nav = /<nav aria-label="Main">([\s\S]*?)<\/nav>/.exec(home.body)?.[1] ?? '';
        for (const url of may) {
          assert.ok(nav.includes(`href="${url}"`), `${who.username} has ${url} in the navigation`);
          assert.equal((await get(url, who)).statusCode, 200, `${who.username} opens ${url}`);
        }
        for (const url of mayNot) {
          assert.ok(!nav.includes(`href="${url}"`), `${who.username} has no ${url} in the navigation`);
          assert.equal((await get(url, who)).statusCode, 403, `${who.username} is refused ${url}`);
        }
      }
      // Looking someone up is refused to marketing even when posted directly.
      const refused = await post('/staff/people', marketing, { email: CATALOG.email });
      assert.equal(refused.statusCode, 403);
      assert.doesNotMatch(refused.body, /nora/i);
    });

    it('finds a person by the email typed into the form and shows their values, consent history and the look-up in the audit trail', async () => {
      const res = await post('/staff/people', support, { email: ' Nora.Lookup@Example.com ', phone: '' });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, /<code data-testid="person-id">([^<]+)<\/code>/);
      assert.ok(res.body.includes(subjectId));
      assert.ok(res.body.includes('nora.lookup@example.com'));
      assert.ok(res.body.includes('7 Birch Road'));
      assert.match(
        res.body,
        /data-testid="person-consent-history"[\s\S]*email_marketing<\/strong>: enrolled/,
      );
      assert.equal(res.headers['cache-control'], 'no-store');
      const audit = await env().ctx.audit.list({ targetType: 'subject', targetId: subjectId });
      const viewed = audit.filter((a) => a.action === 'person.viewed');
      assert.equal(viewed.length, 1);
      assert.equal(viewed[0]!.actor_id, support.staffId);
      assert.deepEqual(JSON.parse(viewed[0]!.details), { by: 'email' });
    });

    it('finds a person by phone in any common notation', async () => {
      const res = await post('/staff/people', support, { email: '', phone: '+1 608-555-0142' });
      assert.equal(res.statusCode, 200, res.body);
      assert.ok(res.body.includes(buyerId));
      assert.ok(res.body.includes('+16085550142'));
      assert.ok(!res.body.includes(subjectId), 'not the other person');
    });

    it('finds the buyer by the number of an order they placed, as a customer quotes it, and audits the look-up by order', async () => {
      for (const order of ['SO-PH1', ' #SO-PH1 ']) {
        const res = await post('/staff/people', support, { email: '', phone: '', order });
        assert.equal(res.statusCode, 200, res.body);
        assert.ok(res.body.includes(buyerId), order);
      }
      const audit = await env().ctx.audit.list({ targetType: 'subject', targetId: buyerId });
      const byOrder = audit.filter(
        (a) => a.action === 'person.viewed' && JSON.parse(a.details).by === 'order',
      );
      assert.equal(byOrder.length, 2);
      // Exactly as the shop numbered it: another case or an unknown number finds no one.
      for (const order of ['so-ph1', 'SO-NOPE']) {
        const none = await post('/staff/people', support, { order });
        assert.equal(none.statusCode, 404);
        assert.match(none.body, /No one is known by that order number\./);
        assert.ok(!none.body.includes(buyerId));
      }
      // Marketing may not look anyone up, by order either.
      assert.equal((await post('/staff/people', marketing, { order: 'SO-PH1' })).statusCode, 403);
      // An erased buyer's order number finds no one.
      const placed = await env().app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: (await serviceCaller(env())).writeHeaders,
        payload: orderBody('ER1'),
      });
      assert.equal(placed.statusCode, 201, placed.body);
      assert.equal((await post('/staff/people', support, { order: 'SO-ER1' })).statusCode, 200);
      const erased = placed.json().subjectId as string;
      // Deleted through a request made signed in (verified by the session), its job run to the end.
      const { rights, jobs } = env().services;
      const request = await rights.submit(
        { type: 'deletion', jurisdiction: 'eea', email: orderBody('ER1').buyer.email },
        { channel: 'account', sessionSubjectId: erased },
      );
      await jobs.drain();
      assert.equal((await rights.get(request.requestId)).status, 'completed');
      const gone = await post('/staff/people', support, { order: 'SO-ER1' });
      assert.equal(gone.statusCode, 404);
      assert.match(
        gone.body,
        /That order&#39;s buyer had their data deleted: Vow keeps only the order&#39;s history \(items, totals, dates\) under the exemption &quot;Data necessary to service our customers&quot;/,
      );
      assert.ok(!gone.body.includes(erased), 'no page of the erased person');
      // Their page (by Vow's id, as an under-13 report links it) says they were deleted and offers
      // no suppression, which would be refused (nothing more is stored for them).
      const page = await post('/staff/people', support, { subjectId: erased });
      assert.equal(page.statusCode, 200);
      assert.match(
        page.body,
        /data-testid="person-erased"[^>]*><strong>This person's data was deleted\.<\/strong>/,
      );
      assert.doesNotMatch(page.body, /data-testid="suppress-form"/);
      assert.match(page.body, /Nothing to remove: a deleted person is on no mailing\./);
      // A living person's page has neither the notice nor the sentence.
      const living = await post('/staff/people', support, { subjectId: buyerId });
      assert.doesNotMatch(living.body, /person-erased|Nothing to remove/);
      assert.match(living.body, /data-testid="suppress-form"/);
      assert.ok(!gone.body.includes(erased));
    });

    it("lists a person's orders: the buyer's with items and total, a gift recipient's with the number and day only", async () => {
      const service = await serviceCaller(env());
      const placed = await env().app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: service.writeHeaders,
        payload: orderBody('GF1', {
          items: [
            { sku: 'RING-1', quantity: 2, unit_price_cents: 50000 },
            { sku: 'STUD-1', quantity: 1, unit_price_cents: 29900 },
          ],
          total_cents: 129900,
          gift_recipient: giftRecipient('GF1'),
        }),
      });
      assert.equal(placed.statusCode, 201, placed.body);
      const buyer = await post('/staff/people', support, { order: 'SO-GF1' });
      const rows = /data-testid="person-orders"[\s\S]*?<\/table>/.exec(buyer.body)?.[0] ?? '';
      assert.match(
        rows,
        /<code>SO-GF1<\/code>[\s\S]*?buyer<\/td><td data-label="Items">3 items<\/td><td data-label="Total">\$1,299\.00<\/td>/,
      );
      // What we hold names the order an identifier came with by its number too.
      const held = /data-testid="person-identifiers"[\s\S]*?<\/table>/.exec(buyer.body)?.[0] ?? '';
      assert.match(held, /checkout <span class="small">order <code>SO-GF1<\/code><\/span>/);
      const gift = await post('/staff/people', support, { email: giftRecipient('GF1').email });
      assert.equal(gift.statusCode, 200, gift.body);
      const giftRows = /data-testid="person-orders"[\s\S]*?<\/table>/.exec(gift.body)?.[0] ?? '';
      assert.match(giftRows, /<code>SO-GF1<\/code>[\s\S]*?gift recipient/);
      assert.doesNotMatch(giftRows, /\$1,299|3 items/, "what the buyer paid is not the recipient's");
      // Someone with no order.
      const none = await post('/staff/people', support, { email: CATALOG.email });
      assert.match(none.body, /<h2 id="orders-h">Orders<\/h2>\s*<p class="empty">No orders\.<\/p>/);
    });

    it('accepts a staff bearer token on the console forms without a CSRF token (scripts and curl)', async () => {
      const res = await env().app.inject({
        method: 'POST',
        url: '/staff/people',
        headers: { ...support.bearer.headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ email: CATALOG.email }),
      });
      assert.equal(res.statusCode, 200);
      assert.ok(res.body.includes(subjectId));
      const refused = await env().app.inject({
        method: 'POST',
        url: '/staff/people',
        headers: { ...marketing.bearer.headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ email: CATALOG.email }),
      });
      assert.equal(refused.statusCode, 403);
      // The bodiless buttons too, as the README's curl examples send them.

      const verify = await env().app.inject({
        method: 'POST',
        url: '/staff/audit/verify',
        headers: auditor.bearer.headers,
      });
      assert.equal(verify.statusCode, 200);
      assert.match(verify.body, /data-testid="audit-verify" data-ok="yes"/);
      // The entries' details read as words: a list "a, b", never JSON's ["a","b"] in one unbreakable
      // run that widened the table past the screen.
      await env().ctx.audit.record({
        actor: { type: 'system' },
        action: 'staff.account.created',
        details: { roles: ['privacy_officer', 'auditor'], counts: { erased: 2, kept: 1 } },
      });
      const trail = await get('/staff/audit', auditor);
      const cells = [
        ...trail.body.matchAll(/<td data-label="Details" class="small values">([^<]*)<\/td>/g),
      ].map((m) => m[1]!);
      assert.equal(
        cells[0],
        'counts={&quot;erased&quot;:2, &quot;kept&quot;:1} roles=privacy_officer, auditor',
      );
      assert.deepEqual(
        cells.filter((c) => /\[&quot;|&quot;,&quot;/.test(c)),
        [],
      );
    });

    it('logs a request received by post from the form, dated the day the letter came, and opens its page', async () => {
      const before = (await env().services.rights.queue()).length;
      const future = await post('/staff/log-request', support, {
        type: 'deletion',
        jurisdiction: 'us-ca',
        channel: 'postal',
        receivedOn: '2099-01-01',
        name: 'Pat Letter',
        email: '',
      });
      assert.equal(future.statusCode, 400);
      assert.match(future.body, /Not logged/);
      assert.match(future.body, /value="Pat Letter"/, 'the form keeps what was typed');
      assert.equal((await env().services.rights.queue()).length, before, 'nothing was logged');
      const res = await post('/staff/log-request', support, {
        type: 'deletion',
        jurisdiction: 'us-ca',
        channel: 'postal',
        receivedOn: '2026-01-05',
        name: 'Pat Letter',
        email: 'pat.letter@example.com',
        details: '',
      });
      assert.equal(res.statusCode, 303, res.body);
      const id = /^\/staff\/requests\/([\w-]+)$/.exec(res.headers.location as string)?.[1];
      assert.ok(id);
      const logged = await env().services.rights.get(id);
      assert.equal(logged.type, 'deletion');
      assert.equal(logged.channel, 'postal');
      assert.equal(logged.receivedOn, '2026-01-05');
      assert.equal((await get(res.headers.location as string, support)).statusCode, 200);
      assert.equal((await post('/staff/log-request', marketing, { type: 'access' })).statusCode, 403);
    });

    it('answers 404 with the form again for someone unknown, and records the miss without the address', async () => {
      const before = await env().ctx.audit.list({ limit: 100_000 });
      const res = await post('/staff/people', support, { email: 'nobody.here@example.com' });
      assert.equal(res.statusCode, 404);
      assert.match(res.body, /No one is known by that email address/);
      const after = await env().ctx.audit.list({ limit: 100_000 });
      const added = after.slice(before.length);
      assert.deepEqual(
        added.map((a) => a.action),
        ['person.lookup_no_match'],
      );
      assert.ok(!JSON.stringify(added).includes('nobody'));
    });

    it('refuses a look-up posted without the CSRF token, and an empty form', async () => {
      const forged = await post('/staff/people', support, { email: CATALOG.email }, false);
      assert.equal(forged.statusCode, 403);
      assert.equal(forged.json().error.code, 'VOW_CSRF');
      const empty = await post('/staff/people', support, { email: '', phone: '' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Type an email address, a phone number or an order number/);
    });

    it('suppresses a person from a channel from their page, and refuses a reason holding an email without changing anything', async () => {
      const bad = await post('/staff/people/suppress', support, {
        subjectId,
        channel: 'postal_marketing',
        reason: 'asked by mail from nora.lookup@example.com',
      });
      assert.equal(bad.statusCode, 400);
      assert.equal((await env().services.consent.states(subjectId)).postal_marketing, 'enrolled');
      const confirm = await post('/staff/people/suppress', support, {
        subjectId,
        channel: 'postal_marketing',
        reason: 'asked on the phone to stop the catalog',
      });
      assert.match(confirm.body, /What cannot be undone/, 'a confirmation step first');
      assert.equal((await env().services.consent.states(subjectId)).postal_marketing, 'enrolled');
      const ok = await post('/staff/people/suppress', support, {
        subjectId,
        channel: 'postal_marketing',
        reason: 'asked on the phone to stop the catalog',
        confirmed: 'yes',
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.match(ok.body, /Suppressed from postal_marketing/);
      assert.equal((await env().services.consent.states(subjectId)).postal_marketing, 'withdrawn');
      const history = await env().services.consent.history(subjectId);
      const last = history[history.length - 1]!;
      assert.equal(last.event, 'suppressed');
      assert.equal(last.staff_id, support.staffId);
      const again = await post('/staff/people/suppress', support, {
        subjectId,
        channel: 'postal_marketing',
        reason: 'asked again',
        confirmed: 'yes',
      });
      assert.match(again.body, /Already suppressed/);
      const unknown = await post('/staff/people/suppress', support, {
        subjectId: 'no-such-person',
        channel: 'postal_marketing',
        reason: 'test',
        confirmed: 'yes',
      });
      assert.equal(unknown.statusCode, 404);
    });

    it('runs the promise checks from the dashboard and shows every promise kept, broken or proven by tests', async () => {
      const none = await get('/staff', auditor);
      assert.match(none.body, /have not been checked yet/);
      const run = await post('/staff/promises/check', auditor, {});
      assert.equal(run.statusCode, 303);
      assert.equal(run.headers.location, '/staff?checked=1');
      const page = await get('/staff?checked=1', auditor);
      const rows = [...page.body.matchAll(/<tr data-promise="(P\d+)" data-status="(\w+)">/g)];
      assert.equal(rows.length, Object.keys(env().ctx.policy.doc.promises).length);
      assert.ok(rows.some(([, , s]) => s === 'not_checkable'));
      assert.ok(
        rows.every(([, , s]) => s !== 'broken'),
        'a fresh store keeps every promise',
      );
      assert.equal(
        (page.body.match(/<tr><td data-label="Checked"><time/g) ?? []).length,
        1,
        'one run in the history',
      );
      env().clock.advance(60_000);
      // The button without a body, as curl with a bearer token sends it.
      const bodiless = await env().app.inject({
        method: 'POST',
        url: '/staff/promises/check',
        headers: auditor.bearer.headers,
      });
      assert.equal(bodiless.statusCode, 303);
      const again = await get('/staff', auditor);
      assert.equal(
        (again.body.match(/<tr><td data-label="Checked"><time/g) ?? []).length,
        2,
        'both runs in the history',
      );
      // customer service sees deadlines, not the promise table; marketing sees neither.
      assert.doesNotMatch((await get('/staff', support)).body, /data-testid="promise-table"/);
      const mk = await get('/staff', marketing);
      assert.doesNotMatch(mk.body, /promise-table|request-summary/);
      assert.equal((await post('/staff/promises/check', marketing, {})).statusCode, 403);
    });

    it('verifies the audit chain from the audit page and names the entry that was tampered with', async () => {
      const page = await get('/staff/audit', auditor);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /person\.viewed/);
      assert.doesNotMatch(page.body, /nora\.lookup@example\.com/);
      const ok = await post('/staff/audit/verify', auditor, {});
      assert.match(ok.body, /data-testid="audit-verify" data-ok="yes"/);
      const target = (await env().ctx.audit.list({ limit: 3 }))[2]!;
      await env()
        .ctx.store.db.updateTable('audit_log')
        .set({ reason: 'rewritten' })
        .where('seq', '=', target.seq)
        .execute();
      const broken = await post('/staff/audit/verify', auditor, {});
      assert.match(broken.body, /data-ok="no"/);
      assert.match(broken.body, new RegExp(`broken at entry ${Number(target.seq)}\\.`));
      // The dashboard's promise table reports the same break as promise P13, with its evidence.
      env().clock.advance(60_000);
      await post('/staff/promises/check', officer, {});
      const dash = await get('/staff', officer);
      const p13 = /<tr data-promise="P13" data-status="(\w+)">([\s\S]*?)<\/tr>/.exec(dash.body);
      assert.equal(p13?.[1], 'broken');
      assert.match(p13?.[2] ?? '', /Broken/);
      assert.match(
        dash.body,
        /data-testid="promise-summary"><strong>\d+<\/strong> kept, <strong class="bad-text">1<\/strong> broken/,
      );
      assert.match(dash.body, /<strong class="bad-text">P13<\/strong>/, 'the run is in the history with P13');
    });

    it('lets the admin add a staff member whose one-time password then logs in', async () => {
      const res = await post('/staff/accounts', admin, {
        username: 'Quinn',
        roles: ['auditor', 'marketing'],
      });
      assert.equal(res.statusCode, 201, res.body);
      const password = /data-testid="one-time-password">[\s\S]*?<code>([^<]+)<\/code>/.exec(res.body)?.[1];
      assert.ok(password);
      const login = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/tokens',
        payload: { username: 'quinn', password },
      });
      assert.equal(login.statusCode, 201);
      assert.equal(login.json().mustChangePassword, true);
      const disabled = await post('/staff/accounts/state', admin, { username: 'quinn', disabled: 'yes' });
      assert.equal(disabled.statusCode, 200);
      assert.match(disabled.body, /quinn is disabled/);
      const blocked = await env().app.inject({
        method: 'POST',
        url: '/v1/staff/tokens',
        payload: { username: 'quinn', password },
      });
      assert.equal(blocked.statusCode, 401);
      // A privacy officer's row offers the admin no Disable (the service would refuse it); an officer's does.
      const listed = (await get('/staff/accounts', admin)).body;
      assert.match(
        listed,
        new RegExp(`data-testid="officer-only-${officer.username}">Only a privacy officer can disable`),
      );
      assert.doesNotMatch(
        listed,
        new RegExp(`name="username" value="${officer.username}"><input type="hidden" name="disabled"`),
      );
      const refused = await post('/staff/accounts/state', admin, {
        username: officer.username,
        disabled: 'yes',
      });
      assert.equal(refused.statusCode, 403);
      // A privacy officer may disable a colleague who is one; nobody is offered their own account.
      const colleague = await staffCaller(env(), ['privacy_officer']);
      const officersView = (await get('/staff/accounts', officer)).body;
      assert.match(
        officersView,
        new RegExp(`value="${colleague.username}"><input type="hidden" name="disabled" value="yes">`),
      );
      assert.doesNotMatch(
        officersView,
        new RegExp(`value="${officer.username}"><input type="hidden" name="disabled"`),
      );
      assert.match(
        officersView,
        /data-testid="own-account">You: another administrator disables or enables your account/,
      );
      assert.doesNotMatch(
        officersView,
        new RegExp(`data-testid="roles-${officer.username}"`),
        'no form for your own roles',
      );
      assert.match(officersView, new RegExp(`data-testid="roles-${colleague.username}"`));
      const self = await post('/staff/accounts/state', admin, { username: admin.username, disabled: 'yes' });
      assert.equal(self.statusCode, 409);
      assert.equal((await get('/staff', admin)).statusCode, 200, 'the admin is still logged in');
      const noRole = await post('/staff/accounts', admin, { username: 'rolf' });
      assert.equal(noRole.statusCode, 400);
      assert.equal(
        (await env().services.identity.staff.list()).some((s) => s.username === 'rolf'),
        false,
      );
    });
  },
  { auth: 'enforced', rateLimits: false },
);
