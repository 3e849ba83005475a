import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONSENT_DEFAULTS_SNIPPET, consentScript } from '../../src/http/consent-script.js';

describe('the README’s consent script tag', () => {
  it('carries the integrity hash and fingerprint of the script as served (minified), deferred after the defaults', async () => {
    const script = await consentScript();
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');
    const at = readme.findIndex((l) => l.startsWith('<script src=') && l.includes('/consent.js'));
    const tag = readme[at];
    assert.ok(tag, 'README shows the script tag');
    assert.ok(tag.includes(`integrity="${script.integrity}"`), `README tag should carry ${script.integrity}`);
    assert.ok(tag.includes(`consent.js?v=${script.fingerprint}`));
    assert.ok(
      tag.includes('crossorigin="anonymous"') && tag.includes('data-vow-api=') && tag.includes(' defer>'),
    );
    const info = script.info('https://vow.example.com');
    const lines = info.tag.split('\n').length;
    assert.equal(
      readme.slice(at - lines + 1, at + 1).join('\n'),
      info.tag,
      'the whole tag, as /v1/consent/script-info has it',
    );
    assert.equal(
      readme[at - lines + 1],
      `<script>${CONSENT_DEFAULTS_SNIPPET}</script>`,
      'the defaults snippet comes first',
    );
  });
});
