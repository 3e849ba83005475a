// Asking for a password reset answers the same, in the same time, whether or not an account uses
// the address: the page says "if an account uses this address, we sent it a link", and the work
// behind it no longer tells. Before, an address with an account issued a token and queued its mail
// (two commits) while answering, and one without did nothing: 13.7 ms against 1.3 ms (median,
// PostgreSQL), 1.2 against 0.5 on SQLite, so the timing told who has an account. Now both queue one
// job, which makes and mails the link after the answer.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { it } from 'node:test';
import { describeEachDialect } from '../helpers/env.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describeEachDialect('no enumeration through the password reset', (env) => {
  const resetRequest = async (email: string) => {
    const t0 = performance.now();
    const res = await env().app.inject({ method: 'POST', url: '/account/reset-request', payload: { email } });
    const ms = performance.now() - t0;
    assert.equal(res.statusCode, 202, res.body);
    return { ms, body: res.body };
  };

  it('takes as long and answers the same for an address with an account as for one without', async () => {
    const N = 15;
    // One account per round: an address gets 5 mails an hour, whatever asks for them.
    for (let i = 0; i < N + 1; i++) {
      const res = await env().app.inject({
        method: 'POST',
        url: '/account/register',
        payload: { email: `reset.timing${i}@example.com`, password: 'a long enough password 1' },
      });
      assert.equal(res.statusCode, 202);
    }
    // Warm-up of both paths (first statements, first keys).
    await resetRequest('reset.timing0@example.com');
    await resetRequest('reset.nobody.warm@example.com');
    const existing: number[] = [];
    const unknown: number[] = [];
    const bodies = new Set<string>();
    // Interleaved, so load from other processes on the machine falls on both alike.
    for (let i = 1; i <= N; i++) {
      const a = await resetRequest(`reset.timing${i}@example.com`);
      const b = await resetRequest(`reset.nobody${i}@example.com`);
      existing.push(a.ms);
      unknown.push(b.ms);
      bodies.add(a.body).add(b.body);
    }
    assert.equal(bodies.size, 1, 'one answer for both');
    const [x, y] = [median(existing), median(unknown)];
    const ratio = Math.min(x, y) / Math.max(x, y);
    assert.ok(
      ratio > 0.5,
      `medians ${x.toFixed(2)} ms (account) and ${y.toFixed(2)} ms (none): ratio ${ratio.toFixed(2)}`,
    );
    // Each account's owner still gets the link, once the jobs have run; no one else gets mail.
    assert.equal((await env().services.mail.list({ kind: 'account.reset' })).length, 0, 'after the answer');
    await env().services.jobs.drain();
    const mails = await env().services.mail.list({ kind: 'account.reset' });
    assert.equal(mails.length, N + 1);
  });
});
