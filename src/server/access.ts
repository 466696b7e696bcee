/**
 * Who may call the service, and how often: API keys (@fastify/bearer-auth) and a rate limit
 * (@fastify/rate-limit), both off unless configured. Their errors are answered by the service's error
 * handler, so they have its shape (`{"error": {"code", "message"}}`), request id and CORS headers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import bearerAuth from '@fastify/bearer-auth';
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { UserError } from '../errors.js';
import { HttpError } from './errors.js';
import type { ResolvedServerOptions } from './options.js';
import { LABEL_STUDIO_HEALTH, LABEL_STUDIO_PREFIX } from './routes/labelstudio.js';
import { authErrors, labelStudioAuthErrors, rateLimitErrors } from './schemas.js';

/**
 * The routes anyone may call when the server requires API keys: the load balancer's health check, the web
 * page (which asks for the key itself; its scripts and styles are inline, so it has no other assets) and
 * the API description. Everything else needs a key, paths no route has included (they answer 401, not
 * 404, to a request without one): a route added later is protected unless it is listed here.
 */
const OPEN_ROUTES: ReadonlySet<string> = new Set(['/', '/health', '/openapi.json']);

const MIN_API_KEY_LENGTH = 16;

/** RFC 6750's token68, the characters a Bearer credential may have: a key with others could not be sent. */
const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*$/;

/** Why `key` cannot be an API key, or undefined if it can. Never quotes the key. */
export function apiKeyProblem(key: string): string | undefined {
  if (key.length < MIN_API_KEY_LENGTH) {
    return `an API key must have at least ${MIN_API_KEY_LENGTH} characters; this one has ${key.length}`;
  }
  if (!TOKEN68.test(key)) {
    return 'an API key may only have the characters A-Z a-z 0-9 - . _ ~ + / (and = at the end), as a Bearer token';
  }
  return undefined;
}

/**
 * The keys of an API key file's text: one a line, surrounding white space dropped, blank lines and lines
 * starting with `#` skipped. A bad key or no key at all is a UserError naming the file (and line).
 */
export function parseApiKeyFile(text: string, file: string): string[] {
  const keys: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const problem = apiKeyProblem(line);
    if (problem) throw new UserError(problem, { file, line: i + 1 });
    keys.push(line);
  });
  if (keys.length === 0) throw new UserError('no API key in the file (one a line; blank lines and # comments are skipped)', { file });
  return keys;
}

/** The keys of a comma-separated list (`ENTREL_API_KEYS`), `name` naming it in errors; empty entries skipped. */
export function parseApiKeyList(value: string, name: string): string[] {
  if (value.trim() === '') throw new UserError(`${name} is empty (an unset shell variable?); unset it to serve without API keys`);
  const keys = value.split(',').map((k) => k.trim()).filter((k) => k !== '');
  if (keys.length === 0) throw new UserError(`${name} has no API key (comma-separated keys expected)`);
  keys.forEach((k, i) => {
    const problem = apiKeyProblem(k);
    if (problem) throw new UserError(`${name}: key ${i + 1}: ${problem}`);
  });
  return keys;
}

/** The names proxy-addr (Fastify's `trustProxy`) gives to the private and loopback ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Why `entry` cannot name trusted proxies (an address, `address/prefix`, or a range name), or undefined if it can. */
export function trustedProxyProblem(entry: string): string | undefined {
  if (PROXY_RANGE_NAMES.has(entry)) return undefined;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return `${JSON.stringify(entry)} is not an IP address, an address/prefix range or one of ${[...PROXY_RANGE_NAMES].join(', ')}`;
  if (prefix === undefined) return undefined;
  const bits = family === 4 ? 32 : 128;
  // proxy-addr (Fastify's trustProxy) refuses a prefix of 0 with a TypeError of its own: /0 would trust
  // every address, so that any client could write the X-Forwarded-For the rate limit believes.
  if (!/^\d+$/.test(prefix) || Number(prefix) < 1 || Number(prefix) > bits)
    return `${JSON.stringify(entry)}: the prefix length of an IPv${family} range must be a whole number from 1 to ${bits}`;
  return undefined;
}

/** A list of API keys, checked: UserErrors naming `apiKeys[i]` (never quoting a key). */
function checkApiKeys(keys: unknown): asserts keys is string[] {
  if (!Array.isArray(keys)) throw new UserError('apiKeys: must be an array of strings');
  keys.forEach((k: unknown, i) => {
    if (typeof k !== 'string') throw new UserError(`apiKeys[${i}]: must be a string`);
    const problem = apiKeyProblem(k);
    if (problem) throw new UserError(`apiKeys[${i}]: ${problem}`);
  });
}

