import type { FastifyInstance } from 'fastify';
import { described, UserError } from '../errors.js';
import type { ExtractorLike } from '../extract/types.js';
import { buildServer } from './app.js';
import { resolveServerOptions, type ServerOptions } from './options.js';

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
  const { host = '127.0.0.1', port = 8080, ...rest } = options ?? {};
  // Node's own errors for these name neither the option nor the value.
  if (typeof host !== 'string' || host === '') throw new UserError(`must be an interface address or host name, got ${described(host)}`, { field: 'host' });
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new UserError(`must be a port number 0–65535 (0 = any free port), got ${described(port)}`, { field: 'port' });
  resolveServerOptions(rest); // checked before the warm-up, which may take seconds: buildServer takes them again
  await extractor.warmUp?.(); // GloVe table and worker threads before the first request
  const app = buildServer(extractor, rest);
  let url: string;
  try {
    url = await app.listen({ host, port });
  } catch (e) {
    await app.close();
    const why = LISTEN_ERRORS[(e as NodeJS.ErrnoException)?.code ?? ''];
    if (why) throw new UserError(`cannot listen on ${hostPort(host, port)}: ${why}`);
    throw e;
  }
  return { app, url };
}

/** Why `listen` failed, for the errors the user fixes with another --port or --host. */
const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use (choose another --port, or 0 for any free port)',
  EACCES: 'permission denied (ports below 1024 need privileges; choose another --port)',
  EADDRNOTAVAIL: 'the address is not an interface of this machine (check --host)',
  ENOTFOUND: 'unknown host (check --host)',
  EAI_AGAIN: 'the host name could not be resolved (check --host)',
};

/** `host:port`, an IPv6 address bracketed as in a URL (`[::1]:8080`). */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
