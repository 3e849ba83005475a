// A person's catalog requests on their console page, over HTTP with real access control: each
// request with when it came, its mailing address and every answer in the words the form offered
// (as "My data" says them; a code the form no longer offers shown as stored, with a note), only to
// the roles that open a person's page (customer service, the privacy officer), each view audited.
// The demo storefront's catalog form asks the policy's optional gender question, and the answer
// reaches the stored request and the person's page; the men/women report still counts registrations
// only (the policy declares the catalog form's gender for postal marketing, not for counting).
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { countRegistrationsByGender } from '../../src/modules/reports/counting.js';
import { address, catalogBody } from '../collection/fixtures.js';
import { serviceCaller, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

type StaffCaller = Awaited<ReturnType<typeof staffCaller>>;

const EMAIL = 'cora.twice@example.com';
const FIRST = catalogBody('Twice1', {
  email: EMAIL,
  first_name: 'Cora',
  last_name: 'Twice',
  postal_address: address('11 First Mailing Road'),
  relationship_status: 'engaged',
  jewelry_types: ['engagement_ring', 'necklaces_pendants'],
  budget: '1000_2000',
  age_range: '25_34',
  residence_type: 'suburban',
  gender: 'female',
});
const SECOND = catalogBody('Twice2', {
  email: EMAIL,
  first_name: 'Cora',
  last_name: 'Twice',
  postal_address: address('22 Second Mailing Road', { city: 'Madison', postal_code: '53703' }),
  relationship_status: 'married',
  jewelry_types: ['earrings'],
  budget: 'over_5000',
  age_range: '35_44',
  residence_type: 'rural',
  gender: 'no_thanks',
});

const PAGE = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const FORM = { ...PAGE, 'content-type': 'application/x-www-form-urlencoded' };

function form(values: Record<string, string | string[]>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) for (const one of [v].flat()) p.append(k, one);
  return p.toString();
}

