// GDPR Art. 34 (and the US states' written notice) for the people Vow could not email: once its job
// has written to everyone it could, the privacy officer downloads the postal address and phone number
// collected last of each person it could not (a CSV through the one CSV writer, never cached), to
// tell them by letter or phone; the download is audited with counts only (small ones withheld), a
// person erased since is not on it, and no other role gets it or its link. Before, the incident's
// page only counted them.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { giftRecipient, nextPhone } from '../collection/fixtures.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { highRiskIncident, placeOrders, type Staff, staffBefore } from '../helpers/incidents.js';
import { tellThroughApi } from './notice-fixtures.js';

describeEachDialect(
  'incidents: the people Vow could not email, for a letter or a call',
  (env) => {
    const staff = staffBefore(env, ['customer_service']);
    const get = (e: TestEnv, who: Staff, url: string) =>
      e.app.inject({ url, headers: { ...who.headers, accept: 'text/html' } });

    it('gives the privacy officer their postal address and phone as a CSV, audited; no one else', async () => {
      const e = env();
      const phone = nextPhone();
      // Three buyers with an email; two gift recipients without: one with a phone, one without.
      await placeOrders(e, ['we-1'], { gift_recipient: giftRecipient('we-1', { email: undefined, phone }) });
      await placeOrders(e, ['we-2'], { gift_recipient: giftRecipient('we-2', { email: undefined }) });
      await placeOrders(e, ['we-3']);
      const id = await highRiskIncident(e, staff.officer);

      const unknown = await get(
        e,
        staff.officer,
        '/staff/incidents/00000000-0000-4000-8000-000000000000/without-email.csv',
      );
      assert.equal(unknown.statusCode, 404);
      // Not before Vow has written to everyone it could.
      const early = await get(e, staff.officer, `/staff/incidents/${id}/without-email.csv`);
      assert.equal(early.statusCode, 409, early.body.slice(0, 200));
      await tellThroughApi(e, staff.officer, id);
      assert.equal((await e.services.incidentNotices.progress(id))?.noAddress, 2);

      const page = await get(e, staff.officer, `/staff/incidents/${id}`);
      // "People told: email by Vow" says who is still to be told.
      assert.match(
        page.body,
        /email by Vow <span data-testid="still-to-tell">\(2 people without an email address are to be told another way/,
      );
      assert.match(
        page.body,
        /data-testid="without-email"><a href="\/staff\/incidents\/[^"]+\/without-email\.csv" download>Download the postal address and phone number of the 2 people without an email address/,
      );
      const csv = await get(e, staff.officer, `/staff/incidents/${id}/without-email.csv`);
      assert.equal(csv.statusCode, 200, csv.body.slice(0, 300));
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.equal(csv.headers['cache-control'], 'no-store');
      assert.match(
        String(csv.headers['content-disposition']),
        /^attachment; filename="incident-.+-without-email\.csv"$/,
      );
      const lines = csv.body.trim().split('\r\n');
      assert.equal(
        lines[0],
        '"person id","address line 1","address line 2","city","state or region","postal code","country","phone"',
      );
      const rows = lines.slice(1).sort();
      assert.equal(rows.length, 2);
      const e164 = `+1${phone.replace(/\D/g, '')}`;
      assert.ok(
        rows.some(
          (r) =>
            r.includes('"we-1 Gift Lane"') &&
            r.includes('"Madison","WI","53132","US"') &&
            r.endsWith(`"'${e164}"`),
        ),
        rows.join('\n'),
      );
      assert.ok(
        rows.some((r) => r.includes('"we-2 Gift Lane"') && r.endsWith(',""')),
        rows.join('\n'),
      );
      assert.ok(!csv.body.includes('@'), 'no email address: they have none, and the buyers are not on it');

      // The same list over the API, for the shop's own systems (a mail house's).
      const api = await e.app.inject({
        url: `/v1/incidents/${id}/notice/without-email`,
        headers: staff.officer.headers,
      });
      assert.equal(api.statusCode, 200, api.body);
      const listed = (api.json() as { people: { address?: { line1: string }; phone?: string }[] }).people;
      assert.deepEqual(listed.map((p) => p.address?.line1).sort(), ['we-1 Gift Lane', 'we-2 Gift Lane']);
      assert.deepEqual(listed.map((p) => p.phone).filter(Boolean), [e164]);

      const audit = await e.ctx.audit.list({ targetType: 'incident', targetId: id, limit: 100 });
      const entries = audit.filter((a) => a.action === 'incident.unreached_listed');
      assert.equal(entries.length, 2, 'the file and the API each audited');
      assert.deepEqual(JSON.parse(String(entries[0]!.details)), {
        people: 'fewer than 5',
        withAddress: 'fewer than 5',
        withPhone: 'fewer than 5',
      });

      // Customer service: neither the link nor the file.
      const [cs] = staff.others as [Staff];
      const csPage = (await get(e, cs, `/staff/incidents/${id}`)).body;
      assert.doesNotMatch(csPage, /without-email/);
      assert.match(csPage, /\(fewer than 5 people without an email address are to be told another way/);
      assert.equal((await get(e, cs, `/staff/incidents/${id}/without-email.csv`)).statusCode, 403);
      assert.equal(
        (await e.app.inject({ url: `/v1/incidents/${id}/notice/without-email`, headers: cs.headers }))
          .statusCode,
        403,
      );

      // A person erased since is not on it.
      const [first] = await e.store.db
        .selectFrom('incident_notices')
        .select('subject_id')
        .where('incident_id', '=', id)
        .where('status', '=', 'no_address')
        .orderBy('subject_id')
        .execute();
      const proposal = await e.services.under13.propose(first!.subject_id, 'staff-a', undefined);
      await e.services.under13.approve(proposal.id, 'staff-b');
      const after = await get(e, staff.officer, `/staff/incidents/${id}/without-email.csv`);
      assert.equal(after.body.trim().split('\r\n').length, 2, 'the header and the one left');
      assert.ok(!after.body.includes(first!.subject_id));
    });
  },
  { auth: 'enforced', rateLimits: false },
);
