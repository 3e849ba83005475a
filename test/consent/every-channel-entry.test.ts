// What an entry of the suppression list for every channel ('*': a deletion, a hard bounce) covers,
// the same for every reader of the list (consent's list-coverage.ts): the channels its address's
// medium reaches. A bounced or deleted email says nothing about a postal address: a collection by
// that email is withdrawn from email marketing where it does not lift the entry, and still enrolled
// for catalogs by post (P12); lifting the entry for one channel (P11: a new contest entry or catalog
// request) keeps it for the medium's other channels only, never for catalogs or texts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { channelsOfMedium } from '../../src/modules/consent/index.js';
import { parsePolicy } from '../../src/modules/policy/load-policy.js';
import { catalogBody, orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';

/** As a hard bounce lists it (mail-feedback.ts): every channel, the default. */
async function bounced(e: TestEnv, email: string): Promise<string> {
  const blindIndex = e.ctx.vault.blindIndex('email', email);
  await e.services.consent.suppressIdentifier(undefined, {
    indexKind: 'email',
    blindIndex,
    reason: 'hard_bounce:5.1.1',
  });
  return blindIndex;
}

async function entries(e: TestEnv, blindIndex: string): Promise<string[]> {
  const rows = await e.store.db
    .selectFrom('suppression_list')
    .select('channel')
    .where('blind_index', '=', blindIndex)
    .execute();
  return rows.map((r) => r.channel).sort();
}

describeEachDialect("an entry for every channel ('*') on the suppression list", (env) => {
  it('lifted by a contest entry, is kept for the other email marketing channels only', async () => {
    const e = env();
    const index = await bounced(e, 'dora.contest@example.com');
    const res = await post(e, '/v1/contest-entries', { email: 'dora.contest@example.com' });
    assert.equal(res.statusCode, 201, res.body);
    const subjectId = (await e.services.subjects.findByEmail('dora.contest@example.com'))!;
    assert.equal((await e.services.consent.states(subjectId)).email_marketing, 'enrolled');
    const others = channelsOfMedium(e.ctx.policy, 'email').filter((c) => c !== 'email_marketing');
    assert.ok(others.length > 0, 'the default policy has another email marketing channel');
    assert.deepEqual(await entries(e, index), others.sort(), 'no entry for postal mail or texts');
    for (const c of ['postal_marketing', 'sms_marketing'])
      assert.equal(
        await e.services.consent.isIdentifierSuppressed('email', index, c),
        false,
        `${c} is not suppressed for the email`,
      );
  });

  it('leaves a catalog request by that email enrolled for catalogs by post', async () => {
    const e = env();
    const index = await bounced(e, 'cara.bounced@example.com');
    const res = await post(
      e,
      '/v1/catalog-requests',
      catalogBody('bnc', { email: 'cara.bounced@example.com' }),
    );
    assert.equal(res.statusCode, 201, res.body);
    const subjectId = (await e.services.subjects.findByEmail('cara.bounced@example.com'))!;
    const states = await e.services.consent.states(subjectId);
    assert.equal(states.postal_marketing, 'enrolled', JSON.stringify(states));
    // A catalog request re-enrolls email marketing (P11): the entry is lifted for it.
    assert.equal(states.email_marketing, 'enrolled', JSON.stringify(states));
    assert.deepEqual(await entries(e, index), ['account_updates']);
  });

  it('of a phone, leaves an order by its holder enrolled in email marketing (texts only)', async () => {
    const e = env();
    const body = orderBody('star-phone', {
      buyer: { ...orderBody('star-phone').buyer, phone: '(608) 555-0177' },
    });
    await e.services.consent.suppressIdentifier(undefined, {
      indexKind: 'phone',
      blindIndex: e.ctx.vault.blindIndex('phone', '+16085550177'),
      reason: 'deletion (test)',
    });
    const res = await post(e, '/v1/orders', body);
    assert.equal(res.statusCode, 201, res.body);
    const subjectId = res.json().subjectId as string;
    assert.equal((await e.services.consent.states(subjectId)).email_marketing, 'enrolled');
  });
});

// A retailer whose catalog request does not bring email marketing back after an unsubscribe: the
// entry is not lifted, and the request still enrolls its sender for the catalog.
const source = readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8');
const reEnrol = '    re_enrolled_by: [contest_entry, catalog_request]';
assert.equal(
  source.split(reEnrol).length,
  2,
  'the default policy re-enrolls email marketing by a catalog request',
);
const parsed = parsePolicy(source.replace(reEnrol, '    re_enrolled_by: [contest_entry]'));
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));

describeEachDialect(
  "an entry for every channel ('*') a catalog request does not lift",
  (env) => {
    const check = async (e: TestEnv, email: string, index: string) => {
      const subjectId = (await e.services.subjects.findByEmail(email))!;
      const states = await e.services.consent.states(subjectId);
      assert.equal(states.email_marketing, 'withdrawn', JSON.stringify(states));
      assert.equal(states.postal_marketing, 'enrolled', JSON.stringify(states));
      const blocked = await e.store.db
        .selectFrom('consent_events')
        .select('channel')
        .where('subject_ref', '=', subjectId)
        .where('cause_ref', '=', 'suppression_list')
        .execute();
      assert.deepEqual(
        blocked.map((b) => b.channel),
        ['email_marketing'],
      );
      assert.deepEqual(await entries(e, index), ['*'], 'the entry stays as it was');
    };

    it('withdraws a catalog request from email marketing and enrolls it for catalogs by post', async () => {
      const e = env();
      const email = 'cara.one@example.com';
      const index = await bounced(e, email);
      const res = await post(e, '/v1/catalog-requests', catalogBody('one', { email }));
      assert.equal(res.statusCode, 201, res.body);
      await check(e, email, index);
    });

    it('does the same in a batch of collections', async () => {
      const e = env();
      const email = 'cara.batch@example.com';
      const index = await bounced(e, email);
      await e.services.collection.collectBatch([
        { type: 'catalog_request', body: catalogBody('batch', { email }) as never },
        { type: 'contest_entry', body: { email: 'someone.else@example.com' } as never },
      ]);
      await check(e, email, index);
    });
  },
  { policy: parsed.policy },
);
