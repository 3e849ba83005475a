// A batch of imported opt-outs recorded at once (consent's recordImportedWithdrawals, what
// batch-writer's finish calls for a batch of an unsubscribed or cleaned list) writes exactly what
// the same opt-outs one after the other write: the same ledger events with the same details, the
// same suppression entries, audit entries and opt-out jobs, and nothing for a channel an earlier
// row of the batch withdrew. Covered: people enrolled, an address two people hold, a person with two
// of the listed addresses, people already withdrawn (wholly, or on one channel), an address nobody
// holds, an address listed twice. A person whose erasure began gets no event (the erasure deletes
// their consent rows) while their address is listed all the same, and the import refuses nothing.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import type { Insertable } from 'kysely';
import {
  type ImportedWithdrawal,
  recordImportedWithdrawal,
  recordImportedWithdrawals,
} from '../../src/modules/consent/index.js';
import type { Database } from '../../src/platform/store/index.js';
import { contestEmail, writeContestant } from '../helpers/audience.js';
import { describeEachDialect, describeOnPostgres, type TestEnv } from '../helpers/env.js';
import { scratchFolder } from '../helpers/import-files.js';
import { pgStatements } from '../helpers/pg-statements.js';

type Stored = 'enrolled' | 'granted' | 'withdrawn';
const EVENT_OF = { enrolled: 'enrolled', granted: 'consented', withdrawn: 'unsubscribed' } as const;

/** A person holding `emails`, on the channels in `states`, written straight to the tables. */
async function person(env: TestEnv, emails: readonly string[], states: Record<string, Stored>) {
  const id = env.ctx.random.uuid();
  const identifiers: Insertable<Database['subject_identifiers']>[] = [];
  for (const [n, email] of emails.entries())
    identifiers.push(await contestEmail(env, id, email, `r-${id}-${n}`));
  await writeContestant(
    env,
    id,
    identifiers,
    Object.fromEntries(Object.entries(states).map(([channel, state]) => [channel, EVENT_OF[state]])),
  );
  return id;
}

/** The scenario's people, their addresses made of `tag`; their ids by name. */
async function scenario(env: TestEnv, tag: string) {
  const at = (name: string) => `${tag}.${name}@example.com`;
  const both = { email_marketing: 'enrolled', account_updates: 'granted' } as const;
  const people = {
    ann: await person(env, [at('ann')], both),
    bob: await person(env, [at('bob')], { email_marketing: 'enrolled' }),
    sue: await person(env, [at('shared')], { email_marketing: 'enrolled' }),
    sam: await person(env, [at('shared')], { email_marketing: 'enrolled' }),
    tia: await person(env, [at('tia1'), at('tia2')], both),
    wes: await person(env, [at('wes')], { email_marketing: 'withdrawn' }),
    wil: await person(env, [at('wil')], { email_marketing: 'withdrawn', account_updates: 'granted' }),
  };
  const row = (name: string, why: ImportedWithdrawal['why']): ImportedWithdrawal => ({
    identifier: { kind: 'email', value: at(name) },
    why,
    evidence: { file: `${tag}.csv`, row: 0 },
  });
  const inputs = [
    row('ann', 'unsubscribed'), // enrolled and granted: two events
    row('shared', 'unsubscribed'), // two people: an event each
    row('tia1', 'unsubscribed'), // two events
    row('nobody', 'unsubscribed'), // nobody holds it: entries only
    row('tia2', 'bounced'), // tia again, withdrawn by row 3: nothing
    row('wes', 'unsubscribed'), // withdrawn already: nothing
    row('bob', 'bounced'), // one event, `withdrawn`
    row('ann', 'bounced'), // listed twice: nothing, the entries keep the first reason
    row('wil', 'unsubscribed'), // off email_marketing already: account_updates only
  ].map((r, n) => ({ ...r, evidence: { ...r.evidence, row: n + 2 } }));
  return { people, inputs };
}

