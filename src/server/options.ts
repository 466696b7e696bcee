/** Limits and timeouts of the HTTP service; every field has a default fit for one 2-core machine. */
import { checkOptions, described, UserError } from '../errors.js';
import { allowedHostName } from './host-check.js';

export interface ServerOptions {
  /** Largest request body in bytes (413 above). Default 2 MiB. */
  bodyLimit?: number;
  /**
   * Largest body of POST /v1/render in bytes (413 above). It takes back the documents that /v1/extract
   * answered, which are many times the size of their text (spans, and tokens unless the client drops
   * them, as the web page does), up to the text, entities and relations one drawing may have
   * (`RENDER_LIMITS`). The drawing is made on the server thread, so this stays small. Default 4 MiB.
   */
  renderBodyLimit?: number;
  /** Longest single text in UTF-16 code units (413 above). Default 1,000,000. */
  maxTextLength?: number;
  /** Most texts in one request (400 above). Default 64. */
  maxTexts?: number;
  /** How long the batcher waits for more requests before calling the model, in ms. Default 2. */
  batchWindowMs?: number;
  /** Most texts sent to the model in one `extract` call. Default 64. */
  maxBatchTexts?: number;
  /**
   * Most texts waiting for the model; beyond it requests get 503 with Retry-After. At least `maxTexts`, so
   * that a request of `maxTexts` texts can be queued. Default 1024, or `maxTexts` if that is larger.
   */
  maxQueuedTexts?: number;
  /** Time a client has to send a whole request (headers and body), in ms; then 408. Default 10,000. */
  requestTimeout?: number;
  /**
   * Most time the server works on one extraction request, from its arrival at the model queue to its
   * documents, in ms (`entrel serve --request-timeout` in seconds); then 503 `timeout`, and no further
   * model batch runs for it. 0 = no limit. Default 30,000.
   */
  extractTimeout?: number;
  /** Idle socket timeout in ms (no bytes either way). Default 60,000. */
  connectionTimeout?: number;
  /** How long an idle keep-alive connection stays open, in ms. Default 5,000. */
  keepAliveTimeout?: number;
  /**
   * Most connections open at once (connection-limit.ts): one more is closed as soon as it is accepted,
   * without an answer, and the log says how many were, at most one line each 10 s (level warn, with the
   * request log off too). Each open connection holds a file descriptor: past the process's limit of them
   * (`ulimit -n`, often 1024) accepting fails for every client. 0 = no limit. Default 512.
   */
  maxConnections?: number;
  /**
   * Pass `true` to log every request with Fastify's logger (pino, JSON to stdout). Default off: then only
   * server faults (the 500s whose message says "see the server log") are logged, one JSON line each to
   * `errorLog`.
   */
  logger?: boolean;
  /** Where server faults are logged when `logger` is off. Default `process.stderr`. */
  errorLog?: { write(line: string): unknown };
  /** Where the request log goes when `logger` is on (one JSON line each, with `reqId`). Default `process.stdout`. */
  accessLog?: { write(line: string): unknown };
  /**
   * Compress answers of 1 KiB or more (JSON, HTML) with br or gzip when the request's `Accept-Encoding`
   * allows it. Default on.
   */
  compress?: boolean;
  /**
   * Origins whose pages may call the API from a browser (CORS): exact origins such as
   * `https://app.example.com`, or `*` for any. Preflight `OPTIONS` requests from them get 204 with the
   * route's methods; their requests get `Access-Control-Allow-Origin`. Default none (same origin only).
   */
  cors?: string[];
  /**
   * API keys (each at least 16 characters of `A–Z a–z 0–9 - . _ ~ + /`, `=` at the end). When given, every
   * request except `GET /health`, the web page `GET /`, `/openapi.json` and `OPTIONS` (CORS preflight)
   * needs `Authorization: Bearer <one of them>`, else 401 `unauthorized` with `WWW-Authenticate: Bearer`.
   * Keys are compared in constant time and never logged. Default none (`[]`: no key needed).
   */
  apiKeys?: string[];
  /**
   * Most requests a minute to the `/v1/*` routes per client: per API key when `apiKeys` are set, else per
   * client address (the connection's, or behind a proxy named in `trustProxy` the client's it forwards).
   * Beyond it, 429
   * `rate_limited` with `Retry-After`; every limited answer carries `X-RateLimit-Limit`, `-Remaining` and
   * `-Reset`. 0 = no limit (default).
   */
  rateLimit?: number;
  /**
   * The reverse proxies (a load balancer, nginx) whose `X-Forwarded-For`, `-Proto` and `-Host` the server
   * believes: addresses (`10.0.0.2`, `::1`), ranges (`10.0.0.0/8`, `fd00::/8`) or `loopback`, `linklocal`,
   * `uniquelocal`. A request from one of them counts, for the rate limit and in the request log, as coming
   * from the client address it forwards. Default none: the connection's address, since a client talking
   * to the server directly could write any `X-Forwarded-For`.
   */
  trustProxy?: string[];
  /**
   * Host names (or addresses) the server answers to besides loopback ones (host-check.ts): a server bound to
   * a loopback address answers only requests whose `Host` is `localhost`, `*.localhost`, `127.x.x.x` or
   * `[::1]` (any port) or one of these, others get 421 `misdirected_request` (a web page that points its own
   * name at 127.0.0.1 cannot reach it: DNS rebinding); one bound to another address checks `Host` only when
   * these are given, then the same way. Default none.
   */
  allowedHosts?: string[];
}

