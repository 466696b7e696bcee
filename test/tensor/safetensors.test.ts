import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as T from '../../src/tensor/index.js';
import { loadSafetensors, saveSafetensors, tensor, tidy } from '../../src/tensor/index.js';
import { UserError } from '../../src/errors.js';
import { tempDir } from '../temp-dir.js';

const dir = tempDir('entrel-st-');
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('safetensors round trip: all dtypes, shapes, metadata', () => tidy(() => {
  const path = join(dir, 'm.safetensors');
  const src = {
    'emb.weight': T.randNormal([5, 3]),
    'f64': tensor(Float64Array.of(Math.PI, -1e-300, 1e300), { shape: [3] }),
    'idx': tensor(BigInt64Array.of(-5n, 9007199254740993n), { shape: [2, 1] }),
    'mask': tensor([true, false, true]),
    'scalar': tensor(4.25),
    'empty': T.zeros([0, 4]),
  };
  saveSafetensors(path, src, { format: 'pt', epoch: '3' });
  assert.deepEqual(readdirSync(dir), ['m.safetensors'], 'no temp file left behind');
  const bytes = readFileSync(path);
  const hlen = Number(bytes.readBigUInt64LE(0));
  assert.equal(hlen % 8, 0);
  const header = JSON.parse(bytes.subarray(8, 8 + hlen).toString());
  assert.deepEqual(header['emb.weight'].dtype, 'F32');
  assert.deepEqual(header.__metadata__, { format: 'pt', epoch: '3' });
  const { tensors, metadata } = loadSafetensors(path);
  assert.deepEqual(metadata, { format: 'pt', epoch: '3' });
  assert.deepEqual(Object.keys(tensors).sort(), Object.keys(src).sort());
  for (const [k, t] of Object.entries(src)) {
    assert.equal(tensors[k].dtype, t.dtype, k);
    assert.deepEqual(tensors[k].shape, t.shape, k);
    assert.deepEqual(Array.from(tensors[k].toTypedArray() as ArrayLike<unknown>), Array.from(t.toTypedArray() as ArrayLike<unknown>), k);
  }
  // overwrite atomically
  saveSafetensors(path, { a: T.ones([2]) });
  assert.deepEqual(Object.keys(loadSafetensors(path).tensors), ['a']);
}));

test('safetensors: truncated and corrupt files give UserErrors naming the file', () => {
  const good = join(dir, 'good.safetensors');
  tidy(() => saveSafetensors(good, { w: T.ones([4, 4]), b: T.zeros([4]) }));
  const bytes = readFileSync(good);
  const cases: [string, Buffer, RegExp][] = [
    ['tiny', bytes.subarray(0, 5), /shorter than the 8-byte header/],
    ['trunc-header', bytes.subarray(0, 20), /exceeds the file size/],
    ['trunc-data', bytes.subarray(0, bytes.byteLength - 3), /truncated|beyond the data/],
    ['trailing', Buffer.concat([bytes, Buffer.from([1, 2, 3])]), /trailing bytes/],
  ];
  const badJson = Buffer.from(bytes);
  badJson[8] = 0x5b; // '['
  badJson[9] = 0x7b;
  cases.push(['bad-json', badJson, /not valid JSON|not a JSON object/]);
  const hlen = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + hlen).toString());
  const mk = (h: unknown, data: Buffer): Buffer => {
    let j = JSON.stringify(h);
    j += ' '.repeat((8 - (j.length % 8)) % 8);
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(j.length));
    return Buffer.concat([len, Buffer.from(j), data]);
  };
  const data = bytes.subarray(8 + hlen);
  cases.push(['dtype', mk({ ...header, w: { ...header.w, dtype: 'Q8' } }, data), /unsupported dtype/]);
  cases.push(['shape', mk({ ...header, w: { ...header.w, shape: [4, 5] } }, data), /needs 80 bytes/]);
  cases.push(['offsets', mk({ ...header, w: { ...header.w, data_offsets: [0, 'x'] } }, data), /invalid data_offsets/]);
  for (const [name, buf, re] of cases) {
    const p = join(dir, `${name}.safetensors`);
    writeFileSync(p, buf);
    assert.throws(() => loadSafetensors(p), (e: unknown) => {
      assert.ok(e instanceof UserError, `${name}: UserError`);
      assert.ok(e.message.includes(p), `${name}: message names the file: ${e.message}`);
      assert.match(e.message, re, name);
      return true;
    });
  }
  assert.throws(() => loadSafetensors(join(dir, 'missing.safetensors')), /missing\.safetensors.*cannot read/);
});
