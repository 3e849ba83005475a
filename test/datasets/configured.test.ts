// VOW_DATASETS wires the retailer's databases into services.datasets next to Vow's own tables:
// one call exports and deletes a person everywhere.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { EXAMPLE_PEOPLE } from '../../examples/shop/shop.js';
import { EXAMPLE_SHOP_ANNOTATION_PATH } from '../../src/modules/datasets/index.js';
import { seedExampleShop } from '../../src/modules/datasets/seed-example.js';
import { VowError } from '../../src/platform/errors.js';
import { describeEachDialect, testConfig } from '../helpers/env.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vow-dsconf-'));
const shopUrl = `sqlite:${path.join(dir, 'shop.sqlite')}`;
const file = path.join(dir, 'datasets.yaml');
writeFileSync(
  file,
  `datasets:\n  - name: shop\n    annotation: ${JSON.stringify(EXAMPLE_SHOP_ANNOTATION_PATH)}\n    url: ${JSON.stringify(shopUrl)}\n`,
);

describeEachDialect(
  'datasets configured by VOW_DATASETS',
  (env) => {
    before(async () => {
      await seedExampleShop(shopUrl, { reset: true });
    });
    after(async () => {
      await env().services.datasets.close();
    });

    it('lists Vow’s own tables and the configured shop', () => {
      assert.deepEqual(
        env()
          .services.datasets.list()
          .map((d) => [d.name, d.tables]),
        [
          ['vow', 13],
          ['shop', 7],
        ],
      );
    });

    it('exports and deletes a person in every configured dataset', async () => {
      const { services } = env();
      const who = { emails: [EXAMPLE_PEOPLE.bob.email], accountIds: [EXAMPLE_PEOPLE.bob.accountId] };
      const e = await services.datasets.export(who);
      assert.deepEqual(e.datasets, ['vow', 'shop']);
      assert.ok(e.values.some((v) => v.dataset === 'shop' && v.table === 'customers' && v.value === 'Bob'));
      const preview = await services.datasets.delete(who, { dryRun: true });
      const done = await services.datasets.delete(who);
      assert.equal(done.changes, preview.changes);
      assert.ok(done.changes > 0);
      assert.equal((await services.datasets.delete(who)).changes, 0);
    });

    it('refuses an unknown category before touching anything', async () => {
      await assert.rejects(
        env().services.datasets.delete({ emails: ['x@example.com'] }, { categories: ['contact.fax'] }),
        (err: unknown) => err instanceof VowError && err.code === 'VOW_UNKNOWN_CATEGORY',
      );
    });
  },
  { config: testConfig({ VOW_DATASETS: file }) },
);

after(() => rmSync(dir, { recursive: true, force: true }));
