/**
 * Service soak for leaks: 20,000 requests of a mix against one server (the test extractor, so the figures
 * are the service's own, and the request log on, into a sink that counts its lines): extractions of short
 * texts, /health, bad bodies (not JSON, not the schema, not application/json, over the body limit), clients
 * that close the connection half-way through their body, clients that close it while their extraction
 * runs, large answers (2 MB of JSON, made in several slices) sent as they are, in gzip and in br, and
 * clients that close the connection once the first bytes of such an answer (in any of the three) came.
 * After each half of the mix, rounds over the connection limit: as many connections as the server holds
 * (its `maxConnections`, twice the clients and 16) answered and held open, more that it must close
 * unanswered, then one more request on each held one. In the server (a child process run with
 * --expose-gc): heap and RSS after a forced GC, before the mix (after a warm-up of 5,000 requests) and
 * after each half, its connections closed; the event loop's delay during it; the listeners on each open
 * socket and on the server; the connections and handles left once the clients have gone.
 *
 *   npm run bench:serve-leaks [-- --requests 20000 --concurrency 16 --seed 1]
 *
 * Checks: every request got the outcome of its kind, and every connection over the limit was refused;
 * the heap with the memory of Buffers did not grow in both halves by more than its noise (0.25 MB) and 10
 * bytes a request (0.35 MB in a half of 10,000), as a leak does (the noise does not shrink with fewer
 * requests: judged by bytes a request alone, 4,000 requests without a leak failed), nor RSS by more than
 * 64 MB in both; no socket held more than 4 listeners of one event, and no connection was left. The mix
 * is drawn from a generator seeded with --seed: the same requests in the same order for the same seed
 * (which client sends which, and when, is up to the timing). Ends with one JSON line; exits 1 on any
 * failure.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExtractControl, ExtractInput, ExtractOptions, ExtractedDocument } from '../src/extract/types.js';
import { TrainRng } from '../src/train/rng.js';
import { checkedArgs, integerArg, usageText } from '../scripts/args.js';

const options = {
  requests: { type: 'string', default: '20000' },
  concurrency: { type: 'string', default: '16' },
  seed: { type: 'string', default: '1' },
  child: { type: 'boolean', default: false },
} as const;
const usage = usageText('npm run bench:serve-leaks [-- --requests 20000 --concurrency 16 --seed 1]', options, {
  requests: { value: 'N', text: 'requests of the mix, at least 100' },
  // The rounds over the connection limit hold 2N + 16 connections at once, at both ends.
  concurrency: { value: 'N', text: 'clients at once, from 1 to 200' },
  seed: { value: 'S', text: `seed of the mix, a whole number from 0 to ${2 ** 31 - 1}` },
  child: { text: 'the server process', internal: true },
});
const args = checkedArgs(usage, options, ({ values }) => ({
  ...values,
  requests: integerArg(values.requests, '--requests', 100),
  concurrency: integerArg(values.concurrency, '--concurrency', 1, 200),
  seed: integerArg(values.seed, '--seed', 0, 2 ** 31 - 1),
}));

/** The body limit of the server: small, so that a body over it is cheap to send. */
const BODY_LIMIT = 16 * 1024;
/** A text the extractor takes this long over, so that its client can leave while it runs. */
const SLOW = 'Slow Text';
const SLOW_MS = 30;
/** The period of the event loop delay's timer, in ms. */
const DELAY_RESOLUTION_MS = 10;
/** A text the extractor answers with a large document (LARGE_UNIT, LARGE_REPEATS times: 2.1 MB of JSON, made in about four slices). */
const LARGE = 'Large Text';
const LARGE_UNIT = 'Anna Berg met Carl Dahl in Tokyo. ';
const LARGE_REPEATS = 3000;
/** The least a large answer has, in bytes, compressed or not (gzip makes 0.33 MB of its 2.1). */
const LARGE_BYTES = 200_000;
/** Requests of the mix before the heap is first measured. */
const WARM_UP = 5000;
/**
 * How much the heap (with the memory of Buffers) may grow over one half of the mix, whatever its size, in
 * MB: without a leak, the first half of 10,000 requests grew it by 0.37–0.43 MB, once (code compiled,
 * caches at their size), the second by 0.11–0.15; halves of 2,000 by 0.01–0.12.
 */
