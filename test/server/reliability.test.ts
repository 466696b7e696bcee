import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from '../../src/errors.js';
import { startServer } from '../../src/server/index.js';
import { FakeExtractor, fakeExtract } from './fake-extractor.js';
import { fakeServer, post } from './helpers.js';

const postJson = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('reliability', () => {
  it('binds to 127.0.0.1 unless told otherwise', async () => {
    const { app, url } = await startServer(new FakeExtractor(), { port: 0 });
    try {
      const addr = app.server.address() as net.AddressInfo;
      assert.equal(addr.address, '127.0.0.1');
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(`${url}/health`)).status, 200);
    } finally {
      await app.close();
    }
  });

  it('refuses a port in use, or an unknown host, with a one-line user error', async () => {
    const { app, url } = await startServer(new FakeExtractor(), { port: 0 });
    try {
      const port = Number(new URL(url).port);
      await assert.rejects(startServer(new FakeExtractor(), { port }), (e: unknown) => {
        assert.ok(e instanceof UserError, `a UserError, not ${String(e)}`);
        assert.equal(e.message, `cannot listen on 127.0.0.1:${port}: the port is already in use (choose another --port, or 0 for any free port)`);
        return true;
      });
      await assert.rejects(startServer(new FakeExtractor(), { port: 0, host: 'no-such-host.invalid' }), (e: unknown) => {
        assert.ok(e instanceof UserError, `a UserError, not ${String(e)}`);
        assert.match(e.message, /^cannot listen on no-such-host\.invalid:0: /);
        return true;
      });
    } finally {
      await app.close();
    }
  });

  it('answers 503 with Retry-After under a flood, serves the rest, and recovers', async () => {
    const fake = new FakeExtractor();
    fake.delayMs = 50;
    const { app, url } = await startServer(fake, { port: 0, maxQueuedTexts: 2, maxTexts: 2, batchWindowMs: 1 });
    try {
      const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => postJson(`${url}/v1/extract`, { text: `Ann ${i}` })));
      const statuses = responses.map((r) => r.status);
      assert.ok(statuses.includes(503), 'some requests were refused');
      assert.ok(statuses.includes(200), 'some requests were served');
      assert.deepEqual([...new Set(statuses)].sort(), [200, 503]);
      const refused = responses.find((r) => r.status === 503) as Response;
      assert.equal(refused.headers.get('retry-after'), '1');
      assert.equal((await refused.json()).error.code, 'overloaded');
      await Promise.all(responses.filter((r) => !r.bodyUsed).map((r) => r.body?.cancel()));
      assert.equal((await postJson(`${url}/v1/extract`, { text: 'Ann' })).status, 200, 'serves again after the flood');
    } finally {
      await app.close();
    }
  });

  it('answers 500 JSON when the extractor throws, and keeps serving', async () => {
    const { app, fake } = fakeServer();
    fake.failWhen = (texts) => (texts.some((t) => t.includes('crash')) ? new Error('native tensor failure at 0xdeadbeef') : undefined);
    try {
      const res = await post(app, '/v1/extract', { text: 'please crash' });
      assert.equal(res.status, 500);
      assert.deepEqual(res.json(), { error: { code: 'internal_error', message: 'internal server error; see the server log' } });
      assert.equal((await post(app, '/v1/extract', { text: 'fine' })).status, 200);
      assert.equal((await app.inject({ url: '/health' })).statusCode, 200);
    } finally {
      await app.close();
    }
  });

  it('answers 400 with the message when the extractor rejects the input as a user error', async () => {
    const { app, fake } = fakeServer();
    fake.failWhen = () => new UserError('text is not valid UTF-16');
    try {
      const res = await post(app, '/v1/extract', { text: 'x' });
      assert.equal(res.status, 400);
      assert.deepEqual(res.json().error, { code: 'invalid_input', message: 'text is not valid UTF-16' });
    } finally {
      await app.close();
    }
  });

  it('closes a client that trickles its headers', async () => {
    const { app, url } = await startServer(new FakeExtractor(), { port: 0, requestTimeout: 400 });
    try {
      const { port } = new URL(url);
      const socket = net.connect(Number(port), '127.0.0.1');
      let received = '';
      socket.on('data', (d) => (received += d));
      const started = Date.now();
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      const request = 'POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nX-Slow: ' + 'a'.repeat(200);
      let i = 0;
      const trickle = setInterval(() => {
        if (!socket.destroyed && i < request.length) socket.write(request[i++]);
      }, 50);
      await closed;
      clearInterval(trickle);
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 3000, `closed after ${elapsed} ms`);
      assert.ok(i < request.length, 'closed before the client finished');
      assert.match(received, /^HTTP\/1\.1 408/);
      assert.equal((await fetch(`${url}/health`)).status, 200, 'other clients are still served');
    } finally {
      await app.close();
    }
  });

  it('closes a client that sends headers and then trickles the body', async () => {
    const { app, url } = await startServer(new FakeExtractor(), { port: 0, requestTimeout: 400 });
    try {
      const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => {});
      socket.resume(); // the server's 408: a socket with unread data never emits `close`
      socket.write('POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"text":"');
      const trickle = setInterval(() => !socket.destroyed && socket.write('a'), 50);
      const started = Date.now();
      await closed;
      clearInterval(trickle);
      assert.ok(Date.now() - started < 3000, `closed after ${Date.now() - started} ms`);
    } finally {
      await app.close();
    }
  });
});

