// How a delivery is sent: one POST over node:http(s) whose connection resolves its host through the
// receiver-address policy's lookup (the address checked is the address connected to), or straight
// to an address literal the policy allows. Redirects are never followed (node:http does not), and
// what went wrong becomes the delivery's `last_error`: an HTTP status, a socket error code, or the
// refusal with its reason.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ADDRESS_REFUSED, type ReceiverAddresses } from './receiver-addresses.js';
import type { Fetch } from './webhook-shapes.js';

/** The POST each delivery attempt makes, through the policy's lookup on every new connection. */
export function guardedPost(addresses: ReceiverAddresses): Fetch {
  // Agents of their own: a kept-alive connection was checked when it was opened, and no connection
  // opened by other code (without the check) is ever reused for a delivery.
  const agents = {
    http: new HttpAgent({ keepAlive: true, lookup: addresses.lookup }),
    https: new HttpsAgent({ keepAlive: true, lookup: addresses.lookup }),
  };
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      addresses.checkLiteral(target.hostname);
      const https = target.protocol === 'https:';
      const req = (https ? httpsRequest : httpRequest)(
        target,
        {
          method: init.method,
          headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
          agent: https ? agents.https : agents.http,
          lookup: addresses.lookup,
          signal: init.signal,
        },
        (res) => {
          // The answer's body is not read (nor shown anywhere): only its status counts.
          res.on('error', () => {});
          res.resume();
          resolve({ status: res.statusCode ?? 0 });
        },
      );
      req.on('error', (err) => reject(init.signal.aborted ? init.signal.reason : err));
      req.end(init.body);
    });
}

/** What a failed attempt records: the refusal with its reason, a socket error's code, or the error's name. */
export function attemptError(err: unknown): string {
  if (!(err instanceof Error)) return 'Error';
  const refused = [err, err.cause].find(
    (e): e is Error => e instanceof Error && (e as { code?: unknown }).code === ADDRESS_REFUSED,
  );
  if (refused) return `${ADDRESS_REFUSED}: ${refused.message}`;
  const codeOf = (e: unknown) => (e as { code?: unknown } | undefined)?.code;
  // A socket's own errors carry their code; fetch (an injected transport) wraps them in `cause`;
  // a connection tried on every address of a name fails with each one's.
  const code = [err, err.cause, ...(err instanceof AggregateError ? err.errors : [])]
    .map(codeOf)
    .find((c) => typeof c === 'string');
  if (typeof code === 'string') return code;
  return err.cause instanceof Error ? err.cause.name : err.name;
}
