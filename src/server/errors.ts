// Named imports only: a default import of node:http breaks the published .d.ts for a TypeScript consumer without esModuleInterop (TS1192).
import { maxHeaderSize, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isUserError } from '../errors.js';
import { ClientGone } from './disconnect.js';
import { CLOSED_BEFORE_ANSWER, closedFields } from './log-controller.js';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';

/**
 * Every error the service answers is `{error: {code, message}}` with one of these codes: the one list the
 * `ErrorCode` type and the OpenAPI enum of `error.code` are both made from. Each with its status and meaning.
 */
export const ERROR_CODES = {
  invalid_request: [400, 'the body does not match the route\'s schema, has a forbidden `__proto__` or `constructor.prototype`, or neither/both of `text` and `texts`'],
  invalid_json: [400, 'the body is empty, not valid JSON, or not UTF-8'],
  invalid_input: [400, 'the model rejected the input or options'],
  batch_too_large: [400, 'more texts in one request than the limit'],
  text_too_long: [413, 'a text longer than the limit'],
  body_too_large: [413, 'a body larger than the route\'s limit'],
  drawing_too_large: [413, 'more documents, text, entities or relations in one `/v1/render` request than it draws'],
  unsupported_media_type: [415, 'a body that is not `application/json`, is compressed (`Content-Encoding`), or declares a charset in which it reads otherwise than in UTF-8'],
  not_found: [404, 'no route has this path'],
  method_not_allowed: [405, 'the path exists but not with this method (see `Allow`)'],
  unauthorized: [401, 'the server requires an API key (`Authorization: Bearer <key>`) and none, or a wrong one, was sent; see `WWW-Authenticate`'],
  rate_limited: [429, 'more requests a minute than the server allows this API key or client address; retry after `Retry-After` seconds'],
  malformed_request: [400, 'not valid HTTP/1.1 (bad syntax, no Host, HTTP/2 without upgrade)'],
  invalid_url: [400, 'a URL path that is not valid percent-encoding'],
  headers_too_large: [431, 'request headers larger than the limit'],
  misdirected_request: [421, 'a `Host` the server does not answer to: a server on a loopback address answers requests for `localhost` (and the names the operator allows with `--allowed-host`) only, against DNS rebinding'],
  request_timeout: [408, 'the request was not received in full in time'],
  expectation_failed: [417, 'an `Expect` other than `100-continue`'],
  overloaded: [503, 'too much work queued; retry after `Retry-After` seconds'],
  timeout: [503, 'the extraction took longer than the server\'s time limit and was stopped'],
  shutting_down: [503, 'the server is shutting down; retry on another connection'],
  internal_error: [500, 'a fault of the server; see its log'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes answered with `status`, in the order of ERROR_CODES. */
export function errorCodesWithStatus(...statuses: number[]): ErrorCode[] {
  return (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => statuses.includes(ERROR_CODES[c][0]));
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** An error with the HTTP status and code it should be answered with. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** At most `max` characters of something the client sent, for quoting it in a message. */
export function clip(s: string, max = 100): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function classify(err: FastifyError | Error, bodyLimit: number): HttpError {
  if (err instanceof HttpError) return err;
  if (isUserError(err)) return new HttpError(400, 'invalid_input', err.message);
  const fe = err as FastifyError;
  if (fe.validation) return new HttpError(400, 'invalid_request', fe.message);
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(413, 'body_too_large', `request body is larger than the limit of ${bodyLimit} bytes`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError(400, 'invalid_json', 'request body is empty; send a JSON object');
  }
  // Other client errors Fastify raises (bad Content-Length, aborted body, …) keep their status.
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) return new HttpError(status, 'invalid_request', fe.message);
  return new HttpError(500, 'internal_error', 'internal server error; see the server log');
}

/** Fastify error handler: log server faults, answer everything as JSON. */
export function makeErrorHandler(bodyLimit: number) {
  return (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    // No one to answer (nothing is written to the closed connection; 499 is nginx's "client closed
    // request"), and not a fault: a line in the request log only.
    if (err instanceof ClientGone) {
      request.log.info(closedFields(reply), 'client closed the connection before the answer; its work was dropped');
      return reply.code(499).send();
    }
    // The answer's stream (compressed) cut short because the connection closed before its first byte was
    // sent: the client went away, or its connection sat idle past the idle timeout. (Closed later, the
    // log controller notes it, in the same words.)
    if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' && (reply.raw.destroyed || request.raw.socket?.destroyed)) {
      request.log.info(closedFields(reply), CLOSED_BEFORE_ANSWER);
      return reply.code(499).send();
    }
    // A route may have its own body limit (/v1/render); the 413 names the one that applied.
    const http = classify(err, request.routeOptions?.bodyLimit ?? bodyLimit);
    if (http.code === 'timeout') request.log.warn({ url: request.url }, 'request timed out');
    else if (http.statusCode >= 500 && http.code !== 'overloaded' && http.code !== 'shutting_down') {
      request.log.error({ err }, 'request failed');
    }
    const body: ErrorBody = { error: { code: http.code, message: http.message } };
    return reply.code(http.statusCode).headers(http.headers).type('application/json').send(body);
  };
}

/**
 * Fastify's `frameworkErrors`: errors its router raises before any route or hook runs (a URL that is not
 * valid percent-encoding, a path parameter over `maxParamLength`, …), which it would otherwise answer with
 * its own body. They go to the error handler like any other.
 */
export function makeFrameworkErrorHandler(bodyLimit: number) {
  const handle = makeErrorHandler(bodyLimit);
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    // No onSend hooks run here: set what they would.
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header(REQUEST_ID_HEADER, request.id);
    const path = request.raw.url ?? '';
    if (err.code === 'FST_ERR_BAD_URL') {
      return handle(new HttpError(400, 'invalid_url', `the URL path has invalid percent-encoding: ${clip(path, 200)}`), request, reply);
    }
    return handle(err, request, reply);
  };
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  const body: ErrorBody = { error: { code: 'not_found', message: `no route ${request.method} ${request.url.slice(0, 200)}` } };
  return reply.code(404).type('application/json').send(body);
}

