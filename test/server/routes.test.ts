import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { buildServer } from '../../src/server/index.js';
import { fakeExtract, FakeExtractor } from './fake-extractor.js';
import { fakeServer, post } from './helpers.js';

describe('routes', () => {
  const { app, fake } = fakeServer();
  after(() => app.close());
  const text = 'John Smith works for Acme Corp in Boston.';

  it('GET /health answers ok', async () => {
    const res = await app.inject({ url: '/health' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  it('GET /v1/model answers the model info', async () => {
    const res = await app.inject({ url: '/v1/model' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), fake.info());
  });

  it('POST /v1/extract with text answers one document', async () => {
    const res = await post(app, '/v1/extract', { text });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { documents: [fakeExtract(text)] });
    assert.equal(res.json().documents[0].entities.length, 3);
  });

  it('POST /v1/extract with texts answers one document per text, in order', async () => {
    const texts = ['Mary lives in Paris.', '', 'no entities here', text];
    const res = await post(app, '/v1/extract', { texts });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json().documents, texts.map((t) => fakeExtract(t)));
  });

  it('passes the extraction options to the extractor', async () => {
    const options = { relationThreshold: 0.3, maxPairDistance: 3, allowedTriples: [['Peop', 'Work_For', 'Org']] };
    const res = await post(app, '/v1/extract', { text, ...options });
    assert.equal(res.status, 200);
    assert.deepEqual(fake.calls.at(-1)?.options, options);
    assert.deepEqual(res.json().documents[0].relations.map((r: { type: string }) => r.type), ['Work_For']);
  });

  it('passes newlines to the extractor, keeps requests with other newlines out of one call, and refuses an unknown one', async () => {
    const calls = fake.calls.length;
    const [a, b] = await Promise.all([post(app, '/v1/extract', { text, newlines: 'line' }), post(app, '/v1/extract', { text })]);
    assert.deepEqual([a.status, b.status], [200, 200]);
    assert.deepEqual(fake.calls.slice(calls).map((c) => c.options.newlines ?? 'paragraph').sort(), ['line', 'paragraph']);
    const bad = await post(app, '/v1/extract', { text, newlines: 'lines' });
    assert.equal(bad.status, 400);
    assert.match(bad.json().error.message, /newlines/);
  });

  it('answers a sentence cut at the token cap with cut: true (the response schema keeps it)', async () => {
    class CutExtractor extends FakeExtractor {
      override async extract(...args: Parameters<FakeExtractor['extract']>) {
        const docs = await super.extract(...args);
        docs[0].sentences[0].cut = true;
        return docs;
      }
    }
    const server = buildServer(new CutExtractor());
    try {
      const res = await post(server, '/v1/extract', { text: 'Ann met Bob. Carl left.' });
      assert.deepEqual(res.json().documents[0].sentences.map((s: { cut?: boolean }) => s.cut), [true, undefined]);
    } finally {
      await server.close();
    }
  });

  it('GET /openapi.json describes every route from the route schemas', async () => {
    const res = await app.inject({ url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const spec = res.json();
    assert.match(spec.openapi, /^3\./);
    assert.deepEqual(Object.keys(spec.paths).sort(), [
      '/health', '/labelstudio/health', '/labelstudio/metrics', '/labelstudio/predict', '/labelstudio/setup', '/labelstudio/webhook',
      '/v1/extract', '/v1/model', '/v1/render',
    ]);
    const extract = spec.paths['/v1/extract'].post;
    assert.ok(extract.requestBody.content['application/json'].schema.properties.texts, 'extract.requestBody.content[\'application/json\'].schema.properties.texts');
    for (const code of ['200', '400', '413', '415', '500', '503']) assert.ok(extract.responses[code], code);
    assert.ok(spec.components.schemas.Document.properties.entities, 'spec.components.schemas.Document.properties.entities');
    assert.ok(spec.components.schemas.Error, 'spec.components.schemas.Error');
  });

  it('GET / serves the web page with a restrictive CSP', async () => {
    const res = await app.inject({ url: '/' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
    assert.match(res.body, /<textarea id="text"/);
    assert.doesNotMatch(res.body, /(src|href)="https?:/, 'no external resources');
  });

  it('POST /v1/render draws documents as an HTML fragment', async () => {
    const res = await post(app, '/v1/render', { documents: [fakeExtract(text)], width: 60 });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(res.body, /<svg class="entrel-doc"/);
    assert.match(res.body, /data-type="Work_For"/);
  });

  it('answers unknown routes with a JSON 404', async () => {
    for (const [method, url] of [['GET', '/nope'], ['DELETE', '/nope'], ['POST', '/v1/extract/'], ['GET', '/v1']] as const) {
      const res = await app.inject({ method, url });
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.equal(res.json().error.code, 'not_found');
    }
  });

  it('answers a known path with another method 405, with Allow listing its methods', async () => {
    const cases = [
      ['GET', '/v1/extract', 'POST'],
      ['PUT', '/v1/extract', 'POST'],
      ['DELETE', '/v1/extract', 'POST'],
      ['PATCH', '/v1/extract', 'POST'],
      ['OPTIONS', '/v1/extract', 'POST'],
      ['GET', '/v1/render', 'POST'],
      ['POST', '/health', 'GET, HEAD'],
      ['DELETE', '/v1/model', 'GET, HEAD'],
      ['POST', '/', 'GET, HEAD'],
      ['PUT', '/openapi.json', 'GET, HEAD'],
    ] as const;
    for (const [method, url, allow] of cases) {
      const res = await app.inject({ method, url: `${url}?x=1` });
      assert.equal(res.statusCode, 405, `${method} ${url}`);
      assert.equal(res.headers.allow, allow, `${method} ${url}`);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.deepEqual(res.json(), {
        error: { code: 'method_not_allowed', message: `${method} is not allowed on ${url}; use ${allow.replace(', ', ' or ')}` },
      });
    }
    const head = await app.inject({ method: 'HEAD', url: '/v1/extract' });
    assert.equal(head.statusCode, 405);
    assert.equal(head.headers.allow, 'POST');
    assert.equal((await app.inject({ method: 'HEAD', url: '/health' })).statusCode, 200, 'HEAD of a GET route still works');
  });

  it('answers 405 before reading the body, whatever the body is', async () => {
    for (const [payload, type] of [['{broken', 'application/json'], ['hello', 'text/plain'], ['x'.repeat(3 * 1024 * 1024), 'application/json']]) {
      const res = await app.inject({ method: 'PUT', url: '/v1/extract', payload, headers: { 'content-type': type } });
      assert.equal(res.statusCode, 405, type);
      assert.equal(res.json().error.code, 'method_not_allowed');
    }
  });

  it('sets nosniff on every response', async () => {
    for (const url of ['/health', '/', '/nope', '/v1/extract']) {
      assert.equal((await app.inject({ url })).headers['x-content-type-options'], 'nosniff');
    }
  });
});
