/**
 * Service soak: autocannon holds 64 connections for 5 minutes against the real server with a real model,
 * with a mix of valid, oversized and malformed requests, and checks that
 *   - no request gets a 5xx (or times out),
 *   - every bad request gets its 4xx (413 body too large, 413 text too long, 400 malformed JSON,
 *     400 schema violation, 415 wrong content type), every good one a 200,
 *   - resident memory of the server grows by less than 10 % from the end of the warm-up to the end.
 *
 *   npm run bench:soak [-- --duration 300 --connections 64 --model DIR | --fake]
 *
 * The model is --model, else the bundled models/conll04, else a tiny model trained on the test fixtures
 * (a few seconds). The server runs in a child process; its RSS is read from /proc. The limits are set
 * lower than the defaults (body 256 KiB, text 100,000 characters) so that oversized requests are cheap
 * to send at this rate; the code paths are the same. Ends with one JSON line; exits 1 on any failure.
 */
import { execFileSync, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import type { ExtractorLike } from '../src/extract/types.js';
import { startServer } from '../src/server/index.js';
import { closeLoad } from './close-load.js';
import { checkedArgs, integerArg, numberArg, usageText } from '../scripts/args.js';

const ROOT = resolve(import.meta.dirname, '..');
const LIMITS = { bodyLimit: 256 * 1024, maxTextLength: 100_000 };

const options = {
  duration: { type: 'string', default: '300' },
  connections: { type: 'string', default: '64' },
  model: { type: 'string' },
  fake: { type: 'boolean', default: false },
  child: { type: 'boolean', default: false },
} as const;
const usage = usageText('npm run bench:soak [-- --duration 300 --connections 64 --model DIR | --fake]', options, {
  duration: { value: 'S', text: 'seconds of load, above 0' },
  connections: { value: 'N', text: 'connections held, at least 1' },
  model: { value: 'DIR', text: 'the model to serve', default: 'models/conll04, else a tiny model trained on the test fixtures' },
  fake: { text: 'serve the test extractor instead of a model' },
  child: { text: 'the server process', internal: true },
});
const args = checkedArgs(usage, options, ({ values }) => ({
  ...values,
  duration: numberArg(values.duration, '--duration', { above: 0 }),
  connections: integerArg(values.connections, '--connections', 1),
}));

/** The model directory to serve (trains a tiny one when neither --model nor the bundled model exists). */
function modelDir(): string {
  if (args.model) return resolve(args.model);
  const bundled = join(ROOT, 'models', 'conll04');
  if (existsSync(join(bundled, 'checksum'))) return bundled;
  const tiny = join(tmpdir(), 'entrel-soak-model');
  if (!existsSync(join(tiny, 'best', 'checksum'))) {
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test/faults/cli.ts'), 'train', '--config', join(ROOT, 'test/train/fixtures/tiny.json'), '--out', tiny, '--resume', '--quiet'], { stdio: 'inherit' });
  }
  return join(tiny, 'best');
}

async function child(): Promise<void> {
  let extractor: ExtractorLike;
  let model = 'fake';
  if (args.fake) {
    const { FakeExtractor } = await import('../test/server/fake-extractor.js');
    extractor = new FakeExtractor();
  } else {
    const { Extractor } = await import('../src/extract/extractor.js');
    model = modelDir();
    extractor = await Extractor.load(model);
  }
  const { url } = await startServer(extractor, { port: 0, ...LIMITS });
  process.send?.({ url, model });
}

const SENTENCES = [
  'John Smith, a spokesman for Acme Corp in Boston, said the deal was closed.',
  'Mary Jones lives in Paris and works for the Nordic Bank Ltd office there.',
  'The Globex Inc chairman, Carl Weiss, flew from Berlin to Tokyo on Monday.',
];

interface Kind {
  name: string;
  expect: number;
  /** The server answers it with `Connection: close`: driven by close-load.ts instead of autocannon. */
  closes?: boolean;
  request: { method: 'POST'; path: string; headers: Record<string, string>; body: string };
}

const json = { 'content-type': 'application/json' };
/** The request mix: three valid kinds, five bad ones with the status each must get. */
const KINDS: Kind[] = [
  { name: 'valid text', expect: 200, request: { method: 'POST', path: '/v1/extract', headers: json, body: JSON.stringify({ text: SENTENCES[0] }) } },
  { name: 'valid texts', expect: 200, request: { method: 'POST', path: '/v1/extract', headers: json, body: JSON.stringify({ texts: SENTENCES }) } },
  { name: 'body too large', expect: 413, closes: true, request: { method: 'POST', path: '/v1/extract', headers: json, body: JSON.stringify({ text: 'x '.repeat(LIMITS.bodyLimit / 2 + 10) }) } },
  { name: 'text too long', expect: 413, request: { method: 'POST', path: '/v1/extract', headers: json, body: JSON.stringify({ text: 'a'.repeat(LIMITS.maxTextLength + 1) }) } },
  { name: 'malformed JSON', expect: 400, closes: true, request: { method: 'POST', path: '/v1/extract', headers: json, body: '{"text": "John works for Acme' } },
  { name: 'schema violation', expect: 400, request: { method: 'POST', path: '/v1/extract', headers: json, body: JSON.stringify({ texts: 'not a list', extra: 1 }) } },
  { name: 'wrong content type', expect: 415, request: { method: 'POST', path: '/v1/extract', headers: { 'content-type': 'text/plain' }, body: SENTENCES[1] } },
  { name: 'valid render', expect: 200, request: { method: 'POST', path: '/v1/render', headers: json, body: JSON.stringify({ documents: [] }) } },
];

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
const mb = (b: number) => Math.round(b / 1e5) / 10;

async function parent(): Promise<void> {
  const { duration, connections } = args;
  const server = fork(import.meta.filename, ['--child', ...process.argv.slice(2)], { execArgv: process.execArgv });
  const { url, model } = await new Promise<{ url: string; model: string }>((ok, fail) => {
    server.once('message', (m) => ok(m as { url: string; model: string }));
    server.once('exit', (code) => fail(new Error(`server exited with ${code}`)));
  });
  console.log(`soak: ${connections} connections for ${duration} s against ${url} (model ${model})`);

  // One autocannon instance per kind of request, all at once, so every status is attributed to its
  // kind exactly: bad kinds get ~6 % of the connections each, the valid kinds share the rest.
  const bad = KINDS.filter((k) => k.expect !== 200).length;
  const perBad = Math.max(1, Math.round(connections * 0.06));
  const perGood = Math.max(1, Math.floor((connections - bad * perBad) / (KINDS.length - bad)));
  const warmup = Math.min(30, duration / 10);
  let rssWarm = 0;
  let rssMax = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssOf(server.pid!))), 1000);
  const warmTimer = setTimeout(() => (rssWarm = rssOf(server.pid!)), warmup * 1000);
  const results = await Promise.all(
    KINDS.map(async (k) => {
      const conns = k.expect === 200 ? perGood : perBad;
      if (k.closes) return { ...(await closeLoad(url, k.request, conns, duration)), connections: conns };
      const r = await autocannon({ url, connections: conns, duration, requests: [k.request], timeout: 30 });
      const statuses = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, v]) => [code, (v as { count: number }).count]));
      return { ...r, statuses };
    }),
  );
  clearInterval(sampler);
  clearTimeout(warmTimer);
  const rssEnd = rssOf(server.pid!);
  server.kill();

  const byKind = KINDS.map((k, i) => {
    const r = results[i];
    return { kind: k.name, expect: k.expect, connections: r.connections, statuses: r.statuses, errors: r.errors, timeouts: r.timeouts, p99: r.latency.p99 };
  });
  const wrong = byKind.filter((k) => k.errors > 0 || k.timeouts > 0 || Object.keys(k.statuses).some((s) => Number(s) !== k.expect));
  const count = (f: (status: number) => boolean) => byKind.reduce((a, k) => a + Object.entries(k.statuses).filter(([s]) => f(Number(s))).reduce((x, [, n]) => x + n, 0), 0);
  const server5xx = count((s) => s >= 500);
  const growth = rssWarm ? (rssEnd - rssWarm) / rssWarm : NaN;
  // Latency over all requests: autocannon merges its histograms only per instance, so take the valid
  // requests' worst p99 (the model calls) and every kind's own in the table.
  const result = {
    requests: { total: results.reduce((a, r) => a + r.requests.total, 0), average: results.reduce((a, r) => a + r.requests.average, 0) },
    errors: results.reduce((a, r) => a + r.errors, 0),
    timeouts: results.reduce((a, r) => a + r.timeouts, 0),
    latency: {
      p50: Math.max(...results.filter((_, i) => KINDS[i].expect === 200).map((r) => r.latency.p50)),
      p99: Math.max(...results.map((r) => r.latency.p99)),
      max: Math.max(...results.map((r) => r.latency.max)),
    },
  };
  for (const k of byKind)
    console.log(`  ${k.kind.padEnd(19)} ${String(k.connections).padStart(2)} conn  expect ${k.expect}: ${JSON.stringify(k.statuses)} errors=${k.errors} timeouts=${k.timeouts} p99=${k.p99} ms`);
  const summary = {
    duration, connections, model,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    errors: result.errors, timeouts: result.timeouts, server5xx,
    latencyMs: result.latency,
    byKind,
    rssMB: { afterWarmup: mb(rssWarm), end: mb(rssEnd), max: mb(rssMax) },
    rssGrowthPercent: Math.round(growth * 1000) / 10,
    wrongStatusKinds: wrong.map((k) => k.kind),
  };
  console.log(
    `soak: ${summary.requests} requests (${summary.requestsPerSecond.toFixed(0)}/s), 5xx=${server5xx} errors=${result.errors} timeouts=${result.timeouts}, ` +
      `p50=${summary.latencyMs.p50} ms p99=${summary.latencyMs.p99} ms, RSS ${summary.rssMB.afterWarmup} → ${summary.rssMB.end} MB (${summary.rssGrowthPercent}%)`,
  );
  console.log(JSON.stringify(summary));
  const ok = server5xx === 0 && result.errors === 0 && result.timeouts === 0 && wrong.length === 0 && growth < 0.1;
  if (!ok) console.log('soak: FAILED');
  process.exitCode = ok ? 0 : 1;
}

await (args.child ? child() : parent());
