/**
 * HTTP service throughput: requests/s and p50/p99 latency under autocannon at 16 and 64 connections.
 *   node --import tsx bench/serve.ts [--duration 10] [--connections 16,64] [--fake]
 * The server runs in a child process so the load generator does not steal its event loop. It serves the
 * real `Extractor` with the bundled model (models/conll04), or with --fake the test extractor (the
 * service's own overhead); the summary says which. Ends with one JSON line; exits 1 if any request failed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { ExtractorLike } from '../src/extract/types.js';
import { startServer } from '../src/server/index.js';
import { FakeExtractor } from '../test/server/fake-extractor.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16,64' },
    fake: { type: 'boolean', default: false },
    child: { type: 'boolean', default: false },
  },
});

/** CoNLL04-style sentences, one per request. */
const sentences = [
  'John Smith, a spokesman for Acme Corp in Boston, said the deal was closed.',
  'Mary Jones lives in Paris and works for the Nordic Bank Ltd office there.',
  'The Globex Inc chairman, Carl Weiss, flew from Berlin to Tokyo on Monday.',
  'Ann Lee was born in Ohio and studied at the Ohio University campus.',
];

type ExtractorKind = 'real' | 'fake';

/** The extractor to serve: the bundled model, or the fake test extractor with --fake (server overhead alone). */
export async function createExtractor(fake: boolean): Promise<{ extractor: ExtractorLike; kind: ExtractorKind }> {
  if (fake) return { extractor: new FakeExtractor(), kind: 'fake' };
  const { Extractor } = await import('../src/extract/index.js'); // loads libtorch, so only when needed
  return { extractor: await Extractor.load(), kind: 'real' };
}

async function child(): Promise<void> {
  const { extractor, kind } = await createExtractor(args.fake);
  const { url } = await startServer(extractor, { port: 0, logger: false });
  process.send?.({ url, kind });
}

async function parent(): Promise<void> {
  const server: ChildProcess = fork(fileURLToPath(import.meta.url), ['--child', ...(args.fake ? ['--fake'] : [])], {
    execArgv: process.execArgv,
  });
  const { url, kind } = await new Promise<{ url: string; kind: ExtractorKind }>((resolve, reject) => {
    server.once('message', (m) => resolve(m as { url: string; kind: ExtractorKind }));
    server.once('exit', (code) => reject(new Error(`server exited with code ${code}`)));
  });
  console.error(`serving the ${kind} extractor at ${url}`);
  const requests = sentences.map((text) => ({
    method: 'POST' as const,
    path: '/v1/extract',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  }));
  const results = [];
  try {
    for (const connections of args.connections.split(',').map(Number)) {
      const r = await autocannon({ url, connections, duration: Number(args.duration), requests });
      const row = {
        connections,
        requestsPerSec: r.requests.average,
        latencyP50Ms: r.latency.p50,
        latencyP99Ms: r.latency.p99,
        requests: r.requests.total,
        errors: r.errors + r.timeouts,
        non2xx: r.non2xx,
      };
      console.error(`${connections} connections: ${row.requestsPerSec} req/s, p50 ${row.latencyP50Ms} ms, p99 ${row.latencyP99Ms} ms, ${row.errors} errors, ${row.non2xx} non-2xx`);
      results.push(row);
    }
  } finally {
    server.kill();
  }
  console.log(JSON.stringify({ bench: 'serve', extractor: kind, durationSec: Number(args.duration), results }));
  if (results.some((r) => r.errors > 0 || r.non2xx > 0)) process.exitCode = 1;
}

await (args.child ? child() : parent());
