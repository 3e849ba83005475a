// Idempotency-Key on every collection endpoint: a contest entry retried after a lost answer was
// stored twice. Now the same key and body answer the first answer again, the same key with another
// body is refused with a stable code, parallel retries store one collection, keys are kept a day and
// scoped to the API key, and a person's erasure takes their kept answers with them.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { IDEMPOTENCY_TTL_MS } from '../../src/modules/collection/index.js';
import { serviceCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import { catalogBody, nextPhone, orderBody } from './fixtures.js';

describeEachDialect(
  'idempotency keys on the collection endpoints',
  (env) => {
    const send = async (
      url: string,
      payload: object,
      key?: string,
      caller?: { writeHeaders: Record<string, string> },
    ) =>
      env().app.inject({
        method: 'POST',
        url,
        headers: { ...(caller ?? (await shop())).writeHeaders, ...(key ? { 'idempotency-key': key } : {}) },
        payload,
      });
    let shopCaller: Awaited<ReturnType<typeof serviceCaller>> | undefined;
    const shop = async () => {
      shopCaller ??= await serviceCaller(env());
      return shopCaller;
    };
    const entries = async (email: string) => {
      const id = await env().services.subjects.findByEmail(email);
      if (!id) return 0;
      return (
        await env().store.db.selectFrom('contest_entries').select('id').where('subject_id', '=', id).execute()
      ).length;
    };

    it('stores a retried contest entry once and answers the retry with the first answer', async () => {
      const body = { email: 'retry.entrant@example.com', name: 'Rita' };
      const first = await send('/v1/contest-entries', body, 'entry-attempt-1');
      assert.equal(first.statusCode, 201, first.body);
      const retry = await send('/v1/contest-entries', body, 'entry-attempt-1');
      assert.equal(retry.statusCode, 201, 'the first answer, as it was');
      assert.equal(retry.body, first.body);
      assert.equal(retry.headers['idempotent-replayed'], 'true');
      assert.equal(first.headers['idempotent-replayed'], undefined);
      assert.equal(await entries('retry.entrant@example.com'), 1, 'stored once');
      // Without a key, a second entry is a second entry (P8: entering again re-enrolls).
      await send('/v1/contest-entries', body);
      assert.equal(await entries('retry.entrant@example.com'), 2);
    });

    it('refuses the same key with another body (409 VOW_IDEMPOTENCY_CONFLICT), storing nothing', async () => {
      const key = 'entry-attempt-2';
      assert.equal(
        (await send('/v1/contest-entries', { email: 'conflict.one@example.com' }, key)).statusCode,
        201,
      );
      const other = await send('/v1/contest-entries', { email: 'conflict.two@example.com' }, key);
      assert.equal(other.statusCode, 409);
      assert.equal(other.json().error.code, 'VOW_IDEMPOTENCY_CONFLICT');
      assert.equal(await entries('conflict.two@example.com'), 0);
    });

    it('stores one collection when retries race with the same key', async () => {
      const body = { email: 'racing.entrant@example.com' };
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => send('/v1/contest-entries', body, 'entry-attempt-race')),
      );
      assert.deepEqual(
        answers.map((a) => a.statusCode),
        [201, 201, 201, 201, 201],
        answers.map((a) => a.body).join(' | '),
      );
      assert.equal(new Set(answers.map((a) => a.body)).size, 1, 'one answer');
      assert.equal(await entries('racing.entrant@example.com'), 1);
    });

    it('takes the header on every collection endpoint', async () => {
      const cases: [string, object][] = [
        ['/v1/orders', orderBody('idem1')],
        ['/v1/registrations', { account_id: 'idem-acct', name: 'Reg', email: 'idem.reg@example.com' }],
        ['/v1/contest-entries', { email: 'idem.entry@example.com' }],
        ['/v1/catalog-requests', catalogBody('idem')],
        ['/v1/sms-signups', { phone: nextPhone(), consent_text: 'Text me offers.\nReply STOP to end.' }],
        [
          '/v1/inbound-messages',
          { from: 'idem.mail@example.com', subject: 'hello', received_at: '2026-01-15T00:00:00Z' },
        ],
      ];
      for (const [url, body] of cases) {
        const first = await send(url, body, `every-${url}`);
        assert.equal(first.statusCode, 201, `${url}: ${first.body}`);
        const again = await send(url, body, `every-${url}`);
        assert.equal(again.body, first.body, url);
        assert.equal(again.headers['idempotent-replayed'], 'true', url);
      }
      const doc = (await env().app.inject({ method: 'GET', url: '/openapi.json' })).json();
      for (const [url] of cases) {
        const params = doc.paths[url].post.parameters as { in: string; name: string }[];
        assert.ok(
          params.some((p) => p.in === 'header' && p.name === 'idempotency-key'),
          `${url} documents the header`,
        );
      }
      const bad = await send('/v1/contest-entries', { email: 'bad.key@example.com' }, 'a key with spaces');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, 'VOW_VALIDATION');
    });

    it('keeps a key for a day, and per API key', async () => {
      const body = { email: 'window.entrant@example.com' };
      assert.equal((await send('/v1/contest-entries', body, 'entry-window')).statusCode, 201);
      const otherShop = await serviceCaller(env());
      const otherCaller = await send('/v1/contest-entries', body, 'entry-window', otherShop);
      assert.equal(otherCaller.headers['idempotent-replayed'], undefined, "another API key's key is its own");
      env().clock.advance(IDEMPOTENCY_TTL_MS - 60_000);
      assert.equal(
        (await send('/v1/contest-entries', body, 'entry-window')).headers['idempotent-replayed'],
        'true',
      );
      env().clock.advance(120_000);
      const late = await send('/v1/contest-entries', body, 'entry-window');
      assert.equal(late.statusCode, 201);
      assert.equal(late.headers['idempotent-replayed'], undefined, 'after a day the key is new again');
      assert.equal(await entries('window.entrant@example.com'), 3);
    });

    it("erases a person's kept answers with them", async () => {
      const res = await send('/v1/contest-entries', { email: 'erased.entrant@example.com' }, 'entry-erased');
      const subjectId = res.json().subjectId as string;
      const kept = () =>
        env()
          .store.db.selectFrom('collection_idempotency')
          .select('key_hash')
          .where('subject_id', '=', subjectId)
          .execute();
      assert.equal((await kept()).length, 1);
      await env().services.subjects.markUnder13(subjectId, { type: 'staff', id: 'test' });
      assert.equal((await kept()).length, 0);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