const HEAP_NOISE_MB = 0.25;
/**
 * Most growth a request may leave beyond that, in bytes. A leak grows both halves: both past their limits
 * fail. Planted, one small object a request (the test extractor's record of each call, kept) grew the
 * halves of 10,000 by 1.08 and 0.79 MB; a small array at each pause of an answer's slicing (inSlices) by
 * 0.82 and 0.56 (halves of 2,000: 0.09 and 0.21, passed; a leak must be 135 bytes a request there); the
 * first slice of each answer kept, by 13 and 14 MB at 4,000 requests (the heap alone by 0.44 MB in all).
 */
const MAX_HEAP_BYTES_PER_REQUEST = 10;
/**
 * How much RSS may grow over each half of the mix, in MB: a leak grows it in both. The allocator keeps
 * what the large answers took for a while: without a leak one half grew it by up to 54 MB.
 */
const RSS_NOISE_MB = 64;
/** Rounds over the connection limit after each half of the mix, and connections over it in each. */
const OVER_LIMIT_ROUNDS = 3;
const OVER_LIMIT = 8;

/** The server's `maxConnections`: more than the mix holds at once (a keep-alive connection and a closing one a client). */
function maxConnections(concurrency: number): number {
  return 2 * concurrency + 16;
}

/** What the server reports of itself. */
interface Snapshot {
  heapUsedMB: number;
  rssMB: number;
  externalMB: number;
  openConnections: number;
  /** Listeners of each event on the open sockets: the most on one socket, and in all. */
  socketListeners: { most: Record<string, number>; total: number };
  serverListeners: Record<string, number>;
  /** `process.getActiveResourcesInfo()`, counted by kind. */
  resources: Record<string, number>;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** Connections the server closed unanswered (`drop`), since it started. */
  refusedConnections: number;
  /** The request log's lines since the server started, by message. */
  logLines: Record<string, number>;
}

