import type { Socket } from 'node:net';
import { constants as zlibConstants } from 'node:zlib';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ExtractorLike } from '../extract/types.js';
import { ApiKeyRing, checkAccessOptions, registerAccess, registerRateLimit } from './access.js';
import { MicroBatcher } from './batcher.js';
import { limitConnections } from './connection-limit.js';
import { registerCors } from './cors.js';
import {
  HttpError,
  clip,
  connectHandler,
  expectationFailedHandler,
  makeClientErrorHandler,
  makeErrorHandler,
  makeFrameworkErrorHandler,
  notFoundHandler,
} from './errors.js';
import { hostCheck } from './host-check.js';
import { registerJsonParser } from './json-body.js';
import { EntrelLogController } from './log-controller.js';
import { methodNotAllowed } from './methods.js';
import { resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from './options.js';
import { registerExtractRoute } from './routes/extract.js';
import { registerMetaRoutes } from './routes/meta.js';
import { registerWebRoutes } from './routes/web.js';
import { registerLabelStudioRoutes } from './routes/labelstudio.js';
import { REQUEST_ID_HEADER, genReqId } from './request-id.js';
import { apiDescription, apiKeysDescription, documentSchema, errorResponses, errorSchema } from './schemas.js';
import { formatValidationErrors } from './validation.js';

/**
 * Whether a request's Host is one to answer (host-check.ts): decided by the address the server is bound to,
 * known once it listens (until then, as under `inject`, only `allowedHosts` are checked).
 */
function boundHostCheck(app: FastifyInstance, allowedHosts: readonly string[]): (host: string) => boolean {
  let check: ((host: string) => boolean) | undefined;
  let known = false;
  return (host) => {
    if (!known) {
      const address = app.server.address();
      known = address !== null;
      check = hostCheck(typeof address === 'object' && address !== null ? address.address : undefined, allowedHosts);
    }
    return check === undefined || check(host);
  };
}

/** Answers smaller than this many bytes are sent uncompressed (with their Content-Length). */
const COMPRESS_THRESHOLD = 1024;

/** Fastify's options from ours: limits, timeouts, logging and every error in our JSON shape. */
function fastifyOptions(opts: ResolvedServerOptions) {
  return {
    // Off means no request log, but the faults a 500 tells the client to look for in "the server log".
    logger: opts.logger ? { level: 'info', stream: opts.accessLog } : { level: 'error', stream: opts.errorLog },
    // request.id (the `reqId` of every log line) is the client's X-Request-Id if it is safe, else a UUID.
    genReqId,
    logController: new EntrelLogController(),
    requestIdHeader: false as const,
    bodyLimit: opts.bodyLimit,
    requestTimeout: opts.requestTimeout,
    connectionTimeout: opts.connectionTimeout,
    keepAliveTimeout: opts.keepAliveTimeout,
    // Node checks request timeouts on this interval (default 30 s): make it fine enough to honour them.
    // It enforces requestTimeout on a trickled body only if headersTimeout is no longer (Node 20).
    // requestTimeout here too: Node compares headersTimeout with the one it is created with (Fastify sets
    // its own only afterwards), so one above Node's default of 5 minutes was a RangeError.
    http: {
      connectionsCheckingInterval: Math.min(1000, Math.max(50, opts.requestTimeout / 4)),
      requestTimeout: opts.requestTimeout,
      headersTimeout: opts.requestTimeout,
      // Node answers a missing Host with an empty 400; the onRequest hook answers it as JSON.
      requireHostHeader: false,
    },
    forceCloseConnections: 'idle' as const,
    // request.ip (the rate limit's client, the log's remoteAddress) is then the address the proxy forwards.
    trustProxy: opts.trustProxy.length > 0 ? opts.trustProxy : false,
    // Reject what the schema does not say instead of silently coercing or dropping it. `verbose` gives
    // the validation messages the schema around an error (to list the allowed properties).
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, verbose: true } },
    schemaErrorFormatter: formatValidationErrors,
    // Every answer Fastify or Node would give in their own shape goes through ours instead: parser
    // errors on the socket, router errors, and requests that arrive while the server closes.
    clientErrorHandler: makeClientErrorHandler(opts.requestTimeout),
    frameworkErrors: makeFrameworkErrorHandler(opts.bodyLimit),
    return503OnClosing: false,
  };
}

/** /openapi.json: the routes' schemas, the error answers, and the key schemes when keys are required. */
function registerOpenApi(app: FastifyInstance, extractor: ExtractorLike, opts: ResolvedServerOptions): void {
  app.addSchema(errorSchema);
  app.addSchema(documentSchema);
  void app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'entrel',
        version: extractor.info().version,
        description: apiDescription,
      },
      components: {
        responses: errorResponses,
        ...(opts.apiKeys.length > 0 && {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', description: apiKeysDescription },
            basicAuth: { type: 'http', scheme: 'basic', description: "Label Studio's ML backend routes only: any user name, an API key as the password." },
          },
        }),
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
}

/**
 * The hooks every request passes: the headers every answer carries, a closing server's 503 and its idle
 * connections closed, a missing Host's 400 and a foreign Host's 421.
 */
