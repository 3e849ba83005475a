// The guard the test runner turns on (VOW_TEST_ERROR_CODES, src/http/openapi-errors.ts): a /v1 route
// answering a code its /openapi.json list lacks, or a success status it does not document, is caught; a listed code, a success and an address
// outside /v1 are not. Recorded to a file here (on, it fails the process, which is the runner's job).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import Fastify from 'fastify';
import { z } from 'zod';
import { documentErrorAnswers, errorCodeGuardOf, errorCodesOf } from '../../src/http/openapi-errors.js';
import { VowError } from '../../src/platform/errors.js';

it('records a /v1 answer whose code is not in its route’s list, and nothing else', async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'vow-guard-')), 'misses.txt');
  const app = Fastify();
  // The error answers' schemas are zod ones, serialised as Vow's app does (JSON.stringify).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  documentErrorAnswers(app, file);
  app.setErrorHandler((err, _req, reply) => {
    const e = err as VowError;
    void reply.code(e.code === 'VOW_WEBHOOK_NOT_FOUND' ? 404 : 409).send(e.toBody());
  });
  const declared = { tags: ['webhooks'], errors: ['VOW_WEBHOOK_NOT_FOUND'] as const };
  app.get('/v1/listed', { schema: declared }, () => {
    throw new VowError('VOW_WEBHOOK_NOT_FOUND', 'no');
  });
  app.get('/v1/unlisted', { schema: declared }, () => {
    throw new VowError('VOW_TASK_STATE', 'already done');
  });
  app.get('/v1/fine', { schema: declared }, () => ({ ok: true }));
  app.get('/v1/accepted', { schema: { ...declared, response: { 200: z.object({}) } } }, (_req, reply) =>
    reply.code(202 as 200).send({}),
  );
  app.get('/elsewhere', () => {
    throw new VowError('VOW_TASK_STATE', 'not the API');
  });
  for (const url of ['/v1/listed', '/v1/unlisted', '/v1/fine', '/v1/accepted', '/elsewhere'])
    await app.inject({ url });
  await app.close();
  assert.ok(existsSync(file));
  assert.equal(
    readFileSync(file, 'utf8'),
    'GET /v1/unlisted answered VOW_TASK_STATE, which its list in /openapi.json lacks (schema.errors)\n' +
      'GET /v1/accepted answered 202, which its responses in /openapi.json lack\n',
  );
});

it('reads VOW_TEST_ERROR_CODES: unset or 0 off, 1 on, anything else a file', () => {
  assert.equal(errorCodeGuardOf(undefined), false);
  assert.equal(errorCodeGuardOf('0'), false);
  assert.equal(errorCodeGuardOf('1'), true);
  assert.equal(errorCodeGuardOf('/tmp/misses.txt'), '/tmp/misses.txt');
});

it("lists a route's own codes after the platform's its shape makes possible, and no family's", () => {
  const codes = errorCodesOf({
    method: 'GET',
    access: 'staff:admin',
    hasBody: false,
    hasInput: false,
    hasParams: false,
    limited: false,
    declared: [],
  });
  assert.ok(!codes.includes('VOW_WEBHOOK_NOT_FOUND'));
  assert.ok(!codes.includes('VOW_BAD_JSON'), 'a GET reads no body');
  const post = errorCodesOf({
    method: 'POST',
    access: 'public',
    hasBody: false,
    hasInput: false,
    hasParams: false,
    limited: false,
    declared: ['VOW_TASK_STATE'],
  });
  assert.ok(post.includes('VOW_TASK_STATE'));
  assert.ok(post.includes('VOW_BAD_JSON'), 'a POST without a body schema still reads a body sent');
});
