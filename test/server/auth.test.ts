/**
 * API keys (`apiKeys`, `entrel serve --api-key-file`): every /v1 request needs `Authorization: Bearer KEY`,
 * else 401 `unauthorized` in the service's error shape with `WWW-Authenticate`; /health, the page, its
 * API description and CORS preflights stay open; no key reaches a log line; the OpenAPI description says so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { UserError } from '../../src/errors.js';
import { apiKeyProblem, parseApiKeyFile, parseApiKeyList } from '../../src/server/access.js';
import { buildServer } from '../../src/server/index.js';
import { appScripts } from '../../src/web/app-page.js';
import { FakeExtractor, fakeExtract } from './fake-extractor.js';

const KEY_A = 'test-key-a-0123456789abcdef';
const KEY_B = 'test-key-b+ZYXWVUTSRQ/9876=';
const text = 'John Smith works for Acme Corp in Boston.';
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** One request to each protected route (GET routes also as HEAD), with the given headers. */
function protectedRequests(headers: Record<string, string> = {}): (InjectOptions & { url: string })[] {
  return [
    { method: 'POST', url: '/v1/extract', payload: { text }, headers },
    { method: 'GET', url: '/v1/model', headers },
    { method: 'HEAD', url: '/v1/model', headers },
    { method: 'POST', url: '/v1/render', payload: { documents: [fakeExtract(text)] }, headers },
  ];
}

