// Every relative link of the README, ARCHITECTURE.md and docs/*.md leads somewhere: the file exists
// and, when the link names an anchor, the target has a heading with that anchor (GitHub's rule:
// lower case, punctuation dropped, spaces to hyphens).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAGES = [
  'README.md',
  'ARCHITECTURE.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's anchor for a heading. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

describe('links in the documentation', () => {
  it('computes GitHub anchors', () => {
    assert.equal(slug('The header: `vow_policy`, `name`'), 'the-header-vow_policy-name');
    assert.equal(slug('Shopper accounts and "my data"'), 'shopper-accounts-and-my-data');
  });

  for (const page of PAGES) {
    it(`${page}: every relative link resolves`, () => {
      const text = readFileSync(path.join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '');
      const broken: string[] = [];
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/i.test(target)) continue;
        const [file, anchor] = target.split('#') as [string, string | undefined];
        const full =
          file === '' ? path.join(ROOT, page) : path.resolve(path.dirname(path.join(ROOT, page)), file);
        if (!existsSync(full)) broken.push(`${target} (no such file)`);
        else if (anchor && full.endsWith('.md') && !anchorsOf(full).has(anchor))
          broken.push(`${target} (no heading with that anchor)`);
      }
      assert.deepEqual(broken, [], `${page} links to: ${broken.join(', ')}`);
    });
  }
});
