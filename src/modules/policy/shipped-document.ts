// The shipped default policy (policies/default.yaml) as text and as plain data, each read once per
// process: what a retailer's policy inherits (the US state laws, the breach laws) is taken from it,
// and parsing its 100 KB of YAML costs 0.1-0.3 s of CPU, which every `vow` start and every test
// process would otherwise pay once per inherited section.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

let text: { readonly path: string; readonly value: string } | undefined;
let data: { readonly path: string; readonly value: Record<string, unknown> } | undefined;

/** The shipped policy's text. */
export function shippedText(path: string): string {
  if (text?.path !== path) text = { path, value: readFileSync(path, 'utf8') };
  return text.value;
}

/** The shipped policy parsed to plain data (not validated: each section's reader validates its own). */
export function shippedDocument(path: string): Record<string, unknown> {
  if (data?.path !== path) {
    const parsed: unknown = parse(shippedText(path));
    data = {
      path,
      value: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {},
    };
  }
  return data.value;
}
