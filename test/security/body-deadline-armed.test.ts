// The body deadline (src/http/body-deadline.ts) is armed only for a body still arriving when the
// turn of the event loop that read its request ends: a body sent with its headers (every shop
// backend's call, every page's measurement) costs no timer, a body sent in pieces gets one, and a
// trickled body still loses its connection. slow-bodies.test.ts checks the same through Vow's app.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { installBodyDeadline } from '../../src/http/body-deadline.js';

/** Posts a JSON body of `length` bytes on `socket`, starting with `first` (sent with the headers). */
function post(socket: Socket, first: string, length = Buffer.byteLength(first)): void {
  socket.write(
    `POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n${first}`,
  );
}

/** Resolves once `socket` has received `n` answers. */
function answers(socket: Socket, n: number): Promise<string> {
  let text = '';
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if ((text.match(/HTTP\/1\.1 200 /g) ?? []).length >= n) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
  });
}

describe('the body deadline is armed only for a body still arriving', () => {
  let app: FastifyInstance;
  let port = 0;
  let armed = 0;
  let cleared = 0;
  /** What each deadline armed does (the tests never wait for a real one: slow-bodies.test.ts does). */
  let onArm: (expire: () => void) => void = () => {};
  before(async () => {
    app = Fastify({ logger: false });
    installBodyDeadline(app, 30, {
      setTimer: (expire) => {
        armed++;
        onArm(expire);
        return () => {
          cleared++;
        };
      },
    });
    app.post('/echo', async (req) => ({ got: req.body }));
    port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port);
  });
  after(() => app.close());

  it('arms nothing for bodies sent with their headers, on a kept-alive connection', async () => {
    armed = 0;
    const socket = connect(port, '127.0.0.1');
    for (let i = 0; i < 20; i++) {
      const answered = answers(socket, 1);
      post(socket, JSON.stringify({ n: i }));
      assert.match(await answered, new RegExp(`\\{"got":\\{"n":${i}\\}\\}`));
    }
    socket.destroy();
    assert.equal(armed, 0);
  });

  it('arms the deadline for a body sent in pieces, and clears it when the body is whole', {
    timeout: 10_000,
  }, async () => {
    armed = 0;
    cleared = 0;
    const socket = connect(port, '127.0.0.1');
    const answered = answers(socket, 1);
    // The rest of the body is sent once the deadline is armed: in another read, a later turn.
    onArm = () => socket.write('42}');
    post(socket, '{"n":', 8);
    assert.match(await answered, /\{"got":\{"n":42\}\}/);
    onArm = () => {};
    socket.destroy();
    assert.equal(armed, 1);
    assert.ok(cleared >= 1, 'the deadline was cleared');
  });

  it('closes the connection of a body still arriving when its deadline passes', {
    timeout: 10_000,
  }, async () => {
    armed = 0;
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // The deadline passes at once: the connection is closed with its body unfinished.
    onArm = (expire) => setImmediate(expire);
    post(socket, '{', 10_000);
    await closed;
    onArm = () => {};
    assert.equal(armed, 1);
  });
});
