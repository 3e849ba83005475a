// An imported unsubscribe list's batch on PostgreSQL takes every address's lock (consent's
// identifier-locks.ts: exclusive, its bucket's and its own) in ONE statement, in order, before it
// adds any entry or takes any person's consent lock: a checkout holding one of those addresses and
// waiting for a person the batch withdrew earlier cannot wait on it in a circle.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { describeOnPostgres } from '../helpers/env.js';
import { scratchFolder } from '../helpers/import-files.js';
import { pgStatements } from '../helpers/pg-statements.js';
import { fixture } from './fixtures.js';

describeOnPostgres('the identifier locks of an imported unsubscribe list', (env) => {
  it('locks the batch’s addresses at once, before its first entry and its first consent lock', async () => {
    const { result: report, sent } = await pgStatements(() =>
      env().services.imports.run({ file: fixture('mailchimp-unsubscribed.csv'), format: 'mailchimp' }),
    );
    assert.equal(report.counts.withdrawn.unsubscribed, 2);
    const all = sent.map((s) => s.text).join('\n');
    const at = (re: RegExp) => sent.findIndex((s) => re.test(s.text));
    const locks = at(/^select count\(pg_advisory_xact_lock\(c, o\)\)/);
    assert.ok(locks >= 0, all);
    // Two addresses: each its own key and its bucket's (two buckets, or one they share).
    // (Arrays are sent as PostgreSQL array literals: store/array-literal.ts.)
    const classes = String(sent[locks]!.values[0]).replace(/[{}]/g, '').split(',');
    assert.ok(classes.length === 3 || classes.length === 4, String(sent[locks]!.values[0]));
    assert.ok(locks < at(/^insert into "suppression_list"/), all);
    const consentLock = at(/pg_advisory_xact_lock\(hashtext/);
    assert.ok(consentLock === -1 || locks < consentLock, all);
  });
});

describeOnPostgres('the identifier locks of a batch of opt-ins and opt-outs', (env) => {
  const dir = scratchFolder('mixed-locks');
  it('locks the opt-outs’ numbers after the batch’s rows and before any person’s consent lock', async () => {
    const consentText = 'Yes! Text me offers. Msg & data rates may apply. Reply STOP to cancel.';
    const file = (name: string, rows: string[]) => {
      const at = path.join(dir, name);
      writeFileSync(at, `${['phone,country,status,at,consent_text', ...rows].join('\n')}\n`);
      return at;
    };
    // A person Vow holds, signed up for texts: their next sign-up takes their consent lock.
    await env().services.imports.run({
      file: file('first.csv', [`608-265-3311,US,opted_in,2025-01-01 10:00:00,${consentText}`]),
      format: 'sms-optouts',
    });
    const { result: report, sent } = await pgStatements(() =>
      env().services.imports.run({
        file: file('mixed.csv', [
          `608-265-3311,US,opted_in,2025-03-01 10:00:00,${consentText}`,
          '608-265-3312,US,opted_out,2025-03-02 10:00:00,',
        ]),
        format: 'sms-optouts',
      }),
    );
    assert.equal(report.counts.withdrawn.unsubscribed, 1);
    const all = sent.map((s) => s.text).join('\n');
    const at = (re: RegExp) => sent.findIndex((s) => re.test(s.text));
    const exclusive = at(/^select count\(pg_advisory_xact_lock\(c, o\)\)/);
    const consentLock = at(/pg_advisory_xact_lock\(hashtext/);
    assert.ok(exclusive >= 0 && consentLock >= 0, all);
    assert.ok(exclusive < consentLock, `the opt-out's locks come first:\n${all}`);
  });
});
