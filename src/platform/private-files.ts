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
 *
 * An existing file is never opened here: closing any descriptor of a file drops every POSIX lock
 * this process holds on it (fcntl semantics), so opening and closing the SQLite database or its
 * -wal/-shm while a connection of this process holds them (the promise checks' worker opens the
 * store a second time) released that connection's locks, and another process (`vow` on the same
 * folder) could then reset the WAL under a reader: "database disk image is malformed" until restart.
 */
export function ensurePrivateFile(file: string): void {
  const resolved = path.resolve(file);
  ensurePrivateDir(path.dirname(resolved));
  try {
    closeSync(openSync(resolved, 'wx', PRIVATE_FILE_MODE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if ((statSync(resolved).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(resolved, PRIVATE_FILE_MODE);
}
