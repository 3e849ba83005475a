// GDPR Art. 34 done by Vow: the people affected by a high-risk breach get one email each, written by
// the privacy officer and framed with the contact point and the controller's postal address, queued by
// ONE job that walks them through the subjects module. A retried or killed job writes to no one twice;
// a person erased since, one without an email on file, one outside the window or the categories get
// nothing. Refused unless the incident is decided a high risk.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TELL_PEOPLE_JOB, TOLD_BY_VOW } from '../../src/modules/incidents/index.js';
import { catalogBody, giftRecipient, markUnder13, orderBody, post } from '../collection/fixtures.js';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { highRiskThroughService } from '../helpers/incidents.js';
import { captureMail } from '../helpers/mail.js';
import { inBoth } from './notice-fixtures.js';

const HOUR = 3_600_000;
const DRAFT = {
  subject: 'Jewelry Co: a breach concerns your address',
  whatHappened: 'A courier lost a box of printed packing slips with names and postal addresses.',
  consequences: 'Someone could send you mail pretending to be us.',
  measures: 'We changed courier and asked the police to look for the box.',
  advice: 'Be wary of letters asking you to pay for a ring you did not order.',
};

async function person(e: TestEnv, n: string, gift = false): Promise<string> {
  const res = await post(
    e,
    '/v1/orders',
    orderBody(n, gift ? { gift_recipient: giftRecipient(n, { email: undefined }) } : {}),
  );
  assert.equal(res.statusCode, 201, res.body);
  return res.json().subjectId as string;
}

const highRiskIncident = (e: TestEnv, categories = ['contact.postal_address']) =>
  highRiskThroughService(e, DRAFT, { categories, reason: 'Names with home addresses' });

