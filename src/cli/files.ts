// Files named on the `vow` command line, read whole: a file that cannot be read is one line naming
// the option, the file and why (no such file, a folder, no permission), with the code the command
// gives it, instead of the system's stack trace.
import { readFileSync } from 'node:fs';
import { type ErrorCode, VowError } from '../platform/errors.js';

const WHY: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file',
  EISDIR: 'it is a folder',
  EACCES: 'no permission to read it',
  EPERM: 'no permission to read it',
};

/** Why a file could not be read, in words (the system's code when it is none of the usual ones). */
export function whyUnreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return WHY[code] ?? (code || String(err));
}

/** The file's text; `what` names it in the message ("--text-file x.txt", "the policy file x.yaml"). */
export function readCliFile(file: string, what: string, code: ErrorCode = 'VOW_USAGE'): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new VowError(code, `Cannot read ${what}: ${whyUnreadable(err)}`, undefined, { cause: err });
  }
}
