import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/platform/config.js';
import { VowError } from '../../src/platform/errors.js';

describe('configuration', () => {
  it('has documented defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 4700);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.dataDir, path.resolve('./data'));
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.policyPath, undefined);
    assert.ok(Object.isFrozen(c));
  });

  it('rejects unknown VOW_ variables and bad values with a coded error', () => {
    assert.throws(
      () => loadConfig({ VOW_PROT: '1' }),
      (e: unknown) => e instanceof VowError && e.code === 'VOW_CONFIG_INVALID' && /VOW_PROT/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ VOW_PORT: 'eighty' }),
      (e: unknown) => e instanceof VowError && e.code === 'VOW_CONFIG_INVALID',
    );
    assert.throws(
      () => loadConfig({ VOW_DATABASE_URL: 'mysql://x' }),
      (e: unknown) => e instanceof VowError && e.code === 'VOW_CONFIG_INVALID',
    );
  });

  it('reminds of US state breach deadlines 7 days before unless VOW_BREACH_REMINDER_DAYS (1 to 60) says', () => {
    assert.equal(loadConfig({}).breachReminderDays, 7);
    assert.equal(loadConfig({ VOW_BREACH_REMINDER_DAYS: '21' }).breachReminderDays, 21);
    for (const bad of ['0', '61', '2.5', 'a week'])
      assert.throws(
        () => loadConfig({ VOW_BREACH_REMINDER_DAYS: bad }),
        (e: unknown) =>
          e instanceof VowError &&
          e.code === 'VOW_CONFIG_INVALID' &&
          /VOW_BREACH_REMINDER_DAYS/.test(e.message),
        bad,
      );
  });

  it('takes PostgreSQL from VOW_DATABASE_URL', () => {
    assert.equal(loadConfig({ VOW_DATABASE_URL: 'postgres://u@h/db' }).databaseUrl, 'postgres://u@h/db');
  });

  it('names the bulk inserts on PostgreSQL unless VOW_DATABASE_PREPARE=off, and refuses other values', () => {
    assert.equal(loadConfig({}).databasePrepare, true);
    assert.equal(loadConfig({ VOW_DATABASE_PREPARE: 'off' }).databasePrepare, false);
    assert.throws(
      () => loadConfig({ VOW_DATABASE_PREPARE: 'no' }),
      (e: unknown) =>
        e instanceof VowError && e.code === 'VOW_CONFIG_INVALID' && /VOW_DATABASE_PREPARE/.test(e.message),
    );
  });

  it('takes single sign-on from all three VOW_OIDC_* variables or none, and refuses anything between', () => {
    assert.equal(loadConfig({}).oidc, undefined);
    const full = {
      VOW_OIDC_ISSUER: 'https://login.example/',
      VOW_OIDC_CLIENT_ID: 'vow',
      VOW_OIDC_CLIENT_SECRET: 's3cret',
    };
    const c = loadConfig(full).oidc;
    assert.deepEqual(c, {
      ...{ issuer: 'https://login.example/', clientId: 'vow', clientSecret: 's3cret' },
      rolesClaim: 'vow_roles',
      only: false,
      // Re-checked at the provider every 5 minutes, 30 minutes of grace in an outage (security.md #54).
      offlineAccess: 'auto',
      recheckMs: 300_000,
      outageGraceMs: 1_800_000,
    });
    assert.equal(
      loadConfig({ ...full, VOW_OIDC_ONLY: 'on', VOW_OIDC_ROLES_CLAIM: 'groups' }).oidc?.only,
      true,
    );
    for (const partial of [
      { VOW_OIDC_ISSUER: full.VOW_OIDC_ISSUER },
      { VOW_OIDC_ISSUER: full.VOW_OIDC_ISSUER, VOW_OIDC_CLIENT_ID: 'vow' },
      { VOW_OIDC_CLIENT_SECRET: 's3cret' },
      { VOW_OIDC_ONLY: 'on' },
    ])
      assert.throws(
        () => loadConfig(partial),
        (e: unknown) =>
          e instanceof VowError && e.code === 'VOW_CONFIG_INVALID' && /VOW_OIDC_/.test(e.message),
        JSON.stringify(partial),
      );
    assert.throws(() => loadConfig({ ...full, VOW_OIDC_ISSUER: 'not a url' }), VowError);
  });
});
