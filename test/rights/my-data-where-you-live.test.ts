// My data's "Where you live": its first choice reads whole in a phone's select (it was "Where my
// address on file is (or Elsewhere, if you have none)", cut after some 40 characters on a 390 px
// phone, in English and Spanish); what that choice means without an address is a hint under the
// label, tied to the select for a screen reader, and a refused choice's message takes its place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMyDataPage } from '../../src/http/pages/account.js';
import { ACCOUNT_WORDS } from '../../src/http/pages/i18n/account.js';
import { loadPolicy } from '../../src/modules/policy/index.js';
import { LOCALES } from '../../src/platform/i18n/index.js';

const policy = loadPolicy();
const view = {
  account: { email: 'sam@example.com', verified: true, createdAt: '2026-01-01T00:00:00Z' },
  linked: true,
  categories: [],
  sources: ['account'],
  notes: [],
  generatedAt: '2026-02-01T00:00:00Z',
};
/** What a 390 px phone's select shows of its chosen option, in characters of this font. */
const PHONE_SELECT_CHARACTERS = 40;

describe("My data's Where you live", () => {
  for (const locale of LOCALES)
    it(`offers a first choice a phone shows whole, and says what it means under the label (${locale})`, () => {
      const w = ACCOUNT_WORDS[locale];
      const page = renderMyDataPage(
        policy,
        'csrf',
        view,
        {},
        { signedIn: true, locale, path: '/account/my-data' },
      );
      const select = /<select id="jurisdiction"[^>]*>\s*<option[^>]*>([^<]*)</.exec(page);
      assert.ok(select, 'the select is there');
      assert.ok(
        select[1]!.length <= PHONE_SELECT_CHARACTERS,
        `"${select[1]}" is ${select[1]!.length} characters`,
      );
      assert.match(select[0], /aria-describedby="jurisdiction-hint"/);
      assert.ok(page.includes(`<span class="small" id="jurisdiction-hint">${w.asOnFileHint}</span>`));

      const refused = renderMyDataPage(
        policy,
        'csrf',
        view,
        {
          form: {
            values: { jurisdiction: 'zz' },
            errors: { jurisdiction: 'Choose one of the options offered.' },
          },
        },
        { signedIn: true, locale, path: '/account/my-data' },
      );
      const tag = /<select id="jurisdiction"[^>]*>/.exec(refused)?.[0] ?? '';
      assert.equal(tag.match(/aria-describedby/g)?.length, 1, tag);
      assert.match(tag, /aria-invalid="true"/);
    });
});
