/**
 * Strict UTF-8 decoding of a whole small file (a brat `.txt` or `.ann`, a types file, a config): its
 * text, or a UserError naming the line of the first byte that is not UTF-8 and where in that line it is,
 * in the words of the line readers (decode.ts).
 */
import type { UserError } from '../errors.js';
import { notUtf8 } from './decode.js';
import { firstInvalidByte } from './utf8.js';

// ignoreBOM: a U+FEFF opening the text after the file's own byte-order mark is the text's.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of `file`'s `bytes`. Its byte-order mark is dropped (`keepBom`: kept as the first character,
 * for brat, which counts it in offsets) and not counted in the offset of a bad byte on line 1, as the
 * line readers count it.
 */
export function decodeUtf8File(bytes: Uint8Array, file: string, keepBom = false): string {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  let text: string;
  try {
    text = strict.decode(body);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') throw e;
    throw badLine(body, file);
  }
  return bom && keepBom ? `\uFEFF${text}` : text;
}

/** The error for `body`, which is not UTF-8: the line of its first bad byte, and where in that line it is. */
function badLine(body: Uint8Array, file: string): UserError {
  const at = firstInvalidByte(body);
  let [line, start] = [1, 0];
  for (let i = 0; i < at; i++) if (body[i] === 0x0a) [line, start] = [line + 1, i + 1];
  return notUtf8(at - start, { file, line });
}
