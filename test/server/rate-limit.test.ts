/**
 * The rate limit (`rateLimit`, `entrel serve --rate-limit N`): N requests a minute to the /v1 routes per
 * client address, or per API key when keys are set, and N drawings (/v1/render) apart; beyond it 429
 * `rate_limited` with Retry-After and the X-RateLimit headers; /health, the page and /openapi.json are not
 * limited.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildServer } from '../../src/server/index.js';
import { FakeExtractor } from './fake-extractor.js';

const KEY_A = 'rate-key-a-0123456789abcdef';
const KEY_B = 'rate-key-b-0123456789abcdef';
const extract = (headers: Record<string, string> = {}, remoteAddress?: string): InjectOptions => ({
  method: 'POST',
  url: '/v1/extract',
  payload: { text: 'Ann met Bob.' },
  headers,
  ...(remoteAddress && { remoteAddress }),
});
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function statuses(app: FastifyInstance, request: InjectOptions, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await app.inject(request)).statusCode);
  return out;
}

function assertRateLimited(res: Awaited<ReturnType<FastifyInstance['inject']>>, limit: number, per: string) {
  assert.equal(res.statusCode, 429, res.body);
  assert.deepEqual(res.json(), {
    error: { code: 'rate_limited', message: `more than ${limit} requests a minute from this ${per}; retry in ${res.headers['retry-after']} s` },
  });
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${res.headers['retry-after']}`);
  assert.equal(res.headers['x-ratelimit-limit'], String(limit));
  assert.equal(res.headers['x-ratelimit-remaining'], '0');
  assert.equal(res.headers['x-ratelimit-reset'], String(retryAfter));
  assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
}

describe('rate limit per client address (no keys)', () => {
  it('serves N requests a minute with X-RateLimit headers, then 429 with Retry-After, without calling the model', async () => {
    const fake = new FakeExtractor();
    const app = buildServer(fake, { rateLimit: 3 });
    try {
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await app.inject(extract());
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['x-ratelimit-limit'], '3');
        remaining.push(String(res.headers['x-ratelimit-remaining']));
      }
      assert.deepEqual(remaining, ['2', '1', '0']);
      assertRateLimited(await app.inject(extract()), 3, 'client address');
      assert.equal(fake.calls.length, 3, 'the limited request never reached the model');
    } finally {
      await app.close();
    }
  });

  it('counts the /v1 routes together but drawings apart, and leaves /health, the page and /openapi.json alone', async () => {
    const app = buildServer(new FakeExtractor(), { rateLimit: 2 });
    const render: InjectOptions = { method: 'POST', url: '/v1/render', payload: { documents: [] } };
    try {
      assert.equal((await app.inject({ url: '/v1/model' })).statusCode, 200);
      assert.equal((await app.inject(extract())).statusCode, 200);
      assert.equal((await app.inject({ url: '/v1/model' })).statusCode, 429);
      // The web page draws each extraction: as many drawings as extractions (one 429 left its extraction undrawn).
      assert.deepEqual(await statuses(app, render, 2), [200, 200]);
      const refused = await app.inject(render);
      assert.equal(refused.statusCode, 429);
      assert.equal(refused.json().error.message, `more than 2 drawings (/v1/render) a minute from this client address; retry in ${refused.headers['retry-after']} s`);
      for (const url of ['/health', '/', '/openapi.json']) {
        for (let i = 0; i < 5; i++) {
          const res = await app.inject({ url });
          assert.equal(res.statusCode, 200, url);
          assert.equal(res.headers['x-ratelimit-limit'], undefined, `${url} is not limited`);
        }
      }
    } finally {
      await app.close();
    }
  });

  it('gives each client address its own count', async () => {
    const app = buildServer(new FakeExtractor(), { rateLimit: 2 });
    try {
      assert.deepEqual(await statuses(app, extract({}, '10.0.0.1'), 3), [200, 200, 429]);
      assert.deepEqual(await statuses(app, extract({}, '10.0.0.2'), 3), [200, 200, 429]);
    } finally {
      await app.close();
    }
  });

  it('limits nothing with rateLimit 0 (the default)', async () => {
    for (const rateLimit of [0, undefined]) {
      const app = buildServer(new FakeExtractor(), { rateLimit });
      try {
        const res = await app.inject({ url: '/v1/model' });
        assert.equal(res.headers['x-ratelimit-limit'], undefined);
        assert.deepEqual(new Set(await statuses(app, { url: '/v1/model' }, 30)), new Set([200]));
      } finally {
        await app.close();
      }
    }
  });
});

describe('rate limit per API key', () => {
  it('counts each key on its own, whatever address it comes from', async () => {
    const app = buildServer(new FakeExtractor(), { rateLimit: 2, apiKeys: [KEY_A, KEY_B] });
    try {
      assert.deepEqual(await statuses(app, extract(bearer(KEY_A), '10.0.0.1'), 2), [200, 200]);
      // Key A from another address: the same count, so limited.
      const limited = await app.inject(extract(bearer(KEY_A), '10.0.0.2'));
      assertRateLimited(limited, 2, 'API key');
      // Key B from the address key A used up: its own count.
      assert.deepEqual(await statuses(app, extract(bearer(KEY_B), '10.0.0.1'), 3), [200, 200, 429]);
    } finally {
      await app.close();
    }
  });

  it('does not count requests without a valid key: they are answered 401 first', async () => {
    const app = buildServer(new FakeExtractor(), { rateLimit: 2, apiKeys: [KEY_A] });
    try {
      assert.deepEqual(await statuses(app, extract(), 5), [401, 401, 401, 401, 401]);
      assert.deepEqual(await statuses(app, extract(bearer('not-the-key-0123456789')), 5), [401, 401, 401, 401, 401]);
      assert.deepEqual(await statuses(app, extract(bearer(KEY_A)), 3), [200, 200, 429]);
      // A limited key's request without the key is still a 401, not a 429.
      assert.equal((await app.inject(extract())).statusCode, 401);
    } finally {
      await app.close();
    }
  });
});

describe('rate limit in the OpenAPI description and for CORS', () => {
  it('documents 429 with its headers on the /v1 operations only, matching the actual answer', async () => {
    const app = buildServer(new FakeExtractor(), { rateLimit: 1 });
    try {
      const doc = (await app.inject({ url: '/openapi.json' })).json();
      for (const [path, method] of [['/v1/extract', 'post'], ['/v1/model', 'get'], ['/v1/render', 'post']]) {
        const r429 = doc.paths[path][method].responses['429'];
        assert.match(r429.description, /rate_limited/, path);
        for (const h of ['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'X-Request-Id']) {
          assert.ok(r429.headers[h].schema, `${path} ${h}`);
        }
        assert.equal(doc.paths[path][method].security, undefined, 'no keys, no security');
      }
      assert.equal(doc.paths['/health'].get.responses['429'], undefined);
      const ajv = new Ajv({ strict: false, validateSchema: false });
      ajv.addSchema(doc, 'openapi.json');
      const validate = ajv.compile({ $ref: 'openapi.json#/paths/~1v1~1extract/post/responses/429/content/application~1json/schema' });
      await app.inject(extract());
      const limited = await app.inject(extract());
      assert.equal(limited.statusCode, 429);
      assert.ok(validate(limited.json()), JSON.stringify(validate.errors));
    } finally {
      await app.close();
    }
    const unlimited = buildServer(new FakeExtractor());
    try {
      assert.equal((await unlimited.inject({ url: '/openapi.json' })).json().paths['/v1/extract'].post.responses['429'], undefined);
    } finally {
      await unlimited.close();
    }
  });

  it('lets a page of an allowed origin read the X-RateLimit headers', async () => {
    const origin = 'https://app.example';
    const app = buildServer(new FakeExtractor(), { rateLimit: 1, cors: [origin] });
    try {
      await app.inject({ url: '/v1/model', headers: { origin } });
      const res = await app.inject({ url: '/v1/model', headers: { origin } });
      assert.equal(res.statusCode, 429);
      assert.equal(res.headers['access-control-allow-origin'], origin);
      assert.match(String(res.headers['access-control-expose-headers']), /Retry-After.*X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset/);
    } finally {
      await app.close();
    }
  });
});

describe('rate limit behind a reverse proxy (trustProxy)', () => {
  const via = (proxy: string, client: string): InjectOptions => extract({ 'x-forwarded-for': client }, proxy);

  it('counts each client the trusted proxy forwards apart, and a forwarded address as one client', async () => {
    const app = buildServer(new FakeExtractor(), { rateLimit: 1, trustProxy: ['10.0.0.0/8'] });
    try {
      assert.deepEqual(await statuses(app, via('10.1.2.3', '203.0.113.7'), 2), [200, 429]);
      assert.equal((await app.inject(via('10.1.2.3', '203.0.113.8'))).statusCode, 200, 'another client through the same proxy');
      // A client that is not a trusted proxy cannot escape the limit by writing the header itself.
      assert.deepEqual(await statuses(app, via('198.51.100.1', '192.0.2.1'), 1), [200]);
      assert.equal((await app.inject(via('198.51.100.1', '192.0.2.2'))).statusCode, 429);
    } finally {
      await app.close();
    }
  });

  it('without trustProxy, X-Forwarded-For is ignored: every client of a proxy shares its address', async () => {
    const app = buildServer(new FakeExtractor(), { rateLimit: 1 });
    try {
      assert.equal((await app.inject(via('10.1.2.3', '203.0.113.7'))).statusCode, 200);
      assert.equal((await app.inject(via('10.1.2.3', '203.0.113.8'))).statusCode, 429);
    } finally {
      await app.close();
    }
  });

  it('a bad entry is a UserError naming it, before the server is built', () => {
    for (const [entry, message] of [
      ['10.0.0.0/33', /^trustProxy\[1\]: "10\.0\.0\.0\/33": the prefix length of an IPv4 range must be a whole number from 1 to 32$/],
      ['proxy.example.com', /^trustProxy\[1\]: "proxy\.example\.com" is not an IP address, an address\/prefix range or one of loopback, linklocal, uniquelocal$/],
      ['fd00::/129', /^trustProxy\[1\]: "fd00::\/129": the prefix length of an IPv6 range must be a whole number from 1 to 128$/],
      // A prefix of 0 (every address) proxy-addr refuses with a TypeError of its own.
      ['0.0.0.0/0', /^trustProxy\[1\]: "0\.0\.0\.0\/0": the prefix length of an IPv4 range must be a whole number from 1 to 32$/],
      ['::/0', /^trustProxy\[1\]: "::\/0": the prefix length of an IPv6 range must be a whole number from 1 to 128$/],
    ] as const) {
      assert.throws(() => buildServer(new FakeExtractor(), { trustProxy: ['loopback', entry] }), (e: Error) => e.name === 'UserError' && message.test(e.message));
    }
  });
});
