/**
 * The parser of JSON request bodies, in place of Fastify's: a body is UTF-8 (RFC 8259 §8.1), so bytes
 * that are not UTF-8 are a 400, where Fastify decoded anything as UTF-8 and turned bad bytes into U+FFFD
 * (shifting what the caller's offsets mean); a declared charset is taken where the body reads the same in
 * it (§11: the parameter "has no effect on compliant recipients"), else a 415, as is a compressed body;
 * and its errors say what is wrong, where Fastify had one message for a syntax error and for a refused
 * `__proto__`.
 */
import type { FastifyInstance } from 'fastify';
import { firstInvalidByte } from '../data/utf8.js';
import { clip, HttpError } from './errors.js';

export function registerJsonParser(app: FastifyInstance): void {
  // Fastify's own parser behind the checks: secure-json-parse, refusing `__proto__` and
  // `constructor.prototype` (prototype poisoning); an empty body is its FST_ERR_CTP_EMPTY_JSON_BODY.
  const parse = app.getDefaultJsonParser('error', 'error');
  // fatal: a byte sequence that is not UTF-8 throws (a BOM is dropped, as the JSON parser did).
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    // Bodies are read as sent (no inflating behind the body limit's back): RFC 9110 §15.5.16's 415.
    const coding = request.headers['content-encoding']?.trim() ?? '';
    if (coding !== '' && coding.toLowerCase() !== 'identity') {
      const message = `Content-Encoding ${JSON.stringify(clip(coding, 40))} is not supported: send the JSON body uncompressed`;
      return done(new HttpError(415, 'unsupported_media_type', message, { 'Accept-Encoding': 'identity' }), undefined);
    }
    const charsetProblem = checkCharset(request.headers['content-type'] ?? '', bytes);
    if (charsetProblem) return done(new HttpError(415, 'unsupported_media_type', charsetProblem), undefined);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return done(new HttpError(400, 'invalid_json', `request body is not valid UTF-8 (from byte ${firstInvalidByte(bytes)}); send JSON encoded as UTF-8`), undefined);
    }
    parse(request, text, (err, value) => (err ? done(explained(err, text), undefined) : done(null, value)));
  });
}

/** IANA's names of US-ASCII, of which UTF-8 is a superset: a body so declared is read as UTF-8, as any JSON. */
const US_ASCII = new Set(['us-ascii', 'ascii', 'ansi_x3.4-1968', 'ansi_x3.4-1986', 'iso-ir-6', 'iso_646.irv:1991', 'iso646-us', 'us', 'ibm367', 'cp367', 'csascii']);

/**
 * Why a body with Content-Type `header` is not read as UTF-8, if it is not: malformed parameters, an
 * unknown charset, or one in which the body would read otherwise (Latin-1 is taken for a body of ASCII
 * bytes, not for one with `é` in it).
 */
function checkCharset(header: string, bytes: Buffer): string | undefined {
  const parameters = mediaTypeParameters(header);
  if (parameters === undefined) return `Content-Type ${JSON.stringify(clip(header, 80))} has malformed parameters (expected ; name=value, the value a token or "quoted")`;
  const charset = parameters.get('charset')?.toLowerCase();
  if (charset === undefined || US_ASCII.has(charset)) return undefined;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    return `Content-Type charset ${JSON.stringify(clip(charset, 40))} is unknown; JSON is UTF-8 (RFC 8259): send it so, with charset=utf-8 or none`;
  }
  if (decoder.encoding === 'utf-8' || decoder.decode(bytes) === bytes.toString('utf8')) return undefined;
  return `request body reads otherwise in its Content-Type charset ${JSON.stringify(clip(charset, 40))} than in UTF-8, which JSON is (RFC 8259): send it as UTF-8, with charset=utf-8 or none`;
}

/** One parameter of a media type (RFC 9110 §5.6.6), white space around `=` tolerated: name, then token value or quoted-string. */
const PARAMETER = /[ \t]*;[ \t]*(?:([!#$%&'*+.^_`|~\w-]+)[ \t]*=[ \t]*(?:([!#$%&'*+.^_`|~\w-]+)|"((?:[^"\\]|\\.)*)"))?/y;

/** The parameters of Content-Type `header` by lowercased name (quoted values unquoted), or undefined if they are malformed. */
function mediaTypeParameters(header: string): Map<string, string> | undefined {
  const parameters = new Map<string, string>();
  const start = header.indexOf(';'); // the media type before it has been matched by Fastify
  for (PARAMETER.lastIndex = start < 0 ? header.length : start; PARAMETER.lastIndex < header.length; ) {
    const match = PARAMETER.exec(header);
    if (match === null) return undefined;
    if (match[1] !== undefined) parameters.set(match[1].toLowerCase(), match[2] ?? match[3].replace(/\\(.)/g, '$1'));
  }
  return parameters;
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
