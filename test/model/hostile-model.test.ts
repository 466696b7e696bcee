/**
 * Model directories from strangers (review 12b: M1, M2, I6): a checksum is integrity, not authenticity,
 * so every case here carries checksums that match. A config asking for far more than its weights hold is
 * refused before anything is built; NaN or infinite weights are refused at load and by `entrel info`'s
 * check; a model file that is a FIFO, a device or too large is refused, not read.
 *
 * The cases that would hang or exhaust memory if the checks were missing run in a child process with a
 * time limit and a data-size limit (`ulimit -d`), so a regression fails the test instead of the machine.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../src/errors.js';
import { MAX_JSON_BYTES, MAX_WEIGHTS_BYTES, readBoundedFile } from '../../src/model/bounded-read.js';
import { MODEL_LIMITS } from '../../src/model/config.js';
import { defaultModelConfig } from './model-config.js';
import { loadModelDir, MODEL_FILES, readModelDir, saveModelDir, writeModelFiles } from '../../src/model/io.js';
import { weightsChecksum } from '../../src/model/model-ref.js';
import { MAX_ENTITY_TYPES, tagNames, Vocabulary } from '../../src/model/vocab.js';
import { expectedWeightShapes } from '../../src/model/weight-shapes.js';
import { liveTensorCount, loadSafetensors, noGrad, saveSafetensors } from '../../src/tensor/index.js';
import { SCHEMA, syntheticSentences } from './fixtures.js';
import { SMALL_DIMS, tinyJointModel } from './tiny-joint.js';
import { tempDir } from '../temp-dir.js';

const root = tempDir('entrel-hostile-');
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const IO = new URL('../../src/model/io.ts', import.meta.url).href;
const { model, vocab } = tinyJointModel({ torchSeed: 3, train: [12, 4], initSeed: 1, config: SMALL_DIMS });
let made = 0;

/** A copy of the tiny model with `edit` applied and its checksums renewed, as a stranger's would be. */
function hostile(edit: (dir: string) => void, fixSums = true): string {
  const dir = join(root, `m${++made}`);
  saveModelDir(dir, model, SCHEMA);
  edit(dir);
  if (fixSums) renewChecksums(dir);
  return dir;
}

function renewChecksums(dir: string): void {
  const sum = (f: string) => createHash('sha256').update(readFileSync(join(dir, f))).digest('hex');
  writeFileSync(join(dir, 'checksum'), MODEL_FILES.map((f) => `${sum(f)}  ${f}\n`).join(''));
}

const editJson = (file: string, f: (o: any) => void) => (dir: string) => {
  const o = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  f(o);
  writeFileSync(join(dir, file), JSON.stringify(o));
};
const setModel = (settings: Record<string, unknown>) => editJson('config.json', (o) => Object.assign(o.model, settings));

/** The UserError `load` throws, checked to be a corrupt model's. */
function refusal(load: () => unknown): UserError {
  try {
    load();
  } catch (e) {
    assert.ok(e instanceof UserError, `a UserError, not ${String(e)}`);
    assert.equal(e.code, 'ENTREL_MODEL_CORRUPT', e.message);
    return e;
  }
  assert.fail('the model was accepted');
}

/**
 * `readModelDir` and `loadModelDir` of `dir` in a child process limited to `seconds` and 2 GiB of data:
 * each one's error message, or "loaded", or how the child ended.
 */
function loadInChild(dir: string, seconds = 60): { read: string; load: string } {
  const script = `
    const { readModelDir, loadModelDir } = await import(${JSON.stringify(IO)});
    const out = {};
    for (const [k, f] of [['read', readModelDir], ['load', loadModelDir]]) {
      try { f(${JSON.stringify(dir)}); out[k] = 'loaded'; } catch (e) { out[k] = e.code + ' ' + e.message; }
    }
    console.log(JSON.stringify(out));`;
  const r = spawnSync('bash', ['-c', 'ulimit -d 2097152 && exec "$0" --import tsx --input-type=module -e "$1"', process.execPath, script], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: seconds * 1000,
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.error || r.status !== 0) return { read: `child ended: ${r.error?.message ?? r.signal ?? r.status} ${r.stderr.slice(-300)}`, load: '' };
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

// ------------------------------------------------------------------------------------------------ M1
test('model sizes beyond any trainable model are refused in config.json, naming the field', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ relWidths: Array.from({ length: 20_000 }, (_, i) => i + 1) }, /config\.json: relWidths\[64\]: must be a window width of at most 64, got 65$/],
    [{ lstmLayers: 100_000 }, /config\.json: lstmLayers: must be at most 16 layers, got 100000$/],
    [{ charWidths: Array.from({ length: 17 }, (_, i) => i + 1) }, /config\.json: charWidths: must be at most 16 widths, got \[1,2,3/],
    [{ wordDim: 65_537 }, /config\.json: wordDim: must be at most 65536, got 65537$/],
    [{ lmHidden: 1e12 }, /config\.json: lmHidden: must be at most 65536, got 1000000000000$/],
    [{ maxDistance: 1e15 }, /config\.json: maxDistance: must be at most 100000, got 1000000000000000$/],
  ];
  for (const [settings, re] of cases) {
    const dir = hostile(setModel(settings));
    assert.match(refusal(() => readModelDir(dir)).message, re);
    assert.match(refusal(() => loadModelDir(dir)).message, re);
  }
  // The limits admit the largest of each (the schema is training's too: what it trains, loading reads).
  const largest = { lstmLayers: MODEL_LIMITS.layers, relWidths: Array.from({ length: MODEL_LIMITS.widths }, (_, i) => MODEL_LIMITS.width - i), wordDim: MODEL_LIMITS.dim, maxDistance: MODEL_LIMITS.distance };
  assert.deepEqual(defaultModelConfig(largest).relWidths, largest.relWidths);
});

