// An import run is named by Vow (its format and the first 12 hex digits of its SHA-256), never by the
// name its file was given: a file named after a person ("jane-roe-contacts.csv") kept that name in the
// run and in the consent ledger's evidence of everyone it brought in, which is kept after a deletion.
// Runs made before are renamed by migration 0731.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { migration } from '../../src/modules/imports/migrations/0731-import-run-names.js';
import { migrationKit } from '../../src/platform/store/migration-kit.js';
import { staffCaller } from '../helpers/auth.js';
import { describeEachDialect } from '../helpers/env.js';
import { fixture } from './fixtures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vow-import-names-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describeEachDialect('the name of an import run', (env) => {
  /** Every place a name could be kept: the runs, the consent ledger's evidence, the audit trail. */
  const kept = async (text: string) => {
    const db = env().store.db;
    const runs = await db.selectFrom('import_runs').select('file_name').execute();
    const events = await db.selectFrom('consent_events').select('details').execute();
    const audit = await db.selectFrom('audit_log').select('details').execute();
    return [
      ...runs.filter((r) => r.file_name.includes(text)).map(() => 'import_runs'),
      ...events.filter((r) => r.details.includes(text)).map(() => 'consent_events'),
      ...audit.filter((r) => r.details.includes(text)).map(() => 'audit_log'),
    ];
  };

  it('is made from its format and SHA-256 for a file named after a person (vow import)', async () => {
    const file = path.join(dir, 'jane-roe-contacts.csv');
    copyFileSync(fixture('shopify-customers.csv'), file);
    const report = await env().services.imports.run({ file, format: 'shopify-customers' });
    assert.equal(report.fileName, `shopify-customers-${report.sha256.slice(0, 12)}`);
    assert.ok(report.counts.units > 0);
    assert.deepEqual(await kept('jane'), []);
    const [run] = await env().services.imports.runs();
    assert.equal(run?.fileName, report.fileName);
    // The evidence each fact keeps names the run and the file's hash.
    const events = await env().store.db.selectFrom('consent_events').select('details').execute();
    assert.ok(events.some((e) => e.details.includes(report.fileName) && e.details.includes(report.sha256)));
  });

  it('is not the file_name given to POST /v1/imports', async () => {
    const admin = await staffCaller(env(), ['admin']);
    const res = await env().app.inject({
      method: 'POST',
      url: '/v1/imports?format=mailchimp&file_name=unsubscribed-by-jane-roe.csv',
      headers: { ...admin.bearer.writeHeaders, 'content-type': 'text/csv' },
      payload: readFileSync(fixture('mailchimp-unsubscribed.csv')),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().fileName, `mailchimp-${res.json().sha256.slice(0, 12)}`);
    assert.deepEqual(await kept('jane'), []);
  });

  it('of a run made before is renamed by the migration', async () => {
    const db = env().store.db;
    const now = env().ctx.clock.now().toISOString();
    const sha = 'ab'.repeat(32);
    await db
      .insertInto('import_runs')
      .values({
        id: `old-run-${env().dialect}`,
        file_sha256: sha,
        format: 'klaviyo',
        file_name: 'john-doe-list.csv',
        status: 'done',
        checkpoint_line: 3,
        line_numbering: 2,
        counts: '{}',
        started_at: now,
        updated_at: now,
        finished_at: now,
      })
      .execute();
    await migration.up(db, migrationKit(env().dialect));
    const row = await db
      .selectFrom('import_runs')
      .select('file_name')
      .where('id', '=', `old-run-${env().dialect}`)
      .executeTakeFirstOrThrow();
    assert.equal(row.file_name, `klaviyo-${'ab'.repeat(6)}`);
    assert.deepEqual(await kept('john'), []);
  });
});
