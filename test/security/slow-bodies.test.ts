// Slow bodies: Fastify's requestTimeout is 0 (no limit; it also switches off Node's own), so a client
// that sent its headers and then a body a byte at a time kept its connection as long as it liked,
// and a few thousand of them held every socket Vow could open (a public route, no credentials). A
// body must now arrive whole within VOW_BODY_TIMEOUT_SECONDS; a connection still sending is closed.
// The deadline is 1 second here: each test waits for the server to act, never for a fixed time.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { before, it } from 'node:test';
import { describeEachDialect, testConfig } from '../helpers/env.js';

/** Resolves with how long the socket stayed open, or 'open' if it still is after `ms`. */
function closedWithin(socket: Socket, ms: number): Promise<number | 'open'> {
  const start = Date.now();
  return new Promise((resolve) => {
    const guard = setTimeout(() => resolve('open'), ms);
    socket.once('close', () => {
      clearTimeout(guard);
      resolve(Date.now() - start);
    });
  });
}

describeEachDialect(
  'a request body must arrive in time',
  (env) => {
    let port = 0;
    before(async () => {
      port = Number(new URL(await env().app.listen({ port: 0, host: '127.0.0.1' })).port);
    });

    const trickle = (path: string, length: number) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{`,
      );
      // One more byte every 200 ms: never idle, never done.
      const drip = setInterval(() => {
        if (!socket.destroyed) socket.write(' ');
      }, 200);
      socket.once('close', () => clearInterval(drip));
      return socket;
    };

    it('closes a public route connection that trickles its body past the deadline', async () => {
      const socket = trickle('/v1/requests', 60_000);
      const open = await closedWithin(socket, 8_000);
      socket.destroy();
      assert.ok(typeof open === 'number', 'a trickled body held the connection');
      assert.ok(open >= 900, `closed after ${open} ms, before the deadline`);
    });

    it('leaves alone a kept-alive connection whose bodies arrived in time', async () => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      let answers = '';
      const answered = (n: number) =>
        new Promise<void>((resolve) => {
          const check = () => {
            if ((answers.match(/HTTP\/1\.1 /g) ?? []).length >= n) resolve();
            else socket.once('data', check);
          };
          check();
        });
      socket.on('data', (chunk: Buffer) => {
        answers += chunk.toString('latin1');
      });
      const post = (path: string, body: string) =>
        socket.write(
          `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        );
      post('/v1/consent/choices', '{}');
      await answered(1);
      // No body at all: nothing reads it, the answer clears the deadline.
      post('/account/logout', '');
      await answered(2);
      assert.match(answers, /^HTTP\/1\.1 400 /);
      // Twice the deadline later the connection is still open for the next request.
      assert.equal(await closedWithin(socket, 2_000), 'open');
      socket.destroy();
    });
  },
  { config: testConfig({ VOW_BODY_TIMEOUT_SECONDS: '1' }), auth: 'enforced' },
);
