// One client, one count, over IPv6 too. A host (or a household, or a rented server) is given a whole
// IPv6 /64: 2^64 addresses it can send from. The log-in lock-out counted each address apart, and
// "an address with no failure always gets its try" (docs/security.md, trade-offs), so one machine
// rotating through its /64 had a fresh try at every password guess, where one IPv4 address gets 5.
// The per-route limits already counted a /64 as one client (@fastify/rate-limit's default); the
// lock-outs, the code guards and the collection ceiling now do too.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { clientUnit } from '../../src/platform/client-address.js';
import { STAFF_PASSWORD, staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

describeEachDialect(
  'an IPv6 /64 is one client',
  (env) => {
    const token = (username: string, password: string, remoteAddress: string) =>
      env().app.inject({
        method: 'POST',
        url: '/v1/staff/tokens',
        remoteAddress,
        payload: { username, password },
      });

    it('locks a /64 out of an account after 5 failures, whichever of its addresses they came from', async () => {
      const admin = await staffCaller(env(), ['admin']);
      const statuses: number[] = [];
      for (let i = 1; i <= 8; i++)
        statuses.push(
          (await token(admin.username, `wrong ${i}`, `2001:db8:1:2::${i.toString(16)}`)).statusCode,
        );
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
      // Another address of the same /64, with the right password: still that locked client.
      assert.equal((await token(admin.username, STAFF_PASSWORD, '2001:db8:1:2:ffff::1')).statusCode, 429);
      // The owner, from another network: in at once.
      assert.equal((await token(admin.username, STAFF_PASSWORD, '2001:db8:9::1')).statusCode, 201);
    });

    it('names one /64 one way, whatever the spelling, and an IPv4-mapped address as its IPv4', () => {
      const unit = clientUnit('2001:db8:1:2::1');
      for (const spelling of [
        '2001:0db8:0001:0002:0000:0000:0000:0001',
        '2001:DB8:1:2:aaaa:bbbb:cccc:dddd',
        '2001:db8:1:2::1%eth0',
      ])
        assert.equal(clientUnit(spelling), unit, spelling);
      assert.notEqual(clientUnit('2001:db8:1:3::1'), unit);
      assert.equal(clientUnit('::ffff:192.0.2.7'), '192.0.2.7');
      assert.equal(clientUnit('::ffff:c000:207'), '192.0.2.7');
      assert.equal(clientUnit('192.0.2.7'), '192.0.2.7');
      assert.equal(clientUnit('::1'), clientUnit('0:0:0:0:0:0:0:1'));
    });
  },
  { auth: 'enforced' },
);
