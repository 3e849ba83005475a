// Slow bodies: Fastify sets no limit on how long a request may take to arrive (its requestTimeout is
// 0, which also turns off Node's own), so a client that sent its headers and then a body a byte at
// a time kept its connection for ever, and a few thousand such clients held every socket the
// process could open. A body must now arrive whole within VOW_BODY_TIMEOUT_SECONDS of the request's
// start, or the connection is closed. The streamed import (a file of up to VOW_IMPORT_MAX_BYTES,
// from staff) opts out with `config: { bodyDeadline: false }`.
//
// Most bodies (every shop backend's call, every page's measurement) arrive in the same read as
// their headers: the parser has the whole request before this turn of the event loop ends. So the
// deadline is armed only for a body still missing at the end of the turn its request started in
// (one setImmediate per turn for all of that turn's requests), instead of a timer and two listeners
// for every request: those cost the hot routes about a microsecond each (BENCHMARKS.md).
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: this route's body may take as long as it needs (a large streamed upload). */
    bodyDeadline?: false;
  }
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A request whose body had not all arrived when its route began to read it. */
interface Reading {
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
  readonly payload: NodeJS.ReadableStream;
}

export interface BodyDeadlineOptions {
  /** Arms a deadline (setTimeout by default; a test counts them); returns how to clear it. */
  readonly setTimer?: (fn: () => void, ms: number) => () => void;
}

export function installBodyDeadline(
  app: FastifyInstance,
  seconds: number,
  options: BodyDeadlineOptions = {},
): void {
  const ms = seconds * 1000;
  const setTimer =
    options.setTimer ??
    ((fn: () => void, after: number) => {
      const timer = setTimeout(fn, after);
      return () => clearTimeout(timer);
    });
  /** This turn's requests, checked once the turn has read everything it could. */
  let reading: Reading[] = [];

  /** The deadline of a body still arriving: the connection is closed if it is not whole in time. */
  const arm = (r: Reading): void => {
    const { req, reply, payload } = r;
    // The body arrived meanwhile, the answer went (a body nobody reads never ends), or the client left.
    if (req.raw.complete || req.raw.destroyed || reply.raw.writableEnded) return;
    // Closing the connection is all a client that is still sending can be told. (The deadline
    // counts from this turn's end: microseconds after the request's start.)
    const clear = setTimer(() => req.raw.destroy(), ms);
    payload.once('end', clear);
    reply.raw.once('close', clear);
  };
  const checkTurn = (): void => {
    const turn = reading;
    reading = [];
    for (const r of turn) arm(r);
  };

  const deadline = (
    req: FastifyRequest,
    reply: FastifyReply,
    payload: NodeJS.ReadableStream,
    done: (err: Error | null, payload: NodeJS.ReadableStream) => void,
  ): void => {
    if (!req.raw.complete) {
      if (reading.length === 0) setImmediate(checkTurn);
      reading.push({ req, reply, payload });
    }
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
