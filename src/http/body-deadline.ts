// Slow bodies: Fastify sets no limit on how long a request may take to arrive (its requestTimeout is
// 0, which also turns off Node's own), so a client that sent its headers and then a body a byte at
// a time kept its connection for ever, and a few thousand such clients held every socket the
// process could open. A body must now arrive whole within VOW_BODY_TIMEOUT_SECONDS of the request's
// start, or the connection is closed. The streamed import (a file of up to VOW_IMPORT_MAX_BYTES,
// from staff) opts out with `config: { bodyDeadline: false }`.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: this route's body may take as long as it needs (a large streamed upload). */
    bodyDeadline?: false;
  }
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function installBodyDeadline(app: FastifyInstance, seconds: number): void {
  const ms = seconds * 1000;
  const deadline = (
    req: FastifyRequest,
    reply: FastifyReply,
    payload: NodeJS.ReadableStream,
    done: (err: Error | null, payload: NodeJS.ReadableStream) => void,
  ): void => {
    // Closing the connection is all a client that is still sending can be told.
    const timer = setTimeout(() => req.raw.destroy(), ms);
    const clear = () => clearTimeout(timer);
    // The body arrived, or the answer went (a body nobody reads never ends), or the client left.
    payload.once('end', clear);
    reply.raw.once('close', clear);
    done(null, payload);
  };
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    if (!methods.some((m) => WITH_BODY.has(m)) || route.config?.bodyDeadline === false) return;
    const own = route.preParsing;
    const list = own === undefined ? [] : Array.isArray(own) ? own : [own];
    route.preParsing = [...list, deadline] as RouteOptions['preParsing'];
  });
}