describe('API keys', () => {
  const fake = new FakeExtractor();
  let app: FastifyInstance;
  before(() => {
    app = buildServer(fake, { apiKeys: [KEY_A, KEY_B], cors: ['https://app.example'] });
  });
  after(() => app.close());

  it('answers 401 unauthorized with WWW-Authenticate: Bearer to a /v1 request without a key, and runs nothing', async () => {
    const requests = [...protectedRequests(), { method: 'GET', url: '/v1/nope' }, { method: 'GET', url: '/v1/extract?x=1' }] as const;
    for (const r of requests) {
      const res = await app.inject(r);
      const what = `${r.method} ${r.url}`;
      assert.equal(res.statusCode, 401, `${what}: ${res.body}`);
      assert.equal(res.headers['www-authenticate'], 'Bearer', what);
      assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/, what);
      if (r.method === 'HEAD') continue;
      assert.match(String(res.headers['content-type']), /^application\/json/, what);
      assert.deepEqual(res.json(), {
        error: { code: 'unauthorized', message: 'this server requires an API key: send the header "Authorization: Bearer <key>"' },
      });
    }
    assert.equal(fake.calls.length, 0, 'no extraction ran');
  });

  it('answers 401 to a wrong key, a near miss, another scheme or an empty Bearer', async () => {
    const wrong = [
      ['Bearer not-a-key-of-this-server-0000', 'Bearer error="invalid_token"', 'the API key is not valid'],
      [`Bearer ${KEY_A.slice(0, -1)}`, 'Bearer error="invalid_token"', 'the API key is not valid'],
      [`Bearer ${KEY_A}x`, 'Bearer error="invalid_token"', 'the API key is not valid'],
      [`Bearer ${KEY_A},${KEY_B}`, 'Bearer error="invalid_token"', 'the API key is not valid'],
      ['Bearer ', 'Bearer error="invalid_token"', 'the API key is not valid'],
      [`Basic ${Buffer.from(`user:${KEY_A}`).toString('base64')}`, 'Bearer', 'the Authorization header must be "Bearer <key>"'],
      [KEY_A, 'Bearer', 'the Authorization header must be "Bearer <key>"'],
    ];
    for (const [authorization, challenge, message] of wrong) {
      for (const r of protectedRequests({ authorization })) {
        const res = await app.inject(r);
        const what = `${r.method} ${r.url} with ${JSON.stringify(authorization)}`;
        assert.equal(res.statusCode, 401, what);
        assert.equal(res.headers['www-authenticate'], challenge, what);
        if (r.method !== 'HEAD') assert.deepEqual(res.json(), { error: { code: 'unauthorized', message } }, what);
      }
    }
    assert.equal(fake.calls.length, 0, 'no extraction ran');
  });

  it('serves each of the two keys (the scheme name in any case)', async () => {
    for (const key of [KEY_A, KEY_B]) {
      for (const r of protectedRequests(bearer(key))) {
        const res = await app.inject(r);
        assert.equal(res.statusCode, 200, `${r.method} ${r.url} with key ${key === KEY_A ? 'A' : 'B'}: ${res.body}`);
        assert.equal(res.headers['www-authenticate'], undefined);
      }
    }
    const extracted = await app.inject({ method: 'POST', url: '/v1/extract', payload: { text }, headers: bearer(KEY_A) });
    assert.deepEqual(extracted.json(), { documents: [fakeExtract(text)] });
    for (const scheme of ['bearer', 'BEARER']) {
      const res = await app.inject({ url: '/v1/model', headers: { authorization: `${scheme} ${KEY_B}` } });
      assert.equal(res.statusCode, 200, scheme);
    }
    // With a key, an unknown path is the usual 404.
    assert.equal((await app.inject({ url: '/v1/nope', headers: bearer(KEY_A) })).statusCode, 404);
  });

  it('keeps /health, the web page and /openapi.json open', async () => {
    for (const r of [
      { method: 'GET', url: '/health' },
      { method: 'HEAD', url: '/health' },
      { method: 'GET', url: '/' },
      { method: 'HEAD', url: '/' },
      { method: 'GET', url: '/openapi.json' },
    ] as const) {
      const res = await app.inject(r);
      assert.equal(res.statusCode, 200, `${r.method} ${r.url}: ${res.body}`);
      assert.equal(res.headers['www-authenticate'], undefined);
    }
    assert.deepEqual((await app.inject({ url: '/health' })).json(), { status: 'ok' });
    // A wrong key on an open route does not matter either.
    assert.equal((await app.inject({ url: '/health', headers: { authorization: 'Bearer wrong-wrong-wrong-wrong' } })).statusCode, 200);
  });

  it('answers a CORS preflight without a key, allowing the Authorization header', async () => {
    const origin = 'https://app.example';
    const pre = await app.inject({ method: 'OPTIONS', url: '/v1/extract', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });
    assert.equal(pre.statusCode, 204);
    assert.equal(pre.headers['access-control-allow-origin'], origin);
    assert.match(String(pre.headers['access-control-allow-headers']), /\bauthorization\b/i);
    // The 401 that follows without a key is readable by that page, challenge included.
    const denied = await app.inject({ method: 'POST', url: '/v1/extract', payload: { text }, headers: { origin } });
    assert.equal(denied.statusCode, 401);
    assert.equal(denied.headers['access-control-allow-origin'], origin);
    assert.match(String(denied.headers['access-control-expose-headers']), /\bWWW-Authenticate\b/);
    // A server without CORS answers OPTIONS as before (405 with Allow), not 401.
    const plain = buildServer(new FakeExtractor(), { apiKeys: [KEY_A] });
    try {
      const res = await plain.inject({ method: 'OPTIONS', url: '/v1/extract', headers: { origin, 'access-control-request-method': 'POST' } });
      assert.equal(res.statusCode, 405);
      assert.equal(res.json().error.code, 'method_not_allowed');
    } finally {
      await plain.close();
    }
  });

  it('the page asks for the key only when the server requires one, and keeps it out of the page', async () => {
    const page = (await app.inject({ url: '/' })).body;
    const field = /<input id="apikey"[^>]*>/.exec(page)?.[0];
    assert.ok(field, 'an API key field');
    assert.match(field, /type="password"/);
    assert.doesNotMatch(field, /\bname=/, 'no name: a form submission could never carry it');
    assert.match(page, /<label for="apikey">API key<\/label>/);
    for (const key of [KEY_A, KEY_B]) assert.ok(!page.includes(key), 'no key in the page');
    // The script that reads the field is valid JavaScript (compiled, not run: it needs a DOM; the
    // browser test test/web/auth-browser.test.ts runs it).
    for (const script of appScripts) assert.doesNotThrow(() => new Function(script));
    assert.match(page, /headers\.authorization = 'Bearer ' \+ key/);
    const open = buildServer(new FakeExtractor());
    try {
      const plain = await open.inject({ url: '/' });
      assert.doesNotMatch(plain.body, /id="apikey"/);
      // Same script either way, so the same CSP.
      assert.equal(plain.headers['content-security-policy'], (await app.inject({ url: '/' })).headers['content-security-policy']);
    } finally {
      await open.close();
    }
  });
});