test('a config implying other weights than the file holds is refused before the model is built, naming the first tensor', () => {
  // A moderate model (16 layers of 64): the old loader built it whole, then compared. Nothing is built now.
  const dir = hostile(setModel({ lstmLayers: 16 }));
  const before = liveTensorCount();
  const e = refusal(() => loadModelDir(dir));
  assert.equal(liveTensorCount(), before, 'no tensor was made before the refusal');
  assert.match(e.message, /weights\.safetensors: missing weight "lstm\.weight_ih_l1"$/);
  // `entrel info`'s check says the same, without libtorch.
  assert.equal(refusal(() => readModelDir(dir)).message, e.message);
  const wider = hostile(setModel({ lstmHidden: 4096 }));
  assert.match(refusal(() => readModelDir(wider)).message, /weights\.safetensors: weight "lstm\.weight_ih_l0" has shape \[32,\d+\], the config and vocabulary need \[16384,\d+\]$/);
});

test('a 100 KB model whose config implies 90 GB of parameters is refused at once (child process, 2 GiB data limit)', () => {
  const settings = { lstmLayers: 16, lstmHidden: 8192, relWidths: [60, 61, 62, 63, 64] };
  const implied = [...expectedWeightShapes(defaultModelConfig({ ...SMALL_DIMS, ...settings }), vocab).values()].reduce((n, s) => n + 4 * s.reduce((a, b) => a * b, 1), 0);
  assert.ok(implied > 90e9, `the config implies ${implied} bytes`);
  const dir = hostile(setModel(settings));
  const { read, load } = loadInChild(dir);
  // Other widths: the file's are not the config's (the first tensor named in the file's order).
  assert.match(read, /^ENTREL_MODEL_CORRUPT .*weights\.safetensors: unexpected weight "rel_e1\.k2\.bias"$/, read);
  assert.equal(load, read);
});

test('more entity types than a model takes are refused in schema.json, and by training\'s vocabulary', () => {
  const types = Array.from({ length: MAX_ENTITY_TYPES + 1 }, (_, i) => `T${i}`);
  const dir = hostile((d) => {
    editJson('schema.json', (o) => (o.entityTypes = types))(d);
    editJson('vocab.json', (o) => (o.tags = tagNames({ entityTypes: types, relationTypes: [] }, 'BILOU')))(d);
  });
  const re = /schema\.json: entityTypes: has 1025 entity types, more than the 1024 a model takes \(its tag tables grow with the square of the number of tags\)$/;
  assert.match(refusal(() => readModelDir(dir)).message, re);
  assert.throws(() => Vocabulary.build(syntheticSentences(2), { ...SCHEMA, entityTypes: types }), (e: unknown) =>
    e instanceof UserError && /^the training data's label schema has 1025 entity types, more than the 1024/.test(e.message));
});

// ------------------------------------------------------------------------------------------------ M2
/** The weights file with `value` (a float32's bits) written into the first element of tensor `name`. */
const poison = (name: string, bits: number) => (dir: string) => {
  const p = join(dir, 'weights.safetensors');
  const buf = readFileSync(p);
  const n = Number(buf.readBigUInt64LE(0));
  const entry = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'))[name];
  buf.writeUInt32LE(bits, 8 + n + entry.data_offsets[0] + 4);
  writeFileSync(p, buf);
};

test('NaN or infinite weights are refused at load and by the check `entrel info` makes, naming the tensor', () => {
  for (const [name, bits] of [['word.weight', 0x7fc00000], ['rel_out.bias', 0x7f800000], ['tagger.weight', 0xff800000], ['lstm.weight_hh_l0', 0x7f800001]] as const) {
    const dir = hostile(poison(name, bits));
    const message = `${join(dir, 'weights.safetensors')}: tensor "${name}" holds NaN or infinite values (a diverged or tampered model)`;
    assert.equal(refusal(() => readModelDir(dir)).message, message);
    assert.equal(refusal(() => loadModelDir(dir)).message, message);
  }
  // The largest finite float32 and the smallest subnormal are numbers like any other.
  for (const bits of [0x7f7fffff, 0xff7fffff, 0x00000001]) loadModelDir(hostile(poison('word.weight', bits)));
  // A header of a length that leaves the data unaligned for float32 views is read as well.
  const unaligned = hostile((d) => (unalign(d), poison('char.emb.weight', 0x7fc00000)(d)));
  assert.match(refusal(() => readModelDir(unaligned)).message, /weights\.safetensors: tensor "char\.emb\.weight" holds NaN or infinite values/);
  loadModelDir(hostile(unalign));
});

/** The weights file with one space more after its header JSON: the tensor data starts at an odd offset. */
function unalign(dir: string): void {
  const p = join(dir, 'weights.safetensors');
  const buf = readFileSync(p);
  const n = Number(buf.readBigUInt64LE(0));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(n + 1));
  writeFileSync(p, Buffer.concat([len, buf.subarray(8, 8 + n), Buffer.from(' '), buf.subarray(8 + n)]));
}

