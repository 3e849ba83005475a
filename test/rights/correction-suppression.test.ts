// P11 through a correction (P21): an email corrected to an address on the suppression list (here an
// imported unsubscribe's entries) leaves the person withdrawn on every email marketing channel, each
// event saying the list is why, as a collection of that address would; a correction to an address
// not on the list, or to a listed one the person already held, changes no consent; a retried
// fulfilment records nothing twice.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { channelsOfMedium } from '../../src/modules/consent/index.js';
import type { OutgoingMessage } from '../../src/platform/mail/index.js';
import { address, catalogBody, orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { approvedCorrection, captureMail } from './real-flow.js';

describeEachDialect('a correction to an address on the suppression list', (env) => {
  let sent: OutgoingMessage[] = [];
  before(() => {
    sent = captureMail(env);
  });

  async function person(e: TestEnv, n: string): Promise<string> {
    const email = `sue.${n}@example.com`;
    const body = orderBody(`sup-${n}`, {
      buyer: {
        name: `Sue Listed ${n}`,
        email,
        phone: `(608) 265-34${n.length === 1 ? `0${n}` : n}`,
        billing_address: address(`${n} Listed Road`),
        shipping_address: address(`${n} Listed Road`),
      },
    });
    assert.equal((await post(e, '/v1/orders', body)).statusCode, 201);
    return (await e.services.subjects.findByEmail(email))!;
  }

  /** The address's entries, as an imported unsubscribe list leaves them (every email marketing channel). */
  async function listed(e: TestEnv, email: string): Promise<string[]> {
    const channels = channelsOfMedium(e.ctx.policy, 'email');
    await e.services.consent.suppressIdentifier(undefined, {
      indexKind: 'email',
      blindIndex: e.ctx.vault.blindIndex('email', email),
      channels,
      reason: 'imported unsubscribe (test)',
    });
    return channels;
  }

  const events = (e: TestEnv, subjectId: string) =>
    e.store.db
      .selectFrom('consent_events')
      .select(['channel', 'event', 'cause_type', 'cause_ref', 'details'])
      .where('subject_ref', '=', subjectId)
      .orderBy('seq')
      .execute();

  const decide = (e: TestEnv, id: string) =>
    e.services.decisions.decide({
      subject: { id },
      purpose: 'marketing.email',
      categories: ['contact.email'],
    });

  it('withdraws the person from every email marketing channel, each event saying why, once', async () => {
    const e = env();
    const subjectId = await person(e, '1');
    const channels = await listed(e, 'sue.unsubscribed@example.com');
    const before = await e.services.consent.states(subjectId);
    assert.ok(
      channels.some((c) => before[c] === 'enrolled' || before[c] === 'granted'),
      JSON.stringify(before),
    );
    assert.equal((await decide(e, subjectId)).decision, 'allow');
    // The answer's first attempt fails after every other step is recorded: the retry runs none again.
    const enqueue = e.services.mail.enqueue;
    let failOnce = true;
    e.services.mail.enqueue = ((...args: Parameters<typeof enqueue>) => {
      if (failOnce && String(args[0].kind).startsWith('rights.reply.')) {
        failOnce = false;
        throw new Error('outbox unavailable');
      }
      return enqueue.apply(e.services.mail, args);
    }) as typeof enqueue;
    let id: string;
    try {
      id = await approvedCorrection(e, sent, 'sue.1@example.com', {
        category: 'contact.email',
        value: 'Sue.Unsubscribed@example.com',
      });
      await e.services.jobs.drain();
      assert.equal(failOnce, false, 'the answer failed once');
      assert.equal((await e.services.rights.get(id)).status, 'in_progress');
      e.clock.advance(60_000);
      await e.services.jobs.drain();
    } finally {
      e.services.mail.enqueue = enqueue;
    }
    assert.equal((await e.services.rights.get(id)).status, 'completed');
    const after = await e.services.consent.states(subjectId);
    for (const c of channels) if (before[c] !== undefined) assert.equal(after[c], 'withdrawn', c);
    const withdrawn = (await events(e, subjectId)).filter((x) => x.event === 'withdrawn');
    assert.deepEqual(
      withdrawn.map((x) => x.channel).sort(),
      channels.filter((c) => before[c] !== undefined && before[c] !== 'withdrawn').sort(),
      'one event a channel the person was on',
    );
    for (const x of withdrawn) {
      assert.equal(x.cause_type, 'request');
      assert.equal(x.cause_ref, 'suppression_list');
      assert.deepEqual(JSON.parse(x.details), { requestId: id, blockedBy: 'suppression_list' });
    }
    // Applied again (a second fulfilment of the same person): nothing more to record.
    const given = [
      {
        indexKind: 'email' as const,
        blindIndex: e.ctx.vault.blindIndex('email', 'sue.unsubscribed@example.com'),
      },
    ];
    assert.deepEqual(await e.services.consent.applySuppressionList(undefined, subjectId, given), {
      events: 0,
    });
    assert.equal(
      (await events(e, subjectId)).filter((x) => x.event === 'withdrawn').length,
      withdrawn.length,
    );
    const now = await decide(e, subjectId);
    assert.equal(now.decision, 'deny', JSON.stringify(now));
  });

  it('leaves alone a channel the person is on while an address they held before is listed', async () => {
    // The person's own email went on the list without withdrawing them (as a deletion of someone
    // sharing the address leaves them), or they came back after it (a START text re-grants without
    // lifting the entry): a correction of their phone gives them no listed address, so no event.
    const e = env();
    const subjectId = await person(e, '3');
    await listed(e, 'sue.3@example.com');
    const before = await events(e, subjectId);
    assert.equal((await e.services.consent.states(subjectId)).email_marketing, 'enrolled');
    const id = await approvedCorrection(e, sent, 'sue.3@example.com', {
      category: 'contact.phone',
      value: '+1 608 265 3499',
    });
    await e.services.jobs.drain();
    assert.equal((await e.services.rights.get(id)).status, 'completed');
    assert.deepEqual(await events(e, subjectId), before, 'no consent event');
    assert.equal((await e.services.consent.states(subjectId)).email_marketing, 'enrolled');
  });

  it('leaves alone a person corrected to a listed address they already held', async () => {
    // Their second email went on the list without withdrawing them (a deletion of someone sharing
    // it): the correction makes it their only one, which is no new reason (the old code withdrew).
    const e = env();
    const subjectId = await person(e, '6');
    const second = orderBody('sup-6b', {
      buyer: {
        name: 'Sue Listed 6',
        email: 'sue.six.work@example.com',
        phone: '(608) 265-3406',
        billing_address: address('6 Listed Road'),
        shipping_address: address('6 Listed Road'),
      },
    });
    assert.equal((await post(e, '/v1/orders', second)).statusCode, 201);
    assert.equal(await e.services.subjects.findByEmail('sue.six.work@example.com'), subjectId, 'one person');
    await listed(e, 'sue.six.work@example.com');
    assert.equal((await e.services.consent.states(subjectId)).email_marketing, 'enrolled');
    const before = await events(e, subjectId);
    const id = await approvedCorrection(e, sent, 'sue.6@example.com', {
      category: 'contact.email',
      value: 'Sue.Six.Work@example.com',
    });
    await e.services.jobs.drain();
    assert.equal((await e.services.rights.get(id)).status, 'completed');
    assert.deepEqual(await events(e, subjectId), before, 'no consent event');
    assert.equal((await e.services.consent.states(subjectId)).email_marketing, 'enrolled');
  });

  it('takes an entry for every channel as the channels the address reaches: not postal mail', async () => {
    // A hard bounce, or a deletion, lists an email for '*'. Mail feedback and an imported bounce
    // withdraw its holders from email marketing only; catalogs go by post (P12: customer service
    // removes them). A correction to that email does the same.
    const e = env();
    const res = await post(
      e,
      '/v1/catalog-requests',
      catalogBody('star', { email: 'cara.star@example.com' }),
    );
    assert.equal(res.statusCode, 201, res.body);
    const subjectId = (await e.services.subjects.findByEmail('cara.star@example.com'))!;
    await e.services.consent.suppressIdentifier(undefined, {
      indexKind: 'email',
      blindIndex: e.ctx.vault.blindIndex('email', 'cara.bounced@example.com'),
      reason: 'hard_bounce:5.1.1',
    });
    const before = await e.services.consent.states(subjectId);
    assert.equal(before.email_marketing, 'enrolled', JSON.stringify(before));
    assert.equal(before.postal_marketing, 'enrolled', JSON.stringify(before));
    const id = await approvedCorrection(e, sent, 'cara.star@example.com', {
      category: 'contact.email',
      value: 'cara.bounced@example.com',
    });
    await e.services.jobs.drain();
    assert.equal((await e.services.rights.get(id)).status, 'completed');
    const after = await e.services.consent.states(subjectId);
    assert.equal(after.email_marketing, 'withdrawn');
    assert.equal(after.postal_marketing, 'enrolled', 'catalogs still go by post');
    const withdrawn = (await events(e, subjectId)).filter((x) => x.event === 'withdrawn');
    assert.deepEqual(
      withdrawn.map((x) => x.channel).sort(),
      channelsOfMedium(e.ctx.policy, 'email')
        .filter((c) => before[c] !== undefined && before[c] !== 'withdrawn')
        .sort(),
    );
  });

  it('changes no consent when the new address is not on the list', async () => {
    const e = env();
    const subjectId = await person(e, '2');
    await listed(e, 'someone.else@example.com');
    const before = await events(e, subjectId);
    const id = await approvedCorrection(e, sent, 'sue.2@example.com', {
      category: 'contact.email',
      value: 'sue.moved@example.com',
    });
    await e.services.jobs.drain();
    assert.equal((await e.services.rights.get(id)).status, 'completed');
    assert.deepEqual(await events(e, subjectId), before);
  });

  it('records nothing for a person whose erasure began, and does not fail the step', async () => {
    const e = env();
    const subjectId = await person(e, '5');
    await listed(e, 'sue.5@example.com');
    const before = await events(e, subjectId);
    // The erasure's first step: the person's data key closed (no writer stores anything more for them).
    await e.store.db.transaction().execute((trx) => e.ctx.vault.closeKeys(trx, [subjectId]));
    const applied = await e.services.consent.applySuppressionList(undefined, subjectId, [
      { indexKind: 'email', blindIndex: e.ctx.vault.blindIndex('email', 'sue.5@example.com') },
    ]);
    assert.deepEqual(applied, { events: 0 });
    assert.deepEqual(await events(e, subjectId), before);
  });
});