describe('API keys in the logs', () => {
  it('writes no key to the request log (--log), with a right key, a wrong one or none', async () => {
    const lines: string[] = [];
    const app = buildServer(new FakeExtractor(), { apiKeys: [KEY_A, KEY_B], logger: true, accessLog: { write: (l: string) => lines.push(l) } });
    const wrong = 'wrong-key-but-long-enough-123';
    try {
      const sent: [string | undefined, number][] = [[KEY_A, 200], [KEY_B, 200], [wrong, 401], [undefined, 401]];
      for (const [i, [key, status]] of sent.entries()) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/extract',
          payload: { text },
          headers: { 'x-request-id': `log-${i}`, ...(key && bearer(key)) },
        });
        assert.equal(res.statusCode, status);
      }
    } finally {
      await app.close();
    }
    const log = lines.join('');
    // The log is there (each request, its status, why a 401) …
    for (const i of [0, 1, 2, 3]) assert.ok(lines.some((l) => l.includes(`"reqId":"log-${i}"`) && l.includes('"statusCode"')), `request log-${i}`);
    assert.ok(lines.some((l) => l.includes('"reqId":"log-2"') && l.includes('unauthorized: invalid authorization header')), 'lines.some((l) => l.includes(\'"reqId":"log-2"\') && l.includes(\'unauthorized: invalid authorizatio...');
    assert.ok(lines.some((l) => l.includes('"reqId":"log-3"') && l.includes('unauthorized: missing authorization header')), 'lines.some((l) => l.includes(\'"reqId":"log-3"\') && l.includes(\'unauthorized: missing authorizatio...');
    // … and has no key in it, nor the header.
    for (const secret of [KEY_A, KEY_B, wrong, KEY_A.slice(0, 12)]) assert.ok(!log.includes(secret), `${secret.slice(0, 6)}… in the log`);
    assert.doesNotMatch(log, /authorization"\s*:/i);
  });

  it('without --log, a 401 writes nothing to the fault log', async () => {
    const faults: string[] = [];
    const app = buildServer(new FakeExtractor(), { apiKeys: [KEY_A], errorLog: { write: (l: string) => faults.push(l) } });
    try {
      assert.equal((await app.inject({ url: '/v1/model', headers: bearer('wrong-key-but-long-enough-123') })).statusCode, 401);
      assert.equal((await app.inject({ url: '/v1/model' })).statusCode, 401);
    } finally {
      await app.close();
    }
    assert.deepEqual(faults, []);
  });
});

