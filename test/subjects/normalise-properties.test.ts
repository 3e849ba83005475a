// Properties of identifier normalisation: whatever the spelling, the same person's identifier
// normalises to the same text (and normalising twice changes nothing).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normaliseAddress, normaliseEmail, normalisePhone } from '../../src/modules/subjects/index.js';

const localPart = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}$/);
const domain = fc.stringMatching(/^[a-z0-9]{1,12}\.(com|org|co\.uk|de)$/);
const randomCase = (s: string, flips: boolean[]) =>
  [...s].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c)).join('');
const spaces = fc.stringMatching(/^[ \t]{0,3}$/);

describe('normalisation properties', () => {
  it('an email in any case, with spaces around it, normalises to one text, and normalising is idempotent', () => {
    fc.assert(
      fc.property(
        localPart,
        domain,
        fc.array(fc.boolean(), { minLength: 1 }),
        spaces,
        spaces,
        (l, d, flips, a, b) => {
          const email = `${l}@${d}`;
          const typed = `${a}${randomCase(email, flips)}${b}`;
          assert.equal(normaliseEmail(typed), email);
          assert.equal(normaliseEmail(normaliseEmail(typed)), normaliseEmail(typed));
        },
      ),
    );
  });

  it('a US number written with any separators normalises to the same E.164', () => {
    const sep = fc.constantFrom('', ' ', '-', '.');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), sep, sep, fc.boolean(), (n, s1, s2, paren) => {
        const last = String(n).padStart(4, '0');
        const area = paren ? '(608)' : '608';
        const typed = `${area}${s1}265${s2}${last}`;
        const e164 = normalisePhone(typed);
        assert.equal(e164, `+1608265${last}`);
        assert.equal(normalisePhone(e164!), e164);
      }),
    );
  });

  it('an address in any case and spacing normalises to one text', () => {
    const word = fc.stringMatching(/^[a-z]{1,10}$/);
    fc.assert(
      fc.property(
        word,
        word,
        fc.integer({ min: 1, max: 99999 }),
        fc.array(fc.boolean(), { minLength: 1 }),
        (street, city, no, flips) => {
          const a = { line1: `${no} ${street} street`, city, postal_code: '53132', country: 'US' };
          const b = {
            line1: `  ${randomCase(`${no}  ${street}   street.`, flips)} `,
            city: randomCase(city, flips),
            postal_code: ' 531 32 ',
            country: 'us',
          };
          assert.equal(normaliseAddress(b), normaliseAddress(a));
        },
      ),
    );
  });
});
