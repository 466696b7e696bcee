/**
 * Service soak for leaks: 20,000 requests of a mix against one server (the test extractor, so the figures
 * are the service's own): extractions of short texts, /health, bad bodies (not JSON, not the schema, not
 * application/json, over the body limit), clients that close the connection half-way through their body,
 * and clients that close it while their extraction runs. In the server (a child process run with
 * --expose-gc): heap and RSS after a forced GC, before the mix (after a warm-up of 5,000 requests) and
 * after each half of it, its connections closed; the event loop's delay during it; the listeners on each
 * open socket and on the server; the connections and handles left once the clients have gone.
 *
 *   npm run bench:serve-leaks [-- --requests 20000 --concurrency 16]
 *
 * Checks: every request got the status of its kind (a closed one none), the heap grew by less than 25
 * bytes a request (0.5 MB over 20,000) and RSS by less than 10 %, no socket held more than 4 listeners of
 * one event, and no connection was left. Ends with one JSON line; exits 1 on any failure.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExtractControl, ExtractInput, ExtractOptions, ExtractedDocument } from '../src/extract/types.js';
import { checkedArgs, integerArg, usageText } from '../scripts/args.js';

const options = {
  requests: { type: 'string', default: '20000' },
  concurrency: { type: 'string', default: '16' },
  child: { type: 'boolean', default: false },
} as const;
const usage = usageText('npm run bench:serve-leaks [-- --requests 20000 --concurrency 16]', options, {
  requests: { value: 'N', text: 'requests of the mix, at least 100' },
  concurrency: { value: 'N', text: 'clients at once, at least 1' },
  child: { text: 'the server process', internal: true },
});
const args = checkedArgs(usage, options, ({ values }) => ({
  ...values,
  requests: integerArg(values.requests, '--requests', 100),
  concurrency: integerArg(values.concurrency, '--concurrency', 1),
}));

/** The body limit of the server: small, so that a body over it is cheap to send. */
const BODY_LIMIT = 16 * 1024;
/** A text the extractor takes this long over, so that its client can leave while it runs. */
const SLOW = 'Slow Text';
const SLOW_MS = 30;
/** The period of the event loop delay's timer, in ms. */
const DELAY_RESOLUTION_MS = 10;
/** Requests of the mix before the heap is first measured. */
const WARM_UP = 5000;
/**
 * Most heap growth a request may leave, in bytes: a leak of one small object a request (the test
 * extractor's record of each call, kept) grew the heap by 56 bytes a request; none, by -18 to 15.
 */
const MAX_HEAP_BYTES_PER_REQUEST = 25;

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
}

async function child(): Promise<void> {
  const { startServer } = await import('../src/server/index.js');
  const { FakeExtractor } = await import('../test/server/fake-extractor.js');
  /** The test extractor, slow on SLOW texts (stopping when its request's client leaves). */
  class Extractor extends FakeExtractor {
    override async extract(given: readonly ExtractInput[], o: ExtractOptions = {}, control: ExtractControl = {}): Promise<ExtractedDocument[]> {
      if (given.some((t) => (typeof t === 'string' ? t : t.text).startsWith(SLOW))) {
        await sleep(SLOW_MS, undefined, { signal: control.signal }).catch(() => undefined);
        control.signal?.throwIfAborted();
      }
      const docs = await super.extract(given, o, control);
      // The test extractor records every call: forget them, or they would be the leak.
      this.calls.length = 0;
      this.inputs.length = 0;
      return docs;
    }
  }
  const { app, url } = await startServer(new Extractor(), { port: 0, bodyLimit: BODY_LIMIT });
  const sockets = new Set<net.Socket>();
  app.server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
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
    };
  };
  process.on('message', async (m: string) => {
    if (m === 'snapshot') process.send?.(await snapshot());
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

/** One kind of request of the mix: its share, what it sends, and the status it must get (undefined: the client leaves). */
interface Kind {
  name: string;
  share: number;
  expect?: number;
  send: (port: number, agent: http.Agent) => Promise<number | undefined>;
}

const json = { 'content-type': 'application/json' };
const TEXTS = ['John Smith works for Acme Corp in Boston.', 'Mary Jones lives in Paris.', 'The Globex Inc chairman, Carl Weiss, flew to Tokyo.'];

/** A request on the keep-alive agent: its status. */
function request(port: number, agent: http.Agent, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A raw connection that sends `head` and `body`, then closes once `closeAfterMs` has passed (or, with
 * undefined, reads the answer to the end): undefined for a client that left, else the status it read.
 */
function rawRequest(port: number, data: string, closeAfterMs: number): Promise<undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(data);
      setTimeout(() => socket.destroy(), closeAfterMs);
    });
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => resolve(undefined));
  });
}

