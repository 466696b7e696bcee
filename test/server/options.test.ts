/**
 * ServerOptions and ListenOptions from library callers: a misspelt name or a value that would silently
 * lift a limit (NaN), refuse every request (a negative count) or crash inside Fastify or Node is a
 * UserError naming the option, before anything listens.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServer, startServer, type ServerOptions } from '../../src/server/index.js';
import { hostPort } from '../../src/server/start.js';
import { FakeExtractor } from './fake-extractor.js';

const refused = (message: RegExp) => (e: Error) => e.name === 'UserError' && message.test(e.message);

describe('server options are checked', () => {
  it('refuses unknown names, listing the known ones', () => {
    assert.throws(() => buildServer(new FakeExtractor(), { maxText: 10 } as ServerOptions), refused(/^serverOptions: unknown option "maxText" \(allowed: bodyLimit, .*trustProxy, allowedHosts\)$/));
  });

  it('refuses counts that are not positive whole numbers, and times that are not ms ≥ 0', () => {
    const cases: [ServerOptions, RegExp][] = [
      [{ maxTexts: NaN }, /^maxTexts: must be a positive whole number, got NaN$/],
      [{ maxTexts: -1 }, /^maxTexts: must be a positive whole number, got -1$/],
      [{ bodyLimit: 'x' as unknown as number }, /^bodyLimit: must be a positive whole number, got "x"$/],
      [{ maxTextLength: 2.5 }, /^maxTextLength: must be a positive whole number, got 2\.5$/],
      [{ extractTimeout: -5 }, /^extractTimeout: must be a number of milliseconds ≥ 0, got -5$/],
      [{ requestTimeout: Infinity }, /^requestTimeout: must be a number of milliseconds ≥ 0, got Infinity$/],
      // Node's server takes whole milliseconds: Fastify's error for 0.5 named no option.
      [{ requestTimeout: 0.5 }, /^requestTimeout: must be a whole number of milliseconds ≥ 0, got 0\.5$/],
      [{ keepAliveTimeout: 1.5 }, /^keepAliveTimeout: must be a whole number of milliseconds ≥ 0, got 1\.5$/],
      [{ connectionTimeout: 2.5 }, /^connectionTimeout: must be a whole number of milliseconds ≥ 0, got 2\.5$/],
      [{ maxConnections: -1 }, /^maxConnections: must be a whole number ≥ 0 \(0 = no limit\), got -1$/],
      [{ maxConnections: 1.5 }, /^maxConnections: must be a whole number ≥ 0 \(0 = no limit\), got 1\.5$/],
      [{ maxConnections: NaN }, /^maxConnections: must be a whole number ≥ 0 \(0 = no limit\), got NaN$/],
      [{ logger: 'yes' as unknown as boolean }, /^logger: must be true or false, got "yes"$/],
      [{ errorLog: {} as never }, /^errorLog: must be a stream \(an object with write\(line\)\), got an object \{\}$/],
      [{ cors: 'https://a.example' as unknown as string[] }, /^cors: must be an array of origins \(strings\), got "https:\/\/a\.example"$/],
      [{ allowedHosts: 'a.example' as unknown as string[] }, /^allowedHosts: must be an array of host names, got "a\.example"$/],
      [{ allowedHosts: ['ok.example', 'http://a.example'] }, /^allowedHosts\[1\]: must be a host name or IP address as clients write it in the URL \(no scheme, port or path\), got "http:\/\/a\.example"$/],
      [{ allowedHosts: ['a.example:8080'] }, /^allowedHosts\[0\]: must be a host name or IP address .*got "a\.example:8080"$/],
      [{ allowedHosts: [''] }, /^allowedHosts\[0\]: must be a host name or IP address .*got ""$/],
    ];
    for (const [opts, message] of cases) assert.throws(() => buildServer(new FakeExtractor(), opts), refused(message), JSON.stringify(opts));
  });

  it('queues a request of maxTexts texts however large maxTexts is (1,100 of 2,000 were 503 "retry shortly" for ever)', async () => {
    const app = buildServer(new FakeExtractor(), { maxTexts: 2000, maxBatchTexts: 2000 });
    try {
      const res = await app.inject({ method: 'POST', url: '/v1/extract', payload: { texts: Array(1100).fill('Ann Lee') } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().documents.length, 1100);
      const ls = await app.inject({ method: 'POST', url: '/labelstudio/predict', payload: { tasks: Array(2000).fill({ data: { text: 'Ann Lee' } }) } });
      assert.equal(ls.statusCode, 200, ls.body);
    } finally {
      await app.close();
    }
  });

  it('refuses a queue that cannot hold one request of maxTexts texts', () => {
    assert.throws(
      () => buildServer(new FakeExtractor(), { maxTexts: 100, maxQueuedTexts: 50 }),
      refused(/^maxQueuedTexts: must be at least maxTexts \(100\), so that a request of maxTexts texts can be queued, got 50$/),
    );
  });

  it('takes 0 where it means no limit, and undefined as the default', async () => {
    const app = buildServer(new FakeExtractor(), { extractTimeout: 0, batchWindowMs: 0, maxTexts: undefined });
    const res = await app.inject({ method: 'POST', url: '/v1/extract', payload: { texts: Array(64).fill('a') } });
    assert.equal(res.statusCode, 200, res.body);
    await app.close();
  });

  it('takes a requestTimeout above Node\'s default of 5 minutes (it was a RangeError about headersTimeout)', async () => {
    for (const requestTimeout of [600_000, 2 ** 31]) {
      const { app, url } = await startServer(new FakeExtractor(), { port: 0, requestTimeout });
      try {
        assert.equal((await fetch(`${url}/health`)).status, 200);
        assert.deepEqual([app.server.requestTimeout, app.server.headersTimeout], [requestTimeout, requestTimeout]);
      } finally {
        await app.close();
      }
    }
  });

  it('startServer refuses a bad option before warming the model up (GloVe, worker threads)', async () => {
    const fake = new FakeExtractor();
    let warmed = false;
    Object.assign(fake, { warmUp: async () => void (warmed = true) });
    await assert.rejects(startServer(fake, { port: 0, maxTexts: 0 }), refused(/^maxTexts: must be a positive whole number, got 0$/));
    assert.equal(warmed, false);
  });

  it('startServer refuses a port or host Node would reject with its own error', async () => {
    for (const [opts, message] of [
      [{ port: -1 }, /^port: must be a port number 0–65535 \(0 = any free port\), got -1$/],
      [{ port: 70000 }, /^port: must be a port number 0–65535/],
      [{ port: '80' as unknown as number }, /^port: must be a port number 0–65535 \(0 = any free port\), got "80"$/],
      [{ host: '' }, /^host: must be an interface address or host name, got ""$/],
    ] as const) {
      await assert.rejects(startServer(new FakeExtractor(), opts), refused(message));
    }
  });
});

it('names a listening address as a URL does: an IPv6 one bracketed before its port', () => {
  assert.equal(hostPort('127.0.0.1', 8080), '127.0.0.1:8080');
  assert.equal(hostPort('::1', 8080), '[::1]:8080');
  assert.equal(hostPort('localhost', 0), 'localhost:0');
});