async function child(): Promise<void> {
  const { startServer } = await import('../src/server/index.js');
  const { FakeExtractor, fakeExtract } = await import('../test/server/fake-extractor.js');
  const large = fakeExtract(LARGE_UNIT.repeat(LARGE_REPEATS));
  /** The test extractor, slow on SLOW texts (stopping when its request's client leaves), and answering LARGE ones with a copy of `large`. */
  class Extractor extends FakeExtractor {
    override async extract(given: readonly ExtractInput[], o: ExtractOptions = {}, control: ExtractControl = {}): Promise<ExtractedDocument[]> {
      const texts = given.map((t) => (typeof t === 'string' ? t : t.text));
      if (texts.some((t) => t.startsWith(SLOW))) {
        await sleep(SLOW_MS, undefined, { signal: control.signal }).catch(() => undefined);
        control.signal?.throwIfAborted();
      }
      const docs = await super.extract(given, o, control);
      // The test extractor records every call: forget them, or they would be the leak.
      this.calls.length = 0;
      this.inputs.length = 0;
      return docs.map((d, i) => (texts[i].startsWith(LARGE) ? copy(large) : d));
    }
  }
  /** A new document equal to `doc` (its own arrays and objects, as the model's would be). */
  const copy = (doc: ExtractedDocument): ExtractedDocument => ({
    ...doc,
    sentences: doc.sentences.map((s) => ({ ...s, tokens: s.tokens.map(([a, b]) => [a, b]) })),
    entities: doc.entities.map((e) => ({ ...e })),
    relations: doc.relations.map((r) => ({ ...r })),
  });
  /** The request log's lines, counted by message. */
  const logLines: Record<string, number> = {};
  const accessLog = {
    write: (line: string) => {
      // Numbers left out, so that a line of counts or an address is one message.
      const msg = (/"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? '(none)').replace(/\d+/g, 'N');
      logLines[msg] = (logLines[msg] ?? 0) + 1;
    },
  };
  const { app, url } = await startServer(new Extractor(), { port: 0, bodyLimit: BODY_LIMIT, maxConnections: maxConnections(args.concurrency), logger: true, accessLog });
  const sockets = new Set<net.Socket>();
  app.server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  let refused = 0;
  app.server.on('drop', () => refused++);
  const delay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
  const snapshot = async (): Promise<Snapshot> => {
    for (let i = 0; i < 3; i++) {
      (globalThis as { gc?: () => void }).gc?.();
      await sleep(50);
    }
    const mem = process.memoryUsage();
    const most: Record<string, number> = {};
    let total = 0;
    for (const s of sockets)
      for (const name of s.eventNames()) {
        const n = s.listenerCount(name);
        most[String(name)] = Math.max(most[String(name)] ?? 0, n);
        total += n;
      }
    const resources: Record<string, number> = {};
    for (const r of process.getActiveResourcesInfo()) resources[r] = (resources[r] ?? 0) + 1;
    // The histogram holds the time between the timer's turns: beyond its period is the delay.
    const ms = (ns: number) => Math.max(0, Math.round(ns / 1e5 - DELAY_RESOLUTION_MS * 10) / 10);
    return {
      heapUsedMB: Math.round(mem.heapUsed / 1e4) / 100,
      rssMB: Math.round(mem.rss / 1e4) / 100,
      externalMB: Math.round(mem.external / 1e4) / 100,
      openConnections: await new Promise<number>((resolve) => app.server.getConnections((_e, n) => resolve(n))),
      socketListeners: { most, total },
      serverListeners: Object.fromEntries(app.server.eventNames().map((n) => [String(n), app.server.listenerCount(n)])),
      resources,
      eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      refusedConnections: refused,
      logLines: { ...logLines },
    };
  };
  process.on('message', async (m: string) => {
    if (m === 'snapshot') process.send?.(await snapshot());
    if (m === 'connections') app.server.getConnections((_e, n) => process.send?.(n));
    if (m === 'measure') {
      delay.reset();
      delay.enable();
      process.send?.('measuring');
    }
    if (m === 'stop') {
      delay.disable();
      await app.close();
      process.exit(0);
    }
  });
  process.send?.(url);
}

/**
 * One kind of request of the mix: its share, what it sends (given a number drawn for it, uniform in [0, 1)),
 * and the outcome it must get (a status, or `left` for a client that leaves).
 */
interface Kind {
  name: string;
  share: number;
  expect: number | 'left';
  send: (port: number, agent: http.Agent, r: number) => Promise<number | string>;
}

const json = { 'content-type': 'application/json' };
const TEXTS = ['John Smith works for Acme Corp in Boston.', 'Mary Jones lives in Paris.', 'The Globex Inc chairman, Carl Weiss, flew to Tokyo.'];
/** The Accept-Encoding of a request for a large answer: none, gzip or br. */
const ENCODINGS = ['identity', 'gzip', 'br'] as const;

/**
 * A request on the keep-alive agent: its status, or, when `encoding` is given (a large answer is asked
 * for), the status only if the answer came in that Content-Encoding and was LARGE_BYTES or more.
 */
function request(port: number, agent: http.Agent, method: string, path: string, headers: Record<string, string> = {}, body?: string, encoding?: string): Promise<number | string> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (b: Buffer) => (bytes += b.length));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const got = res.headers['content-encoding'] ?? 'identity';
        resolve(encoding === undefined || (got === encoding && bytes >= LARGE_BYTES) ? status : `${status} ${got} ${bytes} bytes`);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A POST /v1/extract with `body` on a new connection, as its first bytes: `Content-Length` and the `extra` header lines added. */
