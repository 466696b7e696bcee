/**
 * maxConnections: a client holding many idle connections cannot use up the process's file descriptors
 * (after which accepting fails for every client). A connection over the limit is closed at once, the next
 * one after a connection closes is served, and the log says how many were refused, one line for a burst.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { limitConnections } from '../../src/server/connection-limit.js';
import { buildServer, startServer } from '../../src/server/index.js';
import { FakeExtractor } from './fake-extractor.js';

/** A stream that keeps the lines written to it. */
function lines(): { write(line: string): void; lines: string[] } {
  const kept: string[] = [];
  return { write: (line: string) => void kept.push(line), lines: kept };
}

/** What happened to a connection: the bytes it received and whether the server closed it. */
interface Held {
  socket: net.Socket;
  received: () => string;
  /** Resolves once the server has closed the connection (at most `ms` waited: then false). */
  closedWithin: (ms: number) => Promise<boolean>;
}

/** Opens a connection, reading whatever comes (a socket that is not read never emits `close`). */
async function connect(port: number): Promise<Held> {
  const socket = net.connect(port, '127.0.0.1');
  let data = '';
  let closed = false;
  socket.on('data', (d) => (data += d));
  socket.on('error', () => {});
  const close = new Promise<void>((resolve) => socket.on('close', () => resolve(void (closed = true))));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return {
    socket,
    received: () => data,
    closedWithin: async (ms) => closed || (await Promise.race([close.then(() => true), sleep(ms).then(() => false)])),
  };
}

/** Sends GET /health on a held connection (kept alive) and waits for its answer. */
async function health(held: Held): Promise<string> {
  const before = held.received().length;
  held.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
  for (const t0 = Date.now(); !held.received().slice(before).includes('{"status":"ok"}'); ) {
    if (Date.now() - t0 > 10_000) assert.fail(`no answer to GET /health within 10 s: ${JSON.stringify(held.received())}`);
    await sleep(5);
  }
  return held.received().slice(before);
}

/** The connections the server holds now. */
const openConnections = (app: FastifyInstance) => new Promise<number>((resolve, reject) => app.server.getConnections((e, n) => (e ? reject(e) : resolve(n))));

/** Waits (10 s at most) until `f` holds. */
async function until(f: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (const t0 = Date.now(); !(await f()); await sleep(10)) if (Date.now() - t0 > 10_000) assert.fail(`not within 10 s: ${what}`);
}

const refusedLines = (log: { lines: string[] }) => log.lines.map((l) => JSON.parse(l)).filter((l) => /^refused \d+ connections? in/.test(l.msg));

describe('maxConnections', () => {
  it('closes a connection over the limit at once, serves the next after one closes, and logs a burst in one line', { timeout: 60_000 }, async () => {
    const errorLog = lines();
    // Idle keep-alive connections stay open for the whole test, however slowly it runs.
    const { app, url } = await startServer(new FakeExtractor(), { port: 0, maxConnections: 2, keepAliveTimeout: 60_000, errorLog });
    const port = Number(new URL(url).port);
    const held: Held[] = [];
    try {
      const dropped = () => app.server.listenerCount('drop') > 0;
      assert.ok(dropped(), 'the server hears its dropped connections');
      let drops = 0;
      app.server.on('drop', () => drops++);
      for (let i = 0; i < 2; i++) {
        held.push(await connect(port));
        assert.match(await health(held[i]), /^HTTP\/1\.1 200 /);
      }
      const third = await connect(port);
      assert.equal(await third.closedWithin(10_000), true, 'the third connection is closed by the server');
      assert.equal(third.received(), '', 'without an answer');
      assert.equal(drops, 1);

      held[0].socket.destroy();
      await until(async () => (await openConnections(app)) < 2, 'the server has seen the first connection close');
      const next = await connect(port);
      held.push(next);
      assert.match(await health(next), /^HTTP\/1\.1 200 /, 'a new connection is served once one has closed');

      // A burst while the limit is reached again.
      const burst = await Promise.all(Array.from({ length: 5 }, () => connect(port)));
      for (const c of burst) assert.equal(await c.closedWithin(10_000), true, 'each connection of the burst is closed');
      assert.equal(drops, 6);
      assert.deepEqual(refusedLines(errorLog), [], 'nothing is logged until the interval has passed');
    } finally {
      for (const c of held) c.socket.destroy();
      await app.close();
    }
    const logged = refusedLines(errorLog);
    assert.equal(logged.length, 1, `one line for the connections refused, written as the server closes: ${errorLog.lines.join('')}`);
    assert.equal(logged[0].level, 40, 'at level warn, with the request log off');
    assert.equal(logged[0].refusedConnections, 6);
    assert.equal(logged[0].maxConnections, 2);
    assert.match(logged[0].msg, /^refused 6 connections in \d+ s: the server had 2 open, the most it holds \(--max-connections\); those clients were disconnected without an answer$/);
  });

  it('says how many were refused once an interval has passed, one line for each interval with refusals', { timeout: 60_000 }, async () => {
    const log = lines();
    const app = Fastify({ logger: { level: 'error', stream: log } });
    app.get('/', async () => 'ok');
    limitConnections(app, 1, 300);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as net.AddressInfo).port;
    const kept = await connect(port);
    try {
      await until(async () => (await openConnections(app)) === 1, 'the first connection is held');
      const burst = async (n: number) => {
        const conns = await Promise.all(Array.from({ length: n }, () => connect(port)));
        for (const c of conns) assert.equal(await c.closedWithin(10_000), true, 'closed by the server');
      };
      await burst(3);
      await until(() => refusedLines(log).length === 1, 'the first burst is reported');
      await burst(2);
      await until(() => refusedLines(log).length === 2, 'the second burst is reported');
      await sleep(600);
      assert.deepEqual(
        refusedLines(log).map((l) => [l.level, l.refusedConnections]),
        [
          [40, 3],
          [40, 2],
        ],
        'a line a burst, none after',
      );
    } finally {
      kept.socket.destroy();
      await app.close();
    }
    assert.equal(refusedLines(log).length, 2, 'nothing more to say when the server closes');
  });

  it('with 0, sets no limit', async () => {
    const app = buildServer(new FakeExtractor(), { maxConnections: 0 });
    try {
      assert.equal(app.server.maxConnections ?? 0, 0);
      assert.equal(app.server.listenerCount('drop'), 0);
    } finally {
      await app.close();
    }
  });

  it('holds 512 connections by default', async () => {
    const app = buildServer(new FakeExtractor());
    try {
      assert.equal(app.server.maxConnections, 512);
    } finally {
      await app.close();
    }
  });
});
