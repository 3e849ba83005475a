// Where `vow serve` and `vow demo` listen (VOW_HOST:VOW_PORT), checked before they start, and why
// they cannot, in words with what to change (VOW_CONFIG_INVALID), instead of the system's stack trace.
import { createServer } from 'node:net';
import { VowError } from '../platform/errors.js';

/** Why `vow serve` cannot listen on VOW_HOST:VOW_PORT, in words, with what to change. */
export function listenError(host: string, port: number, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  const why =
    code === 'EADDRINUSE'
      ? 'another process listens there: stop it, or set VOW_PORT to a free port'
      : code === 'EACCES'
        ? 'no permission to listen on that port (below 1024 needs privileges): set VOW_PORT to 1024 or above'
        : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'VOW_HOST is not an address of this machine: set it to one (127.0.0.1, 0.0.0.0 for every interface)'
          : undefined;
  if (!why) return err instanceof Error ? err : new Error(String(err));
  return new VowError('VOW_CONFIG_INVALID', `Cannot listen on ${where}: ${why}`, { code }, { cause: err });
}

/**
 * Tries VOW_HOST:VOW_PORT before anything starts: a port in use, or a host that is not this
 * machine's, is refused before the store is opened or written.
 */
export async function checkListenAddress(host: string, port: number): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, resolve);
    });
  } catch (err) {
    throw listenError(host, port, err);
  }
  await new Promise((resolve) => server.close(resolve));
}
