/**
 * X-Request-Id: a safe one sent by the client is kept, anything else is replaced by a UUID; every answer
 * carries it, errors too, and it is the `reqId` of the log lines about the request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildServer, startServer, type RunningServer } from '../../src/server/index.js';
import { FakeExtractor } from './fake-extractor.js';
import { fakeServer, rawRequest } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  const { app } = fakeServer();
  after(() => app.close());

  const requests = [
    { method: 'GET', url: '/health' },
    { method: 'GET', url: '/' },
    { method: 'POST', url: '/v1/extract', payload: { text: 'Ann met Bob.' } },
    { method: 'POST', url: '/v1/extract', payload: '{broken' },
    { method: 'POST', url: '/v1/extract', payload: { text: 'x', bogus: 1 } },
    { method: 'GET', url: '/nope' },
    { method: 'DELETE', url: '/v1/model' },
    { method: 'HEAD', url: '/v1/model' },
  ] as const;

  it('echoes a safe X-Request-Id on every answer, errors included', async () => {
    for (const [i, r] of requests.entries()) {
      const id = `client-${i}.a_b:c/d+e=f@g`;
      const res = await app.inject({ ...r, headers: { 'x-request-id': id, 'content-type': 'application/json' } });
      assert.equal(res.headers['x-request-id'], id, `${r.method} ${r.url} → ${res.statusCode}`);
    }
  });

  it('gives a new UUID to a request without one, or with one too long or with other characters', async () => {
    const seen = new Set<string>();
    const bad = [undefined, '', 'a'.repeat(129), 'has space', 'semi;colon', 'quote"', 'ünïcode', '<script>', 'a,b'];
    for (const given of bad) {
      for (const r of requests) {
        const res = await app.inject({ ...r, headers: { 'content-type': 'application/json', ...(given !== undefined && { 'x-request-id': given }) } });
        const id = String(res.headers['x-request-id']);
        assert.match(id, UUID, `${JSON.stringify(given)}: ${r.method} ${r.url}`);
        assert.ok(!seen.has(id), 'a new one each time');
        seen.add(id);
      }
    }
    const longest = 'a'.repeat(128);
    assert.equal((await app.inject({ url: '/health', headers: { 'x-request-id': longest } })).headers['x-request-id'], longest);
  });

  it('uses it as the reqId of the request log and of a server fault logged', async () => {
    const access: string[] = [];
    const faults: string[] = [];
    const fake = new FakeExtractor();
    fake.failWhen = (texts) => (texts.includes('crash') ? new Error('boom') : undefined);
    const logged = buildServer(fake, { logger: true, accessLog: { write: (l: string) => access.push(l) } });
    const quiet = buildServer(fake, { errorLog: { write: (l: string) => faults.push(l) } });
    try {
      await logged.inject({ url: '/health', headers: { 'x-request-id': 'trace-123' } });
      const lines = access.map((l) => JSON.parse(l));
      assert.ok(lines.length >= 2, access.join(''));
      for (const line of lines) assert.equal(line.reqId, 'trace-123', JSON.stringify(line));
      assert.ok(lines.some((l) => l.msg === 'request completed' && l.res.statusCode === 200), 'lines.some((l) => l.msg === \'request completed\' && l.res.statusCode === 200)');

      const res = await quiet.inject({ method: 'POST', url: '/v1/extract', payload: { text: 'crash' }, headers: { 'x-request-id': 'trace-500' } });
      assert.equal(res.statusCode, 500);
      assert.equal(res.headers['x-request-id'], 'trace-500');
      assert.equal(faults.length, 1);
      assert.equal(JSON.parse(faults[0]).reqId, 'trace-500');
    } finally {
      await logged.close();
      await quiet.close();
    }
  });
});

describe('request ids on answers given below the routes', () => {
  let server: RunningServer;
  let port: number;
  before(async () => {
    server = await startServer(new FakeExtractor(), { port: 0 });
    port = Number(new URL(server.url).port);
  });
  after(() => server.app.close());

  it('echoes it on a bad URL (router) and an unmet Expect (Node), and gives one to a malformed request', async () => {
    const badUrl = await rawRequest(port, 'GET /v1/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: r-url\r\nConnection: close\r\n\r\n');
    assert.equal(badUrl.status, 400);
    assert.equal(badUrl.headers['x-request-id'], 'r-url');
    const expect = await rawRequest(
      port,
      'POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: r-expect\r\nExpect: nope\r\nContent-Type: application/json\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{"text":"a"}',
    );
    assert.equal(expect.status, 417);
    assert.equal(expect.headers['x-request-id'], 'r-expect');
    const noHost = await rawRequest(port, 'GET /health HTTP/1.1\r\nX-Request-Id: r-host\r\nConnection: close\r\n\r\n');
    assert.equal(noHost.status, 400);
    assert.equal(noHost.headers['x-request-id'], 'r-host');
    const malformed = await rawRequest(port, 'HELLO\r\n\r\n');
    assert.equal(malformed.status, 400);
    assert.match(malformed.headers['x-request-id'] ?? '', UUID);
  });
});
