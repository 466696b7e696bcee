import type { FastifyReply, FastifyRequest } from 'fastify';
import { LogController } from 'fastify';

/** The request log's line for an answer whose connection closed before all of it was sent. */
export const CLOSED_BEFORE_ANSWER = 'the connection closed before the whole answer was sent';

/**
 * Fastify's request log lines, but one: a connection that closes while a streamed (compressed) answer is
 * being sent is noted as the error handler notes one that closed before the stream began (errors.ts), so
 * that the log says the same of the same event. Which of the two paths sees it is a race between the
 * compressor's first chunk and the socket's `close` (the first chunk marks the headers sent even on a
 * socket already destroyed), and Fastify's own line, "stream closed prematurely" with status 200, read as
 * an answer sent.
 */
export class EntrelLogController extends LogController {
  override streamError(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE' || this.isLogDisabled(request)) return super.streamError(error, request, reply, metadata);
    reply.log.info(CLOSED_BEFORE_ANSWER);
  }
}
