/**
 * Extraction over a stream of texts (a file of any size): texts are gathered into chunks — enough for
 * full length-bucketed batches, small enough to keep memory bounded — extracted (the next chunk while
 * the previous one is consumed), and yielded in input order.
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
  // One chunk is extracted while the previous one is handed out (written), so worker threads have the
  // next chunk's batches while this thread writes: at most two chunks are held.
  let ahead: Promise<StreamedDocument[]> | undefined;
  const start = (): Promise<StreamedDocument[]> => {
    const texts = chunk;
    chunk = [];
    chars = 0;
    const done = extractor.extract(texts.map((t) => t.text), options).then((docs) =>
      texts.map((t, i) => ({ id: t.id, doc: docs[i], bytesRead: t.bytesRead })),
    );
    done.catch(() => undefined); // rethrown below, when its turn comes
    return done;
  };
  for await (const t of texts) {
    if (chunk.length && (chunk.length >= maxTexts || chars + t.text.length > maxChars)) {
      const next = start();
      if (ahead) yield* await ahead;
      ahead = next;
    }
    chunk.push(t);
    chars += t.text.length;
  }
  const last = chunk.length ? start() : undefined;
  if (ahead) yield* await ahead;
  if (last) yield* await last;
}
