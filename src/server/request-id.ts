import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What an incoming X-Request-Id may be to be taken as it is: 1–128 letters, digits and `-_.:/+=@`. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:/+=@-]{1,128}$/;

/**
 * The id of a request: the client's `X-Request-Id` when it is short and made of safe characters (so it
 * can be echoed in a header and written to the log as it is), else a new random UUID. A header sent twice
 * arrives joined with ", " and so is replaced too.
 */
export function requestIdFrom(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Fastify's `genReqId`: request.id, the `reqId` of its log lines and the X-Request-Id of its answer. */
export function genReqId(request: IncomingMessage): string {
  return requestIdFrom(request.headers);
}
