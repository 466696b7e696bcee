/**
 * A client that goes away (a browser reload, a script's or a proxy's timeout) takes its extraction with
 * it: queued, it leaves the queue; running, its model call stops unless another request shares it. A
 * drawing waiting for its turn is dropped likewise (one being made is finished: it runs to its end).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { MicroBatcher } from '../../src/server/batcher.js';
import { ClientGone } from '../../src/server/disconnect.js';
import { CLOSED_BEFORE_ANSWER, EntrelLogController } from '../../src/server/log-controller.js';
import { buildServer, startServer } from '../../src/server/index.js';
import { tempDir } from '../temp-dir.js';
import { FakeExtractor, fakeExtract } from './fake-extractor.js';
import { rawRequests } from './helpers.js';

function batcher(fake: FakeExtractor) {
  return new MicroBatcher((t, o, c) => fake.extract(t, o, c), { windowMs: 1, maxBatchTexts: 64, maxQueuedTexts: 1000 });
}

const texts = (n: number, tag = '') => Array.from({ length: n }, (_, i) => `Person${i}${tag} works for Acme Corp.`);

describe('MicroBatcher: abandoned submissions', () => {
  it('drops a queued submission whose signal aborts: the model never sees it', async () => {
    const fake = new FakeExtractor();
    fake.delayMs = 100;
    const b = batcher(fake);
    const first = b.submit(['first'], {});
    await sleep(20); // `first` runs; the next one waits behind it
    const gone = new AbortController();
    const abandoned = b.submit(['abandoned'], { relationThreshold: 0.5 }, { signal: gone.signal });
    gone.abort(new ClientGone());
    await assert.rejects(abandoned, ClientGone);
    assert.equal(b.pending, 0);
    await first;
    await sleep(50);
    assert.deepEqual(fake.calls.map((c) => c.texts), [['first']]);
  });

  it('stops the model call of a running submission whose signal aborts, and serves the next', async () => {
    const fake = new FakeExtractor();
    fake.perTextMs = 10;
    const b = batcher(fake);
    const gone = new AbortController();
    const abandoned = b.submit(texts(64), {}, { signal: gone.signal });
    await sleep(60);
    gone.abort(new ClientGone());
    await assert.rejects(abandoned, ClientGone);
    const done = fake.textsDone;
    await sleep(100);
    assert.ok(fake.textsDone <= done + 1, `work went on after the client left: ${done} → ${fake.textsDone}`);
    assert.deepEqual(await b.submit(['Ann Lee'], {}), [fakeExtract('Ann Lee')]);
  });

  it('keeps a shared call going for the requests still owed an answer', async () => {
    const fake = new FakeExtractor();
    fake.delayMs = 80;
    const b = batcher(fake);
    const gone = new AbortController();
    const abandoned = b.submit(['gone'], {}, { signal: gone.signal });
    const kept = b.submit(['kept'], {});
    await sleep(30); // both in one running call
    gone.abort(new ClientGone());
    await assert.rejects(abandoned, ClientGone);
    assert.deepEqual(await kept, [fakeExtract('kept')]);
    assert.deepEqual(fake.calls.map((c) => c.texts), [['gone', 'kept']]);
  });

  it('refuses at once a submission whose signal has already aborted', async () => {
    const fake = new FakeExtractor();
    await assert.rejects(batcher(fake).submit(['late'], {}, { signal: AbortSignal.abort(new ClientGone()) }), ClientGone);
    await sleep(10);
    assert.equal(fake.calls.length, 0);
  });
});

/** Sends each POST on its own raw connection, and after `ms` closes them all at once without reading the answers. */
async function postAndLeave(port: number, requests: [path: string, body: unknown][], ms: number): Promise<void> {
  const sockets = requests.map(([path, body]) => {
    const payload = JSON.stringify(body);
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`);
    return socket;
  });
  await sleep(ms);
  for (const socket of sockets) socket.destroy();
}

describe('HTTP: a client that closes the connection', () => {
  for (const [route, body] of [
    ['/v1/extract', { texts: texts(64) }],
    ['/labelstudio/predict', { tasks: texts(64).map((text) => ({ data: { text } })) }],
  ] as const) {
    it(`stops its extraction (${route}), and the one queued behind it never runs; nothing is logged as a fault`, async () => {
      const fake = new FakeExtractor();
      fake.perTextMs = 10; // 64 texts: 0.64 s
      const faults: string[] = [];
      const { app, url } = await startServer(fake, { port: 0, batchWindowMs: 1, errorLog: { write: (l: string) => faults.push(l) } });
      const port = Number(new URL(url).port);
      try {
        await postAndLeave(port, [[route, body], ['/v1/extract', { texts: texts(64, 'b') }]], 100);
        await sleep(30);
        const done = fake.textsDone;
        assert.ok(done < 64, `${done} texts done`);
        await sleep(150);
        assert.ok(fake.textsDone <= done + 1, `work went on after the clients left: ${done} → ${fake.textsDone}`);
        assert.equal(fake.calls.length, 1, 'the queued request never reached the model');
        const t0 = performance.now();
        const res = await fetch(`${url}/v1/extract`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Ann Lee' }) });
        assert.equal(res.status, 200);
        assert.ok(performance.now() - t0 < 300, 'the next request did not wait behind abandoned work');
        assert.deepEqual(faults, []);
      } finally {
        await app.close();
      }
    });
  }

  it('drops the extraction of a request pipelined behind another on the connection, too', async () => {
    // Node closes the response on the socket only: the waiting one's extraction ran to its end (3.2 s).
    const fake = new FakeExtractor();
    fake.perTextMs = 10;
    const { app, url } = await startServer(fake, { port: 0, batchWindowMs: 1 });
    try {
      const request = (body: unknown) => {
        const payload = JSON.stringify(body);
        return `POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`;
      };
      const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
      socket.on('error', () => {});
      socket.write(request({ texts: texts(64, 'a') }) + request({ texts: texts(64, 'b') }));
      await sleep(100);
      socket.destroy();
      await sleep(200);
      assert.deepEqual(fake.calls.map((c) => c.texts[0]), ['Person0a works for Acme Corp.'], 'the pipelined request never reached the model');
    } finally {
      await app.close();
    }
  });

  it('answers thirty requests pipelined on one connection, listening to it once, not once a request', async () => {
    const fake = new FakeExtractor();
    fake.delayMs = 20;
    const warnings: Error[] = [];
    const warned = (w: Error) => void warnings.push(w);
    process.on('warning', warned);
    const { app, url } = await startServer(fake, { port: 0 });
    try {
      const payload = JSON.stringify({ text: 'Ann met Bob.' });
      const request = `POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n${payload}`;
      const answers = await rawRequests(Number(new URL(url).port), `${request.repeat(29)}${request.replace('Host: localhost', 'Host: localhost\r\nConnection: close')}`);
      assert.deepEqual(answers.map((a) => a.status), Array(30).fill(200));
      await sleep(10);
      assert.deepEqual(warnings.map((w) => w.message), []);
    } finally {
      process.off('warning', warned);
      await app.close();
    }
  });

  it('says so in the request log, under the request\'s id', async () => {
    const fake = new FakeExtractor();
    fake.perTextMs = 10;
    const lines: string[] = [];
    const { app, url } = await startServer(fake, { port: 0, logger: true, accessLog: { write: (l: string) => lines.push(l) } });
    try {
      await postAndLeave(Number(new URL(url).port), [['/v1/extract', { texts: texts(64) }]], 100);
      await sleep(50);
      const entries = lines.map((l) => JSON.parse(l) as { msg: string; reqId?: string; level: number; res?: unknown; responseTime?: unknown });
      const incoming = entries.find((e) => e.msg === 'incoming request');
      const gone = entries.find((e) => e.msg === 'client closed the connection before the answer; its work was dropped');
      assert.ok(incoming && gone, lines.join(''));
      assert.equal(gone.reqId, incoming.reqId);
      assert.equal(gone.level, 30, 'info, not an error');
      assert.deepEqual(gone.res, { statusCode: 499 }, 'a status for those who count them');
      assert.equal(typeof gone.responseTime, 'number', 'with the time it took');
      assert.equal(entries.filter((e) => e.reqId === incoming.reqId).length, 2, `no other line for the request: ${lines.join('')}`);
    } finally {
      await app.close();
    }
  });
});

describe('HTTP: a connection closed before its answer is sent', () => {
  // As when the idle timeout closed a connection whose answer the server thread was too busy to send.
  // Fastify meets it on one of two paths, by a race between the compressor's first chunk and the socket's
  // `close`: the error handler (no chunk yet; was level 50 "request failed": Premature close) or its log
  // controller (a chunk written, which marks the headers sent even on a dead socket; was "stream closed
  // prematurely" with status 200). The log says the same on both.
  const cases = [
    ['once the answer is ready, before it is compressed (either path)', (request: FastifyRequest) => void request.raw.socket.destroy()],
    [
      'right after the first compressed chunk is written (the log controller\'s path)',
      (request: FastifyRequest, reply: FastifyReply) => {
        const write = reply.raw.write.bind(reply.raw) as (...args: unknown[]) => boolean;
        reply.raw.write = ((...args: unknown[]) => {
          const written = write(...args);
          request.raw.socket.destroy();
          return written;
        }) as typeof reply.raw.write;
      },
    ],
  ] as const;
  for (const [when, cut] of cases) {
    it(`is a client gone (info), not a server fault, when it closes ${when}`, { timeout: 30_000 }, async () => {
      const lines: string[] = [];
      const app = buildServer(new FakeExtractor(), { logger: true, accessLog: { write: (l: string) => void lines.push(l) } });
      app.addHook('onSend', async (request, reply, payload) => {
        if (request.url === '/v1/extract') cut(request, reply);
        return payload;
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const socket = net.connect((app.server.address() as AddressInfo).port, '127.0.0.1');
      try {
        const payload = JSON.stringify({ text: 'Mary Smith works for Acme Corp in Boston. '.repeat(2000) });
        socket.on('error', () => {});
        // Read whatever arrives: a socket with unread data never emits `end`, nor `close`.
        socket.resume();
        const closed = new Promise((resolve) => socket.on('close', resolve));
        socket.write(`POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n${payload}`);
        assert.equal(await Promise.race([closed.then(() => 'closed'), sleep(10_000, 'still open', { ref: false })]), 'closed');
        const ended = () => lines.some((l) => /"msg":"(request completed|the connection closed|request failed|stream closed)/.test(l));
        for (const t0 = Date.now(); !ended() && Date.now() - t0 < 5000; ) await sleep(20);
        assertClosedLine(lines);
      } finally {
        socket.destroy();
        app.server.closeAllConnections();
        await app.close();
      }
    });
  }

  it('is a client gone (info), not a 200 completed, when an uncompressed answer is cut short', { timeout: 30_000 }, async () => {
    // Node emits `finish` on a response whose socket was destroyed without an error; Fastify logged it as
    // "request completed", status 200. A 14 MB answer: most of it is still in the server's buffers.
    for (const options of [{ compress: false }, {}]) {
      const lines: string[] = [];
      const { app, url } = await startServer(new FakeExtractor(), { port: 0, logger: true, accessLog: { write: (l: string) => void lines.push(l) }, ...options });
      try {
        const payload = JSON.stringify({ text: 'Anna Berg met Carl Dahl in Tokyo. '.repeat(19_000) });
        const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
        socket.on('error', () => {});
        const closed = new Promise((resolve) => socket.on('close', resolve));
        // No Accept-Encoding (curl's default): sent as it is, with its Content-Length.
        socket.write(`POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n${payload}`);
        socket.once('data', () => socket.destroy());
        assert.equal(await Promise.race([closed.then(() => 'closed'), sleep(10_000, 'still open', { ref: false })]), 'closed');
        const ended = () => lines.some((l) => /"msg":"(request completed|the connection closed|request failed)/.test(l));
        for (const t0 = Date.now(); !ended() && Date.now() - t0 < 5000; ) await sleep(20);
        assertClosedLine(lines);
      } finally {
        await app.close();
      }
    }
  });

  it('is a request completed, 200, when the answer is delivered in full, whether the connection stays open or not', async () => {
    const lines: string[] = [];
    const { app, url } = await startServer(new FakeExtractor(), { port: 0, logger: true, compress: false, accessLog: { write: (l: string) => void lines.push(l) } });
    try {
      const port = Number(new URL(url).port);
      for (const text of ['Anna Berg met Carl Dahl in Tokyo.', 'Anna Berg met Carl Dahl in Tokyo. '.repeat(3000)]) {
        const payload = JSON.stringify({ text });
        const request = (connection: string) =>
          `POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nConnection: ${connection}\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n${payload}`;
        const answers = await rawRequests(port, request('keep-alive') + request('close'));
        assert.deepEqual(answers.map((a) => a.status), [200, 200]);
      }
      await sleep(50);
      const ends = lines.map((l) => JSON.parse(l) as { msg: string; reqId?: string; res?: { statusCode: number } }).filter((e) => e.reqId && e.msg !== 'incoming request');
      assert.deepEqual(ends.map((e) => [e.msg, e.res?.statusCode]), Array(4).fill(['request completed', 200]));
    } finally {
      await app.close();
    }
  });
});

describe('the request log: a premature close', () => {
  const logged = (socketDestroyed: boolean) => {
    const lines: [unknown, string][] = [];
    const log = { info: (o: unknown, m: string) => void lines.push([o, m]), warn: (o: unknown, m: string) => void lines.push([o, m]) };
    const request = { raw: { socket: { destroyed: socketDestroyed } }, log } as unknown as FastifyRequest;
    const reply = { raw: { destroyed: true }, log, elapsedTime: 12 } as unknown as FastifyReply;
    new EntrelLogController().streamError(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }), request, reply);
    return lines.map(([, m]) => m);
  };

  it('is the connection closed when its socket is gone', () => {
    assert.deepEqual(logged(true), [CLOSED_BEFORE_ANSWER]);
  });

  it('is left to Fastify when the socket is still open (a payload stream destroyed, not the client gone)', () => {
    assert.deepEqual(logged(false), ['stream closed prematurely']);
  });
});

/** The request log has one "closed before the answer" line, info, with status 499, and no fault nor completed line. */
function assertClosedLine(lines: string[]): void {
  const entries = lines.map((l) => JSON.parse(l) as { msg: string; level: number; res?: unknown; responseTime?: unknown });
  assert.deepEqual(entries.filter((e) => e.level >= 40).map((e) => e.msg), [], 'no fault or warning logged');
  const gone = entries.filter((e) => e.msg === CLOSED_BEFORE_ANSWER);
  assert.equal(gone.length, 1, lines.join(''));
  assert.equal(gone[0].level, 30, 'info');
  assert.deepEqual(gone[0].res, { statusCode: 499 }, 'a status for those who count them');
  assert.equal(typeof gone[0].responseTime, 'number', 'with the time it took');
  assert.ok(!entries.some((e) => e.msg === 'stream closed prematurely' || e.msg === 'request completed'), lines.join(''));
}

describe('HTTP: clients that close the connection while their drawings wait', () => {
  it('have their drawings dropped, not made', async () => {
    const lines: string[] = [];
    const { app, url } = await startServer(new FakeExtractor(), { port: 0, logger: true, accessLog: { write: (l: string) => void lines.push(l) } });
    // A drawing of some 0.3 s: 5,000 relations between two entities, in rows of 20 characters.
    const base = fakeExtract('Mary Smith works for Acme Corp in Boston.');
    const [mary, acme] = base.entities;
    const relations = Array.from({ length: 5000 }, (_, i) => ({ type: 'Work_For', head: i % 2 ? mary.id : acme.id, tail: i % 2 ? acme.id : mary.id, score: 0.5 }));
    const body = join(tempDir('entrel-render-'), 'body.json');
    writeFileSync(body, JSON.stringify({ documents: [{ ...base, relations }], width: 20 }));
    try {
      // Five clients (one drawing, four waiting) in a process of their own, which the drawings do not hold
      // up: they leave while the first drawing is made.
      const clients = `
        const [port, file] = process.argv.slice(1);
        const body = require('node:fs').readFileSync(file);
        const sockets = Array.from({ length: 5 }, () => {
          const s = require('node:net').connect(Number(port), '127.0.0.1');
          s.on('error', () => {});
          s.write('POST /v1/render HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Type: application/json\\r\\nContent-Length: ' + body.length + '\\r\\n\\r\\n');
          s.write(body);
          return s;
        });
        setTimeout(() => sockets.forEach((s) => s.destroy()), 150);`;
      await promisify(execFile)(process.execPath, ['-e', clients, new URL(url).port, body]);
      const ended = () => lines.map((l) => JSON.parse(l) as { msg: string }).filter((e) => e.msg === 'request completed' || e.msg.startsWith('client closed'));
      for (const t0 = Date.now(); ended().length < 5 && Date.now() - t0 < 10_000; ) await sleep(50);
      const dropped = ended().filter((e) => e.msg === 'client closed the connection before the answer; its work was dropped');
      assert.ok(dropped.length >= 3, `${dropped.length} of 5 drawings dropped: ${lines.join('')}`);
    } finally {
      await app.close();
    }
  });
});
