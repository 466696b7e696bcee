/**
 * One huge request to the HTTP service (the bundled model): 999,000 characters of unpunctuated,
 * entity-dense text, as issue 6's "bad input" names it.
 *   node --import tsx bench/huge-request.ts [--workers 0,2] [--timeout 0,30]
 * For each worker count and time limit (`--request-timeout` seconds, 0 = none) a fresh server child
 * process; reports the status and time of the huge request, how long `GET /health` and a one-sentence
 * extraction took while it ran, and how long a one-sentence extraction takes right after its answer (the
 * time limit must stop the work). Ends with one JSON line.
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MAX_WORKERS } from '../src/extract/workers.js';
import { checkedArgs, integerArg, integerListArg, numberArg, usageText } from '../scripts/args.js';

const options = {
  workers: { type: 'string', default: '0,2' },
  timeout: { type: 'string', default: '0,30' },
  child: { type: 'boolean', default: false },
  'child-workers': { type: 'string', default: '0' },
  'child-timeout': { type: 'string', default: '0' },
} as const;
const usage = usageText('node --import tsx bench/huge-request.ts [--workers 0,2] [--timeout 0,30]', options, {
  workers: { value: 'W,…', text: `model worker thread counts, each from 0 to ${MAX_WORKERS}` },
  timeout: { value: 'S,…', text: "the server's time limits for an extraction, in seconds, each at least 0; 0 = none" },
  child: { text: 'the server process', internal: true },
  'child-workers': { value: 'W', text: "the server's worker threads", internal: true },
  'child-timeout': { value: 'S', text: "the server's time limit", internal: true },
});
const args = checkedArgs(usage, options, ({ values }) => ({
  child: values.child,
  workers: integerListArg(values.workers, '--workers', 0, MAX_WORKERS),
  timeout: values.timeout.split(',').map((s) => numberArg(s, '--timeout', { min: 0 })),
  childWorkers: integerArg(values['child-workers'], '--child-workers', 0, MAX_WORKERS),
  childTimeout: numberArg(values['child-timeout'], '--child-timeout', { min: 0 }),
}));

if (args.child) {
  const { Extractor } = await import('../src/extract/index.js');
  const { startServer } = await import('../src/server/index.js');
  const extractor = await Extractor.load(undefined, { workers: args.childWorkers });
  const { url } = await startServer(extractor, { port: 0, extractTimeout: args.childTimeout * 1000, requestTimeout: 120_000, connectionTimeout: 600_000 });
  process.send?.({ url });
  process.once('disconnect', () => process.exit(0)); // the parent is gone: do not linger
} else {
  const huge = 'John Smith of Acme Corp met Mary Jones in Boston with Peter Brown from Globex Inc '.repeat(13_000).slice(0, 999_000);
  const post = (url: string, body: unknown) =>
    fetch(`${url}/v1/extract`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const r = await f();
    return [r, Math.round(performance.now() - t0)];
  };
  const rows = [];
  for (const workers of args.workers)
    for (const timeout of args.timeout) {
      const child = fork(fileURLToPath(import.meta.url), ['--child', '--child-workers', String(workers), '--child-timeout', String(timeout)], { execArgv: process.execArgv });
      const { url } = await new Promise<{ url: string }>((resolve, reject) => {
        child.once('message', (m) => resolve(m as { url: string }));
        child.once('exit', (code) => reject(new Error(`server exited with code ${code}`)));
      });
      try {
        const load1Before = Math.round(loadavg()[0] * 100) / 100;
        const big = timed(async (): Promise<Record<string, unknown>> => {
          const r = await post(url, { text: huge });
          const body = (await r.json()) as { documents?: { entities: unknown[]; relations: unknown[] }[]; error?: { code: string } };
          return { status: r.status, entities: body.documents?.[0].entities.length, relations: body.documents?.[0].relations.length, error: body.error?.code };
        }).catch((e: Error): [Record<string, unknown>, number] => [{ failed: e.message }, -1]);
        await new Promise((r) => setTimeout(r, 2000)); // the huge request is being worked on
        const [, healthMs] = await timed(() => fetch(`${url}/health`).then((r) => r.text()));
        const [, smallDuringMs] = await timed(() => post(url, { text: 'Mary Jones works for Acme Corp in Boston.' }).then((r) => r.text()));
        const [result, hugeMs] = await big;
        const [, smallAfterMs] = await timed(() => post(url, { text: 'Mary Jones works for Acme Corp in Boston.' }).then((r) => r.text()));
        const row = { workers, timeoutSec: timeout, ...result, hugeMs, healthMs, smallDuringMs, smallAfterMs, load1Before, load1After: Math.round(loadavg()[0] * 100) / 100 };
        console.error(JSON.stringify(row));
        rows.push(row);
      } finally {
        child.kill();
      }
    }
  console.log(JSON.stringify({ bench: 'huge-request', characters: huge.length, results: rows }));
}
