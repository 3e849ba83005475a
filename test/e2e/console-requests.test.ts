// A request's page as staff work it, over HTTP with real access control: a letter's deletion is
// verified by matching details that include the postal address typed in its parts (and waits for a
// privacy officer's approval); the form says how many details the request's type needs, a failed
// match says how many matched and what to do and keeps what was typed, an address in part is
// refused with what is missing; the extension names the date it moves to;
// a run of reloads is one line of its timeline.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { orderBody } from '../collection/fixtures.js';
import { serviceCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

type StaffCaller = Awaited<ReturnType<typeof staffCaller>>;

describeEachDialect(
  "a request's page in the console",
  (env) => {
    let agent: StaffCaller;
    const buyer = orderBody('LETTER');

    before(async () => {
      agent = await staffCaller(env(), ['customer_service']);
      const service = await serviceCaller(env());
      const res = await env().app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: service.writeHeaders,
        payload: buyer,
      });
      assert.equal(res.statusCode, 201, res.body);
    });

    const letter = async () =>
      (
        await env().services.rights.submit(
          { type: 'deletion', jurisdiction: 'us-ca', name: buyer.buyer.name },
          { channel: 'postal', staffId: 'setup', receivedOn: '2026-01-05' },
        )
      ).requestId;
    const page = (rid: string) =>
      env().app.inject({
        method: 'GET',
        url: `/staff/requests/${rid}`,
        headers: { ...agent.headers, accept: 'text/html' },
      });
    const act = (rid: string, values: Record<string, string>) =>
      env().app.inject({
        method: 'POST',
        url: `/staff/requests/${rid}`,
        headers: { cookie: agent.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: agent.writeHeaders['x-csrf-token']!,
          action: 'verify_data_points',
          ...values,
        }).toString(),
      });
    const { line1, city, region, postal_code, country } = buyer.buyer.billing_address;
    const addressParts = {
      address_line1: line1,
      address_city: city,
      address_region: region,
      address_postal_code: postal_code,
      address_country: country.toLowerCase(),
    };

    it('says how many matching details the request needs, and takes the postal address in its parts', async () => {
      const rid = await letter();
      const shown = await page(rid);
      assert.match(
        shown.body,
        /data-testid="details-needed">[^<]*three matching details and the person’s declaration/,
      );
      assert.match(shown.body, /<legend>Postal address/);
      assert.match(shown.body, /name="address_postal_code"/);
      const confirm = await act(rid, { phone: buyer.buyer.phone, ...addressParts, declarationSigned: 'yes' });
      assert.equal(confirm.statusCode, 200, confirm.body);
      assert.match(confirm.body, /It needs three matching details/);
      assert.match(
        confirm.body,
        /name="address_line1" value="LETTER Billing Street"/,
        'the address is carried to the confirmation',
      );
      const done = await act(rid, {
        email: buyer.buyer.email,
        phone: buyer.buyer.phone,
        ...addressParts,
        declarationSigned: 'yes',
        confirmed: 'yes',
      });
      assert.equal(done.statusCode, 303, done.body);
      assert.equal(done.headers.location, `/staff/requests/${rid}?done=verify_pending`);
      // A deletion verified by staff waits for a privacy officer who is another person.
      const pending = (await env().services.rights.detail(rid, 'test')).pendingVerification;
      assert.deepEqual(
        pending?.matched,
        ['email', 'phone', 'address'],
        'email, phone and the address matched',
      );
      assert.equal((await env().services.rights.get(rid)).verificationMethod, null, 'not verified yet');
      const shown2 = (await page(rid)).body;
      assert.match(shown2, /data-testid="staff-request-status">Verification to approve</);
      assert.match(shown2, /data-testid="pending-matched">email address, phone number, postal address</);
      assert.match(shown2, /You verified it: a privacy officer other than you/);
      assert.doesNotMatch(shown2, /data-action="approve_verification"/, 'no approval for the verifier');
      await env().services.rights.approveVerification(rid, 'an-officer');
      assert.match(
        (await page(rid)).body,
        /<dt>Verified<\/dt><dd>\d{4}-\d\d-\d\d, by staff, three matching details and a signed declaration<\/dd>/,
      );
    });

    it('says how many details matched when too few do, and what an address in part lacks', async () => {
      const rid = await letter();
      const few = await act(rid, { phone: buyer.buyer.phone, declarationSigned: 'yes', confirmed: 'yes' });
      assert.equal(few.statusCode, 400);
      assert.match(
        few.body,
        /Not done: 1 of the details you typed matches what Vow holds about one person; this request needs 3 and the signed declaration\./,
      );
      assert.match(few.body, /VOW_VERIFICATION_FAILED/);
      // The form comes back as it was typed, to add a detail instead of typing them all again.
      const esc = (v: string) => v.replace(/[()]/g, '\\$&');
      assert.match(
        few.body,
        new RegExp(
          `id="v-phone" name="phone" type="tel" autocomplete="off" value="${esc(buyer.buyer.phone)}"`,
        ),
      );
      assert.match(few.body, /id="v-declared" name="declarationSigned" value="yes" checked>/);
      assert.match(few.body, /id="v-email" name="email" type="email" autocomplete="off" value="">/);
      const part = await act(rid, {
        phone: buyer.buyer.phone,
        address_line1: line1,
        declarationSigned: 'yes',
        confirmed: 'yes',
      });
      assert.equal(part.statusCode, 400);
      assert.match(
        part.body,
        /A postal address needs its street, city, postal code and a two-letter country/,
      );
      assert.match(
        part.body,
        /id="v-line1" name="address_line1" maxlength="200" autocomplete="off" value="LETTER Billing Street"/,
      );
      assert.equal((await env().services.rights.get(rid)).status, 'awaiting_verification');
    });

    it("says where an agent's answer goes, and that a deletion's requester went with the person's data", async () => {
      const { requestId: rid } = await env().services.rights.submit(
        {
          type: 'deletion',
          jurisdiction: 'us-ca',
          email: buyer.buyer.email,
          agent: { name: 'Brightline Agents', permission: 'signed authorisation of 2026-01-02' },
        },
        { channel: 'web' },
      );
      const post = (values: Record<string, string>) => act(rid, { ...values });
      const confirm = await post({ action: 'confirm_agent' });
      assert.match(
        confirm.body,
        new RegExp(`The answer is emailed to the address the request gave \\(${buyer.buyer.email}\\)`),
      );
      assert.doesNotMatch(confirm.body, /goes to the agent/, 'the agent left no address to answer');
      assert.equal((await post({ action: 'confirm_agent', confirmed: 'yes' })).statusCode, 303);
      const verified = await post({
        email: buyer.buyer.email,
        phone: buyer.buyer.phone,
        ...addressParts,
        declarationSigned: 'yes',
        confirmed: 'yes',
      });
      assert.equal(verified.statusCode, 303, verified.body);
      await env().services.rights.approveVerification(rid, 'an-officer');
      await env().services.jobs.drain();
      assert.equal((await env().services.rights.get(rid)).status, 'completed');
      assert.match(
        (await page(rid)).body,
        /data-testid="requester"><span class="empty">deleted with the person's data once the request was answered<\/span>/,
      );
    });

    it('tells requests of the same minute apart in the queue, and finds one by the part it shows', async () => {
      const [a, b] = [await letter(), await letter()];
      const queue = await env().app.inject({
        method: 'GET',
        url: '/staff/requests',
        headers: { ...agent.headers, accept: 'text/html' },
      });
      const shown = (rid: string) =>
        new RegExp(`<tr data-request="${rid}"[\\s\\S]*?<code class="ids">([^<]+)</code>`).exec(
          queue.body,
        )?.[1];
      assert.equal(shown(a), a.slice(-8));
      assert.notEqual(
        shown(a),
        shown(b),
        'ids made in the same minute share their first characters, not their last',
      );
      const found = await env().app.inject({
        method: 'POST',
        url: '/staff/requests',
        headers: { cookie: agent.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: agent.writeHeaders['x-csrf-token']!,
          show: 'all',
          q: shown(b)!,
        }).toString(),
      });
      assert.deepEqual(
        [...found.body.matchAll(/<tr data-request="([^"]+)"/g)].map((m) => m[1]),
        [b],
      );
    });

    it("names the corrected kind of information in the policy's words on the approval's confirmation", async () => {
      const { requestId: rid } = await env().services.rights.submit(
        {
          type: 'correction',
          jurisdiction: 'eea',
          email: 'corrected.name@example.com',
          correction: { category: 'identity.name', value: 'Ann Moreau', evidence: 'marriage certificate' },
        },
        { channel: 'web' },
      );
      const confirm = await act(rid, { action: 'approve_correction' });
      assert.match(confirm.body, /The held “First and last name” is replaced by “Ann Moreau”/);
    });

    it('folds a run of views by one person into one line of the timeline', async () => {
      const rid = await letter();
      for (let i = 0; i < 3; i++) await page(rid);
      const other = await staffCaller(env(), ['customer_service']);
      await env().app.inject({
        method: 'GET',
        url: `/staff/requests/${rid}`,
        headers: { ...other.headers, accept: 'text/html' },
      });
      const body = (await page(rid)).body;
      const lines = [...body.matchAll(/<li data-event="request\.viewed">([\s\S]*?)<\/li>/g)].map((m) =>
        m[1]!.replace(/<[^>]+>/g, ''),
      );
      assert.deepEqual(
        lines.map((l) => l.replace(/^.* UTC /, '')),
        [
          `Request opened by staff (3 times) — ${agent.username}`,
          `Request opened by staff — ${other.username}`,
          `Request opened by staff — ${agent.username}`,
        ],
      );
    });

    it('names the date an extension moves the deadline to, on the form and its confirmation', async () => {
      env().clock.set('2026-01-10T12:00:00.000Z');
      const rid = await letter();
      const shown = await page(rid);
      // CCPA: 45 days from 5 January, extended to 90 days (5 April).
      assert.match(
        shown.body,
        /data-testid="extension-hint">Once only, and only by 2026-02-19: the deadline moves from 2026-02-19 to <strong>2026-04-05<\/strong>/,
      );
      const confirm = await env().app.inject({
        method: 'POST',
        url: `/staff/requests/${rid}`,
        headers: { cookie: agent.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: agent.writeHeaders['x-csrf-token']!,
          action: 'extend',
          reason: 'We are waiting for our printer',
        }).toString(),
      });
      assert.match(
        confirm.body,
        /The deadline moves from 2026-02-19 to 2026-04-05, the longest the law allows\./,
      );
    });
  },
  { auth: 'enforced', rateLimits: false },
);
