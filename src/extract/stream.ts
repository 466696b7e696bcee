/**
 * Extraction over a stream of texts (a file of any size): texts are gathered into chunks — enough for
 * full length-bucketed batches, small enough to keep memory bounded — extracted (the next chunk while
 * the previous one is consumed), and yielded in input order.
 */
import { checkOptions, described, formatLocated, isObject, isUserError, quote, UserError } from '../errors.js';
import { readExtractInput } from './given-entities.js';
import { resolveExtractOptions } from './options.js';
import type { ExtractInput, ExtractOptions, ExtractedDocument, ExtractorLike, GivenEntity, ModelInfo } from './types.js';

/**
 * One text of the stream: a string, or `{text, id?, entities?}` (default id: its 0-based position in the
 * stream, as a string; `entities`: the text's known entities, as `extract({text, entities})` takes them).
 */
export interface StreamText {
  id?: string;
  text: string;
  entities?: unknown;
  /** Where the text came from (a file's line), which then names its errors instead of its stream position. */
  where?: { file: string; line: number };
  /** Passed through (e.g. input bytes consumed, for progress). */
  bytesRead?: number;
}

export interface StreamedDocument {
  id: string;
  doc: ExtractedDocument;
  bytesRead?: number;
}

export interface StreamOptions {
  /** Most texts per extract call (default 256). */
  chunkTexts?: number;
  /** Most characters per extract call, except a single longer text (default 500,000). */
  chunkChars?: number;
}

const STREAM_OPTIONS = ['chunkTexts', 'chunkChars'];

/** The stream's source checked at the boundary: an (async) iterable, not a string (that would be one text per character). */
function checkSource(texts: unknown): void {
  const iterable =
    texts !== null && typeof texts === 'object' && (Symbol.asyncIterator in texts || Symbol.iterator in texts);
  if (!iterable)
    throw new UserError(`must be an iterable or async iterable of strings or {text, id?} (e.g. an array or an async generator), got ${described(texts)}`, { field: 'texts' });
}

/** A streamed text as `extract` takes it, checked as it is read (a bad one must not fail its whole chunk later). */
interface Streamed {
  id: string;
  input: ExtractInput;
  bytesRead?: number;
}

/** An item's fields: the caller's, and what entrel's own file reader adds (`where`, `bytesRead`). */
const ITEM_FIELDS: readonly string[] = ['text', 'id', 'entities', 'where', 'bytesRead'];

/** One item of the source as a StreamedDocument's id, its extract input and bytesRead. */
function streamText(t: unknown, i: number, model: ModelInfo): Streamed {
  if (typeof t === 'string') return { id: String(i), input: t };
  const field = `texts[${i}]`;
  if (t === null || typeof t !== 'object' || Array.isArray(t) || typeof (t as { text?: unknown }).text !== 'string')
    throw new UserError(`must be a string or {text, id?, entities?} with a string text, got ${described(t)}`, { field });
  const o = t as StreamText;
  const unknown = Object.keys(o).find((k) => !ITEM_FIELDS.includes(k));
  if (unknown !== undefined) throw new UserError(`unknown field ${quote(unknown)} (an item has text, and optionally id and entities)`, { field });
  // entrel's own reader's fields, checked as a caller may set them too.
  if (o.where !== undefined && !(isObject(o.where) && typeof o.where.file === 'string' && Number.isInteger(o.where.line)))
    throw new UserError(`must be {file, line}, got ${described(o.where)}`, { field: `${field}.where` });
  if (o.bytesRead !== undefined && !(Number.isFinite(o.bytesRead) && o.bytesRead >= 0)) throw new UserError(`must be a number of bytes, got ${described(o.bytesRead)}`, { field: `${field}.bytesRead` });
  if (o.id !== undefined && typeof o.id !== 'string') throw new UserError(`must be a string, got ${described(o.id)}`, { field: `${field}.id` });
  if (o.entities === undefined) return { id: o.id ?? String(i), input: o.text, bytesRead: o.bytesRead };
  let entities: GivenEntity[];
  try {
    // The checked copy is what is extracted: a source may reuse its objects for the items after this one.
    entities = readExtractInput({ text: o.text, entities: o.entities }, { entityTypes: model.entityTypes, relationTypes: model.relationTypes }, o.where ? '' : field).entities!;
  } catch (e) {
    if (!isUserError(e) || !o.where) throw e;
    // Named by the line it came from: `file:7: entities[0].type: …`.
    throw new UserError(e.message.slice(formatLocated('', e.location).length), { ...o.where, field: e.location.field });
  }
  return { id: o.id ?? String(i), input: { text: o.text, entities }, bytesRead: o.bytesRead };
}

export async function* extractStream(
  extractor: ExtractorLike,
  texts: AsyncIterable<StreamText | string> | Iterable<StreamText | string>,
  options: ExtractOptions = {},
  opts: StreamOptions = {},
): AsyncGenerator<StreamedDocument> {
  if (extractor === null || typeof extractor !== 'object' || typeof extractor.extract !== 'function' || typeof extractor.info !== 'function')
    throw new UserError(`must be an Extractor (Extractor.load()), got ${described(extractor)}`, { field: 'extractor' });
  checkSource(texts);
  checkOptions(opts, 'streamOptions', STREAM_OPTIONS);
  const maxTexts = opts?.chunkTexts ?? 256;
  const maxChars = opts?.chunkChars ?? 500_000;
  for (const [name, v] of [['chunkTexts', maxTexts], ['chunkChars', maxChars]] as const)
    if (!(Number.isInteger(v) && v > 0)) throw new UserError(`must be a positive integer, got ${described(v)}`, { field: name });
  // Checked against the model's labels before any text is read: else a typo surfaced only at the first
  // chunk's extraction, once two chunks of the source (a file's first 512 texts) had been read.
  resolveExtractOptions(options, extractor.info());
  const model = extractor.info();
  let chunk: Streamed[] = [];
  let chars = 0;
  // One chunk is extracted while the previous one is handed out (written), so worker threads have the
  // next chunk's batches while this thread writes: at most two chunks are held.
  let ahead: Promise<StreamedDocument[]> | undefined;
  const start = (): Promise<StreamedDocument[]> => {
    const texts = chunk;
    chunk = [];
    chars = 0;
    const done = extractor.extract(texts.map((t) => t.input), options).then((docs) =>
      texts.map((t, i) => ({ id: t.id, doc: docs[i], bytesRead: t.bytesRead })),
    );
    done.catch(() => undefined); // rethrown below, when its turn comes
    return done;
  };
  let index = 0;
  for await (const item of texts) {
    const t = streamText(item, index++, model);
    const length = typeof t.input === 'string' ? t.input.length : t.input.text.length;
    if (chunk.length && (chunk.length >= maxTexts || chars + length > maxChars)) {
      const next = start();
      if (ahead) yield* await ahead;
      ahead = next;
    }
    chunk.push(t);
    chars += length;
  }
  const last = chunk.length ? start() : undefined;
  if (ahead) yield* await ahead;
  if (last) yield* await last;
}
