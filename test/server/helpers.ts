import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from '../../src/server/index.js';
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
