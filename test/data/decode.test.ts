/**
 * A line or record that is not UTF-8 is refused naming where in it the first bad byte is (review 15b
 * finding 7: the readers said only "not valid UTF-8 text"), counted as firstInvalidByte counts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors.js';
import { decodeUtf8 } from '../../src/data/decode.js';
import { readLines } from '../../src/data/lines.js';
import { readJsonLines } from '../../src/data/json-lines.js';
import { readJsonArray } from '../../src/data/json-array.js';
import { collect, tmp } from './helpers.js';
import { userErrorAsync } from '../user-error.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

const dir = tmp();
let n = 0;
function file(content: Buffer, ext: string): string {
  const f = join(dir, `f${++n}${ext}`);
  writeFileSync(f, content);
  return f;
}

async function drain(items: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of items);
}

test('decodeUtf8: text where the bytes are UTF-8; else the offset of the first bad byte in the line or record', () => {
  assert.equal(decodeUtf8(bytes('Zoë met Åsa.'), { file: 'f', line: 1 }), 'Zoë met Åsa.');
  const refusal = (b: Buffer, unit?: 'record') => {
    try {
      decodeUtf8(b, { file: 'f', line: 3, unit });
    } catch (e) {
      assert.ok(e instanceof UserError, String(e));
      return e.message;
    }
    assert.fail('decoded');
  };
  assert.equal(refusal(bytes([0xff], 'abc')), 'f:3: not valid UTF-8 text (byte 0 of the line, counted from 0)');
  assert.equal(refusal(bytes('Zoë €', [0xc3])), 'f:3: not valid UTF-8 text (byte 8 of the line, counted from 0)', 'past 2- and 3-byte characters; a character cut at the end');
  assert.match(refusal(bytes('{"a":"', [0xe2, 0x82, 0x41], '"}'), 'record'), /: not valid UTF-8 text \(byte 6 of the record, counted from 0\)$/);
});

test('the line readers name the line and the bad byte in it (the BOM that opens a file is not counted)', async () => {
  const lines = file(bytes('\uFEFFfirst line\nCafé ', [0xe9], ' au lait\n'), '.txt');
  await assert.rejects(drain(readLines(lines)), (e) => e instanceof UserError && e.message === `${lines}:2: not valid UTF-8 text (byte 6 of the line, counted from 0)`);
  const first = file(bytes('\uFEFFab', [0x80], '\n'), '.txt');
  await assert.rejects(drain(readLines(first)), (e) => e instanceof UserError && e.message === `${first}:1: not valid UTF-8 text (byte 2 of the line, counted from 0)`);
  const jsonl = file(bytes('{"id": 1}\r\n{"id": "', [0xff], '"}\r\n'), '.jsonl');
  await assert.rejects(drain(readJsonLines(jsonl)), (e) => e instanceof UserError && e.message === `${jsonl}:2: not valid UTF-8 text (byte 8 of the line, counted from 0)`);
});

test('the JSON array reader names the record and the bad byte in it, counted from its first character', async () => {
  const array = file(bytes('[{"tokens": ["a"]},\n   {"tokens": ["', [0xc0, 0x80], '"]}]'), '.json');
  await assert.rejects(drain(readJsonArray(array)), (e) => e instanceof UserError && e.message === `${array} record 2: not valid UTF-8 text (byte 13 of the record, counted from 0)`);
  // and so through a format's reader
  const e = await userErrorAsync(() => collect(array, { format: 'unified' }));
  assert.match(e.message, /record 2: not valid UTF-8 text \(byte 13 of the record, counted from 0\)$/);
});
