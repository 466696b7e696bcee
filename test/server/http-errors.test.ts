import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { FakeExtractor } from './fake-extractor.js';
import { answersWhileClosing, rawJsonBody, rawRequest, rawRequests, type RawResponse } from './helpers.js';

/** The documented shape `{error: {code, message}}` and nothing else, as JSON. */
function assertErrorShape(res: RawResponse, status: number, code: string, message: RegExp) {
  assert.equal(res.status, status, res.body);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  const body = res.json();
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message']);
  assert.equal(body.error.code, code);
  assert.match(body.error.message, message);
}

/**
 * Requests Node's HTTP parser or Fastify's router reject before any route runs: they too must answer the
 * documented error shape, not Fastify's `{"error": "Bad Request", "statusCode": 400}` or an empty body.
 */
describe('HTTP-level errors', () => {
  let server: RunningServer;
  let port: number;
  before(async () => {
    server = await startServer(new FakeExtractor(), { port: 0, requestTimeout: 400 });
    port = Number(new URL(server.url).port);
  });
  after(() => server.app.close());

  it('answers a body longer than its Content-Length with a JSON 400 that says so', async () => {
    const body = '{"text":"John works for IBM."}';
    const res = await rawRequest(
      port,
      `POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n${body}`,
    );
    assertErrorShape(res, 400, 'malformed_request', /^malformed HTTP request: .*\(HPE_INVALID_METHOD\).*Content-Length/);
    assert.equal(res.headers.connection, 'close');
    const closing = await rawRequest(
      port,
      `POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 10\r\nConnection: close\r\n\r\n${body}`,
    );
    assertErrorShape(closing, 400, 'malformed_request', /\(HPE_CLOSED_CONNECTION\).*Content-Length/);
  });

  it('answers requests the HTTP parser rejects with a JSON 400 naming the problem', async () => {
    const cases: [string, RegExp][] = [
      ['HELLO\r\n\r\n', /invalid method/i],
      ['GET /health HTTP/1.1\r\nHost: localhost\r\nbad header\r\n\r\n', /invalid header token/i],
      ['GET /a b HTTP/1.1\r\nHost: localhost\r\n\r\n', /HPE_INVALID_CONSTANT/],
      [
        'POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
        /Content-Length can't be present with Transfer-Encoding/,
      ],
      ['POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', /chunk size/i],
      ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', /HTTP\/1\.1/],
    ];
    for (const [request, message] of cases) {
      assertErrorShape(await rawRequest(port, request), 400, 'malformed_request', message);
    }
  });

  it('answers headers over the size limit with a JSON 431', async () => {
    const res = await rawRequest(port, `GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`);
    assertErrorShape(res, 431, 'headers_too_large', /larger than the limit of \d+ bytes/);
  });

  it('answers a client too slow to send its request with a JSON 408 naming the limit', async () => {
    const res = await rawRequests(port, async function* () {
      yield 'GET /health HTTP/1.1\r\nHost: localhost\r\n'; // and never the blank line
    });
    assert.equal(res.length, 1);
    assertErrorShape(res[0], 408, 'request_timeout', /within 0\.4 s/);
  });

  it('answers a URL with broken percent-encoding with a JSON 400', async () => {
    const res = await rawRequest(port, 'GET /v1/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    assertErrorShape(res, 400, 'invalid_url', /percent-encoding.*\/v1\/%E0%A4%A/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });

  it('answers an HTTP/1.1 request without Host with a JSON 400', async () => {
    const res = await rawRequest(port, 'GET /health HTTP/1.1\r\nConnection: close\r\n\r\n');
    assertErrorShape(res, 400, 'malformed_request', /Host header/);
    const http10 = await rawRequest(port, 'GET /health HTTP/1.0\r\n\r\n');
    assert.equal(http10.status, 200, 'HTTP/1.0 needs no Host');
  });

  it('answers CONNECT (a proxy\'s method) with the JSON 405 other methods get, not a connection closed without a word', async () => {
    const res = await rawRequest(port, 'CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n');
    assertErrorShape(res, 405, 'method_not_allowed', /^CONNECT is not allowed: this server is no proxy/);
    assert.equal(res.headers.allow, 'GET, HEAD, POST');
    assert.equal((await rawRequest(port, 'GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')).status, 200, 'the server goes on');
  });

  it('answers an Expect other than 100-continue with a JSON 417', async () => {
    const res = await rawRequest(
      port,
      'POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nExpect: something-else\r\nContent-Type: application/json\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{"text":"a"}',
    );
    assertErrorShape(res, 417, 'expectation_failed', /"something-else".*100-continue/);
    const ok = await rawRequest(
      port,
      'POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{"text":"a"}',
    );
    assert.equal(ok.status, 200, '100-continue still works');
  });
});

describe('shutting down', () => {
  it('answers a request arriving while the server closes with a JSON 503, after finishing the one in flight', async () => {
    const fake = new FakeExtractor();
    fake.delayMs = 1000;
    const { inFlight: first, late: second, all: received } = await answersWhileClosing(fake);
    assert.match(first, /^HTTP\/1\.1 200 /, 'the request in flight is answered');
    assert.match(second, /^HTTP\/1\.1 503 /, received);
    assert.match(second, /\r\nconnection: close\r\n/i);
    assert.deepEqual(rawJsonBody(second), { error: { code: 'shutting_down', message: 'the server is shutting down; retry on another connection' } });
  });
});
