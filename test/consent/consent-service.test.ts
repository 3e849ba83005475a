import assert from 'node:assert/strict';
import { it } from 'node:test';
import { deriveStates } from '../../src/modules/consent/ledger.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect('consent service', (env) => {
  const collect = (subjectId: string, collectionPoint: string, kinds: string[], optIns: string[] = []) => {
    const { services, store, clock } = env();
    return store.db.transaction().execute((trx) =>
      services.consent.recordCollection(trx, {
        subjectId,
        collectionPoint,
        kinds,
        optIns,
        at: clock.now(),
      }),
    );
  };

  it('keeps a buyer unsubscribed after a later purchase (P11)', async () => {
    const { services } = env();
    const id = 'a0000000-0000-4000-8000-000000000001';
    await collect(id, 'checkout', ['customer']);
    assert.equal((await services.consent.states(id)).email_marketing, 'enrolled');
    assert.equal(
      await services.consent.unsubscribe(undefined, {
        subjectId: id,
        channel: 'email_marketing',
        cause: { type: 'link_click' },
      }),
      true,
    );
    await collect(id, 'checkout', ['customer']);
    await collect(id, 'registration', ['account_holder']);
    assert.equal((await services.consent.states(id)).email_marketing, 'withdrawn');
    assert.deepEqual(
      (await services.consent.history(id)).map((e) => e.event),
      ['enrolled', 'unsubscribed'],
    );
  });

  it('re-enrolls an unsubscribed person who enters a new contest (P11)', async () => {
    const { services } = env();
    const id = 'a0000000-0000-4000-8000-000000000002';
    await collect(id, 'contest_entry', ['contestant']);
    await services.consent.unsubscribe(undefined, {
      subjectId: id,
      channel: 'email_marketing',
      cause: { type: 'link_click' },
    });
    env().clock.advance(86_400_000);
    await collect(id, 'contest_entry', ['contestant']);
    const history = await services.consent.history(id);
    assert.deepEqual(
      history.map((e) => [e.event, e.cause_type, e.cause_ref]),
      [
        ['enrolled', 'collection_point', 'contest_entry'],
        ['unsubscribed', 'link_click', null],
        ['re_enrolled', 'collection_point', 'contest_entry'],
      ],
    );
    assert.equal(history[2]!.policy_version, env().ctx.policy.version);
    assert.equal((await services.consent.states(id)).email_marketing, 'enrolled');
  });

  it('unsubscribes idempotently: a second unsubscribe adds no event', async () => {
    const { services } = env();
    const id = 'a0000000-0000-4000-8000-000000000003';
    await collect(id, 'checkout', ['customer']);
    const cause = { type: 'link_click' as const };
    assert.equal(
      await services.consent.unsubscribe(undefined, { subjectId: id, channel: 'email_marketing', cause }),
      true,
    );
    assert.equal(
      await services.consent.unsubscribe(undefined, { subjectId: id, channel: 'email_marketing', cause }),
      false,
    );
    assert.equal((await services.consent.history(id)).length, 2);
  });

  it('records one unsubscribe when several arrive at the same moment', async () => {
    const { services } = env();
    const id = 'a0000000-0000-4000-8000-000000000006';
    await collect(id, 'checkout', ['customer']);
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        services.consent.unsubscribe(undefined, {
          subjectId: id,
          channel: 'email_marketing',
          cause: { type: 'link_click' },
        }),
      ),
    );
    assert.equal(results.filter(Boolean).length, 1);
    const events = (await services.consent.history(id)).filter((e) => e.event === 'unsubscribed');
    assert.equal(events.length, 1);
  });

  it('records a staff suppression with the staff id and an audit entry; a new catalog request keeps it', async () => {
    const { services, ctx } = env();
    const id = 'a0000000-0000-4000-8000-000000000004';
    await collect(id, 'catalog_request', ['catalog_requester']);
    const r = await services.consent.suppress(undefined, {
      subjectId: id,
      channel: 'postal_marketing',
      staffId: 'staff-7',
      reason: 'Asked by phone to stop the catalog',
    });
    assert.equal(r.alreadySuppressed, false);
    await collect(id, 'catalog_request', ['catalog_requester']);
    const states = await services.consent.states(id);
    assert.equal(states.postal_marketing, 'withdrawn');
    assert.equal(states.email_marketing, 'enrolled');
    const suppressed = (await services.consent.history(id)).filter((e) => e.event === 'suppressed');
    assert.equal(suppressed.length, 1);
    assert.equal(suppressed[0]!.staff_id, 'staff-7');
    const audit = await ctx.audit.list({ targetType: 'subject', targetId: id });
    const entry = audit.find((a) => a.action === 'consent.suppressed');
    assert.equal(entry?.actor_type, 'staff');
    assert.equal(entry?.actor_id, 'staff-7');
    // an explicit ask on a new catalog request brings the person back
    await collect(id, 'catalog_request', ['catalog_requester'], ['postal_marketing']);
    assert.equal((await services.consent.states(id)).postal_marketing, 'enrolled');
  });

  it('makes decide() deny email marketing to the unsubscribed', async () => {
    const { services } = env();
    const id = 'a0000000-0000-4000-8000-000000000005';
    await collect(id, 'checkout', ['customer']);
    const ask = () =>
      services.decisions.decide({
        subject: { kinds: ['customer'] },
        purpose: 'marketing.email',
        categories: ['contact.email'],
      });
    assert.equal((await ask()).decision, 'allow');
    const provided = await services.consent.provider(id);
    assert.deepEqual(provided, { channels: { email_marketing: 'enrolled' } });
    await services.consent.unsubscribe(undefined, {
      subjectId: id,
      channel: 'email_marketing',
      cause: { type: 'link_click' },
    });
    assert.deepEqual(await services.consent.provider(id), { channels: { email_marketing: 'withdrawn' } });
  });

  it('keeps consent_state equal to the fold of the ledger', async () => {
    const { services, store } = env();
    const people = ['b1', 'b2', 'b3'].map(
      (x) => `b0000000-0000-4000-8000-0000000000${x.slice(1).padStart(2, '0')}`,
    );
    const points: [string, string[], string[]][] = [
      ['checkout', ['customer'], []],
      ['contest_entry', ['contestant'], []],
      ['catalog_request', ['catalog_requester'], []],
      ['registration', ['account_holder'], ['account_updates']],
      ['sms_signup', ['sms_subscriber'], ['sms_marketing']],
    ];
    let n = 7;
    for (let step = 0; step < 40; step++) {
      n = (n * 1103515245 + 12345) % 2147483648;
      const person = people[n % people.length]!;
      const action = (n >> 8) % 8;
      if (action < 5) {
        const [cp, kinds, optIns] = points[action]!;
        await collect(person, cp, kinds, optIns);
      } else if (action === 5) {
        await services.consent.unsubscribe(undefined, {
          subjectId: person,
          channel: 'email_marketing',
          cause: { type: 'link_click' },
        });
      } else if (action === 6) {
        await services.consent.suppress(undefined, {
          subjectId: person,
          channel: 'postal_marketing',
          reason: 'test',
          staffId: 's1',
        });
      } else {
        await services.consent.record(undefined, {
          subjectRef: person,
          channel: 'sms_marketing',
          event: 'withdrawn',
          cause: { type: 'sms_keyword', ref: 'STOP' },
        });
      }
    }
    for (const person of people) {
      const folded = deriveStates(await services.consent.history(person));
      const stored = await store.db
        .selectFrom('consent_state')
        .selectAll()
        .where('subject_ref', '=', person)
        .execute();
      assert.deepEqual(Object.fromEntries(stored.map((r) => [r.channel, r.state])), folded);
    }
  });

  it('refuses an unknown channel and changes nothing', async () => {
    const { services, store } = env();
    const before = await store.db
      .selectFrom('consent_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    await assert.rejects(
      services.consent.unsubscribe(undefined, {
        subjectId: 'x',
        channel: 'fax_marketing',
        cause: { type: 'api' },
      }),
      { code: 'VOW_CONSENT_UNKNOWN_CHANNEL' },
    );
    const after = await store.db
      .selectFrom('consent_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
  });
});