describe('API keys in the OpenAPI description', () => {
  async function spec(app: FastifyInstance) {
    const res = await app.inject({ url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    return res.json();
  }

  it('with keys: a bearerAuth scheme on every /v1 operation and a documented 401, /health open', async () => {
    const app = buildServer(new FakeExtractor(), { apiKeys: [KEY_A] });
    try {
      const doc = await spec(app);
      assert.deepEqual({ ...doc.components.securitySchemes.bearerAuth, description: undefined }, { type: 'http', scheme: 'bearer', description: undefined });
      const operations = Object.entries<any>(doc.paths).flatMap(([path, item]) => Object.entries<any>(item).map(([method, op]) => ({ path, method, op })));
      assert.deepEqual(operations.map((o) => `${o.method} ${o.path}`).sort(), [
        'get /health', 'get /labelstudio/health', 'get /labelstudio/metrics', 'get /v1/model',
        'post /labelstudio/predict', 'post /labelstudio/setup', 'post /labelstudio/webhook', 'post /v1/extract', 'post /v1/render',
      ]);
      for (const { path, method, op } of operations) {
        if (path === '/health') {
          assert.equal(op.security, undefined);
          assert.equal(op.responses['401'], undefined);
          continue;
        }
        assert.deepEqual(op.security, path.startsWith('/labelstudio/') ? [{ bearerAuth: [] }, { basicAuth: [] }] : [{ bearerAuth: [] }], `${method} ${path}`);
        assert.match(op.responses['401'].description, /unauthorized/);
        assert.ok(op.responses['401'].headers['WWW-Authenticate'].schema, `${method} ${path}`);
        assert.equal(op.responses['429'], undefined, 'no rate limit, no 429');
      }
      assert.ok(doc.components.schemas.Error.properties.error.properties.code.enum.includes('unauthorized'), 'doc.components.schemas.Error.properties.error.properties.code.enum.includes(\'unauthorized\')');
      // The actual 401 matches the schema described for it.
      const ajv = new Ajv({ strict: false, validateSchema: false });
      ajv.addSchema(doc, 'openapi.json');
      const validate = ajv.compile({ $ref: 'openapi.json#/paths/~1v1~1extract/post/responses/401/content/application~1json/schema' });
      const denied = await app.inject({ method: 'POST', url: '/v1/extract', payload: { text } });
      assert.ok(validate(denied.json()), JSON.stringify(validate.errors));
      assert.equal(validate({ error: { code: 'no_such_code', message: 'x' } }), false);
    } finally {
      await app.close();
    }
  });

  it('without keys: no security scheme and no 401', async () => {
    const app = buildServer(new FakeExtractor());
    try {
      const doc = await spec(app);
      assert.equal(doc.components.securitySchemes, undefined);
      assert.equal(doc.paths['/v1/extract'].post.security, undefined);
      assert.equal(doc.paths['/v1/extract'].post.responses['401'], undefined);
      assert.equal((await app.inject({ method: 'POST', url: '/v1/extract', payload: { text } })).statusCode, 200, 'and no key needed');
    } finally {
      await app.close();
    }
  });
});

describe('API key checks', () => {
  it('buildServer refuses a short key, one a Bearer header cannot carry, or a non-string, naming it by index only', () => {
    const short = 'short-key';
    const cases: [unknown, RegExp][] = [
      [[KEY_A, short], /^apiKeys\[1\]: an API key must have at least 16 characters; this one has 9$/],
      [['has space in it, 0123456789'], /^apiKeys\[0\]: an API key may only have the characters/],
      [['ünïcödé-ünïcödé-ünïcödé'], /^apiKeys\[0\]: an API key may only have/],
      [[KEY_A, 42], /^apiKeys\[1\]: must be a string$/],
      ['one-string-key-0123456789', /^apiKeys: must be an array of strings$/],
    ];
    for (const [apiKeys, message] of cases) {
      assert.throws(
        () => buildServer(new FakeExtractor(), { apiKeys: apiKeys as string[] }),
        (e: Error) => e instanceof UserError && message.test(e.message) && !e.message.includes(short) && !e.message.includes('0123456789'),
        String(message),
      );
    }
    for (const rateLimit of [-1, 1.5, Number.NaN]) {
      assert.throws(() => buildServer(new FakeExtractor(), { rateLimit }), /^UserError: rateLimit: must be a whole number/);
    }
  });

  it('takes exactly 16 characters and the token68 alphabet; an empty list means no keys', async () => {
    assert.equal(apiKeyProblem('a'.repeat(16)), undefined);
    assert.match(apiKeyProblem('a'.repeat(15)) ?? '', /at least 16/);
    assert.equal(apiKeyProblem('AZaz09-._~+/abcd=='), undefined);
    assert.match(apiKeyProblem('abcd==abcdabcdabcd') ?? '', /only have/, '= only at the end');
    const app = buildServer(new FakeExtractor(), { apiKeys: [] });
    try {
      assert.equal((await app.inject({ url: '/v1/model' })).statusCode, 200);
    } finally {
      await app.close();
    }
  });

  it('reads a key file: one a line, blank lines and # comments skipped; errors name the file and line, never the key', () => {
    const file = 'keys.txt';
    assert.deepEqual(parseApiKeyFile(`# team keys\r\n\r\n  ${KEY_A}  \r\n   # old: revoked\n${KEY_B}\n\n`, file), [KEY_A, KEY_B]);
    const bad: [string, string][] = [
      [`# keys\n\n${KEY_A}\nabc123\n`, 'keys.txt:4: an API key must have at least 16 characters; this one has 6'],
      [`${KEY_A} # the CI key\n`, 'keys.txt:1: an API key may only have the characters A-Z a-z 0-9 - . _ ~ + / (and = at the end), as a Bearer token'],
      ['# nothing yet\n\n   \n', 'keys.txt: no API key in the file (one a line; blank lines and # comments are skipped)'],
      ['', 'keys.txt: no API key in the file (one a line; blank lines and # comments are skipped)'],
    ];
    for (const [content, message] of bad) {
      assert.throws(() => parseApiKeyFile(content, file), (e: Error) => e instanceof UserError && e.message === message && !e.message.includes('abc123'), message);
    }
  });

  it('reads a comma-separated list (ENTREL_API_KEYS)', () => {
    assert.deepEqual(parseApiKeyList(` ${KEY_A} ,${KEY_B},`, 'ENTREL_API_KEYS'), [KEY_A, KEY_B]);
    assert.throws(() => parseApiKeyList('', 'ENTREL_API_KEYS'), /^UserError: ENTREL_API_KEYS is empty \(an unset shell variable\?\)/);
    assert.throws(() => parseApiKeyList(' , ,', 'ENTREL_API_KEYS'), /^UserError: ENTREL_API_KEYS has no API key/);
    assert.throws(
      () => parseApiKeyList(`${KEY_A},tiny`, 'ENTREL_API_KEYS'),
      (e: Error) => e.message === 'ENTREL_API_KEYS: key 2: an API key must have at least 16 characters; this one has 4',
    );
  });
});
