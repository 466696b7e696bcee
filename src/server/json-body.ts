/**
 * The parser of JSON request bodies, in place of Fastify's: a body is UTF-8 (RFC 8259), so another
 * declared charset is a 415 and bytes that are not UTF-8 a 400, where Fastify decoded anything as UTF-8
 * and turned bad bytes into U+FFFD (shifting what the caller's offsets mean); and its errors say what is
 * wrong, where Fastify had one message for a syntax error and for a refused `__proto__`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clip, HttpError } from './errors.js';

export function registerJsonParser(app: FastifyInstance): void {
  // Fastify's own parser behind the checks: secure-json-parse, refusing `__proto__` and
  // `constructor.prototype` (prototype poisoning); an empty body is its FST_ERR_CTP_EMPTY_JSON_BODY.
  const parse = app.getDefaultJsonParser('error', 'error');
  // fatal: a byte sequence that is not UTF-8 throws (a BOM is dropped, as the JSON parser did).
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = charsetOf(request);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return done(new HttpError(415, 'unsupported_media_type', `Content-Type charset must be utf-8 (JSON is UTF-8), got ${JSON.stringify(clip(charset, 40))}`), undefined);
    }
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      return done(new HttpError(400, 'invalid_json', `request body is not valid UTF-8 (from byte ${firstInvalidByte(body as Buffer)}); send JSON encoded as UTF-8`), undefined);
    }
    parse(request, text, (err, value) => (err ? done(explained(err, text), undefined) : done(null, value)));
  });
}

/** The `charset` parameter of the request's Content-Type, lowercased, if it has one. */
function charsetOf(request: FastifyRequest): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(request.headers['content-type'] ?? '');
  return match ? (match[1] ?? match[2]).toLowerCase() : undefined;
}

/**
 * Offset of the first byte of `bytes` that is not valid UTF-8 (the body failed to decode): where the
 * lenient decoder put its first U+FFFD that does not stand for an encoded U+FFFD (EF BF BD).
 */
function firstInvalidByte(bytes: Buffer): number {
  const text = bytes.toString('utf8');
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd && !(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)) return at;
    // A surrogate pair is one 4-byte character: 2 bytes for each half.
    at += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return at;
}

/** Fastify's one "not valid JSON" as what it was: a syntax error (with JSON.parse's position) or a forbidden key. */
function explained(err: Error & { code?: string }, text: string): Error {
  if (err.code !== 'FST_ERR_CTP_INVALID_JSON_BODY') return err;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return new HttpError(400, 'invalid_json', `request body is not valid JSON: ${clip((e as Error).message, 200)}`);
  }
  return new HttpError(
    400,
    'invalid_request',
    forbiddenKey(value) === '__proto__'
      ? 'body has a property "__proto__", which is refused (it would change what objects inherit); remove it'
      : 'body has a property "constructor" holding "prototype", which is refused (it would change what objects inherit); remove it',
  );
}

/** The key secure-json-parse refused: `__proto__`, else `constructor` (with a `prototype` in it). Iterative: bodies nest deep. */
function forbiddenKey(value: unknown): '__proto__' | 'constructor' {
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    if (Object.hasOwn(v, '__proto__')) return '__proto__';
    for (const child of Object.values(v)) stack.push(child);
  }
  return 'constructor';
}
