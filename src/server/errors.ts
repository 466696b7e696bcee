import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isUserError } from '../errors.js';

/** Every error the service answers is `{error: {code, message}}` with one of these codes. */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'invalid_input'
  | 'batch_too_large'
  | 'text_too_long'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'not_found'
  | 'overloaded'
  | 'timeout'
  | 'internal_error';

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
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HttpError(400, 'invalid_json', `request body is not valid JSON: ${fe.message}`);
  }
  // Other client errors Fastify raises (bad Content-Length, aborted body, …) keep their status.
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) return new HttpError(status, 'invalid_request', fe.message);
  return new HttpError(500, 'internal_error', 'internal server error; see the server log');
}

/** Fastify error handler: log server faults, answer everything as JSON. */
export function makeErrorHandler(bodyLimit: number) {
  return (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const http = classify(err, bodyLimit);
    if (http.code === 'timeout') request.log.warn({ url: request.url }, 'request timed out');
    else if (http.statusCode >= 500 && http.code !== 'overloaded') request.log.error({ err }, 'request failed');
    const body: ErrorBody = { error: { code: http.code, message: http.message } };
    return reply.code(http.statusCode).headers(http.headers).type('application/json').send(body);
  };
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  const body: ErrorBody = { error: { code: 'not_found', message: `no route ${request.method} ${request.url.slice(0, 200)}` } };
  return reply.code(404).type('application/json').send(body);
}
