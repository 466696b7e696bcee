/**
 * Strict UTF-8 decoding of one line or record of a data file. Bytes are split into lines and records
 * before decoding (every JSON structural character and '\n' is ASCII, so splitting UTF-8 at them is safe),
 * so a byte that is not UTF-8 is reported with the line or record it sits in, and where in it.
 */
import { UserError, type ErrorLocation } from '../errors.js';
import { byteSize } from './byte-size.js';
import { firstInvalidByte } from './utf8.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The error for a line or record (at `loc`) whose byte `at` (from 0) is the first that is not UTF-8. */
export function notUtf8(at: number, loc: ErrorLocation): UserError {
  return new UserError(`not valid UTF-8 text (byte ${at} of the ${loc.unit ?? 'line'}, counted from 0)`, loc);
}

/**
 * `bytes` (the line or record at `loc`) as text; a UserError where they are not UTF-8, naming the offset
 * of the first bad byte in them (a file's byte-order mark, dropped before, is not counted).
 */
export function decodeUtf8(bytes: Uint8Array, loc: ErrorLocation): string {
  try {
    return utf8.decode(bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_ENCODING_INVALID_ENCODED_DATA') throw notUtf8(firstInvalidByte(bytes), loc);
    // A line a reader without a limit (extract's input) took whole, longer than V8's longest string.
    if (code === 'ERR_STRING_TOO_LONG') throw new UserError(`too large: ${byteSize(bytes.length)} in one line, more than one JavaScript string can hold`, loc);
    throw e;
  }
}
