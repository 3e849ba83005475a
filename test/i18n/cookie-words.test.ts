// The cookies in the shopper's language: on the Spanish preference centre, in the Spanish banner's
// cookie lists (the config JSON the consent script renders) and in the Spanish notice's cookie list,
// each cookie's name, purpose and duration come from the policy's translations.es-US.cookies, and a
// duration that is an ISO 8601 period is worded in Spanish ("13 meses"); nothing of the policy's
// English cookie text is left. The English pages keep the policy's own words (the check is not
// vacuous), and a translation naming a cookie the policy lacks is refused.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bannerConfig } from '../../src/modules/cookie-consent/banner-model.js';
import {
  DEFAULT_POLICY_PATH,
  loadPolicy,
  loadPolicyFile,
  parsePolicy,
  retentionInWords,
} from '../../src/modules/policy/index.js';
import { VowError } from '../../src/platform/errors.js';
import { describeEachDialect } from '../helpers/env.js';

/** The policy's English cookie text a shopper reads: names that are words, purposes, durations. */
function englishCookieText(): string[] {
  const out = new Set<string>();
  for (const k of loadPolicy().doc.cookies ?? []) {
    if (/\s/.test(k.name)) out.add(k.name); // "Site measurement"; vow_consent is the same in any language
    out.add(k.purpose);
    out.add(retentionInWords(k.duration, 'en-US'));
  }
  return [...out];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e] ?? ' ')
    .replace(/\s+/g, ' ');
const found = (haystack: string, needles: string[]) => needles.filter((s) => haystack.includes(s));

describe('cookie words', () => {
  it('the banner model lists the cookies in Spanish, durations worded in Spanish', () => {
    const policy = loadPolicy();
    const es = bannerConfig(policy, 'es-US').categories.flatMap((c) => c.cookies);
    assert.deepEqual(found(JSON.stringify(es), englishCookieText()), []);
    assert.deepEqual(
      es.find((k) => k.name === 'vow_consent'),
      {
        name: 'vow_consent',
        purpose:
          'Recuerda su decisión sobre las cookies: un identificador aleatorio y la decisión, nada que lo identifique',
        duration: '13 meses',
        provider: 'Diamond Nexus',
      },
    );
    assert.equal(es.find((k) => k.name === '_gcl_au')?.duration, '90 días');
    assert.equal(es.find((k) => k.name === 'Medición del sitio')?.duration, '14 meses (las mediciones)');
    const en = bannerConfig(policy, 'en-US').categories.flatMap((c) => c.cookies);
    assert.equal(en.find((k) => k.name === 'vow_consent')?.duration, '13 months');
    assert.equal(found(JSON.stringify(en), englishCookieText()).length, englishCookieText().length);
  });

  it('a policy without cookie translations shows its own words in Spanish pages (as recipients do)', () => {
    const source = readFileSync(DEFAULT_POLICY_PATH, 'utf8').replace(/\n {4}cookies:\n( {6}.*\n)+/, '\n');
    const r = parsePolicy(source);
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems.slice(0, 3)));
    assert.equal(Object.keys(r.policy.doc.translations['es-US']?.cookies ?? {}).length, 0);
    const es = bannerConfig(r.policy, 'es-US').categories.flatMap((c) => c.cookies);
    const consent = es.find((k) => k.name === 'vow_consent');
    assert.match(consent?.purpose ?? '', /^Remembers your cookie choice/);
    assert.equal(consent?.duration, '13 meses', 'an ISO period is still worded in the reader’s language');
  });

  it('refuses a translation of a cookie the policy does not have, at its place, with VOW_POLICY_INVALID', () => {
    const source = readFileSync(DEFAULT_POLICY_PATH, 'utf8').replace(
      '      _ga: { purpose:',
      '      _gax: { purpose:',
    );
    const r = parsePolicy(source);
    assert.equal(r.ok, false);
    if (r.ok) return;
    const p = r.problems.find((x) => x.message === 'unknown cookie "_gax"');
    assert.ok(p, JSON.stringify(r.problems));
    assert.equal(p.path, 'translations["es-US"].cookies._gax');
    assert.ok((p.line ?? 0) > 0, 'located in the file');
    // A retailer's file with that mistake: the loader refuses it with the stable code.
    const file = join(mkdtempSync(join(tmpdir(), 'vow-cookie-words-')), 'policy.yaml');
    writeFileSync(file, source);
    assert.throws(
      () => loadPolicyFile(file),
      (e: unknown) =>
        e instanceof VowError && e.code === 'VOW_POLICY_INVALID' && /unknown cookie "_gax"/.test(e.message),
    );
  });

  it('refuses two cookies of one name (the name is the id translations use)', () => {
    const source = readFileSync(DEFAULT_POLICY_PATH, 'utf8').replace(
      '{ name: vow_lang,',
      '{ name: vow_session,',
    );
    const r = parsePolicy(source);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.ok(
      r.problems.some(
        (x) => x.path === 'cookies[2].name' && x.message.includes('a second cookie named "vow_session"'),
      ),
      JSON.stringify(r.problems),
    );
  });
});

describeEachDialect('cookie words on the pages', (env) => {
  const get = (url: string, lang: string, accept = 'text/html') =>
    env().app.inject({ method: 'GET', url, headers: { accept, 'accept-language': lang } });

  it('the Spanish preference centre holds no English cookie text; the English one does', async () => {
    const es = text((await get('/cookies/preferences', 'es')).body);
    assert.deepEqual(found(es, englishCookieText()), []);
    assert.match(es, /vow_consent : Recuerda su decisión sobre las cookies[^.]*\. Duración: 13 meses\./);
    assert.match(es, /Medición del sitio : Cuenta las visitas/);
    const en = text((await get('/cookies/preferences', 'en')).body);
    assert.equal(found(en, englishCookieText()).length, englishCookieText().length);
  });

  it('the Spanish banner config holds no English cookie text', async () => {
    const es = await get('/v1/consent/config', 'es', 'application/json');
    assert.equal(es.statusCode, 200);
    const cookies = (es.json() as { categories: { cookies: unknown[] }[] }).categories.flatMap(
      (c) => c.cookies,
    );
    assert.equal(cookies.length, (loadPolicy().doc.cookies ?? []).length);
    assert.deepEqual(found(JSON.stringify(cookies), englishCookieText()), []);
    assert.ok(JSON.stringify(cookies).includes('"duration":"2 años"'));
  });

  it("the Spanish notice's cookie list holds no English cookie text; the English one lists them all", async () => {
    const page = (await get('/privacy', 'es')).body;
    const list = /<ul data-testid="notice-cookies">[\s\S]*?<\/ul><\/li><\/ul>/.exec(page)?.[0] ?? '';
    assert.ok(list.includes('vow_consent'), 'the notice lists the cookies');
    assert.deepEqual(found(text(page), englishCookieText()), []);
    assert.match(text(list), /Duración: 13 meses\. Proveedor: Diamond Nexus\./);
    const en = text((await get('/privacy', 'en')).body);
    assert.equal(found(en, englishCookieText()).length, englishCookieText().length);
  });
});
