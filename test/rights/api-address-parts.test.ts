// A corrected postal address through the JSON API (docs/api.md, "What a correction's value is"):
// `correction.value` is a JSON object of the address's parts (preferred) or one line of text (kept as
// the street). An object for another category, or without line1, is refused at the field; staff read
// the request back with the parts as they were sent.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { correctedAddress } from '../../src/modules/subjects/index.js';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';

const PARTS = { line1: '22 Elm Road', city: 'Madison', region: 'WI', postal_code: '53703', country: 'us' };

describeEachDialect(
  'a corrected postal address through the API',
  (env) => {
    const request = (value: unknown, category = 'contact.postal_address') => ({
      type: 'correction',
      jurisdiction: 'us-wi',
      email: 'moved@example.com',
      correction: { category, value, evidence: 'a utility bill' },
    });

    it('takes the address as an object of its parts and keeps every part', async () => {
      const e = env();
      const res = await e.app.inject({ method: 'POST', url: '/v1/requests', payload: request(PARTS) });
      assert.equal(res.statusCode, 202, res.body);
      const agent = await staffCaller(e, ['customer_service']);
      const logged = await e.app.inject({
        method: 'POST',
        url: '/v1/staff/requests',
        headers: agent.bearer.headers,
        payload: { ...request(PARTS), channel: 'postal', receivedOn: '2026-01-14' },
      });
      assert.equal(logged.statusCode, 201, logged.body);
      const detail = await e.app.inject({
        method: 'GET',
        url: `/v1/staff/requests/${logged.json().request.id}`,
        headers: agent.bearer.headers,
      });
      assert.equal(detail.statusCode, 200, detail.body);
      assert.deepEqual(detail.json().contact.correction.value, { ...PARTS, country: 'US' });
    });

    it('still takes one line (the street) and the parts as JSON text', async () => {
      const e = env();
      for (const value of ['22 Elm Road, Madison WI 53703', JSON.stringify(PARTS)]) {
        const res = await e.app.inject({ method: 'POST', url: '/v1/requests', payload: request(value) });
        assert.equal(res.statusCode, 202, res.body);
      }
      assert.equal(correctedAddress('22 Elm Road, Madison WI 53703')?.line1, '22 Elm Road, Madison WI 53703');
    });

    it('refuses an object for another category, or without its street, at the field', async () => {
      const e = env();
      for (const [value, category] of [
        [PARTS, 'identity.name'],
        [{ city: 'Madison' }, 'contact.postal_address'],
        [{ line1: '  ' }, 'contact.postal_address'],
      ] as const) {
        const res = await e.app.inject({
          method: 'POST',
          url: '/v1/requests',
          payload: request(value, category),
        });
        assert.equal(res.statusCode, 400, res.body);
        const error = res.json().error;
        assert.equal(error.code, 'VOW_VALIDATION');
        assert.ok(
          error.details.issues.some((i: { path: string }) => i.path.startsWith('/correction/value')),
          res.body,
        );
      }
      const wrong = await e.app.inject({
        method: 'POST',
        url: '/v1/requests',
        payload: request({ city: 'Madison' }),
      });
      assert.match(wrong.json().error.details.issues[0].message, /object of its parts with line1/);
    });
  },
  { auth: 'enforced', rateLimits: false },
);
