import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { HttpError } from './errors.js';

/**
 * 405 Method Not Allowed with `Allow` for a known path asked with another method (Fastify's router only
 * knows 404). Call before the routes are registered: it records each route's methods as it is added
 * (HEAD included, which Fastify adds to GET routes), and answers a plugin to register after them, which
 * adds for each path one hidden route with every other method Fastify supports. That route answers in
 * `onRequest`, before the body is read, so a wrong method is a 405 whatever the body is.
 */
export function methodNotAllowed(app: FastifyInstance): FastifyPluginAsync {
  const methodsByUrl = new Map<string, Set<string>>();
  let sealed = false;
  app.addHook('onRoute', (route) => {
    if (sealed) return;
    const known = methodsByUrl.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) known.add(method);
    methodsByUrl.set(route.url, known);
  });

  return async (scope) => {
    sealed = true;
    for (const [url, known] of methodsByUrl) {
      if (url === '*' || url === '/*') continue; // a catch-all is the 404 handler's business
      const allowed = scope.supportedMethods.filter((m) => known.has(m));
      const others = scope.supportedMethods.filter((m) => !known.has(m));
      if (others.length === 0) continue;
      const allow = allowed.join(', ');
      scope.route({
        method: others,
        url,
        exposeHeadRoute: false,
        schema: { hide: true },
        onRequest: async (request) => {
          throw new HttpError(405, 'method_not_allowed', `${request.method} is not allowed on ${url}; use ${allowed.join(' or ')}`, {
            Allow: allow,
          });
        },
        handler: async () => {
          throw new Error('unreachable: onRequest answers 405');
        },
      });
    }
  };
}
