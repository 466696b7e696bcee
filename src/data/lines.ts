/**
 * A text file's lines, read in chunks so that a large file keeps memory bounded; each line decoded
 * strictly (decode.ts), and one over its limit refused, naming its size.
 */
import type { Located } from './located.js';
import { fileChunks } from './data-file.js';
import { decodeUtf8 } from './decode.js';
import { tooLarge } from './document-size.js';

/**
 * Lines without their '\n' (and a trailing '\r'), 1-based line numbers; a UTF-8 BOM is dropped; a line of
 * more than `maxBytes` (its own: no '\r' or BOM counted) is refused (tooLarge), once its end shows how long it is.
 * Yields the lines of each chunk as one batch: a generator step per line costs more than the parsing.
 */
export async function* readLineBatches(file: string, maxBytes = Infinity): AsyncGenerator<Located<string>[]> {
  let pending: Buffer[] = [];
  let size = 0; // of the pending line; past maxBytes (and a '\r') its bytes are only counted
  let last = -1; // its last byte
  let line = 0;
  const emit = (parts: Buffer[]): Located<string> => {
    line++;
    let buf = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    if (buf.length && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    const loc = { file, line };
    return { value: decodeUtf8(buf, loc), loc };
  };
  const add = (piece: Buffer) => {
    size += piece.length;
    if (piece.length) last = piece[piece.length - 1];
    if (size <= maxBytes + 1) pending.push(piece);
    else pending = [];
  };
  const refuseLong = () => {
    const own = size - (last === 0x0d ? 1 : 0);
    if (own > maxBytes) throw tooLarge(own, { file, line: line + 1 });
  };
  for await (const chunk of fileChunks(file)) {
    const batch: Located<string>[] = [];
    let from = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
      add(chunk.subarray(from, nl));
      refuseLong();
      batch.push(emit(pending));
      pending = [];
      size = 0;
      last = -1;
      from = nl + 1;
    }
    if (from < chunk.length) add(chunk.subarray(from));
    if (batch.length) yield batch;
  }
  refuseLong();
  if (pending.length) yield [emit(pending)];
}

export async function* readLines(file: string, maxBytes = Infinity): AsyncGenerator<Located<string>> {
  for await (const batch of readLineBatches(file, maxBytes)) yield* batch;
}
