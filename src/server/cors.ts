import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UserError } from '../errors.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/**
 * What a preflight may ask for: the API's methods, the one header a JSON request needs, the client's own
 * request id (and the key's header).
 */
const ALLOW_METHODS = 'GET, HEAD, POST';
const ALLOW_HEADERS = `Content-Type, ${REQUEST_ID_HEADER}`;
const ALLOW_HEADERS_WITH_KEY = `${ALLOW_HEADERS}, Authorization`;
/**
 * Response headers a page may read: Retry-After (503, 429), the request id (to report a failing request
 * by the id of its log lines), and those of API keys and the rate limit when on.
 */
const EXPOSE_HEADERS = `Retry-After, ${REQUEST_ID_HEADER}`;
const EXPOSE_AUTH = 'WWW-Authenticate';
const EXPOSE_RATE_LIMIT = 'X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset';
const MAX_AGE = '600';

/** Checks `cors` entries: `*` or an exact origin (`https://app.example.com`, no path, no trailing slash). */
function checkCorsOrigins(origins: string[]): Set<string> {
  for (const o of origins) {
    if (o === '*') continue;
    let origin: string | undefined;
    try {
      origin = new URL(o).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== o || origin === 'null') {
      throw new UserError(
        `cors: ${JSON.stringify(o)} is not an origin; give scheme, host and port only, e.g. https://app.example.com or http://localhost:3000 (or * for any)`,
      );
    }
  }
  return new Set(origins);
}

/**
 * CORS for the origins in `origins` (none: no CORS headers at all, as before). A preflight (`OPTIONS` with
 * `Origin` and `Access-Control-Request-Method`) from an allowed origin is answered 204 before routing; any
 * other response to such an origin, errors included, carries `Access-Control-Allow-Origin` so that the
 * page can read the JSON error.
 */
export function registerCors(app: FastifyInstance, origins: string[], access: { apiKeys?: boolean; rateLimit?: boolean } = {}): void {
  if (origins.length === 0) return;
  const allowHeaders = access.apiKeys ? ALLOW_HEADERS_WITH_KEY : ALLOW_HEADERS;
  const exposeHeaders = [EXPOSE_HEADERS, access.apiKeys && EXPOSE_AUTH, access.rateLimit && EXPOSE_RATE_LIMIT].filter(Boolean).join(', ');
  const allowed = checkCorsOrigins(origins);
  const any = allowed.has('*');
  const allowOrigin = (request: FastifyRequest): string | undefined => {
    const origin = request.headers.origin;
    if (typeof origin !== 'string') return undefined;
    if (any) return '*';
    return allowed.has(origin) ? origin : undefined;
  };
  const vary = (reply: FastifyReply) => {
    if (any) return;
    const current = reply.getHeader('vary');
    if (current === undefined) reply.header('Vary', 'Origin');
    else if (!/\borigin\b/i.test(String(current))) reply.header('Vary', `${String(current)}, Origin`);
  };

  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'OPTIONS' || request.headers['access-control-request-method'] === undefined) return;
    const origin = allowOrigin(request);
    // Not ours to allow, or a path no route has: routing answers it (405 on a known path, else 404).
    if (origin === undefined || request.is404) return;
    vary(reply);
    return reply
      .code(204)
      .header('Access-Control-Allow-Origin', origin)
      .header('Access-Control-Allow-Methods', ALLOW_METHODS)
      .header('Access-Control-Allow-Headers', allowHeaders)
      .header('Access-Control-Max-Age', MAX_AGE)
      .send();
  });

  app.addHook('onSend', async (request, reply) => {
    vary(reply);
    const origin = allowOrigin(request);
    if (origin === undefined || reply.getHeader('access-control-allow-origin') !== undefined) return;
    reply.header('Access-Control-Allow-Origin', origin);
    reply.header('Access-Control-Expose-Headers', exposeHeaders);
  });
}
