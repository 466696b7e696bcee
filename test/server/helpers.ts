import assert from 'node:assert/strict';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildServer, startServer, type ServerOptions } from '../../src/server/index.js';
import { FakeExtractor } from './fake-extractor.js';

export function fakeServer(opts: ServerOptions = {}): { app: FastifyInstance; fake: FakeExtractor } {
  const fake = new FakeExtractor();
  return { app: buildServer(fake, opts), fake };
}

/** POST a JSON body (or a raw string with the given content type) through Fastify's inject. */
export async function post(app: FastifyInstance, url: string, body: unknown, contentType = 'application/json') {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });
  return { status: res.statusCode, headers: res.headers, body: res.body, json: () => JSON.parse(res.body) };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: () => any;
}

/**
 * Write raw bytes to the server over TCP and read everything it answers until it closes the connection
 * (send `Connection: close`), for requests `inject` cannot make: malformed HTTP, missing Host, ….
 * Answers every response on the connection, in order.
 */
export function rawRequests(port: number, data: string | (() => AsyncIterable<string>)): Promise<RawResponse[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', async () => {
      if (typeof data === 'string') socket.write(data);
      else for await (const chunk of data()) socket.write(chunk);
    });
    let received = Buffer.alloc(0);
    socket.on('data', (d) => (received = Buffer.concat([received, d])));
    socket.on('error', () => {}); // a reset after the answer is fine; the answer is what is checked
    socket.setTimeout(10_000, () => reject(new Error(`no close after 10 s; got ${JSON.stringify(received.toString())}`)));
    socket.on('close', () => resolve(parseResponses(received.toString('latin1'))));
  });
}

export async function rawRequest(port: number, data: string): Promise<RawResponse> {
  const responses = await rawRequests(port, data);
  assert.ok(responses.length >= 1, 'the server answered something');
  return responses[responses.length - 1];
}

function parseResponses(text: string): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = text;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    assert.ok(end >= 0, `a complete response head in ${JSON.stringify(rest.slice(0, 200))}`);
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    rest = rest.slice(end + 4);
    let body = '';
    if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const eol = rest.indexOf('\r\n');
        const size = parseInt(rest.slice(0, eol), 16);
        rest = rest.slice(eol + 2);
        if (!(size > 0)) {
          rest = rest.slice(2);
          break;
        }
        body += rest.slice(0, size);
        rest = rest.slice(size + 2);
      }
    } else {
      const length = Number(headers['content-length'] ?? 0);
      body = rest.slice(0, length);
      rest = rest.slice(length);
    }
    body = Buffer.from(body, 'latin1').toString('utf8');
    out.push({ status, headers, body, json: () => JSON.parse(body) });
  }
  return out;
}

/**
 * A real server on a free port closes while a request of `fake` (give it a `delayMs`) is in flight, and a
 * second request arrives on the same connection: the raw bytes of the connection's answers, split into
 * the answer to the request in flight and the one to the latecomer (`GET /health`).
 */
export async function answersWhileClosing(fake: FakeExtractor): Promise<{ inFlight: string; late: string; all: string }> {
  const { app, url } = await startServer(fake, { port: 0 });
  const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
  let closing: Promise<void> | undefined;
  try {
    const received = new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('close', () => resolve(data));
      socket.on('error', () => {});
    });
    socket.write('POST /v1/extract HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{"text":"a"}');
    while (fake.calls.length === 0) await sleep(10); // in flight
    closing = app.close(); // finishes the request in flight, answers the next one 503
    await sleep(20);
    socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const all = await received;
    const [inFlight, late] = all.split(/(?=HTTP\/1\.1 )/);
    return { inFlight: inFlight ?? '', late: late ?? '', all };
  } finally {
    socket.destroy();
    await (closing ?? app.close());
  }
}

/** The JSON body of a raw HTTP answer. */
export const rawJsonBody = (answer: string): unknown => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