/** `apiKeys`, `rateLimit` and `trustProxy` of ServerOptions, checked: UserErrors naming the option (never a key). */
export function checkAccessOptions(opts: Pick<ResolvedServerOptions, 'apiKeys' | 'rateLimit' | 'trustProxy'>): void {
  checkApiKeys(opts.apiKeys);
  if (!Number.isSafeInteger(opts.rateLimit) || opts.rateLimit < 0) {
    throw new UserError(`rateLimit: must be a whole number of requests a minute ≥ 0 (0 = no limit), got ${String(opts.rateLimit)}`);
  }
  if (!Array.isArray(opts.trustProxy)) throw new UserError('trustProxy: must be an array of strings');
  opts.trustProxy.forEach((entry: unknown, i) => {
    const problem = typeof entry === 'string' ? trustedProxyProblem(entry) : 'must be a string';
    if (problem) throw new UserError(`trustProxy[${i}]: ${problem}`);
  });
}

const isOpen = (request: FastifyRequest): boolean =>
  // A CORS preflight never carries credentials (the browser sends them on the request that follows).
  request.method === 'OPTIONS' || OPEN_ROUTES.has(request.routeOptions.url ?? '');

/** The Bearer credential of an authenticated request (as @fastify/bearer-auth reads it). */
const bearerToken = (request: FastifyRequest): string => (request.headers.authorization ?? '').slice('Bearer '.length).trim();

/**
 * Label Studio's ML backend connection sends no Bearer token but Basic authentication: on its routes
 * (routes/labelstudio.ts) the key is the password (any user name). Undefined for another request.
 */
function basicPassword(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization ?? '';
  if (!(request.routeOptions.url ?? '').startsWith(`${LABEL_STUDIO_PREFIX}/`) || !/^basic(\s|$)/i.test(auth)) return undefined;
  const decoded = Buffer.from(auth.slice('Basic'.length).trim(), 'base64').toString('utf8');
  // Not `user:password`: no password, which no key is.
  return decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : '';
}

/** The key a request presents: its Bearer token, or on Label Studio's routes its Basic password. */
const credential = (request: FastifyRequest): string => basicPassword(request) ?? bearerToken(request);

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

/** The API keys in force, which `replaceApiKeys` replaces while the server runs. Held as their SHA-256. */
export class ApiKeyRing {
  private digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(sha256);
  }

  get size(): number {
    return this.digests.length;
  }

  replace(keys: readonly string[]): void {
    this.digests = keys.map(sha256);
  }

  /**
   * What the rate limit counts `key` under if it is one of the keys (in time independent of where it
   * differs from them), else undefined: part of its hash, so a key keeps its count when the keys are
   * replaced, and the count's name is not the key.
   */
  idOf(key: string): string | undefined {
    const k = sha256(key);
    let found = false;
    for (const d of this.digests) found = timingSafeEqual(k, d) || found;
    return found ? `key ${k.toString('hex').slice(0, 16)}` : undefined;
  }
}

/** The key ring of each server built with API keys, for `replaceApiKeys`. */
const rings = new WeakMap<FastifyInstance, ApiKeyRing>();

/**
 * Replaces the API keys of a running server (`buildServer` or `startServer` with `apiKeys`): the requests
 * that follow need one of `keys`; a key no longer among them gets 401 at once. A server built without keys
 * cannot be given some, nor one with keys left with none: that changes what it is (its page, its OpenAPI
 * description); restart it. UserErrors name the key (`apiKeys[i]`) or say which.
 */
export function replaceApiKeys(app: FastifyInstance, keys: string[]): void {
  const ring = rings.get(app);
  if (!ring) throw new UserError('apiKeys: this server was started without API keys; keys cannot be required while it runs (restart it with apiKeys)');
  checkApiKeys(keys);
  if (keys.length === 0) throw new UserError('apiKeys: no key given; a server that requires keys cannot drop them while it runs (restart it without apiKeys)');
  ring.replace(keys);
}

/**
 * Before the routes are registered: API keys (if any) on every request but those to OPEN_ROUTES, and the
 * OpenAPI description of what keys and the rate limit add to the protected routes.
 */