export type ResolvedServerOptions = Required<ServerOptions>;

export const defaultServerOptions: ResolvedServerOptions = {
  bodyLimit: 2 * 1024 * 1024,
  renderBodyLimit: 4 * 1024 * 1024,
  maxTextLength: 1_000_000,
  maxTexts: 64,
  batchWindowMs: 2,
  maxBatchTexts: 64,
  maxQueuedTexts: 1024,
  requestTimeout: 10_000,
  extractTimeout: 30_000,
  connectionTimeout: 60_000,
  keepAliveTimeout: 5_000,
  maxConnections: 512,
  logger: false,
  errorLog: process.stderr,
  accessLog: process.stdout,
  compress: true,
  cors: [],
  apiKeys: [],
  rateLimit: 0,
  trustProxy: [],
  allowedHosts: [],
};

/** The options with their defaults, checked: a misspelt name or a value out of range is a UserError naming it. */
export function resolveServerOptions(opts: ServerOptions = {}): ResolvedServerOptions {
  checkOptions(opts, 'serverOptions', Object.keys(defaultServerOptions));
  const defined = Object.fromEntries(Object.entries(opts ?? {}).filter(([, v]) => v !== undefined));
  const resolved = { ...defaultServerOptions, ...defined } as ResolvedServerOptions;
  if (defined.maxQueuedTexts === undefined && typeof resolved.maxTexts === 'number') resolved.maxQueuedTexts = Math.max(resolved.maxQueuedTexts, resolved.maxTexts);
  checkValues(resolved);
  return { ...resolved, allowedHosts: resolved.allowedHosts.map((h, i) => allowedHostName(h, `allowedHosts[${i}]`)) };
}

/** Sizes and counts: a NaN limit would be no limit, a negative one would refuse everything. */
const COUNTS = ['bodyLimit', 'renderBodyLimit', 'maxTextLength', 'maxTexts', 'maxBatchTexts', 'maxQueuedTexts'] as const;
/** Times in ms, 0 allowed (Node's "no limit" for its own timeouts; `extractTimeout`'s too). */
const TIMES = ['batchWindowMs', 'requestTimeout', 'extractTimeout', 'connectionTimeout', 'keepAliveTimeout'] as const;
/** Those Fastify hands to Node's server, which takes whole milliseconds only (Fastify's own error names none). */
const WHOLE_TIMES = ['requestTimeout', 'connectionTimeout', 'keepAliveTimeout'] as const;

function checkValues(o: ResolvedServerOptions): void {
  const fail = (field: string, what: string, v: unknown): never => {
    throw new UserError(`must be ${what}, got ${described(v)}`, { field });
  };
  for (const k of COUNTS) if (!(Number.isSafeInteger(o[k]) && o[k] > 0)) fail(k, 'a positive whole number', o[k]);
  for (const k of TIMES) if (!(typeof o[k] === 'number' && Number.isFinite(o[k]) && o[k] >= 0)) fail(k, 'a number of milliseconds ≥ 0', o[k]);
  for (const k of WHOLE_TIMES) if (!Number.isSafeInteger(o[k])) fail(k, 'a whole number of milliseconds ≥ 0', o[k]);
  if (!(Number.isSafeInteger(o.maxConnections) && o.maxConnections >= 0)) fail('maxConnections', 'a whole number ≥ 0 (0 = no limit)', o.maxConnections);
  for (const k of ['logger', 'compress'] as const) if (typeof o[k] !== 'boolean') fail(k, 'true or false', o[k]);
  for (const k of ['errorLog', 'accessLog'] as const)
    if (typeof (o[k] as { write?: unknown } | null)?.write !== 'function') fail(k, 'a stream (an object with write(line))', o[k]);
  if (!Array.isArray(o.cors) || o.cors.some((c) => typeof c !== 'string')) fail('cors', 'an array of origins (strings)', o.cors);
  if (!Array.isArray(o.allowedHosts)) fail('allowedHosts', 'an array of host names', o.allowedHosts);
  // A request the queue cannot hold would be answered 503 "retry shortly" for ever.
  if (o.maxQueuedTexts < o.maxTexts) fail('maxQueuedTexts', `at least maxTexts (${o.maxTexts}), so that a request of maxTexts texts can be queued`, o.maxQueuedTexts);
}
