/**
 * HTTP service throughput: requests/s and p50/p99 latency under autocannon at 16 and 64 connections.
 *   node --import tsx bench/serve.ts [--duration 10] [--connections 16,64] [--workers 0,2] [--fake]
 * The server runs in a child process so the load generator does not steal its event loop. It serves the
 * real `Extractor` with the bundled model (models/conll04) — once per `--workers` count (0 = the model on
 * the server thread; N = N worker threads, as `entrel serve --workers N`) — or with --fake the test
 * extractor (the service's own overhead); the summary says which. The 1-minute load average is read
 * before and after each run. Ends with one JSON line; exits 1 if any request failed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { ExtractorLike } from '../src/extract/types.js';
import { MAX_WORKERS } from '../src/extract/workers.js';
import { startServer } from '../src/server/index.js';
import { FakeExtractor } from '../test/server/fake-extractor.js';
import { checkedArgs, integerArg, integerListArg, numberArg, usageText } from '../scripts/args.js';

const options = {
  duration: { type: 'string', default: '10' },
  connections: { type: 'string', default: '16,64' },
  workers: { type: 'string', default: '0,2' },
  fake: { type: 'boolean', default: false },
  child: { type: 'boolean', default: false },
  'child-workers': { type: 'string', default: '0' },
} as const;
const usage = usageText('node --import tsx bench/serve.ts [--duration 10] [--connections 16,64] [--workers 0,2] [--fake]', options, {
  duration: { value: 'S', text: 'seconds of load per connection count, above 0' },
  connections: { value: 'N,…', text: 'connection counts, each at least 1' },
  workers: { value: 'W,…', text: `model worker thread counts, each from 0 to ${MAX_WORKERS}, 0 = on the server thread; ignored with --fake` },
  fake: { text: "serve the test extractor (the service's own overhead)" },
  child: { text: 'the server process', internal: true },
  'child-workers': { value: 'W', text: "the server process's worker threads", internal: true },
});
const args = checkedArgs(usage, options, ({ values }) => ({
  duration: numberArg(values.duration, '--duration', { above: 0 }),
  connections: integerListArg(values.connections, '--connections', 1),
  workers: integerListArg(values.workers, '--workers', 0, MAX_WORKERS),
  fake: values.fake,
  child: values.child,
  childWorkers: integerArg(values['child-workers'], '--child-workers', 0, MAX_WORKERS),
}));

/** CoNLL04-style sentences, one per request. */
const sentences = [
  'John Smith, a spokesman for Acme Corp in Boston, said the deal was closed.',
  'Mary Jones lives in Paris and works for the Nordic Bank Ltd office there.',
  'The Globex Inc chairman, Carl Weiss, flew from Berlin to Tokyo on Monday.',
  'Ann Lee was born in Ohio and studied at the Ohio University campus.',
];

type ExtractorKind = 'real' | 'fake';

/** The extractor to serve: the bundled model, or the fake test extractor with --fake (server overhead alone). */
export async function createExtractor(fake: boolean, workers?: number): Promise<{ extractor: ExtractorLike; kind: ExtractorKind }> {
  if (fake) return { extractor: new FakeExtractor(), kind: 'fake' };
  const { Extractor } = await import('../src/extract/index.js'); // loads libtorch, so only when needed
  return { extractor: await Extractor.load(undefined, { workers }), kind: 'real' };
}

async function child(): Promise<void> {
  const { extractor, kind } = await createExtractor(args.fake, args.childWorkers);
  const { url } = await startServer(extractor, { port: 0, logger: false });
  process.send?.({ url, kind });
  process.once('disconnect', () => process.exit(0)); // the parent is gone: do not linger
}

/** Starts the server child with `workers` model worker threads; resolves with its URL. */
async function startChild(workers: number): Promise<{ server: ChildProcess; url: string; kind: ExtractorKind }> {
  const server = fork(fileURLToPath(import.meta.url), ['--child', '--child-workers', String(workers), ...(args.fake ? ['--fake'] : [])], {
    execArgv: process.execArgv,
  });
  const { url, kind } = await new Promise<{ url: string; kind: ExtractorKind }>((resolve, reject) => {
    server.once('message', (m) => resolve(m as { url: string; kind: ExtractorKind }));
    server.once('exit', (code) => reject(new Error(`server exited with code ${code}`)));
  });
  return { server, url, kind };
}

async function parent(): Promise<void> {
  const requests = sentences.map((text) => ({
    method: 'POST' as const,
    path: '/v1/extract',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  }));
  const load1 = () => Math.round(loadavg()[0] * 100) / 100;
  const results = [];
  let kind: ExtractorKind = 'real';
  for (const workers of args.fake ? [0] : args.workers) {
    const child = await startChild(workers);
    kind = child.kind;
    console.error(`serving the ${kind} extractor at ${child.url}${kind === 'real' ? ` with ${workers} worker thread(s)` : ''}`);
    try {
      for (const connections of args.connections) {
        const load1Before = load1();
        const r = await autocannon({ url: child.url, connections, duration: args.duration, requests });
        const row = {
          workers,
          connections,
          requestsPerSec: r.requests.average,
          latencyP50Ms: r.latency.p50,
          latencyP99Ms: r.latency.p99,
          requests: r.requests.total,
          errors: r.errors + r.timeouts,
          non2xx: r.non2xx,
          load1Before,
          load1After: load1(),
        };
        console.error(
          `${connections} connections: ${row.requestsPerSec} req/s, p50 ${row.latencyP50Ms} ms, p99 ${row.latencyP99Ms} ms, ` +
            `${row.errors} errors, ${row.non2xx} non-2xx (load ${row.load1Before} → ${row.load1After})`,
        );
        results.push(row);
      }
    } finally {
      child.server.kill();
    }
  }
  console.log(JSON.stringify({ bench: 'serve', extractor: kind, durationSec: args.duration, results }));
  if (results.some((r) => r.errors > 0 || r.non2xx > 0)) process.exitCode = 1;
}

await (args.child ? child() : parent());
