/**
 * Extraction over a stream of texts (a file of any size): texts are gathered into chunks — enough for
 * full length-bucketed batches, small enough to keep memory bounded — extracted, and yielded in input order.
 */
import type { ExtractOptions, ExtractedDocument, ExtractorLike } from './types.js';

export interface StreamText {
  id: string;
  text: string;
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

export async function* extractStream(
  extractor: ExtractorLike,
  texts: AsyncIterable<StreamText> | Iterable<StreamText>,
  options: ExtractOptions = {},
  opts: StreamOptions = {},
): AsyncGenerator<StreamedDocument> {
  const maxTexts = opts.chunkTexts ?? 256;
  const maxChars = opts.chunkChars ?? 500_000;
  let chunk: StreamText[] = [];
  let chars = 0;
  async function* run(): AsyncGenerator<StreamedDocument> {
    const docs = await extractor.extract(chunk.map((t) => t.text), options);
    const done = chunk;
    chunk = [];
    chars = 0;
    for (let i = 0; i < done.length; i++) yield { id: done[i].id, doc: docs[i], bytesRead: done[i].bytesRead };
  }
  for await (const t of texts) {
    if (chunk.length && (chunk.length >= maxTexts || chars + t.text.length > maxChars)) yield* run();
    chunk.push(t);
    chars += t.text.length;
  }
  if (chunk.length) yield* run();
}
