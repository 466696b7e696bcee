import type { FastifyInstance } from 'fastify';
import type { ExtractorLike } from '../extract/types.js';
import { buildServer } from './app.js';
import type { ServerOptions } from './options.js';

export interface ListenOptions extends ServerOptions {
  /** Interface to bind. Default 127.0.0.1: only this machine can connect unless told otherwise. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 8080. */
  port?: number;
}

export interface RunningServer {
  app: FastifyInstance;
  /** Base URL the server listens on, e.g. `http://127.0.0.1:8080`. */
  url: string;
}

export async function startServer(extractor: ExtractorLike, options: ListenOptions = {}): Promise<RunningServer> {
  const { host = '127.0.0.1', port = 8080, ...rest } = options;
  await extractor.warmUp?.(); // GloVe table and worker threads before the first request
  const app = buildServer(extractor, rest);
  const url = await app.listen({ host, port });
  return { app, url };
}
