// Types of bin/compile.js for the TypeScript that imports it (its test).
export function buildTree(
  root: string,
  out: string,
  options?: { except?: readonly string[]; sourcemap?: 'inline' | 'linked' | false },
): Promise<string>;
export function inTree(root: string, out: string, file: string): string;
export function compiledMain(root: string): Promise<string | undefined>;
export const BUNDLED: readonly string[];