test('weights of another dtype than float32 are refused, naming the first tensor', () => {
  const dir = hostile((d) => {
    const p = join(d, 'weights.safetensors');
    const { tensors } = loadSafetensors(p);
    saveSafetensors(p, Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.to('float64')])));
  });
  assert.match(refusal(() => readModelDir(dir)).message, /weights\.safetensors: weight "word\.weight" is float64, not float32$/);
});

test('a model with NaN weights is not written (a run that diverged)', () => {
  const { model: bad } = tinyJointModel({ torchSeed: 3, train: [12, 4], config: SMALL_DIMS });
  noGrad(() => bad.relation.out.bias.fill_(Number.NaN));
  const dir = join(root, 'diverged');
  assert.throws(() => saveModelDir(dir, bad, SCHEMA), (e: unknown) =>
    e instanceof UserError && e.message === `${dir}: the model's tensor "rel_out.bias" holds NaN or infinite values (training diverged): it is not written`);
  assert.equal(existsSync(dir), false, 'nothing was left behind');
  assert.throws(() => writeModelFiles(join(root, 'diverged2'), bad, SCHEMA), /"rel_out\.bias" holds NaN or infinite values/);
});

// ------------------------------------------------------------------------------------------------ I6
test('model files that are FIFOs, devices or /proc files are refused, not read (child process, time and data limits)', () => {
  const cases: [string, (dir: string) => void, RegExp][] = [
    ['weights.safetensors', (d) => execFileSync('mkfifo', [join(d, 'weights.safetensors')]), /weights\.safetensors: cannot read this model file: it is a FIFO \(named pipe\), not a regular file$/],
    ['weights.safetensors', (d) => symlinkSync('/dev/zero', join(d, 'weights.safetensors')), /weights\.safetensors: cannot read this model file: it is a device \(through a symbolic link\), not a regular file$/],
    ['config.json', (d) => symlinkSync('/dev/stdin', join(d, 'config.json')), /config\.json: cannot read this model file: it is (a FIFO \(named pipe\)|a device|a socket or a device) \(through a symbolic link\), not a regular file( \(ENXIO\))?$/],
    ['checksum', (d) => execFileSync('mkfifo', [join(d, 'checksum')]), /checksum: cannot read this model file: it is a FIFO \(named pipe\), not a regular file$/],
    ['vocab.json', (d) => symlinkSync('/proc/self/status', join(d, 'vocab.json')), /vocab\.json: cannot read this model file: it grew while it was read \(a file being written, or a special file such as those under \/proc\)$/],
  ];
  for (const [file, make, re] of cases) {
    const dir = hostile((d) => {
      unlinkSync(join(d, file));
      make(d);
    }, false);
    const { read, load } = loadInChild(dir, 30);
    assert.match(read, new RegExp(`^ENTREL_MODEL_CORRUPT .*${re.source}`), `${file}: ${read}`);
    assert.equal(load, read, file);
  }
  // The loader's way to tell copies apart reads the checksum file too: nothing, not a hang.
  const fifo = hostile((d) => (unlinkSync(join(d, 'checksum')), execFileSync('mkfifo', [join(d, 'checksum')])), false);
  assert.equal(weightsChecksum(fifo), undefined);
});

test('model files beyond their size limit are refused before they are read', () => {
  // Sparse files: their size without the disk space.
  const weights = hostile((d) => truncateSync(join(d, 'weights.safetensors'), MAX_WEIGHTS_BYTES + 1), false);
  assert.match(refusal(() => readModelDir(weights)).message, /weights\.safetensors: cannot read this model file: it is 4294967297 bytes, more than the 4 GiB a model file may have$/);
  const vocabDir = hostile((d) => truncateSync(join(d, 'vocab.json'), MAX_JSON_BYTES + 1), false);
  assert.match(refusal(() => loadModelDir(vocabDir)).message, /vocab\.json: cannot read this model file: it is 67108865 bytes, more than the 64 MiB a model file may have$/);
  // Within the limits, the bytes as they are.
  const f = join(root, 'small.bin');
  writeFileSync(f, 'abc');
  assert.equal(readBoundedFile(f, 'file', 3).toString(), 'abc');
  assert.throws(() => readBoundedFile(f, 'test file', 2), /small\.bin: cannot read this test file: it is 3 bytes, more than the 2 bytes a test file may have$/);
});
