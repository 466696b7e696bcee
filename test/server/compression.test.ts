/**
 * Response compression: answers of 1 KiB or more in br or gzip when the client accepts it, the same
 * bytes once decompressed; small answers, errors and clients that do not ask stay as they were.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { buildServer, startServer } from '../../src/server/index.js';
import { FakeExtractor, fakeExtract } from './fake-extractor.js';
import { fakeServer } from './helpers.js';

const text = 'John Smith works for Acme Corp in Boston. '.repeat(400); // about 17 KB of text, 300 KB of JSON

function decode(encoding: string | undefined, body: Buffer): string {
  if (encoding === 'gzip') return zlib.gunzipSync(body).toString('utf8');
  if (encoding === 'br') return zlib.brotliDecompressSync(body).toString('utf8');
  assert.equal(encoding, undefined, `unexpected Content-Encoding ${encoding}`);
  return body.toString('utf8');
}

describe('response compression', () => {
  const { app } = fakeServer();
  after(() => app.close());
  const extract = (headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/v1/extract', payload: { text }, headers: { 'content-type': 'application/json', ...headers } });

  it('compresses a large answer with gzip or br as asked, to the same JSON as the plain answer', async () => {
    const plain = await extract();
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.headers['content-encoding'], undefined, 'not compressed unless asked');
    assert.deepEqual(plain.json(), { documents: [fakeExtract(text)] });
    for (const [accept, expected] of [
      ['gzip', 'gzip'],
      ['br', 'br'],
      ['gzip, deflate, br', 'br'],
      ['br;q=0.5, gzip', 'gzip'],
      ['*', 'gzip'],
    ]) {
      const res = await extract({ 'accept-encoding': accept });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-encoding'], expected, accept);
      assert.match(String(res.headers.vary), /accept-encoding/i);
      assert.ok(res.rawPayload.length * 5 < plain.rawPayload.length, `${accept}: ${res.rawPayload.length} of ${plain.rawPayload.length} bytes`);
      assert.deepEqual(JSON.parse(decode(expected, res.rawPayload)), plain.json(), accept);
    }
    for (const accept of ['identity', 'zstd', 'deflate']) {
      const res = await extract({ 'accept-encoding': accept });
      assert.equal(res.headers['content-encoding'], undefined, accept);
      assert.equal(res.body, plain.body, accept);
    }
  });

  it('compresses from 1 KiB on, and leaves smaller answers as they were, with their Content-Length: small JSON, errors, 405, HEAD', async () => {
    // The answer grows with the text: find one just over the threshold.
    let size = 0;
    for (let n = 10; size < 1024; n += 10) {
      const over = await app.inject({ method: 'POST', url: '/v1/extract', payload: { text: 'a '.repeat(n) }, headers: { 'accept-encoding': 'gzip' } });
      size = Number(over.headers['content-length'] ?? Infinity);
      if (over.headers['content-encoding'] === 'gzip') {
        const plain = await app.inject({ method: 'POST', url: '/v1/extract', payload: { text: 'a '.repeat(n) } });
        assert.ok(plain.rawPayload.length >= 1024 && plain.rawPayload.length < 1200, `compressed from ${plain.rawPayload.length} bytes`);
        break;
      }
      assert.ok(size < 1024, `${size} bytes, not compressed`);
    }
    const requests = [
      { method: 'GET', url: '/health' },
      { method: 'GET', url: '/v1/model' },
      { method: 'GET', url: '/nope' },
      { method: 'PUT', url: '/v1/extract' },
      { method: 'HEAD', url: '/health' },
      { method: 'POST', url: '/v1/extract', payload: { text: 'Ann met Bob.' } },
      { method: 'POST', url: '/v1/extract', payload: '{broken' },
      { method: 'POST', url: '/v1/extract', payload: { text: 'x', bogus: 1 } },
    ] as const;
    for (const r of requests) {
      const res = await app.inject({ ...r, headers: { 'accept-encoding': 'gzip, br', 'content-type': 'application/json' } });
      const what = `${r.method} ${r.url} → ${res.statusCode}`;
      assert.equal(res.headers['content-encoding'], undefined, what);
      assert.equal(res.headers['transfer-encoding'], undefined, what);
      if (r.method !== 'HEAD') {
        assert.equal(Number(res.headers['content-length']), res.rawPayload.length, what);
        assert.ok(res.rawPayload.length < 1024, what);
        JSON.parse(res.body);
      }
    }
  });

  it('compresses the web page and keeps its CSP', async () => {
    const plain = await app.inject({ url: '/' });
    const res = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(res.headers['content-security-policy'], plain.headers['content-security-policy']);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(decode('gzip', res.rawPayload), plain.body);
  });

  it('can be switched off', async () => {
    const off = buildServer(new FakeExtractor(), { compress: false });
    try {
      const request = { method: 'POST', url: '/v1/extract', payload: { text }, headers: { 'accept-encoding': 'gzip, br' } } as const;
      assert.equal((await app.inject(request)).headers['content-encoding'], 'br', 'on by default');
      const res = await off.inject(request);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-encoding'], undefined);
      assert.deepEqual(res.json(), { documents: [fakeExtract(text)] });
    } finally {
      await off.close();
    }
  });

  it('streams a compressed answer over a real connection, with CORS headers and Vary intact', async () => {
    const origin = 'https://app.example';
    const { app: server, url } = await startServer(new FakeExtractor(), { port: 0, cors: [origin] });
    try {
      const payload = JSON.stringify({ text });
      const res = await new Promise<{ status?: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        const req = http.request(
          `${url}/v1/extract`,
          { method: 'POST', headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip', origin } },
          (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => resolve({ status: r.statusCode, headers: r.headers, body: Buffer.concat(chunks) }));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], 'gzip');
      assert.equal(res.headers['access-control-allow-origin'], origin);
      assert.match(String(res.headers.vary), /\borigin\b/i);
      assert.match(String(res.headers.vary), /accept-encoding/i);
      assert.deepEqual(JSON.parse(decode('gzip', res.body)), { documents: [fakeExtract(text)] });
    } finally {
      await server.close();
    }
  });
});
