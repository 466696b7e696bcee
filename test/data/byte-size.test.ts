import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteSize, GiB, MiB } from '../../src/data/byte-size.js';
import { MAX_DOCUMENT_BYTES } from '../../src/data/document-size.js';
import { MAX_JSON_BYTES, MAX_WEIGHTS_BYTES } from '../../src/model/bounded-read.js';

test('sizes are said in one convention, binary multiples under IEC names (was: MB meaning 10^6 in some messages and 2^20 in others)', () => {
  assert.deepEqual([0, 300, 1023, 1024, 72_000, 5_138_000, 1.5 * GiB].map(byteSize), ['0 bytes', '300 bytes', '1023 bytes', '1 KiB', '70.3 KiB', '4.9 MiB', '1.5 GiB']);
  // The limits read as the round numbers they are.
  assert.deepEqual([MAX_DOCUMENT_BYTES, MAX_JSON_BYTES, MAX_WEIGHTS_BYTES].map(byteSize), ['16 MiB', '64 MiB', '4 GiB']);
  assert.equal(byteSize(16 * MiB + 1), '16 MiB', 'so a size just over a limit is said in bytes by its callers');
});
