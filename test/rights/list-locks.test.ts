// The identifier locks (consent's identifier-locks.ts) a request takes on PostgreSQL. A deletion puts
// every email and phone of the person on the suppression list after taking all their locks in ONE
// statement, in order (two deletions, or a deletion and an import's batch of opt-outs, cannot wait on
// each other in a circle). A correction's step applying the list locks the person's addresses shared
// before the statement that reads the list (a suppression of one of them meanwhile is seen).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pgDriver } from '../../src/platform/store/index.js';
import { address, orderBody, post } from '../collection/fixtures.js';
import { createTestEnv, type TestEnv, testDialects } from '../helpers/env.js';
import { approvedCorrection, captureMail, verifiedRequest } from './real-flow.js';

/** The statements sent to PostgreSQL while `fn` runs, in order. */
async function observed(fn: () => Promise<unknown>): Promise<{ text: string; values: unknown[] }[]> {
  const sent: { text: string; values: unknown[] }[] = [];
  const Client = pgDriver().Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const query = Client.query;
  Client.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; values?: unknown[] };
    const text = typeof first === 'string' ? first : String(first.text);
    const values = (typeof first === 'string' ? args[1] : first.values) as unknown[] | undefined;
    sent.push({ text, values: values ?? [] });
    return query.apply(this, args);
  };
  try {
    await fn();
  } finally {
    Client.query = query;
  }
  return sent;
}

/** How many keys a lock statement holds (arrays go as PostgreSQL array literals: store/array-literal.ts). */
const keysOf = (s: { values: unknown[] }) => String(s.values[0]).replace(/[{}]/g, '').split(',').length;

describe('the identifier locks of a deletion and a correction [postgres]', {
  skip: !testDialects().includes('postgres') && 'PostgreSQL not tested',
}, () => {
  let env: TestEnv & { close: () => Promise<void> };
  let sentMail: ReturnType<typeof captureMail>;
  before(async () => {
    env = await createTestEnv('postgres');
    sentMail = captureMail(() => env);
  });
  after(async () => {
    await env?.close();
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
    const sent = await observed(() =>
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

  it('a correction’s step locks the person’s addresses shared before it reads the list', async () => {
    await person('12');
    const id = await approvedCorrection(env, sentMail, 'lock.12@example.com', {
      category: 'contact.email',
      value: 'lock.12b@example.com',
    });
    const sent = await observed(() => env.services.jobs.drain());
    assert.equal((await env.services.rights.get(id)).status, 'completed');
    const all = sent.map((s) => s.text).join('\n');
    const shared = sent.findIndex((s) =>
      /^select count\(pg_advisory_xact_lock_shared\(c, o\)\)/.test(s.text),
    );
    assert.ok(shared >= 0, all);
    assert.equal(keysOf(sent[shared]!), 2, 'the email and the phone');
    const read = sent.findIndex((s, i) => i > shared && /from "suppression_list"/.test(s.text));
    assert.ok(read > shared, all);
  });
});