const KINDS: Kind[] = [
  { name: 'extract', share: 40, expect: 200, send: (port, agent) => request(port, agent, 'POST', '/v1/extract', json, JSON.stringify({ text: TEXTS[Math.floor(Math.random() * TEXTS.length)] })) },
  { name: 'extract texts', share: 10, expect: 200, send: (port, agent) => request(port, agent, 'POST', '/v1/extract', json, JSON.stringify({ texts: TEXTS })) },
  { name: 'health', share: 20, expect: 200, send: (port, agent) => request(port, agent, 'GET', '/health') },
  { name: 'not JSON', share: 5, expect: 400, send: (port, agent) => request(port, agent, 'POST', '/v1/extract', json, '{"text": "John works for') },
  { name: 'schema', share: 5, expect: 400, send: (port, agent) => request(port, agent, 'POST', '/v1/extract', json, JSON.stringify({ texts: 'not a list', extra: 1 })) },
  { name: 'content type', share: 3, expect: 415, send: (port, agent) => request(port, agent, 'POST', '/v1/extract', { 'content-type': 'text/plain' }, TEXTS[0]) },
  { name: 'too large', share: 2, expect: 413, send: (port, agent) => request(port, agent, 'POST', '/v1/extract', json, JSON.stringify({ text: 'x'.repeat(BODY_LIMIT) })) },
  {
    name: 'leaves mid-body',
    share: 10,
    send: (port) => rawRequest(port, `POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"text": "John`, 5),
  },
  {
    name: 'leaves mid-extraction',
    share: 5,
    send: (port) => {
      const body = JSON.stringify({ text: `${SLOW} ${Math.random()}` });
      return rawRequest(port, `POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`, SLOW_MS / 3);
    },
  },
];