describe('shutdown with a connection that has no request being answered', () => {
  /** A connection opened to `port` that sends nothing until told; resolves `closed` when the server closes it. */
  async function silentConnection(port: number) {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    let received = '';
    socket.on('data', (d) => (received += d)); // read: a socket with unread data never emits `close`
    const closed = new Promise<'closed'>((resolve) => socket.on('close', () => resolve('closed')));
    await new Promise((resolve) => socket.once('connect', resolve));
    return { socket, closed, received: () => received };
  }

  it('closes it at once (Node left it to the 60 s connection timeout), and still answers the request in flight', { timeout: 20_000 }, async () => {
    const fake = new FakeExtractor();
    fake.delayMs = 500;
    const { app, url } = await startServer(fake, { port: 0 });
    const silent = await silentConnection(Number(new URL(url).port));
    let closing: Promise<void> | undefined;
    try {
      const inFlight = postJson(`${url}/v1/extract`, { text: 'Ann Lee works for Acme Corp.' });
      for (const t0 = Date.now(); fake.calls.length === 0 && Date.now() - t0 < 5000; ) await sleep(10);
      const started = Date.now();
      closing = app.close();
      assert.equal(await Promise.race([silent.closed, sleep(2000, 'still open', { ref: false })]), 'closed', 'the silent connection is closed');
      const answer = await inFlight;
      assert.equal(answer.status, 200, 'the request in flight is answered');
      assert.deepEqual(await answer.json(), { documents: [fakeExtract('Ann Lee works for Acme Corp.')] });
      assert.equal(await Promise.race([closing.then(() => 'closed'), sleep(5000, 'still closing', { ref: false })]), 'closed');
      assert.ok(Date.now() - started < 3000, `close() took ${Date.now() - started} ms`);
      assert.equal(silent.received(), '', 'nothing was written to the silent connection');
    } finally {
      silent.socket.destroy();
      app.server.closeAllConnections();
      await (closing ?? app.close());
    }
  });

  it('closes one that has sent only part of a request\'s head, as it does one that sent nothing', { timeout: 20_000 }, async () => {
    const { app, url } = await startServer(new FakeExtractor(), { port: 0 });
    const stalled = await silentConnection(Number(new URL(url).port));
    stalled.socket.write('POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: appl');
    await sleep(50);
    const closing = app.close();
    try {
      const started = Date.now();
      assert.equal(await Promise.race([stalled.closed, sleep(2000, 'still open', { ref: false })]), 'closed', 'the stalled connection is closed');
      assert.equal(await Promise.race([closing.then(() => 'closed'), sleep(5000, 'still closing', { ref: false })]), 'closed');
      assert.ok(Date.now() - started < 3000, `close() took ${Date.now() - started} ms`);
    } finally {
      stalled.socket.destroy();
      app.server.closeAllConnections();
      await closing;
    }
  });

  it('answers 503 shutting_down to a request it sends just after the close began, rather than dropping it', { timeout: 20_000 }, async () => {
    const { app, url } = await startServer(new FakeExtractor(), { port: 0 });
    const late = await silentConnection(Number(new URL(url).port));
    const closing = app.close();
    try {
      await sleep(20);
      late.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
      assert.equal(await Promise.race([late.closed, sleep(5000, 'still open', { ref: false })]), 'closed');
      assert.match(late.received(), /^HTTP\/1\.1 503 [^]*"code":"shutting_down"/);
    } finally {
      late.socket.destroy();
      app.server.closeAllConnections();
      await closing;
    }
  });
});
