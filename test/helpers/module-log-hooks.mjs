// The loader hooks of module-log.mjs (they run on Node's hooks thread): each module's URL, as it
// is loaded, a line of the log file.
import { appendFileSync } from 'node:fs';

let log;

export function initialize(file) {
  log = file;
}

export async function load(url, context, next) {
  appendFileSync(log, `${url}\n`);
  return next(url, context);
}