describeEachDialect('incidents: Vow tells the people affected (Art. 34)', (env) => {
  it('refuses unless the incident is decided a high risk, and needs the Art. 34(2) content', async () => {
    const e = env();
    const inc = await e.services.incidents.record(
      {
        summary: 'A laptop was stolen.',
        dataCategories: ['contact.postal_address'],
        subjectKinds: ['customer'],
      },
      { staffId: 'officer-1', privacyOfficer: true },
    );
    for (const level of [undefined, 'risk'] as const) {
      if (level) await e.services.incidents.decideRisk(inc.id, level, 'Encrypted disk, key separate', 'o');
      await assert.rejects(e.services.incidentNotices.queue(inc.id, inBoth(DRAFT), 'o'), {
        code: 'VOW_INCIDENT_NOT_HIGH_RISK',
      });
      await assert.rejects(e.services.incidentNotices.preview(inc.id, inBoth(DRAFT)), {
        code: 'VOW_INCIDENT_NOT_HIGH_RISK',
      });
    }
    await e.services.incidents.decideRisk(inc.id, 'high', 'It was not encrypted after all', 'o');
    await assert.rejects(
      e.services.incidentNotices.queue(inc.id, inBoth({ ...DRAFT, consequences: ' ' }), 'o'),
      {
        code: 'VOW_INCIDENT_INVALID',
      },
    );
    await assert.rejects(
      e.services.incidentNotices.queue(inc.id, inBoth({ ...DRAFT, advice: 'Write to ann@example.com' }), 'o'),
      { code: 'VOW_INCIDENT_INVALID' },
    );
    assert.equal(await e.services.incidentNotices.progress(inc.id), null, 'nothing queued');
    assert.equal((await e.services.jobs.list({ name: TELL_PEOPLE_JOB })).length, 0);
  });

  it('mails each affected person with an address exactly once, even when the job is killed mid-way and run again', async () => {
    const e = env();
    const sent = captureMail(e);
    const buyers = [];
    for (const n of ['t1', 't2', 't3', 't4', 't5']) buyers.push(await person(e, n));
    await person(e, 't6', true); // a buyer, and a gift recipient with no email on file
    const purged = await person(e, 't7');
    const id = await highRiskIncident(e);
    e.clock.advance(HOUR);
    await person(e, 't-late'); // after the breach became known: outside the window
    assert.equal((await markUnder13(e, purged)).statusCode, 200);

    const preview = await e.services.incidentNotices.preview(id, inBoth(DRAFT));
    assert.equal(preview.recipients, 7, 'six buyers and the gift recipient; the erased one is gone');
    await e.services.incidentNotices.queue(id, inBoth(DRAFT), 'officer-1');
    await assert.rejects(e.services.incidentNotices.queue(id, inBoth(DRAFT), 'officer-1'), {
      code: 'VOW_INCIDENT_STATE',
    });

    // The worker dies after its first batch of two (its lease lost at the second heartbeat).
    let beats = 0;
    const dies = {
      heartbeat: async () => {
        if (++beats === 2) throw new Error('killed');
      },
    };
    await assert.rejects(e.services.incidentNotices.run(id, dies, { batchSize: 2 }), /killed/);
    const half = await e.services.incidentNotices.progress(id);
    assert.equal(half?.queued, 2);
    assert.equal(half?.doneAt, null);
    assert.equal((await e.services.incidents.get(id)).subjectsInformed, null, 'not told yet');

    // The runner retries the job; then runs it once more: nothing is written twice.
    await e.services.jobs.drain();
    await e.services.incidentNotices.run(id);
    await e.services.jobs.drain();
    const mine = sent.filter((m) => m.subject.startsWith(DRAFT.subject));
    const to = mine.map((m) => m.to).sort();
    assert.deepEqual(
      to,
      ['t1', 't2', 't3', 't4', 't5', 't6'].map((n) => `ann.buyer${n}@example.com`),
      'each buyer once; not the erased one, not the one after the breach',
    );
    const done = await e.services.incidentNotices.progress(id);
    assert.equal(done?.queued, 6);
    assert.equal(done?.noAddress, 1);
    assert.ok(done?.doneAt);
    const incident = await e.services.incidents.get(id);
    assert.deepEqual(incident.subjectsInformed, { at: e.clock.now().toISOString(), how: TOLD_BY_VOW });
    assert.equal((await e.services.jobs.list({ name: TELL_PEOPLE_JOB })).length, 1, 'one job');

    // What each person gets: Art. 34(2) with Art. 33(3)(b)-(d), no unsubscribe, nothing of anyone else.
    const c = e.ctx.policy.doc.controller;
    for (const m of mine) {
      const bytes = JSON.stringify(m);
      for (const part of [
        DRAFT.whatHappened,
        DRAFT.consequences,
        DRAFT.measures,
        DRAFT.advice,
        c.name,
        c.email,
        c.postal_address,
        'GDPR Art. 34',
      ])
        assert.ok(m.text.includes(part), `holds ${part}`);
      assert.ok(!/unsubscribe/i.test(bytes), 'a legal notice: no unsubscribe');
      assert.equal((bytes.match(/@example\.com/g) ?? []).length, 1, 'names only its recipient');
    }
    // Erasing a person told takes the record that they were (ids only) with them.
    const told = async (s: string) =>
      (await e.store.db.selectFrom('incident_notices').select('status').where('subject_id', '=', s).execute())
        .length;
    assert.equal(await told(buyers[0]!), 1);
    assert.equal((await markUnder13(e, buyers[0]!)).statusCode, 200);
    assert.equal(await told(buyers[0]!), 0);
    const audit = await e.ctx.audit.list({ targetType: 'incident', targetId: id, limit: 100 });
    const text = JSON.stringify(audit);
    assert.ok(audit.some((a) => a.action === 'incident.notice_queued'));
    assert.ok(!/example\.com|Buyer/.test(text), 'audited with ids and counts only');
  });

  it('writes only to the people with data of the incident’s categories', async () => {
    const e = env();
    const sent = captureMail(e);
    await person(e, 'cat-1');
    const res = await post(e, '/v1/catalog-requests', catalogBody('cat-2'));
    assert.equal(res.statusCode, 201);
    const id = await highRiskIncident(e, ['demographic.relationship_status']);
    await e.services.incidentNotices.queue(id, inBoth(DRAFT), 'officer-1');
    await e.services.jobs.drain();
    await e.services.jobs.drain();
    assert.deepEqual(
      sent.filter((m) => m.subject.startsWith(DRAFT.subject)).map((m) => m.to),
      ['cara.catalogcat-2@example.com'],
    );
  });
});
