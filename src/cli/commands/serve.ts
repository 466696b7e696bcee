/**
 * `entrel serve`: the HTTP service (src/server) with a model loaded once: POST /v1/extract, GET /v1/model,
 * GET /health, /openapi.json and the web view at /. The model runs on worker threads (`--workers`), and
 * each request has a time limit (`--request-timeout`). Runs until SIGINT or SIGTERM, then stops
 * accepting connections, finishes the requests in flight, ends the workers and exits 0.
 */
import { Command, InvalidArgumentError } from 'commander';
import { nonNegativeInteger, positiveInteger, repeated } from './arg-values.js';
import { loadExtractor } from '../load-extractor.js';

interface ServeFlags {
  model?: string[];
  minVotes?: number;
  port: number;
  host: string;
  workers?: number;
  requestTimeout: number;
  cors?: string[];
  bodyLimit?: number;
  maxTextLength?: number;
  maxTexts?: number;
  log?: boolean;
  compress: boolean;
}

const port = (v: string) => {
  const x = Number(v);
  if (!/^\d+$/.test(v.trim()) || x > 65535) throw new InvalidArgumentError('expected a port number 0–65535 (0 = any free port)');
  return x;
};

const seconds = (v: string) => {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < 0) throw new InvalidArgumentError('expected a number of seconds ≥ 0 (0 = no limit)');
  return x;
};

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve extraction over HTTP (POST /v1/extract, GET /v1/model, GET /health, OpenAPI at /openapi.json, web view at /)')
    .option('--model <dir>', 'a trained model directory (default: the bundled CoNLL04 model); several: an ensemble that votes (repeatable)', repeated)
    .option('--min-votes <k>', 'with several models: how many must extract an item (default: more than half)', positiveInteger)
    .option('--port <n>', 'TCP port (0 = any free port)', port, 8080)
    .option('--host <address>', 'interface to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--workers <n>', 'worker threads running the model (default $ENTREL_WORKERS, else min(2, cores); 0 = the server thread)', nonNegativeInteger)
    .option('--request-timeout <seconds>', 'most time spent on one extraction request, queue included; then 503 "timeout" (0 = no limit)', seconds, 30)
    .option('--cors <origin>', 'let pages of this origin call the API from a browser (repeatable; * = any origin)', repeated)
    .option('--body-limit <bytes>', 'largest request body of POST /v1/extract (default 2 MiB)', positiveInteger)
    .option('--max-text-length <n>', 'longest text, in UTF-16 code units (default 1,000,000)', positiveInteger)
    .option('--max-texts <n>', 'most texts in one request (default 64)', positiveInteger)
    .option('--log', 'log every request (JSON lines on stdout); without it only server faults are logged, on stderr')
    .option('--no-compress', 'answer uncompressed even when the client accepts br or gzip (default: compress answers of 1 KiB or more)')
    .action(async (flags: ServeFlags) => {
      const { startServer } = await import('../../server/index.js');
      const extractor = await loadExtractor(flags);
      try {
        const { app, url } = await startServer(extractor, {
          host: flags.host,
          port: flags.port,
          extractTimeout: flags.requestTimeout * 1000,
          cors: flags.cors,
          bodyLimit: flags.bodyLimit,
          maxTextLength: flags.maxTextLength,
          maxTexts: flags.maxTexts,
          logger: flags.log,
          compress: flags.compress,
        });
        const info = extractor.info();
        const w = extractor.maxWorkers;
        const where = w === 0 ? 'model on the server thread' : `model on ${w} worker thread${w === 1 ? '' : 's'}`;
        // Fastify reports a wildcard address as 127.0.0.1; say that every interface is listening.
        const every = flags.host === '0.0.0.0' || flags.host === '::' ? ` (every interface: ${flags.host})` : '';
        // An ensemble's name lists its models (a version would be one of theirs).
        const what = info.members ? info.name : `${info.name} ${info.version}`;
        process.stderr.write(`entrel: serving ${what} on ${url}${every} (${where}; Ctrl-C to stop)\n`);
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            process.stderr.write(`entrel: ${signal}, shutting down\n`);
            app.close().then(() => resolve(), () => resolve());
          };
          process.once('SIGINT', () => stop('SIGINT'));
          process.once('SIGTERM', () => stop('SIGTERM'));
        });
      } finally {
        await extractor.close();
      }
    });
}
