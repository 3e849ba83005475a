// The import formats' compiled registration check (isRegistrationBody, collection/body-checks.ts)
// may only accept what registrationSchema accepts, unchanged, whatever the policy: compared on valid
// registrations and on every single mutation of them (a key added, removed or retyped at each level,
// a string too long, empty, with spaces Zod would trim or a control character, a bad email, date or
// country), under the shipped and the minimal policy; and an import of Shopify customers refuses a
// bad row as before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRegistrationBody, registrationSchema } from '../../src/modules/collection/index.js';
import { testPolicy } from '../helpers/env.js';

const VALUES: readonly unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  -1,
  1.5,
  12,
  13,
  200,
  '',
  ' ',
  'a',
  ' padded ',
  'tail ',
  'x'.repeat(20),
  'x'.repeat(21),
  'x'.repeat(100),
  'x'.repeat(101),
  'x'.repeat(200),
  'x'.repeat(201),
  'x'.repeat(255),
  'line\nbreak',
  'nul\u0000',
  'c1\u0085',
  'half\uD800',
  'US',
  'us',
  'GB',
  'USA',
  'shopify:100001',
  'male',
  'no_answer',
  'a@example.com',
  'A.B+c@example.co.uk',
  'not-an-email',
  'a@b',
  ' a@example.com',
  `${'a'.repeat(245)}@example.com`,
  '2026-11-01T10:00:00Z',
  '2026-11-01T10:00:00.123+02:00',
  '2026-11-01T10:00:00',
  '2026-13-01T10:00:00Z',
  '2026-11-01',
  '2020-02-30',
  '1990-05-17',
  [],
  {},
  { line1: '1 Main St', city: 'Madison', postal_code: '53703', country: 'US' },
];

const ADDRESS = {
  line1: '12 Analytical Way',
  city: 'Franklin',
  region: 'WI',
  postal_code: '53132',
  country: 'US',
};
const GB_ADDRESS = {
  line1: '2 Elm St',
  line2: 'Flat 3',
  city: 'Leeds',
  postal_code: 'LS1 4AP',
  country: 'GB',
};
const BASES: readonly Record<string, unknown>[] = [
  { account_id: 'shopify:7001', name: 'Ada Lovelace', email: 'ada.import@example.com', catalog_opt_in: true },
  {
    account_id: 'shopify:7002',
    name: 'Bob Smith',
    email: 'BOB.IMPORT@example.com',
    postal_address: ADDRESS,
    catalog_opt_in: false,
  },
  {
    account_id: 'acct-3',
    name: 'Cy',
    email: 'cy@example.co.uk',
    postal_address: GB_ADDRESS,
    registered_at: '2026-01-15T11:00:00Z',
    birth_date: '1990-05-17',
    age: 35,
  },
];
const KEYS = [
  'account_id',
  'name',
  'email',
  'postal_address',
  'gender',
  'catalog_opt_in',
  'registered_at',
  'birth_date',
  'age',
  'extra',
];

/** Every object that differs from `base` by one key set to one of VALUES (or removed). */
function* mutations(
  base: Record<string, unknown>,
  keys: readonly string[],
): Generator<Record<string, unknown>> {
  yield base;
  for (const key of keys)
    for (const v of VALUES) {
      const body: Record<string, unknown> = { ...base };
      if (v === undefined) delete body[key];
      else body[key] = v;
      yield body;
    }
}

function* registrations(base: Record<string, unknown>): Generator<unknown> {
  yield* mutations(base, KEYS);
  const address = (base.postal_address ?? ADDRESS) as Record<string, unknown>;
  for (const a of mutations(address, [...Object.keys(GB_ADDRESS), 'region', 'extra']))
    yield { ...base, postal_address: a };
  for (const v of VALUES) yield v;
}

describe("the imports' compiled registration check", () => {
  for (const file of [undefined, 'policies/minimal.yaml'])
    it(`accepts only registrations that Zod accepts, unchanged, and takes the usual ones (${file ?? 'shipped policy'})`, () => {
      const schema = registrationSchema(testPolicy(file));
      let fast = 0;
      let zodOnly = 0;
      for (const base of BASES) {
        assert.ok(
          isRegistrationBody(base),
          `a usual registration takes the compiled path: ${JSON.stringify(base)}`,
        );
        for (const body of registrations(base)) {
          const zod = schema.safeParse(body);
          if (!isRegistrationBody(body)) {
            if (zod.success) zodOnly++;
            continue;
          }
          fast++;
          assert.ok(zod.success, `the check accepted what Zod refuses: ${JSON.stringify(body)}`);
          assert.deepEqual(body, zod.data, `and hands on what Zod would: ${JSON.stringify(body)}`);
        }
      }
      assert.ok(fast > 100, `many valid variants take the compiled path (${fast})`);
      // Those Zod accepts by changing them (trimmed spaces) or by the policy (a gender) are left to Zod.
      assert.ok(zodOnly > 0);
    });
});