/** A whole HTTP/1.1 response carrying an error, for the places below Fastify that only have a socket. */
function rawErrorResponse(status: number, code: ErrorCode, message: string, requestId: string, headers: Record<string, string> = {}): string {
  const body = JSON.stringify({ error: { code, message } } satisfies ErrorBody);
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'X-Content-Type-Options: nosniff\r\n' +
    `${REQUEST_ID_HEADER}: ${requestId}\r\n` +
    Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') +
    'Connection: close\r\n\r\n' +
    body
  );
}

/**
 * Node's `connect` event: a CONNECT request (a proxy's method), which Node answers by closing the
 * connection without a byte when no one listens. Answered as any method a path does not take: 405 JSON.
 */
export function connectHandler(request: IncomingMessage, socket: Duplex): void {
  socket.on('error', () => {}); // a client gone before the answer: nothing to tell
  const message = 'CONNECT is not allowed: this server is no proxy; use GET, HEAD or POST on its paths';
  socket.end(rawErrorResponse(405, 'method_not_allowed', message, requestIdFrom(request.headers), { Allow: 'GET, HEAD, POST' }), () => socket.destroy());
}

interface ParserError extends Error {
  code?: string;
  /** llhttp's description, e.g. "Invalid method encountered". */
  reason?: string;
}

function classifyClientError(err: ParserError, pending: ServerResponse | undefined, requestTimeout: number): HttpError {
  const code = err.code ?? '';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new HttpError(408, 'request_timeout', `the request was not received in full within ${requestTimeout / 1000} s`);
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new HttpError(431, 'headers_too_large', `request headers are larger than the limit of ${maxHeaderSize} bytes`);
  }
  if (code === 'HPE_PAUSED_H2_UPGRADE') {
    return new HttpError(400, 'malformed_request', 'malformed HTTP request: HTTP/2 without an upgrade is not supported; use HTTP/1.1');
  }
  const reason = err.reason ?? err.message.replace(/^Parse Error: /, '');
  let message = `malformed HTTP request: ${reason}${code ? ` (${code})` : ''}`;
  // What follows a request's body is parsed as the next request: a Content-Length shorter than the body
  // shows up as a bad method (or data after `Connection: close`) while that request is being answered.
  if ((code === 'HPE_INVALID_METHOD' || code === 'HPE_CLOSED_CONNECTION') && pending) {
    message += '; these bytes follow the previous request on the connection: is its Content-Length shorter than its body?';
  }
  return new HttpError(400, 'malformed_request', message);
}

/**
 * Fastify's `clientErrorHandler`: Node's HTTP parser rejected what came on a connection (not HTTP, a bad
 * header or chunk, headers too large, too slow to arrive). There is no request to answer, only a socket:
 * write the error response on it, as Node's own handler would, and close it.
 */
export function makeClientErrorHandler(requestTimeout: number) {
  return function clientErrorHandler(this: FastifyInstance, err: ParserError, socket: Socket) {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    // The response to an earlier request on this connection, if one is under way (Node tracks it there).
    const pending = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
    const answer = classifyClientError(err, pending, requestTimeout);
    // No request could be read, so no X-Request-Id either: a new id ties the answer to the log line.
    const reqId = requestIdFrom({});
    this.log.trace({ err, reqId }, 'client error');
    // Once a response has begun on this socket another one cannot be written into it.
    if (socket.writable && !pending?.headersSent) {
      socket.write(rawErrorResponse(answer.statusCode, answer.code, answer.message, reqId));
    }
    socket.destroy();
  };
}

/**
 * Node answers an `Expect` header other than `100-continue` with an empty 417 unless the server listens to
 * `checkExpectation`: answer it in the documented shape instead.
 */
export function expectationFailedHandler(request: IncomingMessage, response: ServerResponse): void {
  const expect = String(request.headers.expect ?? '');
  const body: ErrorBody = {
    error: { code: 'expectation_failed', message: `Expect: ${JSON.stringify(clip(expect))} is not supported; only 100-continue is` },
  };
  const payload = JSON.stringify(body);
  response.shouldKeepAlive = false;
  response.writeHead(417, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    'X-Content-Type-Options': 'nosniff',
    [REQUEST_ID_HEADER]: requestIdFrom(request.headers),
  });
  response.end(payload);
}