function registerRequestHooks(app: FastifyInstance, opts: ResolvedServerOptions): void {
  let closing = false;
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  // A connection whose last request is answered while the server closes is closed at once, so that
  // close() does not wait for the client's keep-alive to time out. One with a request already sent
  // behind it (pipelined) is not idle: that request is answered 503 `shutting_down` (below).
  app.addHook('onResponse', (_request, _reply, done) => {
    if (closing) setImmediate(() => app.server.closeIdleConnections());
    done();
  });
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  const hostAllowed = boundHostCheck(app, opts.allowedHosts);
  app.addHook('onRequest', (request, _reply, done) => {
    const host = request.headers.host;
    // Fastify marks these responses `Connection: close`, so the client's next try opens a new connection.
    if (closing) done(new HttpError(503, 'shutting_down', 'the server is shutting down; retry on another connection'));
    else if (request.raw.httpVersion === '1.1' && host === undefined) {
      done(new HttpError(400, 'malformed_request', 'malformed HTTP request: an HTTP/1.1 request must have a Host header'));
    } else if (host !== undefined && !hostAllowed(host)) {
      const names = opts.allowedHosts.length > 0 ? `, ${clip(opts.allowedHosts.join(', '), 200)}` : '';
      done(
        new HttpError(
          421,
          'misdirected_request',
          `Host ${JSON.stringify(clip(host))} is not a name this server answers to (localhost, 127.0.0.1, [::1]${names}): a page may have pointed its own name at this server (DNS rebinding); the operator can allow a name with --allowed-host`,
        ),
      );
    } else done();
  });
}

/** How long a connection with no request being answered is given, once the server closes, to send one. */
const SILENT_GRACE_MS = 100;

/**
 * Connections with no request being answered are closed when the server closes, SILENT_GRACE_MS after it
 * begins (a request whose head comes before then is answered 503 `shutting_down`): one that has sent
 * nothing (a browser's speculative preconnect), or only part of a request's head (a slow or stalled client).
 * Node's closeIdleConnections skips them (a connection counts as a request begun, for the headers timeout),
 * and server.close() stops that timeout's checks: one such connection held the close for connectionTimeout
 * (60 s), past `docker stop`'s grace and into a SIGKILL. Requests in flight, their head read, are not
 * touched (a body still coming in has the request timeout).
 */
function closeSilentConnections(app: FastifyInstance): void {
  const open = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  // Node attaches the response to its socket as soon as a request's head is read (`_httpMessage`), and
  // detaches it once answered. After the timer, setImmediate waits for a poll of the sockets, so that a
  // head which came in while the event loop was busy is read before its connection is judged.
  const closeSilent = () => {
    for (const socket of open) if (!(socket as Socket & { _httpMessage?: unknown })._httpMessage) socket.destroy();
  };
  app.addHook('preClose', (done) => {
    setTimeout(() => setImmediate(closeSilent), SILENT_GRACE_MS).unref();
    done();
  });
}

/**
 * Answers of COMPRESS_THRESHOLD bytes and more in Brotli or gzip. Registered before the routes: it adds its
 * onSend hook to each route as the route is added. Answers under the threshold keep their Content-Length
 * and no Content-Encoding; bigger ones are compressed on the request thread up to a few KiB, beyond that
 * on libuv's thread pool (streamed, chunked).
 */
function registerCompression(app: FastifyInstance): void {
  void app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: COMPRESS_THRESHOLD,
    // Brotli's default quality (11) takes seconds on a large answer; 4 is about gzip's speed, smaller.
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
    // Only answers: request bodies are still read as sent (nothing inflated behind bodyLimit's back).
    globalDecompression: false,
  });
}

/**
 * The HTTP service around one loaded model. Nothing here touches the file system: the extractor comes
 * in loaded, and no route takes a path.
 */
export function buildServer(extractor: ExtractorLike, options: ServerOptions = {}): FastifyInstance {
  const opts = resolveServerOptions(options);
  checkAccessOptions(opts); // before Fastify reads trustProxy, whose own error would not name the option
  const app = Fastify(fastifyOptions(opts));
  app.server.on('checkExpectation', expectationFailedHandler);
  app.server.on('connect', connectHandler);
  limitConnections(app, opts.maxConnections);
  closeSilentConnections(app);
  registerOpenApi(app, extractor, opts);

  // Only JSON bodies, in UTF-8: drop Fastify's built-in text/plain parser so other types get 415.
  app.removeContentTypeParser('text/plain');
  registerJsonParser(app);
  app.setErrorHandler(makeErrorHandler(opts.bodyLimit));
  app.setNotFoundHandler(notFoundHandler);
  registerRequestHooks(app, opts);
  registerCors(app, opts.cors, { apiKeys: opts.apiKeys.length > 0, rateLimit: opts.rateLimit > 0 });
  // After the hooks above (a closing server's 503, a missing Host's 400 and CORS preflights come first).
  const keys = new ApiKeyRing(opts.apiKeys);
  registerAccess(app, opts, keys);
  const methodNotAllowedRoutes = methodNotAllowed(app);

  // One model call per worker thread of the extractor at a time, each bounded by extractTimeout.
  const batcher = new MicroBatcher((texts, o, control) => extractor.extract(texts, o, control), {
    windowMs: opts.batchWindowMs,
    maxBatchTexts: opts.maxBatchTexts,
    maxQueuedTexts: opts.maxQueuedTexts,
    maxConcurrent: extractor.parallelism ?? 1,
    timeoutMs: opts.extractTimeout,
  });
  if (opts.compress) registerCompression(app);
  // Routes go in a plugin registered after swagger, so swagger's onRoute hook sees each of them.
  void app.register(async (scope) => {
    await registerRateLimit(scope, opts, keys);
    registerExtractRoute(scope, batcher, opts, extractor.info());
    registerMetaRoutes(scope, extractor);
    registerWebRoutes(scope, extractor, opts);
    registerLabelStudioRoutes(scope, batcher, opts, extractor.info());
  });
  // After all routes: a known path with another method answers 405 with Allow.
  void app.register(methodNotAllowedRoutes);
  return app;
}
