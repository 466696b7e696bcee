/**
 * How large one document may be (MAX_DOCUMENT_BYTES), and the refusal of a larger one, which every reader
 * gives alike.
 */
import { UserError, type ErrorLocation } from '../errors.js';
import { byteSize, MiB } from './byte-size.js';

/**
 * The most bytes one document may take: a line of JSON Lines, a record of a JSON array, a brat `.txt` or
 * `.ann` file. A document read is held several times over (its text, its tokens, its sentences): 16 MB
 * of raw text (doccano) takes about 850 MB of memory, and one of a few hundred MB exhausted V8's heap
 * (a native crash) or exceeded the longest string V8 holds (512 MB), which read as "not valid UTF-8".
 * A book is a few MB; a larger text is to be split into several documents.
 */
export const MAX_DOCUMENT_BYTES = 16 * MiB;

/**
 * The refusal of a document over MAX_DOCUMENT_BYTES (`bytes` long) at `loc`: a line, a record or a whole
 * file. Its size in MiB, or in bytes where it is so little over the limit that the MiB would read as the
 * limit itself ("16 MiB").
 */
export function tooLarge(bytes: number, loc: ErrorLocation, moreThan = false): UserError {
  const what = loc.line === undefined ? 'this file' : loc.unit === 'record' ? 'this record' : 'this line';
  const limit = byteSize(MAX_DOCUMENT_BYTES);
  // `moreThan`: reading stopped past the limit (a file that grew, or whose size said less).
  if (moreThan) return new UserError(`too large: ${what} holds more than ${limit}, and one document may take at most ${limit}; split it into smaller documents`, loc);
  const size = byteSize(bytes) === limit
    ? `${bytes.toLocaleString('en')} bytes, and one document may take at most ${MAX_DOCUMENT_BYTES.toLocaleString('en')} bytes (${limit})`
    : `${byteSize(bytes)}, and one document may take at most ${limit}`;
  return new UserError(`too large: ${what} is ${size}; split it into smaller documents`, loc);
}
