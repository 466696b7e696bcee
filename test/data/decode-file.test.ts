/**
 * A brat file, a types file or a config that is not UTF-8 names the line of its first bad byte and where
 * in that line it is, as the line readers do (review 18a finding 6: they said only "not valid UTF-8 text").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../src/errors.js';
import { decodeUtf8File } from '../../src/data/decode-file.js';
import { loadConfig } from '../../src/train/config.js';
import { collect, tmp } from './helpers.js';
import { userError, userErrorAsync } from '../user-error.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
const BOM = '\uFEFF';

test('decodeUtf8File: the text, its BOM dropped or kept; else the line of the first bad byte and its offset in it', () => {
  assert.equal(decodeUtf8File(bytes(BOM, 'Zoë\n', BOM, 'Åsa'), 'f'), `Zoë\n${BOM}Åsa`, 'the file\'s BOM dropped, a later one kept');
  assert.equal(decodeUtf8File(bytes(BOM, 'Zoë'), 'f', true), `${BOM}Zoë`, 'keepBom');
  const refusal = (b: Buffer) => userError(() => decodeUtf8File(b, 'f')).message;
  assert.equal(refusal(bytes('ab\ncd\r\nCafé ', [0xe9], ' au lait\n')), 'f:3: not valid UTF-8 text (byte 6 of the line, counted from 0)');
  assert.equal(refusal(bytes(BOM, 'ab', [0x80], '\n')), 'f:1: not valid UTF-8 text (byte 2 of the line, counted from 0)', 'the BOM not counted');
  assert.equal(refusal(bytes([0xff])), 'f:1: not valid UTF-8 text (byte 0 of the line, counted from 0)');
  assert.equal(refusal(bytes('x\n😀 €', [0xc3], '\n')), 'f:2: not valid UTF-8 text (byte 8 of the line, counted from 0)', 'past a 4-byte and a 3-byte character; cut at the line end');
});

test('brat, a types file and a config name the line and the byte (they named the file, or the line, alone)', async () => {
  const dir = join(tmp(), 'utf8');
  mkdirSync(dir);
  writeFileSync(join(dir, 'd.txt'), bytes('John ', [0xff], ' works.\n'));
  writeFileSync(join(dir, 'd.ann'), 'T1\tPER 0 4\tJohn\n');
  let e = await userErrorAsync(() => collect(dir));
  assert.equal(e.message, `${join(dir, 'd.txt')}:1: not valid UTF-8 text (byte 5 of the line, counted from 0)`);
  writeFileSync(join(dir, 'd.txt'), 'John works.\n');
  writeFileSync(join(dir, 'd.ann'), bytes('T1\tPER 0 4\tJohn\nT2\tPER 5 10\two', [0xc0, 0xaf], 'rks\n'));
  e = await userErrorAsync(() => collect(dir));
  assert.equal(e.message, `${join(dir, 'd.ann')}:2: not valid UTF-8 text (byte 14 of the line, counted from 0)`);

  const data = join(dir, 'data.json');
  writeFileSync(data, JSON.stringify([{ tokens: ['John', 'works'], entities: [[0, 1, 'PER']], relations: [] }]));
  const types = join(dir, 'bad_types.json');
  writeFileSync(types, bytes(BOM, '{\n  "entities": {"PER": {}},\n  "relations": {"Work', [0xe9], '": {}}\n}\n'));
  e = await userErrorAsync(() => collect(data, { typesFile: types }));
  assert.equal(e.message, `${types}:3: not valid UTF-8 text (byte 21 of the line, counted from 0)`);

  const config = join(dir, 'badcfg.json');
  writeFileSync(config, bytes('{\n  "data": {"train": "a.json",\n     "dev": "b', [0xff], '.json"}\n}\n'));
  e = userError(() => loadConfig(config));
  assert.ok(e instanceof UserError, String(e));
  assert.equal(e.message, `${config}:3: not valid UTF-8 text (byte 14 of the line, counted from 0)`);
});
