/**
 * The OpenAPI document the server serves describes what it answers: every operation has an operationId,
 * the error codes are the server's own list, and actual answers (200 and errors) validate against the
 * served schemas.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { ERROR_CODES } from '../../src/server/errors.js';
import { buildServer } from '../../src/server/index.js';
import { FakeExtractor, fakeExtract } from './fake-extractor.js';
import { answersWhileClosing, rawJsonBody } from './helpers.js';

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

describe('OpenAPI document', () => {
  const fake = new FakeExtractor();
  let app: FastifyInstance;
  let spec: any;
  let ajv: Ajv;
  before(async () => {
    app = buildServer(fake, { maxQueuedTexts: 4, maxTexts: 4, bodyLimit: 4000, extractTimeout: 200 });
    const res = await app.inject({ url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    spec = res.json();
    // OpenAPI 3.0 schemas are JSON Schema with a few keywords of their own: let Ajv skip what it does not know.
    ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
    ajv.addSchema(spec, 'openapi.json');
  });
  after(() => app.close());

  /** The schema of `status`'s JSON body of an operation, or of a reusable response. */
  function responseValidator(path: string, method: string, status: string): ValidateFunction {
    return ajv.compile({ $ref: `openapi.json#/${pointer('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')}` });
  }
  function check(validate: ValidateFunction, status: number, body: unknown, what: string) {
    assert.ok(validate(body), `${what} (${status}): ${JSON.stringify(validate.errors)} for ${JSON.stringify(body).slice(0, 300)}`);
  }

  it('gives every operation a unique operationId', () => {
    const ids: string[] = [];
    for (const [path, item] of Object.entries<any>(spec.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        assert.match(op.operationId ?? '', /^[a-zA-Z]+$/, `${method} ${path}`);
        ids.push(op.operationId);
      }
    }
    assert.deepEqual(ids.sort(), ['extract', 'getHealth', 'getModel', 'labelStudioHealth', 'labelStudioMetrics', 'labelStudioPredict', 'labelStudioSetup', 'labelStudioWebhook', 'render']);
  });

  it('lists exactly the error codes the server has', () => {
    assert.deepEqual(spec.components.schemas.Error.properties.error.properties.code.enum, Object.keys(ERROR_CODES));
  });

  it('describes 404, 405, 500 and 503 (overloaded, timeout, shutting_down) and the headers they carry', () => {
    const { NotFound, MethodNotAllowed } = spec.components.responses;
    assert.match(NotFound.description, /not_found/);
    assert.match(MethodNotAllowed.description, /method_not_allowed/);
    assert.ok(MethodNotAllowed.headers.Allow.schema, 'MethodNotAllowed.headers.Allow.schema');
    assert.match(spec.info.description, /#\/components\/responses\/NotFound/);
    assert.match(spec.info.description, /#\/components\/responses\/MethodNotAllowed/);
    for (const [path, item] of Object.entries<any>(spec.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        for (const status of ['500', '503', 'default']) assert.ok(op.responses[status], `${method} ${path} ${status}`);
        for (const code of ['overloaded', 'timeout', 'shutting_down']) assert.match(op.responses['503'].description, new RegExp(code));
        assert.ok(op.responses['503'].headers['Retry-After'].schema, 'op.responses[\'503\'].headers[\'Retry-After\'].schema');
        for (const [status, response] of Object.entries<any>(op.responses)) {
          if (status !== '200') assert.ok(response.headers['X-Request-Id'].schema, `${method} ${path} ${status}`);
        }
      }
    }
  });

  it('validates the actual 200 answers', async () => {
    const text = 'John Smith works for Acme Corp in Boston.';
    check(responseValidator('/health', 'get', '200'), 200, (await app.inject({ url: '/health' })).json(), 'health');
    check(responseValidator('/v1/model', 'get', '200'), 200, (await app.inject({ url: '/v1/model' })).json(), 'model');
    const extracted = await app.inject({ method: 'POST', url: '/v1/extract', payload: { texts: [text, 'Ann 😀 Lee.'] } });
    assert.equal(extracted.statusCode, 200);
    check(responseValidator('/v1/extract', 'post', '200'), 200, extracted.json(), 'extract');
    // and the schemas are not vacuous
    assert.equal(responseValidator('/v1/extract', 'post', '200')({ documents: [{ ...fakeExtract(text), entities: 'none' }] }), false);
    assert.equal(responseValidator('/v1/model', 'get', '200')({ ...fake.info(), checksum: 'not hex' }), false);
  });

  it('validates actual error answers against the response described for their status', async () => {
    const cases: [string, InjectOptions & { url: string }, string][] = [
      ['invalid_json', { method: 'POST', url: '/v1/extract', payload: '{broken', headers: { 'content-type': 'application/json' } }, '400'],
      ['invalid_request', { method: 'POST', url: '/v1/extract', payload: { text: 'a', bogus: 1 } }, '400'],
      ['batch_too_large', { method: 'POST', url: '/v1/extract', payload: { texts: ['a', 'b', 'c', 'd', 'e'] } }, '400'],
      ['body_too_large', { method: 'POST', url: '/v1/extract', payload: { text: 'x'.repeat(5000) } }, '413'],
      ['unsupported_media_type', { method: 'POST', url: '/v1/extract', payload: 'hi', headers: { 'content-type': 'text/plain' } }, '415'],
      ['invalid_request', { method: 'POST', url: '/v1/render', payload: { documents: 'none' } }, '400'],
    ];
    for (const [code, request, status] of cases) {
      const res = await app.inject(request);
      assert.equal(String(res.statusCode), status, `${code}: ${res.body}`);
      assert.equal(res.json().error.code, code);
      const path = request.url;
      check(responseValidator(path, 'post', status), res.statusCode, res.json(), code);
    }
    const notFound = await app.inject({ url: '/nope' });
    assert.equal(notFound.statusCode, 404);
    check(ajv.compile({ $ref: 'openapi.json#/components/responses/NotFound/content/application~1json/schema' }), 404, notFound.json(), 'not_found');
    const notAllowed = await app.inject({ method: 'DELETE', url: '/v1/extract' });
    assert.equal(notAllowed.statusCode, 405);
    check(ajv.compile({ $ref: 'openapi.json#/components/responses/MethodNotAllowed/content/application~1json/schema' }), 405, notAllowed.json(), 'method_not_allowed');

    // 503 timeout, then 503 overloaded (more texts queued than maxQueuedTexts)
    fake.delayMs = 400;
    try {
      const timedOut = await app.inject({ method: 'POST', url: '/v1/extract', payload: { text: 'slow' } });
      assert.equal(timedOut.statusCode, 503);
      assert.equal(timedOut.json().error.code, 'timeout');
      check(responseValidator('/v1/extract', 'post', '503'), 503, timedOut.json(), 'timeout');
      const queued = [1, 2, 3].map(() => app.inject({ method: 'POST', url: '/v1/extract', payload: { texts: ['a', 'b'] } }));
      const answers = await Promise.all(queued);
      const overloaded = answers.find((r) => r.statusCode === 503 && r.json().error.code === 'overloaded');
      assert.ok(overloaded, answers.map((r) => r.body).join('\n'));
      check(responseValidator('/v1/extract', 'post', '503'), 503, overloaded.json(), 'overloaded');
    } finally {
      fake.delayMs = 0;
    }
    // an answer with a code the spec does not list would fail
    assert.equal(responseValidator('/health', 'get', '503')({ error: { code: 'no_such_code', message: 'x' } }), false);
  });

  it('validates the 503 shutting_down answer', async () => {
    const slow = new FakeExtractor();
    slow.delayMs = 300;
    const { late: second } = await answersWhileClosing(slow);
    assert.match(second, /^HTTP\/1\.1 503 /);
    const body = rawJsonBody(second) as { error: { code: string } };
    assert.equal(body.error.code, 'shutting_down');
    check(responseValidator('/health', 'get', '503'), 503, body, 'shutting_down');
  });
});
