// A TCP proxy on loopback between Vow and PostgreSQL, to take the database "down" (every
// connection cut, new ones refused) and bring it back without touching the real server.
import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Cuts every open connection and refuses new ones (the port stops listening). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  if (target.host !== '127.0.0.1' && target.host !== 'localhost' && target.host !== '::1')
    throw new Error('the fault proxy forwards to loopback only');
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const port = await listen(0);
  let listening = true;
  const down = async () => {
    if (listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    listening = false;
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  // server.close() waits for open connections, so they are destroyed right after asking.
  return {
    port,
    down: async () => {
      const closing = down();
      for (const s of sockets) s.destroy();
      sockets.clear();
      await closing;
    },
    up: async () => {
      if (!listening) {
        await listen(port);
        listening = true;
      }
    },
    close: async () => {
      const closing = down();
      for (const s of sockets) s.destroy();
      await closing;
    },
  };
}