function rawExtract(body: string, extra = ''): string {
  return `POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** A raw connection that sends `data`, then closes once `closeAfterMs` has passed: `left`. */
function rawRequest(port: number, data: string, closeAfterMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(data);
      setTimeout(() => socket.destroy(), closeAfterMs);
    });
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => resolve('left'));
  });
}

/**
 * A raw connection that sends `data` and closes as soon as the first bytes of the answer come: `left` when
 * they were those of a 200, else what they were (or `no answer`).
 */
function leaveMidAnswer(port: number, data: string): Promise<string> {
  return new Promise((resolve) => {
    let outcome = 'no answer';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(data));
    socket.once('data', (b: Buffer) => {
      const head = b.toString('latin1', 0, 12);
      outcome = head === 'HTTP/1.1 200' ? 'left' : head;
      socket.destroy();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(outcome));
  });
}

/** A request for a large answer (its text starts with LARGE). */
const largeBody = (r: number) => JSON.stringify({ text: `${LARGE} ${r}` });

const KINDS: Kind[] = [
  { name: 'extract', share: 38, expect: 200, send: (port, agent, r) => request(port, agent, 'POST', '/v1/extract', json, JSON.stringify({ text: TEXTS[Math.floor(r * TEXTS.length)] })) },
  { name: 'extract texts', share: 10, expect: 200, send: (port, agent) => request(port, agent, 'POST', '/v1/extract', json, JSON.stringify({ texts: TEXTS })) },
  { name: 'health', share: 20, expect: 200, send: (port, agent) => request(port, agent, 'GET', '/health') },
  { name: 'not JSON', share: 5, expect: 400, send: (port, agent) => request(port, agent, 'POST', '/v1/extract', json, '{"text": "John works for') },
  { name: 'schema', share: 5, expect: 400, send: (port, agent) => request(port, agent, 'POST', '/v1/extract', json, JSON.stringify({ texts: 'not a list', extra: 1 })) },
  { name: 'content type', share: 3, expect: 415, send: (port, agent) => request(port, agent, 'POST', '/v1/extract', { 'content-type': 'text/plain' }, TEXTS[0]) },
  { name: 'too large', share: 2, expect: 413, send: (port, agent) => request(port, agent, 'POST', '/v1/extract', json, JSON.stringify({ text: 'x'.repeat(BODY_LIMIT) })) },
  {
    name: 'leaves mid-body',
    share: 8,
    expect: 'left',
    send: (port) => rawRequest(port, `POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"text": "John`, 5),
  },
  { name: 'leaves mid-extraction', share: 5, expect: 'left', send: (port, _agent, r) => rawRequest(port, rawExtract(JSON.stringify({ text: `${SLOW} ${r}` })), SLOW_MS / 3) },
  ...ENCODINGS.map(
    (encoding): Kind => ({
      name: `large answer ${encoding}`,
      share: 1,
      expect: 200,
      send: (port, agent, r) => request(port, agent, 'POST', '/v1/extract', encoding === 'identity' ? json : { ...json, 'accept-encoding': encoding }, largeBody(r), encoding),
    }),
  ),
  {
    name: 'leaves mid-answer',
    share: 1,
    expect: 'left',
    send: (port, _agent, r) => {
      const encoding = ENCODINGS[Math.floor(r * ENCODINGS.length)];
      return leaveMidAnswer(port, rawExtract(largeBody(r), encoding === 'identity' ? '' : `Accept-Encoding: ${encoding}\r\n`));
    },
  },
];

/** The rounds over the connection limit: a connection held at the limit must be answered, one over it closed unanswered. */
const HELD = 'held at the limit';
const OVER = 'over the limit';

/**
 * One connection that sends a GET /health as soon as it is open: `refused` when the server closed it
 * without an answer, else the first bytes of the answer it got.
 */