async function parent(): Promise<void> {
  const server = fork(import.meta.filename, ['--child'], { execArgv: [...process.execArgv, '--expose-gc'] });
  const next = <T>() => new Promise<T>((resolve, reject) => {
    server.once('message', (m) => resolve(m as T));
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const url = await next<string>();
  const port = Number(new URL(url).port);
  const pick = (() => {
    const total = KINDS.reduce((a, k) => a + k.share, 0);
    return () => {
      let r = Math.random() * total;
      return KINDS.find((k) => (r -= k.share) < 0) ?? KINDS[0];
    };
  })();
  const tally = new Map<string, Record<string, number>>(KINDS.map((k) => [k.name, {}]));
  /** Runs `n` requests of the mix, `concurrency` at a time, on `agent`'s keep-alive connections. */
  const run = async (n: number, agent: http.Agent) => {
    let left = n;
    await Promise.all(
      Array.from({ length: args.concurrency }, async () => {
        while (left-- > 0) {
          const kind = pick();
          let outcome: string;
          try {
            outcome = String((await kind.send(port, agent)) ?? 'left');
          } catch (e) {
            outcome = `error ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
          }
          const t = tally.get(kind.name)!;
          t[outcome] = (t[outcome] ?? 0) + 1;
        }
      }),
    );
  };
  const snapshot = async () => {
    server.send('snapshot');
    return next<Snapshot>();
  };
  /** `n` requests on new connections, which are then closed: the server while they were open, and after. */
  const phase = async (n: number) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: args.concurrency });
    await run(n, agent);
    const open = await snapshot();
    agent.destroy();
    await sleep(500);
    return { open, after: await snapshot() };
  };

  console.log(`serve-leaks: ${args.requests} requests, ${args.concurrency} at a time, against ${url}`);
  // Warm-up: compiled code, pools and caches at their size (after 1,000 requests the heap still grew by
  // 0.6–0.9 MB, once, over the next 10,000).
  const before = (await phase(WARM_UP)).after;
  for (const t of tally.values()) for (const k of Object.keys(t)) delete t[k];
  server.send('measure');
  await next();
  // In two halves, to see whether the heap grows in each, as with a leak, or once.
  const t0 = performance.now();
  const half = Math.floor(args.requests / 2);
  const first = await phase(half);
  const second = await phase(args.requests - half);
  const seconds = (performance.now() - t0) / 1000;
  const after = second.after;
  server.send('stop');

  for (const t of tally.values()) t.total = Object.values(t).reduce((a, b) => a + b, 0);
  const wrong = KINDS.filter((k) => Object.keys(tally.get(k.name)!).some((o) => o !== 'total' && o !== String(k.expect ?? 'left')));
  const mb = (x: number) => Math.round(x * 100) / 100;
  const heapGrowthMB = [mb(first.after.heapUsedMB - before.heapUsedMB), mb(after.heapUsedMB - first.after.heapUsedMB)];
  const leakBytesPerRequest = Math.round(((after.heapUsedMB - before.heapUsedMB) * 1e6) / args.requests);
  const rssGrowth = (after.rssMB - before.rssMB) / before.rssMB;
  const mostOnOneSocket = Math.max(0, ...[first, second].flatMap((p) => Object.values(p.open.socketListeners.most)));
  const leftOver = after.openConnections + (after.resources.TCPSocketWrap ?? 0);
  const delayMs = second.open.eventLoopDelayMs; // the histogram runs from the start of the first half
  const summary = {
    requests: args.requests,
    concurrency: args.concurrency,
    seconds: Math.round(seconds * 10) / 10,
    requestsPerSecond: Math.round(args.requests / seconds),
    outcomes: Object.fromEntries(tally),
    before,
    open: { connections: second.open.openConnections, socketListeners: second.open.socketListeners },
    after,
    eventLoopDelayMs: delayMs,
    heapGrowthMB,
    leakBytesPerRequest,
    rssGrowthPercent: Math.round(rssGrowth * 1000) / 10,
    wrongKinds: wrong.map((k) => k.name),
  };
  for (const k of KINDS) console.log(`  ${k.name.padEnd(22)} expect ${String(k.expect ?? 'left').padEnd(4)} ${JSON.stringify(tally.get(k.name))}`);
  console.log(
    `serve-leaks: ${summary.requests} requests in ${summary.seconds} s (${summary.requestsPerSecond}/s); heap ${before.heapUsedMB} → ${first.after.heapUsedMB} → ${after.heapUsedMB} MB ` +
      `(${leakBytesPerRequest} bytes a request), RSS ${before.rssMB} → ${after.rssMB} MB; event loop delay p99 ${delayMs.p99} ms, max ${delayMs.max} ms; ` +
      `most listeners of one event on one socket ${mostOnOneSocket}; left: ${after.openConnections} connections, ${JSON.stringify(after.resources)}`,
  );
  console.log(JSON.stringify(summary));
  const ok = wrong.length === 0 && leakBytesPerRequest < MAX_HEAP_BYTES_PER_REQUEST && rssGrowth < 0.1 && mostOnOneSocket <= 4 && leftOver === 0;
  if (!ok) console.log('serve-leaks: FAILED');
  process.exitCode = ok ? 0 : 1;
}

await (args.child ? child() : parent());
