/**
 * A load loop for requests the server answers with `Connection: close` (a body over the limit, a body
 * that is not JSON: Fastify closes because the client may still be sending). autocannon's client writes
 * its next request into the closing socket and counts the reset as an error, although the answer was a
 * correct 4xx; node's http client reads the answer first (checked: 320 of 320 oversized posts got their
 * 413). Same figures as autocannon reports, for the soak's table.
 */
import http from 'node:http';

export interface CloseLoadResult {
  requests: { total: number; average: number };
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number; max: number };
}

interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export async function closeLoad(url: string, req: Request, connections: number, seconds: number, timeoutMs = 30_000): Promise<CloseLoadResult> {
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let errors = 0;
  let timeouts = 0;
  const end = Date.now() + seconds * 1000;
  const body = Buffer.from(req.body);
  const one = () =>
    new Promise<void>((done) => {
      const t0 = performance.now();
      const r = http.request(new URL(req.path, url), { method: req.method, headers: { ...req.headers, 'content-length': body.length }, timeout: timeoutMs }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          statuses[res.statusCode!] = (statuses[res.statusCode!] ?? 0) + 1;
          done();
        });
      });
      r.on('timeout', () => (timeouts++, r.destroy()));
      r.on('error', () => (errors++, done()));
      r.end(body);
    });
  const worker = async () => {
    while (Date.now() < end) await one();
  };
  await Promise.all(Array.from({ length: connections }, worker));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    requests: { total: latencies.length, average: latencies.length / seconds },
    statuses,
    errors,
    timeouts,
    latency: { p50: at(0.5), p99: at(0.99), max: Math.round(latencies.at(-1) ?? 0) },
  };
}
