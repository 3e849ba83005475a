// Where an upload to POST /v1/imports is copied before it is imported (its SHA-256 is the run's
// identity and must be known before the first row is written): `<VOW_DATA_DIR>/uploads`, a folder
// Vow owns (0700), one folder per upload (0700) holding one file (0600), removed when the import
// ends whatever happens. A process killed meanwhile cannot remove its copy, which holds the whole
// customer file: `vow serve` removes such leftovers when it starts (removeLeftoverUploads). It was
// the system's temporary folder, which nothing of Vow's ever looked at again.
//
// Each upload's folder is named after the process that made it (`import-<pid>-<random>`), so a
// start removes only the uploads of processes that are gone: another `vow serve` on the same data
// folder may be importing meanwhile. (A data folder is one machine's: pids are this machine's.)
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VowError } from '../../platform/errors.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../platform/private-files.js';

/** The folder of spooled uploads in a data folder. */
export function uploadsDir(dataDir: string): string {
  return path.join(dataDir, 'uploads');
}

const PREFIX = 'import-';

/** The pid an upload's folder was made by, or undefined for a name that is not an upload's. */
function ownerOf(name: string): number | undefined {
  const m = /^import-(\d+)-/.exec(name);
  return m ? Number(m[1]) : undefined;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: a process of another user has the pid (it is running; not ours to judge).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the uploads left by processes that are no longer running (killed during an import).
 * Called at start, before this process spools anything: a folder with this process's own pid is an
 * earlier process's (a container's process has the same pid at every start). Returns how many.
 */
export async function removeLeftoverUploads(dataDir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(uploadsDir(dataDir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    const pid = ownerOf(name);
    if (pid === undefined || (pid !== process.pid && running(pid))) continue;
    await rm(path.join(uploadsDir(dataDir), name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/**
 * Copies a stream to a file only this process's user can read (under the data folder), runs `fn`
 * on it, then removes it. A stream longer than `maxBytes` is refused (VOW_BODY_TOO_LARGE) as soon as
 * it passes the limit, and its copy removed: an upload cannot fill the disk the database lives on.
 */
export async function withSpooledFile<T>(
  dataDir: string,
  body: NodeJS.ReadableStream,
  fn: (file: string) => Promise<T>,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<T> {
  const root = uploadsDir(dataDir);
  ensurePrivateDir(root);
  // mkdtemp makes the folder 0700.
  const dir = await mkdtemp(path.join(root, `${PREFIX}${process.pid}-`));
  try {
    const file = path.join(dir, 'upload');
    let seen = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        if (seen > maxBytes)
          done(
            new VowError(
              'VOW_BODY_TOO_LARGE',
              `The file is larger than VOW_IMPORT_MAX_BYTES (${maxBytes} bytes): import it with vow import on the server, or raise the limit`,
              { limit: maxBytes },
            ),
          );
        else done(null, chunk);
      },
    });
    // Created 0600 ('wx': a new file, never one found there).
    await pipeline(body, limit, createWriteStream(file, { mode: PRIVATE_FILE_MODE, flags: 'wx' }));
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
