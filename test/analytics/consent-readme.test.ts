import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

describe('the README’s one-line consent script tag', () => {
  it('carries the integrity hash and fingerprint of the shipped consent.js', () => {
    const script = readFileSync(new URL('../../src/web/assets/consent.js', import.meta.url));
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const integrity = `sha384-${createHash('sha384').update(script).digest('base64')}`;
    const fingerprint = createHash('sha256').update(script).digest('hex').slice(0, 12);
    const tag = readme.split('\n').find((l) => l.startsWith('<script src=') && l.includes('/consent.js'));
    assert.ok(tag, 'README shows the script tag');
    assert.ok(tag.includes(`integrity="${integrity}"`), `README tag should carry ${integrity}`);
    assert.ok(tag.includes(`consent.js?v=${fingerprint}`));
    assert.ok(tag.includes('crossorigin="anonymous"') && tag.includes('data-vow-api='));
  });
});
