// docs/policy.md documents every key of the policy file: each top-level key of the schema has a
// heading, and every key below it (the fixed keys of controller, notice and reports, and the keys
// of each entry of the maps and lists) is named in that heading's section. The key tables name no
// key the schema does not have. Computed from the Zod schema, so a new key fails until documented.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import { policySchema } from '../../src/modules/policy/schema.js';

const doc = readFileSync(new URL('../../docs/policy.md', import.meta.url), 'utf8');

interface SchemaNode {
  def: {
    type: string;
    innerType?: SchemaNode;
    in?: SchemaNode;
    valueType?: SchemaNode;
    element?: SchemaNode;
  };
  shape?: Record<string, SchemaNode>;
}

function unwrap(s: SchemaNode): SchemaNode {
  for (;;) {
    const { type } = s.def;
    if (['optional', 'default', 'nullable', 'prefault', 'readonly'].includes(type)) s = s.def.innerType!;
    else if (type === 'pipe') s = s.def.in!;
    else return s;
  }
}

/** Every key below a schema node, as paths (`fields.<id>.category`), through maps and lists. */
function keysBelow(node: SchemaNode, prefix = ''): string[] {
  const s = unwrap(node);
  if (s.def.type === 'object')
    return Object.entries(s.shape!).flatMap(([k, v]) => [`${prefix}${k}`, ...keysBelow(v, `${prefix}${k}.`)]);
  if (s.def.type === 'record') return keysBelow(s.def.valueType!, `${prefix}<id>.`);
  if (s.def.type === 'array') return keysBelow(s.def.element!, `${prefix}[].`);
  return [];
}

const lastSegment = (path: string): string =>
  path
    .split(/[.[\]]+/)
    .filter((x) => x && x !== '<id>')
    .pop()!;

/** The text under the `## ` heading that names `key` in backticks, up to the next `## ` heading. */
function sectionOf(key: string): string | undefined {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.startsWith('## ') && l.includes(`\`${key}\``));
  if (start === -1) return undefined;
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

/** The last segments of every backticked name in a text (`sections[].id` counts as `id`). */
function namesIn(text: string): Set<string> {
  return new Set([...text.matchAll(/`([a-z_][a-z0-9_.[\]]*)`/g)].map((m) => lastSegment(m[1]!)));
}

const shape = (policySchema as unknown as SchemaNode).shape!;

describe('docs/policy.md', () => {
  it('has a section for every top-level key of the policy schema', () => {
    const missing = Object.keys(shape).filter((k) => sectionOf(k) === undefined);
    assert.deepEqual(missing, [], `add a "## \`key\`" section to docs/policy.md for: ${missing.join(', ')}`);
  });

  it('names every key below a top-level key in that key’s section', () => {
    const missing: string[] = [];
    for (const [top, node] of Object.entries(shape)) {
      const section = sectionOf(top);
      if (!section) continue;
      const names = namesIn(section);
      for (const path of keysBelow(node as z.ZodType as unknown as SchemaNode))
        if (!names.has(lastSegment(path))) missing.push(`${top}.${path}`);
    }
    assert.deepEqual(missing, [], `document these keys in docs/policy.md: ${missing.join(', ')}`);
  });

  it('lists only keys the schema has in its key tables', () => {
    const unknown: string[] = [];
    for (const [top, node] of Object.entries(shape)) {
      const section = sectionOf(top);
      if (!section) continue;
      const known = new Set([top, ...keysBelow(node as unknown as SchemaNode).map(lastSegment)]);
      // The header section documents several top-level keys at once.
      for (const k of Object.keys(shape)) if (section.startsWith(`## The header`)) known.add(k);
      let inKeyTable = false;
      for (const line of section.split('\n')) {
        if (/^\| key\s/.test(line)) inKeyTable = true;
        else if (!line.startsWith('|')) inKeyTable = false;
        const cell = inKeyTable ? /^\| `([^`]+)`/.exec(line) : null;
        if (cell && !known.has(lastSegment(cell[1]!))) unknown.push(`${top}: ${cell[1]}`);
      }
    }
    assert.deepEqual(
      unknown,
      [],
      `docs/policy.md documents keys the schema does not have: ${unknown.join(', ')}`,
    );
  });
});
