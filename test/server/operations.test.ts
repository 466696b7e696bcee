/**
 * What an operator relies on: large results can be drawn, server faults reach a log, shutdown does not
 * wait on idle keep-alive clients, and CORS for the origins they name.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { UserError } from '../../src/errors.js';
import { buildServer, startServer } from '../../src/server/index.js';
import { FakeExtractor, fakeExtract } from './fake-extractor.js';
import { post } from './helpers.js';

describe('operations', () => {
  it('POST /v1/render takes back what /v1/extract answered, although that is larger than the body limit', async () => {
    const app = buildServer(new FakeExtractor(), { bodyLimit: 4000, errorLog: { write: () => true } });
    try {
      const text = 'John Smith works for Acme Corp in Boston. '.repeat(60); // 2.5 KB: within the limit
      const extracted = await post(app, '/v1/extract', { text });
      assert.equal(extracted.status, 200);
      assert.ok(extracted.body.length > 4000, `the answer (${extracted.body.length} bytes) is larger than the body limit`);
      const rendered = await post(app, '/v1/render', { documents: extracted.json().documents });
      assert.equal(rendered.status, 200, rendered.body.slice(0, 200));
      assert.match(rendered.body, /<svg class="entrel-doc"/);
    } finally {
      await app.close();
    }
  });

  it('names the limit that applied in a 413 of either route', async () => {
    const app = buildServer(new FakeExtractor(), { bodyLimit: 1000, renderBodyLimit: 5000 });
    try {
      const extract = await post(app, '/v1/extract', { text: 'x'.repeat(2000) });
      assert.equal(extract.status, 413);
      assert.equal(extract.json().error.message, 'request body is larger than the limit of 1000 bytes');
      const render = await post(app, '/v1/render', { documents: [fakeExtract('y'.repeat(6000))] });
      assert.equal(render.status, 413);
      assert.equal(render.json().error.message, 'request body is larger than the limit of 5000 bytes');
    } finally {
      await app.close();
    }
  });

  it('logs a server fault to errorLog when request logging is off, as the 500 says', async () => {
    const lines: string[] = [];
    const fake = new FakeExtractor();
    fake.failWhen = (texts) => (texts.includes('crash') ? new Error('native tensor failure at 0xdeadbeef') : undefined);
    const app = buildServer(fake, { errorLog: { write: (l: string) => lines.push(l) } });
    try {
      assert.equal((await post(app, '/v1/extract', { text: 'fine' })).status, 200);
      assert.equal((await post(app, '/v1/extract', { text: 'x', threshold: 1 })).status, 400);
      assert.deepEqual(lines, [], 'nothing logged for answered requests and client errors');
      const res = await post(app, '/v1/extract', { text: 'crash' });
      assert.equal(res.status, 500);
      assert.match(res.json().error.message, /see the server log/);
      assert.equal(lines.length, 1, lines.join(''));
      const entry = JSON.parse(lines[0]);
      assert.equal(entry.msg, 'request failed');
      assert.equal(entry.err.message, 'native tensor failure at 0xdeadbeef');
    } finally {
      await app.close();
    }
  });

  it('ends the connection of a response finished during shutdown, so close() does not wait for keep-alive', async () => {
    const fake = new FakeExtractor();
    fake.delayMs = 300;
    const { app, url } = await startServer(fake, { port: 0, keepAliveTimeout: 5000 });
    const agent = new http.Agent({ keepAlive: true });
    const started = Date.now();
    try {
      const answer = new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
        const req = http.request(`${url}/v1/extract`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
        });
        req.on('error', reject);
        req.end(JSON.stringify({ text: 'Ann Lee lives in Paris.' }));
      });
      await new Promise((r) => setTimeout(r, 100)); // the request is in flight
      const closed = app.close();
      const res = await answer;
      assert.equal(res.status, 200, 'the request in flight is answered');
      assert.deepEqual(JSON.parse(res.body).documents, [fakeExtract('Ann Lee lives in Paris.')]);
      await closed;
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 2500, `close() took ${elapsed} ms; the keep-alive timeout is 5000`);
    } finally {
      agent.destroy();
      await app.close();
    }
  });

  it('takes a time limit too long for a timer (--request-timeout 2200000) as no limit, not as 1 ms', async () => {
    const fake = new FakeExtractor();
    fake.delayMs = 30;
    const app = buildServer(fake, { extractTimeout: 2_200_000 * 1000 });
    try {
      const res = await post(app, '/v1/extract', { text: 'Ann Lee' });
      assert.equal(res.status, 200, res.body);
    } finally {
      await app.close();
    }
  });

  describe('CORS', () => {
    const origin = 'https://app.example.com';
    const preflight = { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' };

    it('answers no CORS headers unless origins are given (preflight: 405 as before)', async () => {
      const app = buildServer(new FakeExtractor());
      try {
        const pre = await app.inject({ method: 'OPTIONS', url: '/v1/extract', headers: { origin, ...preflight } });
        assert.equal(pre.statusCode, 405);
        assert.equal(pre.headers['access-control-allow-origin'], undefined);
        const res = await app.inject({ method: 'POST', url: '/v1/extract', headers: { origin }, payload: { text: 'Ann' } });
        assert.equal(res.headers['access-control-allow-origin'], undefined);
      } finally {
        await app.close();
      }
    });

    it('lets an allowed origin preflight and read answers, errors included; others get nothing', async () => {
      const app = buildServer(new FakeExtractor(), { cors: [origin, 'http://localhost:3000'] });
      try {
        const pre = await app.inject({ method: 'OPTIONS', url: '/v1/extract', headers: { origin, ...preflight } });
        assert.equal(pre.statusCode, 204);
        assert.equal(pre.headers['access-control-allow-origin'], origin);
        assert.match(String(pre.headers['access-control-allow-methods']), /\bPOST\b/);
        assert.match(String(pre.headers['access-control-allow-headers']), /content-type/i);
        assert.match(String(pre.headers.vary), /Origin/);

        const ok = await app.inject({ method: 'POST', url: '/v1/extract', headers: { origin }, payload: { text: 'Ann Lee' } });
        assert.equal(ok.statusCode, 200);
        assert.equal(ok.headers['access-control-allow-origin'], origin);
        assert.match(String(ok.headers.vary), /Origin/);

        const bad = await app.inject({ method: 'POST', url: '/v1/extract', headers: { origin }, payload: { text: 'x', threshold: 1 } });
        assert.equal(bad.statusCode, 400);
        assert.equal(bad.headers['access-control-allow-origin'], origin, 'the page can read the error message');

        const other = 'https://evil.example';
        const otherPre = await app.inject({ method: 'OPTIONS', url: '/v1/extract', headers: { origin: other, ...preflight } });
        assert.equal(otherPre.statusCode, 405);
        assert.equal(otherPre.headers['access-control-allow-origin'], undefined);
        const otherPost = await app.inject({ method: 'POST', url: '/v1/extract', headers: { origin: other }, payload: { text: 'Ann' } });
        assert.equal(otherPost.headers['access-control-allow-origin'], undefined);

        const plainOptions = await app.inject({ method: 'OPTIONS', url: '/v1/extract', headers: { origin } });
        assert.equal(plainOptions.statusCode, 405, 'an OPTIONS that is not a preflight is still a 405');
      } finally {
        await app.close();
      }
    });

    it('lets a page send its own X-Request-Id and read the answer\'s, and answers a preflight to a path no route has 404', async () => {
      const app = buildServer(new FakeExtractor(), { cors: [origin] });
      try {
        const pre = await app.inject({ method: 'OPTIONS', url: '/v1/extract', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-request-id' } });
        assert.equal(pre.statusCode, 204);
        assert.deepEqual(String(pre.headers['access-control-allow-headers']).split(', '), ['Content-Type', 'X-Request-Id']);
        const res = await app.inject({ method: 'POST', url: '/v1/extract', headers: { origin, 'x-request-id': 'page-42' }, payload: { text: 'Ann Lee' } });
        assert.equal(res.headers['x-request-id'], 'page-42');
        assert.deepEqual(String(res.headers['access-control-expose-headers']).split(', '), ['Retry-After', 'X-Request-Id']);

        const nowhere = await app.inject({ method: 'OPTIONS', url: '/nothing', headers: { origin, 'access-control-request-method': 'POST' } });
        assert.equal(nowhere.statusCode, 404, 'it was 204, allowing GET, HEAD, POST');
        assert.equal(nowhere.json().error.code, 'not_found');
        assert.equal(nowhere.headers['access-control-allow-methods'], undefined);
      } finally {
        await app.close();
      }
    });

    it('allows any origin with *', async () => {
      const app = buildServer(new FakeExtractor(), { cors: ['*'] });
      try {
        const pre = await app.inject({ method: 'OPTIONS', url: '/v1/model', headers: { origin: 'http://x.test:8000', 'access-control-request-method': 'GET' } });
        assert.equal(pre.statusCode, 204);
        assert.equal(pre.headers['access-control-allow-origin'], '*');
        const res = await app.inject({ url: '/v1/model', headers: { origin: 'http://x.test:8000' } });
        assert.equal(res.headers['access-control-allow-origin'], '*');
      } finally {
        await app.close();
      }
    });

    it('refuses what is not an origin with a one-line user error', () => {
      for (const bad of ['app.example.com', 'https://app.example.com/', 'https://app.example.com/path', 'file:///x', '']) {
        assert.throws(
          () => buildServer(new FakeExtractor(), { cors: [bad] }),
          (e: unknown) => e instanceof UserError && /^cors: .* is not an origin; /.test(e.message) && !e.message.includes('\n'),
          bad,
        );
      }
    });
  });
});
