// A retailer adds two forms by editing its policy only (test/collection/forms-policy.ts): a
// newsletter box and a showroom appointment request. With no code change, each gets an endpoint
// described in /openapi.json, its body checked from the declaration, its values sealed per person,
// the consent its channels and boxes grant, and its place in audiences, decisions, exports,
// corrections and deletions.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { countAllRows, dumpAllRows, post } from './fixtures.js';
import { formsPolicy } from './forms-policy.js';

const NEWSLETTER = '/v1/collection-points/newsletter/submissions';
const APPOINTMENT = '/v1/collection-points/appointment_request/submissions';

function appointment(n: string, overrides: Record<string, unknown> = {}) {
  return {
    name: `Ava Appointment ${n}`,
    email: `ava.${n}@example.com`,
    phone: '(608) 265-7001',
    preferred_date: '2026-02-14',
    occasion: 'engagement',
    notes: `Size 6, yellow gold (${n})`,
    ...overrides,
  };
}

async function audience(env: TestEnv, channel: string): Promise<Record<string, string>[]> {
  const res = await env.app.inject({ method: 'GET', url: `/v1/audiences/${channel}` });
  assert.equal(res.statusCode, 200, res.body);
  return res.body
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** How many form values and form submissions of a person the store holds. */
async function formRowsOf(env: TestEnv, subjectId: string): Promise<{ values: number; submissions: number }> {
  const db = env.store.db;
  const values = await db
    .selectFrom('form_values')
    .select('field')
    .where('subject_id', '=', subjectId)
    .execute();
  const submissions = await db
    .selectFrom('form_submissions')
    .select('id')
    .where('subject_id', '=', subjectId)
    .execute();
  return { values: values.length, submissions: submissions.length };
}

async function decide(env: TestEnv, subjectId: string, purpose: string, categories: string[]) {
  const res = await post(env, '/v1/decisions', { subject: { id: subjectId }, purpose, categories });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().decision as string;
}

describeEachDialect(
  'forms declared in the policy, with no code',
  (env) => {
    it('lists each declared form in /openapi.json with the body its declaration gives', async () => {
      const doc = (await env().app.inject({ method: 'GET', url: '/openapi.json' })).json();
      const body = (path: string) =>
        doc.paths?.[path]?.post?.requestBody?.content?.['application/json']?.schema;
      const news = body(NEWSLETTER);
      assert.ok(news, 'the newsletter form is described');
      assert.deepEqual(news.required, ['email']);
      assert.deepEqual(news.properties.interests.items.enum, ['rings', 'earrings', 'necklaces']);
      const appt = body(APPOINTMENT);
      assert.deepEqual(appt.required.sort(), ['email', 'name', 'occasion', 'preferred_date']);
      assert.equal(appt.properties.notes.maxLength, 500);
      assert.equal(appt.properties.texts_ok.type, 'boolean');
      assert.equal(appt.additionalProperties, false);
      assert.match(doc.paths[APPOINTMENT].post.description, /ticking `texts_ok` grants sms_marketing/);
      // The built-in forms are there too, their historic URLs as aliases.
      assert.ok(body('/v1/collection-points/contest_entry/submissions'));
      assert.ok(body('/v1/contest-entries'));
      assert.equal(doc.paths['/v1/collection-points/{id}/submissions'], undefined);
    });

    it('refuses a body the declaration does not allow, with the field path, and stores nothing', async () => {
      const before = await countAllRows(env());
      const refused: [string, unknown, string][] = [
        [NEWSLETTER, { email: 'not an address' }, '/email'],
        [NEWSLETTER, { first_name: 'Nora' }, '/email'],
        [NEWSLETTER, { email: 'n@example.com', interests: ['watches'] }, '/interests/0'],
        [NEWSLETTER, { email: 'n@example.com', interests: ['rings', 'rings'] }, '/interests'],
        [NEWSLETTER, { email: 'n@example.com', favourite_colour: 'blue' }, '/'],
        [APPOINTMENT, appointment('bad1', { occasion: 'birthday' }), '/occasion'],
        [APPOINTMENT, appointment('bad2', { preferred_date: '14/02/2026' }), '/preferred_date'],
        [APPOINTMENT, appointment('bad3', { notes: 'x'.repeat(501) }), '/notes'],
        [APPOINTMENT, appointment('bad4', { phone: '12' }), '/phone'],
        [APPOINTMENT, appointment('bad5', { texts_ok: 'yes' }), '/texts_ok'],
        [APPOINTMENT, appointment('bad6', { name: 'Ava\u0007' }), '/name'],
      ];
      for (const [url, payload, path] of refused) {
        const res = await post(env(), url, payload);
        assert.equal(res.statusCode, 400, `${JSON.stringify(payload)}: ${res.body}`);
        const error = res.json().error;
        assert.equal(error.code, 'VOW_VALIDATION');
        assert.ok(
          error.details.issues.some((i: { path: string }) => i.path === path),
          `${path} in ${JSON.stringify(error.details.issues)}`,
        );
        assert.doesNotMatch(res.body, /not an address|14\/02\/2026|xxxx|Ava/, 'no value echoed back');
      }
      const under13 = await post(env(), NEWSLETTER, { email: 'kid.news@example.com', age: 12 });
      assert.equal(under13.statusCode, 403);
      assert.equal(under13.json().error.code, 'VOW_UNDER_13');
      const unknown = await post(env(), '/v1/collection-points/wishlist/submissions', {
        email: 'w@example.com',
      });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().error.code, 'VOW_NOT_FOUND');
      const banner = await post(env(), '/v1/collection-points/cookie_banner/submissions', {});
      assert.equal(banner.statusCode, 404);
      assert.deepEqual(await countAllRows(env()), before);
    });

    it('seals every value under the person’s key, links the record with the form’s kind, finds the person again', async () => {
      const e = env();
      const news = await post(e, NEWSLETTER, {
        email: ' Nora.News@Example.com ',
        first_name: 'Nora',
        interests: ['rings', 'necklaces'],
      });
      assert.equal(news.statusCode, 201, news.body);
      const { id, subjectId } = news.json();
      const db = e.store.db;
      const submission = await db
        .selectFrom('form_submissions')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(submission.collection_point, 'newsletter');
      assert.equal(submission.subject_id, subjectId);
      assert.equal(submission.policy_version, e.ctx.policy.version);
      const values = await db
        .selectFrom('form_values')
        .selectAll()
        .where('submission_id', '=', id)
        .orderBy('field')
        .execute();
      assert.deepEqual(
        values.map((v) => [v.field, v.category, v.value_type]),
        [
          ['first_name', 'identity.name', 'text'],
          ['interests', 'interest.jewelry_types', 'list'],
        ],
      );
      for (const v of values) assert.match(v.value, /^v1\./, 'sealed');
      const link = await db
        .selectFrom('subject_records')
        .selectAll()
        .where('record_id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(link.subject_kind, 'newsletter_subscriber');
      assert.equal(link.collection_point, 'newsletter');
      assert.equal(link.record_type, 'form');
      assert.deepEqual(JSON.parse(link.fields).email, {
        category: 'contact.email',
        purposes: ['marketing.email'],
      });
      assert.deepEqual(await e.services.collection.recordValues(subjectId, 'form', id), {
        first_name: 'Nora',
        interests: ['rings', 'necklaces'],
      });
      // The email is an identifier: indexed, found again (trimmed, case-folded) by another form.
      assert.equal(await e.services.subjects.findByEmail('nora.news@example.com'), subjectId);
      const appt = await post(
        e,
        APPOINTMENT,
        appointment('nora', { email: 'NORA.NEWS@example.com', name: 'Nora News' }),
      );
      assert.equal(appt.statusCode, 201, appt.body);
      assert.equal(appt.json().subjectId, subjectId);
      assert.deepEqual((await e.services.subjects.kinds(subjectId)).sort(), [
        'appointment_requester',
        'newsletter_subscriber',
      ]);
      // (The answers' values, `necklaces`, are the policy's own words: they are in policy_versions.)
      const dump = await dumpAllRows(e);
      for (const plain of ['Nora News', 'nora.news@example.com', 'Size 6, yellow gold', '+16082657001'])
        assert.ok(!dump.includes(plain), `no plaintext ${plain} in the store`);
    });

    it('applies the channels: the newsletter enrolls, the box grants texts, and audiences and decisions agree', async () => {
      const e = env();
      const news = (await post(e, NEWSLETTER, { email: 'olive.news@example.com' })).json();
      assert.deepEqual(await e.services.consent.states(news.subjectId), { email_marketing: 'enrolled' });
      const ticked = (
        await post(e, APPOINTMENT, appointment('tick', { phone: '(608) 265-7002', texts_ok: true }))
      ).json();
      assert.deepEqual(await e.services.consent.states(ticked.subjectId), { sms_marketing: 'granted' });
      const unticked = (
        await post(e, APPOINTMENT, appointment('untick', { phone: '(608) 265-7003', texts_ok: false }))
      ).json();
      assert.deepEqual(await e.services.consent.states(unticked.subjectId), {});
      const history = await post(e, '/v1/consent/history', { subjectId: ticked.subjectId });
      const granted = history.json().events.find((ev: { channel: string }) => ev.channel === 'sms_marketing');
      assert.equal(granted.event, 'consented');

      const emails = (await audience(e, 'email_marketing')).map((m) => m.email);
      assert.ok(emails.includes('olive.news@example.com'));
      assert.ok(!emails.includes('ava.tick@example.com'), 'an appointment enrolls in no email marketing');
      const phones = (await audience(e, 'sms_marketing')).map((m) => m.phone);
      assert.ok(phones.includes('+16082657002'));
      assert.ok(!phones.includes('+16082657003'));

      assert.equal(await decide(e, news.subjectId, 'marketing.email', ['contact.email']), 'allow');
      assert.equal(await decide(e, ticked.subjectId, 'marketing.sms', ['contact.phone']), 'allow');
      assert.equal(await decide(e, unticked.subjectId, 'marketing.sms', ['contact.phone']), 'deny');
      assert.equal(
        await decide(e, ticked.subjectId, 'appointment.scheduling', ['appointment.notes']),
        'allow',
      );
      assert.equal(await decide(e, ticked.subjectId, 'marketing.email', ['contact.email']), 'deny');

      // P11 through the policy alone: after an unsubscribe, a new newsletter sign-up enrolls again.
      await e.services.consent.unsubscribe(undefined, {
        subjectId: news.subjectId,
        channel: 'email_marketing',
        cause: { type: 'request', ref: 'test' },
      });
      assert.deepEqual(await e.services.consent.states(news.subjectId), { email_marketing: 'withdrawn' });
      await post(e, NEWSLETTER, { email: 'olive.news@example.com' });
      assert.deepEqual(await e.services.consent.states(news.subjectId), { email_marketing: 'enrolled' });
    });

    it('answers a retry with the same Idempotency-Key once, and takes the built-in forms at the generic URL', async () => {
      const e = env();
      const send = (payload: unknown) =>
        e.app.inject({
          method: 'POST',
          url: NEWSLETTER,
          payload: payload as object,
          headers: { 'idempotency-key': 'news-1' },
        });
      const first = await send({ email: 'ida.news@example.com' });
      assert.equal(first.statusCode, 201);
      const before = await countAllRows(e);
      const again = await send({ email: 'ida.news@example.com' });
      assert.equal(again.statusCode, 201);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.deepEqual(again.json(), first.json());
      assert.deepEqual(await countAllRows(e), before);
      assert.equal(
        (await send({ email: 'other@example.com' })).json().error.code,
        'VOW_IDEMPOTENCY_CONFLICT',
      );

      const entry = await post(e, '/v1/collection-points/contest_entry/submissions', {
        email: 'cora.contest@example.com',
        name: 'Cora',
      });
      assert.equal(entry.statusCode, 201);
      const row = await e.store.db
        .selectFrom('contest_entries')
        .selectAll()
        .where('id', '=', entry.json().id)
        .executeTakeFirstOrThrow();
      assert.equal(row.subject_id, entry.json().subjectId);
    });

    it('exports, corrects and deletes a declared form’s values by category (the datasets walker)', async () => {
      const e = env();
      const news = (
        await post(e, NEWSLETTER, {
          email: 'wanda.walk@example.com',
          first_name: 'Wanda',
          interests: ['earrings'],
        })
      ).json();
      const appt = (
        await post(
          e,
          APPOINTMENT,
          appointment('walk', { email: 'wanda.walk@example.com', name: 'Wanda Walk', texts_ok: true }),
        )
      ).json();
      assert.equal(appt.subjectId, news.subjectId);
      const who = { subjectIds: [news.subjectId] };
      const exported = await e.services.datasets.export(who);
      const forms = exported.values.filter((v) => v.table === 'form_values');
      const byCategory = (c: string) =>
        forms
          .filter((v) => v.category === c)
          .map((v) => v.value)
          .sort();
      assert.deepEqual(byCategory('identity.name'), ['Wanda', 'Wanda Walk']);
      assert.deepEqual(byCategory('appointment.notes'), ['Size 6, yellow gold (walk)']);
      assert.deepEqual(byCategory('appointment.date'), ['2026-02-14']);
      assert.deepEqual(byCategory('interest.jewelry_types'), ['["earrings"]']);
      assert.ok(
        forms.find((v) => v.category === 'appointment.notes')?.purposes.includes('appointment.scheduling'),
      );
      assert.ok(
        exported.values.some((v) => v.table === 'form_submissions' && v.value === 'appointment_request'),
      );

      const corrected = await e.services.datasets.correct(who, {
        category: 'identity.name',
        value: 'Wanda Walker',
      });
      assert.ok(corrected.changes >= 2);
      assert.equal(
        (await e.services.collection.recordValues(news.subjectId, 'form', news.id)).first_name,
        'Wanda Walker',
      );
      assert.equal(
        (await e.services.collection.recordValues(news.subjectId, 'form', appt.id)).name,
        'Wanda Walker',
      );

      // Part of the data: the appointment's own categories go, the rest stays.
      await e.services.datasets.delete(who, { categories: ['appointment'] });
      const left = await e.services.collection.recordValues(news.subjectId, 'form', appt.id);
      assert.deepEqual(Object.keys(left).sort(), ['name', 'texts_ok']);
      // All of it: every value and both submissions.
      await e.services.datasets.delete(who, { categories: 'all' });
      assert.deepEqual(await formRowsOf(e, news.subjectId), { values: 0, submissions: 0 });
      assert.deepEqual(await e.services.subjects.identifiers(news.subjectId), []);
    });

    it('leaves nothing of a person under 13 when staff mark them (the purge)', async () => {
      const e = env();
      const news = (await post(e, NEWSLETTER, { email: 'young.news@example.com', first_name: 'Yan' })).json();
      const proposed = await post(e, '/v1/subjects/under13', { subjectId: news.subjectId });
      assert.equal(proposed.statusCode, 202, proposed.body);
      await e.services.under13.approve(proposed.json().id, 'another-privacy-officer');
      assert.deepEqual(await formRowsOf(e, news.subjectId), { values: 0, submissions: 0 });
      const again = await post(e, NEWSLETTER, { email: 'young.news@example.com' });
      assert.equal(again.json().error.code, 'VOW_UNDER_13');
    });
  },
  { policy: formsPolicy() },
);
