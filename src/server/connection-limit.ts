/**
 * The most connections the server holds at once. Each open connection holds a file descriptor, and a
 * process has a fixed number (`ulimit -n`, often 1024): a client that opens thousands of idle connections
 * would use them all, after which accepting fails for every client, /health included. Node closes a
 * connection over the limit as soon as it is accepted (no answer, no descriptor kept), and emits `drop`.
 */
import type { FastifyInstance } from 'fastify';
import { counted } from '../errors.js';

/** How often, at most, the log says how many connections were refused (a flood would otherwise write a line each). */
const DROP_REPORT_INTERVAL_MS = 10_000;

/**
 * Limits `app`'s server to `maxConnections` open connections (0: no limit), and says in the log how many it
 * refused: one line at level `warn` for each `intervalMs` in which some were, written when that time has
 * passed since the first of them (or when the server closes). At `warn` even when the request log is off
 * (the server's other lines are then its faults only): clients are being turned away without an answer,
 * which the operator must hear of to act (raise the limit, or find the client that holds the connections),
 * though the server itself is sound.
 */
export function limitConnections(app: FastifyInstance, maxConnections: number, intervalMs = DROP_REPORT_INTERVAL_MS): void {
  // Node 20 takes 0 as no limit, later versions as "refuse every connection": leave it unset for none.
  if (maxConnections === 0) return;
  app.server.maxConnections = maxConnections;
  const log = app.log.child({}, { level: 'warn' });
  let refused = 0;
  let since = 0;
  let timer: NodeJS.Timeout | undefined;
  const report = () => {
    clearTimeout(timer);
    timer = undefined;
    if (refused === 0) return;
    const seconds = Math.max(1, Math.round((Date.now() - since) / 1000));
    log.warn(
      { refusedConnections: refused, maxConnections, seconds },
      `refused ${counted(refused, 'connection')} in ${seconds} s: the server had ${maxConnections} open, the most it holds (--max-connections); those clients were disconnected without an answer`,
    );
    refused = 0;
  };
  app.server.on('drop', () => {
    if (refused++ === 0) {
      since = Date.now();
      timer = setTimeout(report, intervalMs).unref();
    }
  });
  app.addHook('onClose', (_app, done) => {
    report();
    done();
  });
}
