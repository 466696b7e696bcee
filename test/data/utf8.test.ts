import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { firstInvalidByte } from '../../src/data/utf8.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

/** The longest prefix that decodes strictly: every byte before the first invalid one, and no byte after it. */
function longestValidPrefix(b: Uint8Array): number {
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  for (let p = b.length; p > 0; p--) {
    try {
      strict.decode(b.subarray(0, p));
      return p;
    } catch {
      // a shorter prefix, then
    }
  }
  return 0;
}

test('firstInvalidByte: the offset of the first byte that is not UTF-8, counted past 1- to 4-byte characters', () => {
  assert.equal(firstInvalidByte(bytes('Ann met Bob.')), 12, 'all valid: the length');
  assert.equal(firstInvalidByte(bytes([0xff], 'x')), 0);
  assert.equal(firstInvalidByte(bytes('é€😀', [0xff])), 2 + 3 + 4, 'after a 2-, a 3- and a 4-byte character (a surrogate pair)');
  assert.equal(firstInvalidByte(bytes('\uFFFD', [0x80])), 3, 'an encoded U+FFFD is a character, not the error');
  assert.equal(firstInvalidByte(bytes('\uFEFFa', [0xc3])), 4, 'a byte-order mark counts its 3 bytes; a sequence cut at the end');
  assert.equal(firstInvalidByte(bytes('a', [0xe2, 0x82, 0x41])), 1, 'a 3-byte sequence broken by an ASCII byte: from its first byte');
  assert.equal(firstInvalidByte(bytes('a', [0xc0, 0x80])), 1, 'an overlong NUL');
  assert.equal(firstInvalidByte(bytes('ab', [0xed, 0xa0, 0x80])), 2, 'an encoded surrogate (CESU-8)');
  assert.equal(firstInvalidByte(bytes('a', [0xf4, 0x90, 0x80, 0x80])), 1, 'beyond U+10FFFF');
  assert.equal(firstInvalidByte(bytes('xyz', [0xff]).subarray(1)), 2, 'a view into a larger buffer counts from its own start');
});

test('property: firstInvalidByte is the length of the longest prefix a strict decoder takes', () => {
  // Bytes drawn near the edges of UTF-8's ranges, with whole characters among them.
  const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x80, 0xbf, 0xc0, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5));
  const piece = fc.oneof(fc.array(byte, { maxLength: 4 }), fc.string({ unit: 'grapheme', maxLength: 3 }).map((s) => [...Buffer.from(s, 'utf8')]));
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
      const b = Buffer.from(pieces.flat());
      assert.equal(firstInvalidByte(b), longestValidPrefix(b), `bytes ${b.toString('hex')}`);
    }),
    { numRuns: 2000 },
  );
});
