/**
 * The JSON of /v1/extract's answer: the bytes Fastify's serializer compiled from the route's schema
 * (fast-json-stringify) writes, made by V8's JSON.stringify from copies of the documents that hold the
 * fields of the schema in its order, and encoded, in slices with turns of the event loop between them.
 * That serializer held the server thread, which serves nothing else meanwhile, for all of an answer at
 * once and three to five times as long: 20–49 ms for 1.1 MB (here 5–14 ms in all), 1.7 s for 40 MB (here
 * 0.6 s, in slices of about 10 ms; what is left whole is joining the slices into one Buffer, 0.05–0.15 s).
 * One Buffer, so that the answer goes out as before, with its Content-Length, and is not encoded again.
 */
import type { ExtractedDocument } from '../extract/types.js';
import { inSlices, type Steps } from '../text/steps.js';
import { documentSchema } from './schemas.js';

/** A JSON schema as far as this file reads it: the types the document schema uses. */
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: readonly string[];
  items?: Schema;
}

/** What a copier returns for a value the schema's serializer would write otherwise than JSON.stringify. */
const UNLIKE = Symbol('unlike');

/** A function from a value to a plain copy that JSON.stringify writes as the schema's serializer writes the value, or UNLIKE. */
type Copier = (value: unknown) => unknown;

/**
 * Items of a document's array (sentences, entities, relations) written in one step: a sentence has at most
 * 100 tokens, so a step is a few milliseconds at most.
 */
const STEP_ITEMS = 256;

/**
 * `{"documents": [...]}` as the schema's serializer writes it, in UTF-8, or undefined when a document holds
 * something it writes otherwise (a fraction where the schema says integer, which it truncates; a NaN
 * score, which it refuses; a field of another type, which it converts; a `toJSON`; a required field
 * missing, which it refuses): the route then leaves the answer to that serializer. Fields the schema does
 * not name are left out, as it leaves them out. In slices of about 10 ms (`inSlices`); stops when
 * `signal` aborts (its client has gone), rejecting with its reason.
 */
export function extractReplyJson(documents: readonly ExtractedDocument[], signal?: AbortSignal): Promise<Buffer | undefined> {
  return inSlices(replySteps(documents), { signal });
}

/** A document's fields in the schema's order, each with its copier, and for an array of objects the copier of its items. */
const DOCUMENT_FIELDS = Object.entries(documentSchema.properties as Record<string, Schema>).map(([key, schema]) => ({
  name: `${JSON.stringify(key)}:`,
  key,
  required: (documentSchema.required as readonly string[]).includes(key),
  copy: copier(schema),
  items: schema.type === 'array' && schema.items?.type === 'object' ? copier(schema.items) : undefined,
}));

function* replySteps(documents: readonly unknown[]): Steps<Buffer | undefined> {
  const written: Buffer[] = [];
  let pending = '{"documents":[';
  /** What is written so far, encoded: the encoding too is done a slice at a time. */
  const flush = () => {
    written.push(Buffer.from(pending));
    pending = '';
  };
  if (!Array.isArray(documents) || hasToJson(documents)) return undefined;
  for (let d = 0; d < documents.length; d++) {
    const doc = documents[d] as Record<string, unknown>;
    if (!isPlainObject(doc)) return undefined;
    pending += d > 0 ? ',{' : '{';
    let first = true;
    for (const field of DOCUMENT_FIELDS) {
      const value = doc[field.key];
      if (value === undefined) {
        if (field.required) return undefined;
        continue;
      }
      pending += first ? field.name : `,${field.name}`;
      first = false;
      if (field.items === undefined) {
        const copy = field.copy(value);
        if (copy === UNLIKE) return undefined;
        pending += JSON.stringify(copy);
        continue;
      }
      if (!Array.isArray(value) || hasToJson(value)) return undefined;
      pending += '[';
      for (let i = 0; i < value.length; i += STEP_ITEMS) {
        const copies = new Array(Math.min(STEP_ITEMS, value.length - i));
        for (let j = 0; j < copies.length; j++) if ((copies[j] = field.items(value[i + j])) === UNLIKE) return undefined;
        // JSON.stringify writes an array as its items joined by commas between brackets.
        pending += (i > 0 ? ',' : '') + JSON.stringify(copies).slice(1, -1);
        flush();
        yield;
      }
      pending += ']';
    }
    pending += '}';
  }
  pending += ']}';
  flush();
  return Buffer.concat(written);
}

/** The copier of a schema, made once: it walks the schema's properties, not the value's. */
function copier(schema: Schema): Copier {
  switch (schema.type) {
    case 'string':
      // JSON.stringify escapes what fast-json-stringify escapes (", \, control characters, lone surrogates).
      return (v) => (typeof v === 'string' ? v : UNLIKE);
    case 'integer':
      return (v) => (Number.isInteger(v) ? v : UNLIKE);
    case 'number':
      // Both write ±Infinity as null; a NaN the schema's serializer refuses.
      return (v) => (typeof v === 'number' && !Number.isNaN(v) ? v : UNLIKE);
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : UNLIKE);
    case 'array':
      return arrayCopier(schema.items ?? {});
    case 'object':
      return objectCopier(schema);
    default:
      return () => UNLIKE;
  }
}

function arrayCopier(items: Schema): Copier {
  // An array of whole numbers (a token's span) is written as it is: no copy needed. A loop, not every(),
  // which skips the holes of a sparse array (written null here, refused by the schema's serializer).
  if (items.type === 'integer') return (v) => (Array.isArray(v) && !hasToJson(v) && wholeNumbers(v) ? v : UNLIKE);
  const item = copier(items);
  return (v) => {
    if (!Array.isArray(v) || hasToJson(v)) return UNLIKE;
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) if ((out[i] = item(v[i])) === UNLIKE) return UNLIKE;
    return out;
  };
}

function wholeNumbers(v: unknown[]): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isInteger(v[i])) return false;
  return true;
}

function objectCopier(schema: Schema): Copier {
  const fields = Object.entries(schema.properties ?? {}).map(([key, property]) => ({ key, copy: copier(property), required: schema.required?.includes(key) ?? false }));
  return (v) => {
    if (!isPlainObject(v)) return UNLIKE;
    const source = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const { key, copy, required } of fields) {
      const x = source[key];
      if (x === undefined) {
        if (required) return UNLIKE;
        continue;
      }
      if ((out[key] = copy(x)) === UNLIKE) return UNLIKE;
    }
    return out;
  };
}

/** An object the schema's serializer reads by its properties: not null, not an array, no `toJSON`. */
const isPlainObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && !hasToJson(v);

const hasToJson = (value: object): boolean => typeof (value as { toJSON?: unknown }).toJSON === 'function';
