// The identifier locks (consent's identifier-locks.ts) a request takes on PostgreSQL. A deletion puts
// every email and phone of the person on the suppression list after taking all their locks in ONE
// statement, in order (two deletions, or a deletion and an import's batch of opt-outs, cannot wait on
// each other in a circle). A correction's step applying the list locks the address it gave shared
// before the statement that reads the list (a suppression of it meanwhile is seen).
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { address, orderBody, post } from '../collection/fixtures.js';
import { describeOnPostgres, type TestEnv } from '../helpers/env.js';
import { pgStatements, type SentStatement } from '../helpers/pg-statements.js';
import { approvedCorrection, captureMail, verifiedRequest } from './real-flow.js';

/** How many keys a lock statement holds (arrays go as PostgreSQL array literals: store/array-literal.ts). */
const keysOf = (s: SentStatement) => String(s.values[0]).replace(/[{}]/g, '').split(',').length;

describeOnPostgres('the identifier locks of a deletion and a correction', (current) => {
  let env: TestEnv;
  let sentMail: ReturnType<typeof captureMail>;
  before(() => {
    env = current();
    sentMail = captureMail(() => env);
  });

  async function person(n: string): Promise<string> {
    const email = `lock.${n}@example.com`;
    const body = orderBody(`locks-${n}`, {
      buyer: {
        name: `Lou Locks ${n}`,
        email,
        phone: `(608) 265-35${n}`,
        billing_address: address(`${n} Lock Road`),
        shipping_address: address(`${n} Lock Road`),
      },
    });
    assert.equal((await post(env, '/v1/orders', body)).statusCode, 201);
    return (await env.services.subjects.findByEmail(email))!;
  }

  it('a deletion locks the email and the phone at once, before the first suppression entry', async () => {
    await person('11');
    const { sent } = await pgStatements(() =>
      verifiedRequest(env, sentMail, {
        type: 'deletion',
        jurisdiction: 'us-ca',
        email: 'lock.11@example.com',
      }),
    );
    const all = sent.map((s) => s.text).join('\n');
    const entry = sent.findIndex((s) => /^insert into "suppression_list"/.test(s.text));
    assert.ok(entry >= 0, 'the addresses went on the list');
    const locks = sent
      .slice(0, entry)
      .filter((s) => /^select count\(pg_advisory_xact_lock\(c, o\)\)/.test(s.text));
    // One statement: each address its own key and its bucket's (two buckets, or one they share).
    assert.equal(locks.length, 1, all);
    assert.ok([3, 4].includes(keysOf(locks[0]!)), String(locks[0]!.values[0]));
    assert.equal(
      sent.filter((s) => /^select count\(pg_advisory_xact_lock\(c, o\)\)/.test(s.text)).length,
      1,
      'no address locked again after',
    );
  });

  it('a correction’s step locks the corrected address shared before it reads the list', async () => {
    await person('12');
    const id = await approvedCorrection(env, sentMail, 'lock.12@example.com', {
      category: 'contact.email',
      value: 'lock.12b@example.com',
    });
    const { sent } = await pgStatements(() => env.services.jobs.drain());
    assert.equal((await env.services.rights.get(id)).status, 'completed');
    const all = sent.map((s) => s.text).join('\n');
    const shared = sent.findIndex((s) =>
      /^select count\(pg_advisory_xact_lock_shared\(c, o\)\)/.test(s.text),
    );
    assert.ok(shared >= 0, all);
    assert.equal(keysOf(sent[shared]!), 1, 'the corrected email alone');
    const read = sent.findIndex((s, i) => i > shared && /from "suppression_list"/.test(s.text));
    assert.ok(read > shared, all);
  });
});
