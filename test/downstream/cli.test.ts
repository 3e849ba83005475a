// `vow webhooks`: an admin adds an endpoint (secret printed once), lists it, rotates its secret.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cliEnvironment } from '../helpers/cli.js';

describe('vow webhooks', () => {
  const { run } = cliEnvironment('webhooks');

  it('adds, lists and rotates an endpoint; a bad event type is refused with its code', async () => {
    const migrate = await run('migrate');
    assert.equal(migrate.code, 0, migrate.err);
    const added = await run(
      'webhooks',
      'add',
      'https://93.184.216.34/hooks/vow',
      '--events',
      'deletion.requested,consent.withdrawn',
      '--recipient',
      'email_service',
    );
    assert.equal(added.code, 0, added.err);
    const [, id, secret] =
      /Endpoint (whep_\w+); signing secret \(shown once\): (whsec_\S+)/.exec(added.out) ?? [];
    assert.ok(id && secret, added.out);
    const listed = await run('webhooks', 'list');
    assert.match(
      listed.out,
      new RegExp(
        `${id}\\thttps://93.184.216.34/hooks/vow\\temail_service\\tdeletion.requested,consent.withdrawn\\tactive`,
      ),
    );
    assert.ok(!listed.out.includes('whsec_'), 'the secret is never listed');
    const rotated = await run('webhooks', 'rotate', id);
    assert.match(rotated.out, /New signing secret \(shown once\): whsec_/);
    assert.match((await run('webhooks', 'list')).out, /\trotating/);
    const bad = await run('webhooks', 'add', 'https://crm.example/x', '--events', 'order.placed');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^VOW_WEBHOOK_EVENT_UNKNOWN/);
  });
});
