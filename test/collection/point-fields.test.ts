// What a collection record says of its fields (the policy's category and purposes of each) is made
// once per policy, point and set of fields, frozen, and its JSON written once: a person's collection
// made an object and an array a field, and the record's link wrote their JSON anew. The records
// store the same JSON as before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldsOf } from '../../src/modules/collection/point-fields.js';
import { recordRow } from '../../src/modules/subjects/link-many.js';
import { testPolicy } from '../helpers/env.js';

describe("a collection point's fields", () => {
  const policy = testPolicy(undefined);
  const names = ['email', 'account_id', 'name', 'catalog_opt_in'];

  it('are one frozen set per policy, point and names', () => {
    const fields = fieldsOf(policy, 'registration', names);
    assert.equal(fieldsOf(policy, 'registration', [...names]), fields, 'the same set again');
    assert.ok(Object.isFrozen(fields));
    for (const f of Object.values(fields)) assert.ok(Object.isFrozen(f) && Object.isFrozen(f.purposes));
    assert.notEqual(fieldsOf(policy, 'registration', names.slice(0, 3)), fields, 'other names, another set');
    assert.notEqual(
      fieldsOf(testPolicy('policies/minimal.yaml'), 'registration', names),
      fields,
      'another policy',
    );
    // The policy's own lists are copied, not handed out.
    const def = policy.doc.collection_points.registration!.fields.email!;
    assert.notEqual(fields.email!.purposes, def.purposes);
    assert.deepEqual(fields.email, { category: def.category, purposes: [...def.purposes] });
    assert.deepEqual(fields.account_id, { category: 'account.profile', purposes: ['account.service'] });
  });

  it("are written into a record's link as their JSON, the same for a set made anew", () => {
    const ctx = { random: { uuid: () => 'id' }, policy } as unknown as Parameters<typeof recordRow>[0];
    const link = (fields: Parameters<typeof recordRow>[2]['fields']) => ({
      subjectKind: 'account_holder',
      collectionPoint: 'registration',
      recordType: 'registration',
      recordId: 'r',
      at: new Date(0),
      fields,
    });
    const fields = fieldsOf(policy, 'registration', names);
    const fresh = JSON.parse(JSON.stringify(fields));
    const at = new Date(0).toISOString();
    assert.equal(recordRow(ctx, 's', link(fields), at).fields, JSON.stringify(fresh));
    assert.equal(recordRow(ctx, 's', link(fresh), at).fields, JSON.stringify(fresh));
    fresh.email.category = 'changed';
    assert.match(
      recordRow(ctx, 's', link(fresh), at).fields,
      /changed/,
      'an unfrozen set is written as it is now',
    );
  });
});
