// Files that hold Vow's data (the SQLite database and its journals, the development mailbox, the
// generated master key) are readable by the owner only: the folder 0700, each file 0600, whatever
// the process's umask. Existing folders and files are tightened when Vow opens them.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder (and missing parents) owner-only; tightens it when it already exists. */
export function ensurePrivateDir(dir: string): void {
  const resolved = path.resolve(dir);
  mkdirSync(resolved, { recursive: true, mode: PRIVATE_DIR_MODE });
  if ((statSync(resolved).mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(resolved, PRIVATE_DIR_MODE);
}

/**
 * Creates the file empty and owner-only when missing (so it never exists with looser rights, not
 * even for a moment), or tightens an existing one. Its folder is made private first.
 */
export function ensurePrivateFile(file: string): void {
  const resolved = path.resolve(file);
  ensurePrivateDir(path.dirname(resolved));
  closeSync(openSync(resolved, 'a', PRIVATE_FILE_MODE));
  if ((statSync(resolved).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(resolved, PRIVATE_FILE_MODE);
}