export function registerAccess(app: FastifyInstance, opts: ResolvedServerOptions, keys: ApiKeyRing): void {
  const keyed = keys.size > 0;
  const limited = opts.rateLimit > 0;

  // The description says what this server asks: a client made from a keyless server's description sends
  // no key, one made from a keyed server's knows it needs one (`bearerAuth` is only defined with keys).
  if (keyed || limited) {
    app.addHook('onRoute', (route) => {
      if (route.schema?.hide || OPEN_ROUTES.has(route.url)) return;
      const labelStudio = route.url.startsWith(`${LABEL_STUDIO_PREFIX}/`);
      route.schema = {
        ...route.schema,
        ...(keyed && { security: labelStudio ? [{ bearerAuth: [] }, { basicAuth: [] }] : [{ bearerAuth: [] }] }),
        response: {
          ...(route.schema?.response as object),
          ...(keyed && (labelStudio ? labelStudioAuthErrors : authErrors)),
          ...(limited && !LABEL_STUDIO_HEALTH.has(route.url) && rateLimitErrors),
        },
      };
    });
  }
  if (!keyed) return;

  // addHook: false: the plugin only provides `verifyBearerAuth` (it reads the header; `auth` compares the
  // key with the ring's, which replaceApiKeys can change), called below on the protected requests; its
  // errors come to `done`, which answers them in our shape through the error handler. (Its own hook
  // would guard every route of its scope, /health too, and answer with its `errorResponse`, typed
  // `{error: string}`.) rfc6749: the scheme name `Bearer` is
  // matched case-insensitively, as HTTP authentication schemes are (RFC 9110 §11.1). Its log line
  // ("unauthorized: missing authorization header") names no key, and is at info: only with `logger`.
  rings.set(app, keys);
  void app.register(bearerAuth, { keys: [], auth: (key: string) => keys.idOf(key) !== undefined, addHook: false, specCompliance: 'rfc6749', verifyErrorLogLevel: 'info' });
  app.addHook('onRequest', (request, reply, done) => {
    if (isOpen(request)) return done();
    const password = basicPassword(request);
    if (password !== undefined)
      return done(keys.idOf(password) !== undefined ? undefined : new HttpError(401, 'unauthorized', 'the API key (the Basic authentication password) is not valid', { 'WWW-Authenticate': 'Basic realm="entrel"' }));
    const verify = app.verifyBearerAuth;
    if (!verify) return done(new Error('@fastify/bearer-auth is not loaded'));
    verify(request, reply, (err) => done(err && unauthorized(err as FastifyError, request)));
  });
}

/** @fastify/bearer-auth's rejection as our 401, with the RFC 6750 challenge. */
function unauthorized(err: FastifyError, request: FastifyRequest): Error {
  if (err.statusCode !== 401) return err;
  if (err.code === 'FST_BEARER_AUTH_MISSING_AUTHORIZATION_HEADER') {
    return new HttpError(401, 'unauthorized', 'this server requires an API key: send the header "Authorization: Bearer <key>"', {
      'WWW-Authenticate': 'Bearer',
    });
  }
  if (!/^bearer /i.test(request.headers.authorization ?? '')) {
    return new HttpError(401, 'unauthorized', 'the Authorization header must be "Bearer <key>"', { 'WWW-Authenticate': 'Bearer' });
  }
  return new HttpError(401, 'unauthorized', 'the API key is not valid', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
}

/**
 * The rate limit group of POST /v1/render (its route's `config.rateLimit.groupId`): drawings are counted
 * apart from the other requests, so that the web page, which asks for a drawing after each extraction,
 * has the limit's number of extractions a minute, not half of it.
 */
export const DRAWINGS = 'drawings';

const isDrawing = (request: FastifyRequest): boolean => {
  const group = request.routeOptions.config.rateLimit;
  return typeof group === 'object' && group.groupId === DRAWINGS;
};

/**
 * The rate limit on the routes registered after it in `scope` but those in OPEN_ROUTES: `rateLimit`
 * requests a minute per API key when there are keys (the key is checked before, so a request without a
 * valid one is answered 401 and not counted), else per client address; and as many drawings (DRAWINGS).
 */
export async function registerRateLimit(scope: FastifyInstance, opts: ResolvedServerOptions, keys: ApiKeyRing): Promise<void> {
  if (opts.rateLimit <= 0) return;
  const keyed = keys.size > 0;
  await scope.register(rateLimit, {
    max: opts.rateLimit,
    timeWindow: 60_000,
    // Label Studio checks its backend's health around its predictions: as /health, not counted.
    allowList: (request) => OPEN_ROUTES.has(request.routeOptions.url ?? '') || LABEL_STUDIO_HEALTH.has(request.routeOptions.url ?? ''),
    ...(keyed && { keyGenerator: (request: FastifyRequest) => keys.idOf(credential(request)) ?? `address ${request.ip}` }),
    errorResponseBuilder: (request, context) =>
      new HttpError(
        context.statusCode,
        'rate_limited',
        `more than ${context.max} ${isDrawing(request) ? 'drawings (/v1/render)' : 'requests'} a minute from this ${keyed ? 'API key' : 'client address'}; retry in ${Math.max(1, Math.ceil(context.ttl / 1000))} s`,
      ),
  });
}
