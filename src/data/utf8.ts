/** Where bytes that must be UTF-8 (a request body, standard input) stop being it, for the error that says so. */

/**
 * Offset of the first byte of `bytes` that is not valid UTF-8 (`bytes.length` when every byte is): where
 * the lenient decoder puts its first U+FFFD that does not stand for an encoded U+FFFD (EF BF BD).
 */
export function firstInvalidByte(bytes: Uint8Array): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Decoded whole, not character by character: a body can be megabytes long. A byte-order mark stays.
  const text = buffer.toString('utf8');
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd && !(buffer[at] === 0xef && buffer[at + 1] === 0xbf && buffer[at + 2] === 0xbd)) return at;
    // A surrogate pair is one 4-byte character: 2 bytes for each half.
    at += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return at;
}
