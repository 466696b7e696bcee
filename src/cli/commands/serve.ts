/**
 * `entrel serve`: the HTTP service (src/server) with a model loaded once: POST /v1/extract, GET /v1/model,
 * GET /health, /openapi.json and the web view at /. Runs until SIGINT or SIGTERM, then stops accepting
 * connections, finishes the requests in flight and exits 0.
 */
import { Command, InvalidArgumentError } from 'commander';

interface ServeFlags {
  model?: string;
  port: number;
  host: string;
}

const port = (v: string) => {
  const x = Number(v);
  if (!/^\d+$/.test(v.trim()) || x > 65535) throw new InvalidArgumentError('expected a port number 0–65535 (0 = any free port)');
  return x;
};

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve extraction over HTTP (POST /v1/extract, GET /v1/model, GET /health, OpenAPI at /openapi.json, web view at /)')
    .option('--model <dir>', 'a trained model directory (default: the bundled CoNLL04 model)')
    .option('--port <n>', 'TCP port (0 = any free port)', port, 8080)
    .option('--host <address>', 'interface to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .action(async (flags: ServeFlags) => {
      const { Extractor } = await import('../../extract/extractor.js');
      const { startServer } = await import('../../server/index.js');
      const extractor = await Extractor.load(flags.model);
      const { app, url } = await startServer(extractor, { host: flags.host, port: flags.port });
      const info = extractor.info();
      process.stderr.write(`entrel: serving ${info.name} ${info.version} on ${url} (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`entrel: ${signal}, shutting down\n`);
          app.close().then(() => resolve(), () => resolve());
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
