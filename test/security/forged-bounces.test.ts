// Bounces and spam complaints reach Vow through the retailer's bounce address, which anyone on the
// internet can mail. A report naming any address suppressed it (a hard bounce) or withdrew its email
// marketing (a complaint): one forged message per victim, or one DSN listing thousands, emptied the
// retailer's marketing list and wrote false events into the consent ledger. A report is now acted on
// only for an address whose returned message carries a one-click token Vow issued to a person who
// holds that address: only a message Vow rendered for that person, returned by a mail server, has it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeEachDialect, type TestEnv } from '../helpers/env.js';
import { arf, dsn, renderedHeaders } from '../mail/reports.js';

describeEachDialect('forged bounces and complaints change no one', (env) => {
  const enrol = async (e: TestEnv, email: string): Promise<string> => {
    const r = await e.app.inject({ method: 'POST', url: '/v1/contest-entries', payload: { email } });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().subjectId as string;
  };
  const state = async (e: TestEnv, s: string) => (await e.services.consent.storedStates(s)).email_marketing;
  const suppressed = (e: TestEnv, email: string) =>
    e.services.consent.isIdentifierSuppressed(
      'email',
      e.ctx.vault.blindIndex('email', email),
      'email_marketing',
    );

  it('ignores a bounce or complaint that returns no message Vow rendered for the address', async () => {
    const e = env();
    const victim = await enrol(e, 'victim@example.org');
    const attacker = await enrol(e, 'attacker@example.org');
    const forged = `From: news@shop.example\nTo: victim@example.org\nSubject: Our sale\nList-Unsubscribe: <${e.ctx.config.publicUrl}/u/${'A'.repeat(43)}>\n`;
    // The attacker's own genuine email (a real token), returned as if it had gone to the victim.
    const attackers = (await renderedHeaders(e, attacker)).replace(/^To: .*$/m, 'To: victim@example.org');
    for (const report of [
      await dsn('victim@example.org', 'failed', '5.1.1', forged),
      await dsn('victim@example.org', 'failed', '5.1.1', attackers),
      await arf('victim@example.org', forged),
      await arf('victim@example.org', attackers),
    ]) {
      const outcomes = await e.services.mailFeedback.handle(report);
      assert.deepEqual(outcomes, [{ kind: 'ignored', suppressed: 0, withdrawn: 0 }]);
    }
    assert.equal((await state(e, victim))?.state, 'enrolled');
    assert.equal(await suppressed(e, 'victim@example.org'), false);
    assert.equal((await state(e, attacker))?.state, 'enrolled');
    // Nothing was counted either: forged soft bounces cannot add up to a suppression.
    const noted = await e.store.db.selectFrom('mail_feedback').select('id').execute();
    assert.equal(noted.length, 0);
  });

  it('still acts on a genuine report, for the address its message went to only', async () => {
    const e = env();
    const owner = await enrol(e, 'owner@example.org');
    const bystander = await enrol(e, 'bystander@example.org');
    const headers = await renderedHeaders(e, owner);
    // A genuine DSN for the owner's message, padded with a bystander's address.
    const report = (await dsn('owner@example.org', 'failed', '5.1.1', headers)).replace(
      'Final-Recipient: rfc822; owner@example.org',
      'Final-Recipient: rfc822; bystander@example.org\nAction: failed\nStatus: 5.1.1\n\nFinal-Recipient: rfc822; owner@example.org',
    );
    const outcomes = await e.services.mailFeedback.handle(report);
    assert.deepEqual(outcomes, [
      { kind: 'ignored', suppressed: 0, withdrawn: 0 },
      { kind: 'hard_bounce', suppressed: 1, withdrawn: 0 },
    ]);
    assert.equal((await state(e, owner))?.lastEvent, 'suppressed');
    assert.equal((await state(e, bystander))?.state, 'enrolled');
    assert.equal(await suppressed(e, 'bystander@example.org'), false);
  });
});
