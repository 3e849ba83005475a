// Requests Node's HTTP parser refuses before any route sees them (its `clientError`): Fastify
// answered those with a body of its own (`{"error":"Bad Request","message":"Client Error"}`, no
// Vow code) and none of Vow's security headers. They now answer Vow's error body with a stable code
// (VOW_BAD_REQUEST, VOW_HEADERS_TOO_LARGE) and the JSON API's headers, and the refusal is as strong
// as before: the same status, the connection closed, nothing of the request echoed. Raw sockets,
// as an attacker sends them (security.md #35).
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { before, it } from 'node:test';
import { clientErrorHandler } from '../../src/http/errors.js';
import { describeEachDialect } from '../helpers/env.js';

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Whether the server closed the connection (within the test's wait). */
  readonly closed: boolean;
}

/**
 * Sends `raw` on a new connection; resolves with what came back once the server closes it. With
 * `dripMs`, `raw` is an unfinished head and one more header line follows every `dripMs` until then
 * (a client sending its headers slowly).
 */
function send(port: number, raw: string | Buffer, dripMs?: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const guard = setTimeout(() => {
      socket.destroy();
      finish(false);
    }, 5_000);
    let drip: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      clearTimeout(guard);
      clearInterval(drip);
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [line = '', ...fields] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const f of fields) {
        const i = f.indexOf(':');
        headers[f.slice(0, i).trim().toLowerCase()] = f.slice(i + 1).trim();
      }
      resolve({ status: Number(line.split(' ')[1]), headers, body: rest.join('\r\n\r\n'), closed });
    };
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => {});
    socket.once('close', () => finish(true));
    socket.once('connect', () => {
      socket.write(raw);
      let n = 0;
      if (dripMs) drip = setInterval(() => socket.writable && socket.write(`X-Slow-${++n}: 1\r\n`), dripMs);
    });
    socket.once('timeout', reject);
  });
}

function assertVowRefusal(answer: RawAnswer, status: number, code: string): void {
  assert.equal(answer.status, status);
  assert.equal(JSON.parse(answer.body).error.code, code, answer.body);
  assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(Number(answer.headers['content-length']), Buffer.byteLength(answer.body));
  assert.equal(answer.headers.connection, 'close');
  for (const header of [
    'content-security-policy',
    'strict-transport-security',
    'x-content-type-options',
    'x-frame-options',
    'referrer-policy',
  ])
    assert.ok(answer.headers[header], `${header} on a ${status}`);
  assert.equal(answer.headers['cache-control'], 'no-store');
  assert.ok(answer.closed, 'the connection is closed after the refusal');
}

describeEachDialect('requests the HTTP parser refuses', (env) => {
  let port = 0;
  before(async () => {
    port = Number(new URL(await env().app.listen({ port: 0, host: '127.0.0.1' })).port);
  });

  it('answers a body framed two ways (Transfer-Encoding with Content-Length) VOW_BAD_REQUEST and closes', async () => {
    const smuggled =
      'POST /v1/requests HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const answer = await send(port, smuggled);
    assertVowRefusal(answer, 400, 'VOW_BAD_REQUEST');
    assert.equal((answer.body.match(/HTTP\/1\.1/g) ?? []).length, 0, 'the smuggled request was not answered');
  });

  it('answers a malformed request line or header VOW_BAD_REQUEST, echoing nothing of it', async () => {
    for (const raw of [
      'GET /ann@example.com HTTP/1.1 x\r\nHost: 127.0.0.1\r\n\r\n',
      'GET /ann @example.com HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      'G(T / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Email: ann@example.com\x01\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Name: ann@example.com\r\n\r\n',
    ]) {
      const answer = await send(port, raw);
      assertVowRefusal(answer, 400, 'VOW_BAD_REQUEST');
      assert.ok(!answer.body.includes('ann@example.com'), JSON.stringify(raw));
    }
  });

  it('answers headers over 16 KiB VOW_HEADERS_TOO_LARGE (431) and closes', async () => {
    const answer = await send(
      port,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    assertVowRefusal(answer, 431, 'VOW_HEADERS_TOO_LARGE');
  });

  it('still answers a well-formed request on the same server', async () => {
    const answer = await send(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    assert.equal(answer.status, 200);
  });
});

describeEachDialect('a request whose headers do not arrive in time', (env) => {
  let port = 0;
  before(async () => {
    // Node's own limits, made short so that its check fires within the test: the headers must be in
    // 300 ms after the request began (60 s in production), checked every 50 ms (read when the server
    // starts listening). The refusal is Node's (ERR_HTTP_REQUEST_TIMEOUT), the answer Vow's.
    const server = env().app.server;
    server.headersTimeout = 300;
    server.requestTimeout = 300;
    // A property Node reads when listening starts (typed only as a createServer option).
    Object.assign(server, { connectionsCheckingInterval: 50 });
    port = Number(new URL(await env().app.listen({ port: 0, host: '127.0.0.1' })).port);
  });

  it('answers headers sent too slowly VOW_REQUEST_TIMEOUT (408) over a real socket, and closes', async () => {
    const answer = await send(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', 40);
    assertVowRefusal(answer, 408, 'VOW_REQUEST_TIMEOUT');
  });
});

/** A socket that records what the handler does with it. */
function fakeSocket(answerBegun = false) {
  const seen = { written: '', destroyed: false };
  const socket = {
    destroyed: false,
    writable: true,
    _httpMessage: answerBegun ? { headersSent: true } : null,
    write: (data: string) => {
      seen.written += data;
    },
    destroy: () => {
      seen.destroyed = true;
    },
  };
  return { socket, seen };
}

it("answers headers not in within Node's timeout VOW_REQUEST_TIMEOUT (408), and never writes into an answer already begun", () => {
  const logged: string[] = [];
  const handler = clientErrorHandler({ 'x-content-type-options': 'nosniff' }, (code) => logged.push(code));
  const timeout = Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });
  const late = fakeSocket();
  handler(timeout, late.socket);
  assert.match(late.seen.written, /^HTTP\/1\.1 408 Request Timeout\r\n/);
  assert.match(late.seen.written, /\r\nx-content-type-options: nosniff\r\n/);
  assert.equal(JSON.parse(late.seen.written.split('\r\n\r\n')[1]!).error.code, 'VOW_REQUEST_TIMEOUT');
  assert.ok(late.seen.destroyed);
  const begun = fakeSocket(true);
  handler(Object.assign(new Error('bad'), { code: 'HPE_INVALID_METHOD' }), begun.socket);
  assert.equal(begun.seen.written, '', 'nothing written into an answer already begun');
  assert.ok(begun.seen.destroyed, 'the connection is still closed');
  assert.deepEqual(logged, ['ERR_HTTP_REQUEST_TIMEOUT', 'HPE_INVALID_METHOD']);
});