function overLimit(port: number): Promise<string> {
  return new Promise((resolve) => {
    let outcome = 'refused';
    const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n'));
    socket.once('data', (b: Buffer) => {
      outcome = b.toString('latin1', 0, 12);
      socket.destroy();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(outcome));
  });
}

async function parent(): Promise<void> {
  const server = fork(import.meta.filename, ['--child', '--concurrency', String(args.concurrency)], { execArgv: [...process.execArgv, '--expose-gc'] });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`server exited with ${code}`));
      server.once('exit', exited);
      server.once('message', (m) => {
        server.off('exit', exited);
        resolve(m as T);
      });
    });
  const url = await next<string>();
  const port = Number(new URL(url).port);
  const limit = maxConnections(args.concurrency);
  const rng = TrainRng.seeded(args.seed);
  /** The next request of the mix: its kind, and the number its request is made from. */
  const pick = (() => {
    const total = KINDS.reduce((a, k) => a + k.share, 0);
    return () => {
      let r = rng.random() * total;
      return { kind: KINDS.find((k) => (r -= k.share) < 0) ?? KINDS[0], r: rng.random() };
    };
  })();
  const tally = new Map<string, Record<string, number>>([...KINDS.map((k) => k.name), HELD, OVER].map((name) => [name, {}]));
  const count = (name: string, outcome: string) => {
    const t = tally.get(name)!;
    t[outcome] = (t[outcome] ?? 0) + 1;
  };
  /** Runs `n` requests of the mix, `concurrency` at a time, on `agent`'s keep-alive connections. */
  const run = async (n: number, agent: http.Agent) => {
    let left = n;
    await Promise.all(
      Array.from({ length: args.concurrency }, async () => {
        while (left-- > 0) {
          const { kind, r } = pick();
          let outcome: string;
          try {
            outcome = String(await kind.send(port, agent, r));
          } catch (e) {
            outcome = `error ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
          }
          count(kind.name, outcome);
        }
      }),
    );
  };
  const snapshot = async () => {
    server.send('snapshot');
    return next<Snapshot>();
  };
  /** Waits until the server holds no connection (those the clients closed are closed on its side too). */
  const noConnections = async () => {
    for (let i = 0; i < 100; i++) {
      server.send('connections');
      if ((await next<number>()) === 0) return;
      await sleep(20);
    }
  };
  /**
   * OVER_LIMIT_ROUNDS rounds of: `limit` connections (keep-alive) each answered and held, OVER_LIMIT more
   * (which the server must close unanswered), then one more request on each held connection.
   */
  const overTheLimit = async () => {
    for (let round = 0; round < OVER_LIMIT_ROUNDS; round++) {
      await noConnections();
      const agent = new http.Agent({ keepAlive: true, maxSockets: limit });
      const held = () => Promise.all(Array.from({ length: limit }, () => request(port, agent, 'GET', '/health').catch((e: NodeJS.ErrnoException) => `error ${e.code ?? e.message}`)));
      for (const o of await held()) count(HELD, String(o));
      for (const o of await Promise.all(Array.from({ length: OVER_LIMIT }, () => overLimit(port)))) count(OVER, o);
      for (const o of await held()) count(HELD, String(o));
      agent.destroy();
    }
  };
  /**
   * `n` requests on new connections, which are then closed, then the rounds over the connection limit:
   * the server while the mix's connections were open, and after.
   */
  const phase = async (n: number) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: args.concurrency });
    await run(n, agent);
    const open = await snapshot();
    agent.destroy();
    await overTheLimit();
    await sleep(500);
    return { open, after: await snapshot() };
  };

  console.log(`serve-leaks: ${args.requests} requests, ${args.concurrency} at a time, seed ${args.seed}, against ${url} (at most ${limit} connections)`);
  // Warm-up: compiled code, pools and caches at their size (after 1,000 requests the heap still grew by
  // 0.6–0.9 MB, once, over the next 10,000).
  const before = (await phase(WARM_UP)).after;
  console.log(`serve-leaks: warm-up of ${WARM_UP} requests done`);
  for (const t of tally.values()) for (const k of Object.keys(t)) delete t[k];
  server.send('measure');
  await next();
  // In two halves, to see whether the heap grows in each, as with a leak, or once.
  const t0 = performance.now();
  const half = Math.floor(args.requests / 2);
  const first = await phase(half);
  console.log(`serve-leaks: first half done in ${Math.round((performance.now() - t0) / 100) / 10} s`);
  const second = await phase(args.requests - half);
  const seconds = (performance.now() - t0) / 1000;
  const after = second.after;
  server.send('stop');

  const expected = new Map<string, string>([...KINDS.map((k): [string, string] => [k.name, String(k.expect)]), [HELD, '200'], [OVER, 'refused']]);
  for (const t of tally.values()) t.total = Object.values(t).reduce((a, b) => a + b, 0);
  const wrong = [...tally].filter(([name, t]) => Object.keys(t).some((o) => o !== 'total' && o !== expected.get(name))).map(([name]) => name);
  const mb = (x: number) => Math.round(x * 100) / 100;
  /** The heap and the memory of Buffers (external: an answer's bytes), in MB. */
  const held = (x: Snapshot) => x.heapUsedMB + x.externalMB;
  const heapGrowthMB = [mb(held(first.after) - held(before)), mb(held(after) - held(first.after))];
  const heapLimitMB = [half, args.requests - half].map((n) => mb(HEAP_NOISE_MB + (MAX_HEAP_BYTES_PER_REQUEST * n) / 1e6));
  const leakBytesPerRequest = Math.round(((held(after) - held(before)) * 1e6) / args.requests);
  /** The smallest leak, in bytes a request, that grows each half past its limit (give or take the noise). */
  const smallestLeak = Math.ceil((HEAP_NOISE_MB * 1e6) / half) + MAX_HEAP_BYTES_PER_REQUEST;
  const rssGrowthMB = [mb(first.after.rssMB - before.rssMB), mb(after.rssMB - first.after.rssMB)];
  const leaked = heapGrowthMB.every((g, i) => g > heapLimitMB[i]) || rssGrowthMB.every((g) => g > RSS_NOISE_MB);
  const mostOnOneSocket = Math.max(0, ...[first, second].flatMap((p) => Object.values(p.open.socketListeners.most)));
  const leftOver = after.openConnections + (after.resources.TCPSocketWrap ?? 0);
  const refused = after.refusedConnections - before.refusedConnections;
  const delayMs = second.open.eventLoopDelayMs; // the histogram runs from the start of the first half
  const logLines = Object.fromEntries(Object.entries(after.logLines).flatMap(([msg, n]) => (n > (before.logLines[msg] ?? 0) ? [[msg, n - (before.logLines[msg] ?? 0)]] : [])));
  const summary = {
    requests: args.requests,
    concurrency: args.concurrency,
    seed: args.seed,
    seconds: Math.round(seconds * 10) / 10,
    requestsPerSecond: Math.round(args.requests / seconds),
    outcomes: Object.fromEntries(tally),
    before: { ...before, logLines: undefined },
    open: { connections: second.open.openConnections, socketListeners: second.open.socketListeners },
    after: { ...after, logLines: undefined },
    eventLoopDelayMs: delayMs,
    heapGrowthMB,
    heapLimitMB,
    leakBytesPerRequest,
    smallestLeak,
    rssGrowthMB,
    refusedConnections: refused,
    logLines,
    wrongKinds: wrong,
  };
  for (const [name, o] of expected) console.log(`  ${name.padEnd(25)} expect ${o.padEnd(12)} ${JSON.stringify(tally.get(name))}`);
  console.log(`  request log lines: ${JSON.stringify(logLines)}`);
  console.log(
    `serve-leaks: ${summary.requests} requests in ${summary.seconds} s (${summary.requestsPerSecond}/s), seed ${args.seed}; heap and Buffers ${mb(held(before))} → ${mb(held(first.after))} → ${mb(held(after))} MB ` +
      `(${leakBytesPerRequest} bytes a request; a leak grows both halves past ${heapLimitMB[1]} MB, ${HEAP_NOISE_MB} MB and ${MAX_HEAP_BYTES_PER_REQUEST} bytes a request: ` +
      `one of ${smallestLeak} bytes a request or more at this size), RSS ${before.rssMB} → ${first.after.rssMB} → ${after.rssMB} MB (both halves past ${RSS_NOISE_MB} MB: a leak); ` +
      `event loop delay p99 ${delayMs.p99} ms, max ${delayMs.max} ms; most listeners of one event on one socket ${mostOnOneSocket}; ` +
      `${refused} connections refused over the limit; left: ${after.openConnections} connections, ${JSON.stringify(after.resources)}`,
  );
  console.log(JSON.stringify(summary));
  const ok = wrong.length === 0 && !leaked && mostOnOneSocket <= 4 && leftOver === 0 && refused === (tally.get(OVER)!.refused ?? 0);
  if (!ok) console.log('serve-leaks: FAILED');
  process.exitCode = ok ? 0 : 1;
}

await (args.child ? child() : parent());