/** The catalog section of a person page, its rows as their cells' text. */
function catalogRows(body: string): string[][] {
  const table = /data-testid="person-catalog-requests">([\s\S]*?)<\/table>/.exec(body)?.[1] ?? '';
  return [...table.matchAll(/<tr data-testid="catalog-request">([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
      c[1]!
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .replace(/&#39;|&#x27;/g, "'")
        .replace(/&amp;/g, '&')
        .trim(),
    ),
  );
}

describeEachDialect(
  "a person's catalog requests on the console",
  (env) => {
    let officer: StaffCaller;
    let support: StaffCaller;
    let others: StaffCaller[];
    let subjectId = '';

    before(async () => {
      const service = await serviceCaller(env());
      for (const [i, body] of [FIRST, SECOND].entries()) {
        env().clock.set(`2026-01-1${i + 4}T10:00:00.000Z`);
        const res = await env().app.inject({
          method: 'POST',
          url: '/v1/catalog-requests',
          headers: service.writeHeaders,
          payload: body,
        });
        assert.equal(res.statusCode, 201, res.body);
        subjectId = res.json().subjectId;
      }
      // Logged in after the clock is set: a session idle since another day has ended.
      let marketing: StaffCaller;
      let auditor: StaffCaller;
      let admin: StaffCaller;
      [officer, support, marketing, auditor, admin] = await Promise.all([
        staffCaller(env(), ['privacy_officer']),
        staffCaller(env(), ['customer_service']),
        staffCaller(env(), ['marketing']),
        staffCaller(env(), ['auditor']),
        staffCaller(env(), ['admin']),
      ]);
      others = [marketing, auditor, admin];
    });

    const lookUp = (who: StaffCaller, email: string) =>
      env().app.inject({
        method: 'POST',
        url: '/staff/people',
        headers: { cookie: who.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ _csrf: who.writeHeaders['x-csrf-token']!, email }),
      });

    it('shows both requests, newest first, with their addresses and every answer in words', async () => {
      for (const who of [support, officer]) {
        const res = await lookUp(who, EMAIL);
        assert.equal(res.statusCode, 200, res.body.slice(0, 300));
        assert.match(res.body, /<h2 id="catalog-h">Catalog requests<\/h2>/);
        assert.deepEqual(catalogRows(res.body), [
          [
            '2026-01-15 10:00 UTC',
            '22 Second Mailing Road, Madison, WI, 53703, US',
            'Married',
            'Earrings',
            'Over $5,000',
            '35 to 44',
            'In the country',
            'Prefer not to say',
          ],
          [
            '2026-01-14 10:00 UTC',
            '11 First Mailing Road, Franklin, WI, 53132, US',
            'Engaged',
            'Engagement ring, Necklaces and pendants',
            '$1,000 to $2,000',
            '25 to 34',
            'In the suburbs',
            'Female',
          ],
        ]);
        // Each answer is headed by its question, for a screen reader and for the cards on a phone.
        assert.match(
          res.body,
          /<th scope="col">Requested<\/th><th scope="col">Mailing address<\/th><th scope="col">Relationship status<\/th>/,
        );
        assert.match(res.body, /<td data-label="Budget">Over \$5,000<\/td>/);
      }
    });

    it('says a stored answer the form no longer offers as stored, with a note, and an unanswered one as such', async () => {
      const ids = await env()
        .store.db.selectFrom('catalog_requests')
        .select(['id', 'collected_at'])
        .where('subject_id', '=', subjectId)
        .orderBy('collected_at', 'asc')
        .execute();
      await env()
        .store.db.updateTable('catalog_requests')
        .set({ budget: '250_750', gender: null, relationship_status: '' })
        .where('id', '=', ids[0]!.id)
        .execute();
      try {
        const rows = catalogRows((await lookUp(support, EMAIL)).body);
        assert.equal(rows[1]![2], 'not answered');
        assert.equal(rows[1]![4], '250_750 (an answer our form no longer offers)');
        assert.equal(rows[1]![7], 'not answered');
        assert.equal(rows[0]![4], 'Over $5,000', 'the other request unchanged');
      } finally {
        await env()
          .store.db.updateTable('catalog_requests')
          .set({ budget: '1000_2000', gender: 'female', relationship_status: 'engaged' })
          .where('id', '=', ids[0]!.id)
          .execute();
      }
    });

    it('shows no answers to marketing, the auditor or the admin, and audits each view', async () => {
      for (const who of others) {
        const res = await lookUp(who, EMAIL);
        assert.equal(res.statusCode, 403, who.username);
        for (const secret of [
          'Second Mailing Road',
          'Married',
          'Prefer not to say',
          '$1,000',
          'Catalog requests',
        ])
          assert.ok(!res.body.includes(secret), `${who.username} sees ${secret}`);
      }
      const viewed = async () =>
        (await env().ctx.audit.list({ targetType: 'subject', targetId: subjectId }))
          .filter((a) => a.action === 'person.viewed')
          .map((a) => a.actor_id);
      const before = await viewed();
      await lookUp(support, EMAIL);
      const after = await viewed();
      assert.equal(after.length, before.length + 1);
      assert.equal(
        after.filter((a) => a === support.staffId).length,
        before.filter((a) => a === support.staffId).length + 1,
      );
      for (const who of others) assert.ok(!after.includes(who.staffId), `${who.username} viewed nothing`);
    });

    it('audits the page shown again after an under-13 report, as every other showing of the person', async () => {
      const count = async () =>
        (await env().ctx.audit.list({ targetType: 'subject', targetId: subjectId })).filter(
          (a) => a.action === 'person.viewed',
        ).length;
      const before = await count();
      const res = await env().app.inject({
        method: 'POST',
        url: '/staff/people/under13',
        headers: { cookie: support.headers.cookie!, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({
          _csrf: support.writeHeaders['x-csrf-token']!,
          subjectId,
          reason: 'Said so on the phone',
          confirmed: 'yes',
        }),
      });
      assert.equal(res.statusCode, 202, res.body.slice(0, 300));
      assert.equal(catalogRows(res.body).length, 2, 'the page shows the answers');
      assert.equal(await count(), before + 1);
    });

    it('the demo catalog form asks the optional gender question with the three choices, and the answer is stored', async () => {
      for (const [language, label, words] of [
        ['en-US', 'Gender (optional)', ['Male', 'Female', 'Prefer not to say']],
        ['es', 'Género (opcional)', ['Hombre', 'Mujer', 'Prefiero no decirlo']],
      ] as const) {
        const page = await env().app.inject({
          method: 'GET',
          url: '/demo/store',
          headers: { ...PAGE, 'accept-language': language },
        });
        assert.equal(page.statusCode, 200);
        const select =
          /<label for="cat-gender">([^<]+)<\/label>\s*<select id="cat-gender" name="gender"([^>]*)>([\s\S]*?)<\/select>/.exec(
            page.body,
          );
        assert.ok(select, `${language}: a labelled gender select`);
        assert.equal(select[1], label);
        assert.doesNotMatch(select[2]!, /required/, 'optional');
        const options = [...select[3]!.matchAll(/<option value="([^"]*)">([^<]*)<\/option>/g)].map((m) => [
          m[1],
          m[2],
        ]);
        assert.deepEqual(options.slice(1), [
          ['male', words[0]],
          ['female', words[1]],
          ['no_thanks', words[2]],
        ]);
        assert.equal(options[0]![0], '', 'it may be left unanswered');
      }

      const send = async (email: string, gender?: string) => {
        const page = await env().app.inject({ method: 'GET', url: '/demo/store', headers: PAGE });
        const csrf =
          /action="\/demo\/store\/catalog"[^>]*>\s*<input type="hidden" name="_csrf" value="([^"]+)"/.exec(
            page.body,
          )?.[1] ?? '';
        return env().app.inject({
          method: 'POST',
          url: '/demo/store/catalog',
          headers: { ...FORM, 'sec-fetch-site': 'same-origin' },
          payload: form({
            _csrf: csrf,
            first_name: 'Demo',
            last_name: 'Gender',
            email,
            line1: '5 Demo Street',
            city: 'Franklin',
            postal_code: '53132',
            relationship_status: 'single',
            jewelry_types: ['earrings', 'bracelets'],
            budget: 'under_500',
            age_range: '45_54',
            residence_type: 'urban',
            ...(gender === undefined ? {} : { gender }),
          }),
        });
      };
      const stored = async (email: string) => {
        const id = await env().services.subjects.findByEmail(email);
        assert.ok(id, email);
        return env()
          .store.db.selectFrom('catalog_requests')
          .select(['gender', 'budget'])
          .where('subject_id', '=', id)
          .executeTakeFirstOrThrow();
      };

      env().clock.advance(60_000);
      const sent = await send('demo.gender@example.com', 'male');
      assert.equal(sent.statusCode, 303, sent.body.slice(0, 300));
      assert.deepEqual(await stored('demo.gender@example.com'), { gender: 'male', budget: 'under_500' });
      const shown = catalogRows((await lookUp(support, 'demo.gender@example.com')).body);
      assert.deepEqual(shown[0]!.slice(1), [
        '5 Demo Street, Franklin, 53132, US',
        'Single',
        'Earrings, Bracelets',
        'Under $500',
        '45 to 54',
        'In a city',
        'Male',
      ]);

      // Left unanswered, nothing is stored for it; an answer the form does not offer is refused at it.
      assert.equal((await send('demo.nogender@example.com')).statusCode, 303);
      assert.equal((await stored('demo.nogender@example.com')).gender, null);
      const refused = await send('demo.badgender@example.com', 'other');
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /id="cat-gender"[^>]*aria-invalid="true"/);
      assert.equal(await env().services.subjects.findByEmail('demo.badgender@example.com'), undefined);
    });

    it('the men/women report keeps counting registrations, and only them', async () => {
      const service = await serviceCaller(env());
      for (const [i, gender] of ['male', 'female', 'female'].entries()) {
        const res = await env().app.inject({
          method: 'POST',
          url: '/v1/registrations',
          headers: service.writeHeaders,
          payload: {
            account_id: `acct-gender-${i}`,
            name: `Reg ${i}`,
            email: `reg.gender${i}@example.com`,
            gender,
            registered_at: `2026-01-1${i + 3}T08:00:00.000Z`,
          },
        });
        assert.equal(res.statusCode, 201, res.body);
      }
      // The week of 2026-01-12 holds the demo form's catalog requests (a man among them) too: the
      // policy gives the catalog form's gender to postal marketing, not to the counts (P6, P7).
      const week = { start: new Date('2026-01-12T00:00:00Z'), end: new Date('2026-01-19T00:00:00Z') };
      assert.deepEqual(await countRegistrationsByGender(env().store.db, week), { men: 1, women: 2 });
    });
  },
  { auth: 'enforced', rateLimits: false },
);
