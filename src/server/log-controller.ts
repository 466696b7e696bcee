import type { FastifyReply, FastifyRequest } from 'fastify';
import { LogController } from 'fastify';

/** The request log's line for an answer whose connection closed before all of it was sent. */
export const CLOSED_BEFORE_ANSWER = 'the connection closed before the whole answer was sent';

/**
 * The fields of a request log line for a request whose client is gone before its answer: 499 (nginx's
 * "client closed request"), so that one who counts the log's statuses counts it, and the time it took.
 */
export function closedFields(reply: FastifyReply): { res: { statusCode: number }; responseTime: number } {
  return { res: { statusCode: 499 }, responseTime: reply.elapsedTime };
}

/**
 * Fastify's request log lines, but for a connection that closes while the answer is being sent, noted as
 * the error handler notes one that closed before the answer began (errors.ts), so that the log says the same
 * of the same event:
 * - a streamed (compressed) answer cut short: which path sees it is a race between the compressor's first
 *   chunk and the socket's `close` (the first chunk marks the headers sent even on a socket already
 *   destroyed), and Fastify's own line, "stream closed prematurely" with status 200, read as an answer sent;
 * - an uncompressed answer cut short: Node emits `finish` on a response whose socket was destroyed without
 *   an error, and Fastify's line was "request completed" with status 200. A socket is not yet destroyed when
 *   an answer it delivered in full finishes, `Connection: close` or not: it is closed only after that.
 */
export class EntrelLogController extends LogController {
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    if (error || !request.raw.socket?.destroyed || this.isLogDisabled(request)) return super.requestCompleted(error, request, reply, metadata);
    reply.log.info(closedFields(reply), CLOSED_BEFORE_ANSWER);
  }

  override streamError(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    // A premature close with the connection still open (a payload stream destroyed) is Fastify's to note.
    const closed = error.code === 'ERR_STREAM_PREMATURE_CLOSE' && request.raw.socket?.destroyed;
    if (!closed || this.isLogDisabled(request)) return super.streamError(error, request, reply, metadata);
    reply.log.info(closedFields(reply), CLOSED_BEFORE_ANSWER);
  }
}