/** What the opt-outs of `tag` wrote, by person's name and row: events, audit entries, jobs, entries. */
async function written(env: TestEnv, tag: string, people: Record<string, string>) {
  const db = env.store.db;
  const name = new Map(Object.entries(people).map(([n, id]) => [id, n]));
  const events = await db
    .selectFrom('consent_events')
    .selectAll()
    .where('cause_ref', '=', 'import')
    .where('subject_ref', 'in', Object.values(people))
    .orderBy('seq')
    .execute();
  const ids = new Set(events.map((e) => e.id));
  const audit = (await db.selectFrom('audit_log').selectAll().orderBy('seq').execute()).filter((a) =>
    ids.has((JSON.parse(a.details) as { eventId?: string }).eventId ?? ''),
  );
  const jobs = (
    await db.selectFrom('jobs').select('payload').where('name', '=', 'downstream.opt_out').execute()
  )
    .map((j) => JSON.parse(j.payload) as { subjectId: string; channel: string; event: string })
    .filter((p) => name.has(p.subjectId))
    .map((p) => `${name.get(p.subjectId)} ${p.channel} ${p.event}`)
    .sort();
  const listed = new Map<string, string>();
  for (const n of ['ann', 'bob', 'shared', 'tia1', 'tia2', 'wes', 'wil', 'nobody'])
    listed.set(env.ctx.vault.blindIndex('email', `${tag}.${n}@example.com`), n);
  const entries = (
    await db
      .selectFrom('suppression_list')
      .select(['blind_index', 'channel', 'reason'])
      .where('blind_index', 'in', [...listed.keys()])
      .execute()
  )
    .map((e) => `${listed.get(e.blind_index)} ${e.channel} ${e.reason.split(' ')[1]}`)
    .sort();
  const states: Record<string, Record<string, string>> = {};
  for (const [n, id] of Object.entries(people)) states[n] = await env.services.consent.states(id);
  return {
    events: events.map((e) => {
      const details = JSON.parse(e.details) as { imported: string; source: { file: string; row: number } };
      assert.equal(details.source.file, `${tag}.csv`);
      return `${name.get(e.subject_ref)} ${e.channel} ${e.event} ${e.cause_type} ${details.imported} row ${details.source.row}`;
    }),
    audit: audit.map((a, n) => {
      const d = JSON.parse(a.details) as Record<string, string>;
      assert.equal(d.eventId, events[n]!.id, 'the audit entries name the events, in their order');
      assert.equal(d.eventAt, events[n]!.at);
      return `${a.action} ${a.actor_type} ${a.target_type} ${name.get(a.target_id ?? '')} ${d.channel} ${d.cause} ${d.causeRef} ${a.reason?.split(' ')[1]}`;
    }),
    jobs,
    entries,
    states,
  };
}

const EXPECTED_EVENTS = [
  'ann email_marketing unsubscribed request unsubscribed row 2',
  'ann account_updates unsubscribed request unsubscribed row 2',
  // The two holders of one address in their ids' order: compared by name below.
  'SHARED email_marketing unsubscribed request unsubscribed row 3',
  'SHARED email_marketing unsubscribed request unsubscribed row 3',
  'tia email_marketing unsubscribed request unsubscribed row 4',
  'tia account_updates unsubscribed request unsubscribed row 4',
  'bob email_marketing withdrawn request bounced row 8',
  'wil account_updates unsubscribed request unsubscribed row 10',
];

describeEachDialect('a batch of imported opt-outs', (env) => {
  it('writes what the same opt-outs one after the other write, and nothing twice', async () => {
    const batch = await scenario(env(), 'batch');
    const rows = await scenario(env(), 'rows');
    const { ctx, services } = env();
    const together = await env()
      .store.db.transaction()
      .execute((trx) => recordImportedWithdrawals(ctx, services.consent, trx, batch.inputs));
    const oneByOne = await env()
      .store.db.transaction()
      .execute(async (trx) => {
        const out = [];
        for (const input of rows.inputs)
          out.push(await recordImportedWithdrawal(ctx, services.consent, trx, input));
        return out;
      });
    const events = [2, 2, 2, 0, 0, 0, 1, 0, 1];
    assert.deepEqual(
      together.map((o) => o.events),
      events,
    );
    assert.deepEqual(
      oneByOne.map((o) => o.events),
      events,
    );
    assert.deepEqual(together[0]!.channels, ['email_marketing', 'account_updates']);

    const a = await written(env(), 'batch', batch.people);
    const b = await written(env(), 'rows', rows.people);
    assert.deepEqual(a, b, 'the batch wrote what one opt-out after the other wrote');

    const shared = (s: string) => s.replace(/^(sue|sam) /, 'SHARED ');
    assert.deepEqual(a.events.map(shared), EXPECTED_EVENTS);
    const sharedPair = a.events.slice(2, 4).map((e) => e.split(' ')[0]);
    const [sue, sam] = [batch.people.sue, batch.people.sam];
    assert.deepEqual(sharedPair, sue < sam ? ['sue', 'sam'] : ['sam', 'sue'], 'holders in their ids’ order');
    assert.equal(a.audit.length, 8);
    assert.deepEqual(
      a.audit.map((x) => x.replace(/ (sue|sam) /, ' SHARED ')),
      EXPECTED_EVENTS.map((e) => {
        const [who, channel, event, , imported] = e.split(' ');
        const reason = imported === 'unsubscribed' ? 'unsubscribe' : 'bounce';
        return `consent.${event} system subject ${who} ${channel} request import ${reason}`;
      }),
    );
    assert.deepEqual(
      a.jobs,
      a.events.map((e) => e.split(' ').slice(0, 3).join(' ')).sort(),
      'an opt-out job an event',
    );
    // Every address on the list for both channels, once, with the first row's reason.
    assert.deepEqual(
      a.entries,
      ['ann', 'bob', 'nobody', 'shared', 'tia1', 'tia2', 'wes', 'wil']
        .flatMap((n) => {
          const reason = n === 'bob' || n === 'tia2' ? 'bounce' : 'unsubscribe';
          return [`${n} account_updates ${reason}`, `${n} email_marketing ${reason}`];
        })
        .sort(),
    );
    const off = { email_marketing: 'withdrawn', account_updates: 'withdrawn' };
    assert.deepEqual(a.states, {
      ann: off,
      bob: { email_marketing: 'withdrawn' },
      sue: { email_marketing: 'withdrawn' },
      sam: { email_marketing: 'withdrawn' },
      tia: off,
      wes: { email_marketing: 'withdrawn' },
      wil: off,
    });

    // Again: nothing more.
    const again = await env()
      .store.db.transaction()
      .execute((trx) => recordImportedWithdrawals(ctx, services.consent, trx, batch.inputs));
    assert.deepEqual(
      again.map((o) => o.events),
      Array(9).fill(0),
    );
    assert.deepEqual(await written(env(), 'batch', batch.people), a);
  });

  it('lists the address of a person whose erasure began without an event for them; the import refuses no row', async () => {
    const { ctx, services, store } = env();
    const eve = await person(env(), ['eve.erased@example.com'], { email_marketing: 'enrolled' });
    const kit = await person(env(), ['kit.kept@example.com'], { email_marketing: 'enrolled' });
    await store.db.transaction().execute((trx) => ctx.vault.closeKeys(trx, [eve]));
    const listed = async (email: string) =>
      services.consent.isIdentifierSuppressed(
        'email',
        ctx.vault.blindIndex('email', email),
        'email_marketing',
      );
    const inputs = ['kit.kept', 'eve.erased'].map(
      (n, row): ImportedWithdrawal => ({
        identifier: { kind: 'email', value: `${n}@example.com` },
        why: 'unsubscribed',
        evidence: { file: 'erased.csv', row },
      }),
    );
    const outcomes = await store.db
      .transaction()
      .execute((trx) => recordImportedWithdrawals(ctx, services.consent, trx, inputs));
    assert.deepEqual(
      outcomes.map((o) => o.events),
      [1, 0],
    );
    assert.deepEqual(await services.consent.states(kit), { email_marketing: 'withdrawn' });
    const eveEvents = await store.db
      .selectFrom('consent_events')
      .select('event')
      .where('subject_ref', '=', eve)
      .execute();
    assert.deepEqual(
      eveEvents.map((e) => e.event),
      ['enrolled'],
      'no event for a person being erased',
    );
    assert.equal(await listed('eve.erased@example.com'), true, 'her address is listed (P11)');

    // Through the import: nothing refused; the new address is listed too.
    const csv = path.join(scratchFolder('optout-batch'), 'unsubscribed.csv');
    writeFileSync(
      csv,
      'Email Address,UNSUB_TIME\nkit.kept@example.com,2026-01-01 10:00:00\neve.erased@example.com,2026-01-01 10:00:00\nnew.one@example.com,2026-01-01 10:00:00\n',
    );
    const report = await services.imports.run({ file: csv, format: 'mailchimp' });
    assert.deepEqual(report.refusals, []);
    assert.equal(report.counts.ledgerEvents, 0, 'kit was withdrawn already, eve is being erased');
    assert.equal(await listed('new.one@example.com'), true);
  });
});

describeOnPostgres('the statements of a batch of imported opt-outs', (env) => {
  /** `n` people enrolled on both email channels, and a batch of their opt-outs. */
  async function batchOf(tag: string, n: number) {
    const inputs: ImportedWithdrawal[] = [];
    for (let i = 0; i < n; i++) {
      const email = `${tag}.${i}@example.com`;
      await person(env(), [email], { email_marketing: 'enrolled', account_updates: 'granted' });
      inputs.push({ identifier: { kind: 'email', value: email }, why: 'unsubscribed', evidence: { row: i } });
    }
    return inputs;
  }

  /** The statements recordImportedWithdrawals sends for a batch, by text. */
  async function statementsOf(inputs: readonly ImportedWithdrawal[]) {
    const { ctx, services, store } = env();
    const { result, sent } = await pgStatements(() =>
      store.db.transaction().execute((trx) => recordImportedWithdrawals(ctx, services.consent, trx, inputs)),
    );
    assert.equal(
      result.reduce((sum, o) => sum + o.events, 0),
      inputs.length * 2,
    );
    return sent.map((s) => s.text);
  }

  it('takes the same eleven statements for 3 opt-outs as for 40', async () => {
    // The first batch reads each table's column types, once a process.
    await statementsOf(await batchOf('warm', 2));
    const few = await statementsOf(await batchOf('few', 3));
    const many = await statementsOf(await batchOf('many', 40));
    assert.deepEqual(many, few, 'no statement a row');
    // The identifiers' locks first, then the entries, the holders, the people's locks, their states,
    // their keys (an erasure begun?), the events with the audit head, the states and audit entries,
    // the opt-out jobs: nine statements between BEGIN and COMMIT, whatever the batch's size.
    const all = few.join('\n');
    const expected = [
      /^begin$/,
      /^select count\(pg_advisory_xact_lock\(c, o\)\)/,
      /^insert into "suppression_list"/,
      /^select distinct "blind_index", "subject_id" from "subject_identifiers"/,
      /^select pg_advisory_xact_lock\(hashtext\(k\)\)/,
      /^select .* from "consent_state"/,
      /^select .* from "data_keys" .* for share$/,
      /^with "q0" as \(select "seq", "hash" from "audit_head" .*"p0" as \(insert into "consent_events"/,
      /^with "p0" as \(insert into "consent_state".*"p1" as \(insert into "audit_log"/,
      /^insert into "jobs"/,
      /^commit$/,
    ];
    assert.equal(few.length, expected.length, all);
    for (const [n, re] of expected.entries()) assert.match(few[n]!, re, all);
  });
});
