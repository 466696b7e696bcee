/**
 * Broken model directories must fail at load with a clear one-line UserError naming the bad file — never
 * a native crash, never a generic exception. Each fault is applied to a fresh copy of a small saved model;
 * the loads run in one child process (load-model-child.ts), so a crash in libtorch fails this test
 * instead of killing the runner.
 *
 * Most faults come twice: with the checksum file left as saved (the checksum catches it) and with the
 * checksums recomputed, as someone "repairing" a directory by hand would do, so the fault reaches the
 * parsers behind the checksum (safetensors header, JSON, vocabulary, shapes).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { MODEL_FILES, saveModelDir } from '../../src/model/io.js';
import { randNormal, saveSafetensors, loadSafetensors, setNumThreads } from '../../src/tensor/index.js';
import { SCHEMA } from '../model/fixtures.js';
import { SMALL_DIMS, tinyJointModel } from '../model/tiny-joint.js';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

setNumThreads(1);
const root = tempDir('entrel-model-faults-');

const { model } = tinyJointModel({ torchSeed: 5, train: [10, 2], config: SMALL_DIMS });

const W = 'weights.safetensors';
const read = (dir: string, f: string) => readFileSync(join(dir, f));

function refreshChecksums(dir: string): void {
  const sums = MODEL_FILES.map((f) => {
    try {
      return `${createHash('sha256').update(read(dir, f)).digest('hex')}  ${f}\n`;
    } catch {
      return ''; // a deleted file stays unlisted
    }
  });
  writeFileSync(join(dir, 'checksum'), sums.join(''));
}

/** A safetensors file as its 8-byte length, JSON header and data bytes. */
function splitSafetensors(buf: Buffer): { header: Record<string, any>; data: Buffer } {
  const n = Number(buf.readBigUInt64LE(0));
  return { header: JSON.parse(buf.subarray(8, 8 + n).toString('utf8')), data: buf.subarray(8 + n) };
}

function joinSafetensors(header: unknown, data: Buffer): Buffer {
  const h = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  return Buffer.concat([len, h, data]);
}

const firstTensor = (header: Record<string, any>) => Object.keys(header).find((k) => k !== '__metadata__')!;

interface Fault {
  name: string;
  apply(dir: string): void;
  /** Recompute the checksum file after the damage. */
  refresh: boolean;
  /** The file the message must name, and what it must say. */
  file: string;
  says: RegExp;
}

const weights = (edit: (b: Buffer) => Buffer) => (dir: string) => writeFileSync(join(dir, W), edit(read(dir, W)));
/** Edits the first tensor's header entry of the weights file (its data left as it is). */
const firstTensorEntry = (edit: (entry: Record<string, any>, data: Buffer) => void) =>
  weights((b) => {
    const { header, data } = splitSafetensors(b);
    edit(header[firstTensor(header)], data);
    return joinSafetensors(header, data);
  });
const json = (file: string, edit: (o: any) => void) => (dir: string) => {
  const o = JSON.parse(read(dir, file).toString('utf8'));
  edit(o);
  writeFileSync(join(dir, file), JSON.stringify(o));
};
const flipBit = (at: (b: Buffer) => number, bit = 0) => (b: Buffer) => {
  const c = Buffer.from(b);
  c[at(c)] ^= 1 << bit;
  return c;
};

const FAULTS: Fault[] = [
  { name: 'truncated weights', apply: weights((b) => b.subarray(0, Math.floor(b.length / 2))), refresh: false, file: W, says: /checksum mismatch/ },
  { name: 'truncated weights, checksums recomputed (data cut)', apply: weights((b) => b.subarray(0, b.length - 7)), refresh: true, file: W, says: /truncated|exceeds|size|bytes/ },
  { name: 'truncated weights, checksums recomputed (inside the header)', apply: weights((b) => b.subarray(0, 40)), refresh: true, file: W, says: /header|truncated/ },
  { name: 'truncated weights, checksums recomputed (4 bytes left)', apply: weights((b) => b.subarray(0, 4)), refresh: true, file: W, says: /shorter than the 8-byte header/ },
  { name: 'empty weights file, checksums recomputed', apply: weights(() => Buffer.alloc(0)), refresh: true, file: W, says: /0 bytes/ },
  { name: 'bit-flipped weights (data)', apply: weights(flipBit((b) => b.length - 3, 6)), refresh: false, file: W, says: /checksum mismatch/ },
  { name: 'bit-flipped weights (header length), checksums recomputed', apply: weights(flipBit(() => 5, 3)), refresh: true, file: W, says: /header length/ },
  { name: 'bit-flipped weights (header JSON), checksums recomputed', apply: weights(flipBit(() => 8, 1)), refresh: true, file: W, says: /header is not valid JSON|not a JSON object/ },
  {
    name: 'weights header claiming a bigger shape than its data, checksums recomputed',
    apply: firstTensorEntry((t) => (t.shape = t.shape.map((d: number) => d * 1000))),
    refresh: true,
    file: W,
    says: /tensor|offsets|bytes|shape/,
  },
  {
    name: 'weights with data offsets past the end, checksums recomputed',
    apply: firstTensorEntry((t, data) => (t.data_offsets = [0, data.length + 4096])),
    refresh: true,
    file: W,
    says: /offset|bytes|past|exceeds/,
  },
  {
    name: 'weights with an unsupported dtype, checksums recomputed',
    apply: firstTensorEntry((t) => (t.dtype = 'F128')),
    refresh: true,
    file: W,
    says: /unsupported dtype/,
  },
  {
    name: 'weights of the wrong shape (a valid file), checksums recomputed',
    apply: (dir) => {
      const p = join(dir, W);
      const { tensors } = loadSafetensors(p);
      const name = Object.keys(tensors).sort()[0];
      saveSafetensors(p, { ...tensors, [name]: randNormal([3, 5, 7]) });
    },
    refresh: true,
    file: W,
    says: /has shape \[3,5,7\]/,
  },
  { name: 'wrong version', apply: json('config.json', (o) => (o.version = 2)), refresh: true, file: 'config.json', says: /unsupported model format version 2/ },
  { name: 'wrong version, checksum left stale', apply: json('config.json', (o) => (o.version = 2)), refresh: false, file: 'config.json', says: /checksum mismatch/ },
  { name: 'not an entrel model config', apply: json('config.json', (o) => (o.format = 'pytorch')), refresh: true, file: 'config.json', says: /not an entrel model config/ },
  { name: 'missing vocabulary', apply: (dir) => unlinkSync(join(dir, 'vocab.json')), refresh: false, file: 'vocab.json', says: /missing model file/ },
  { name: 'missing vocabulary, checksums recomputed', apply: (dir) => unlinkSync(join(dir, 'vocab.json')), refresh: true, file: 'vocab.json', says: /missing model file/ },
  { name: 'vocabulary of the wrong shape', apply: json('vocab.json', (o) => (o.words = 42)), refresh: true, file: 'vocab.json', says: /./ },
  { name: 'corrupt JSON (config.json)', apply: (dir) => writeFileSync(join(dir, 'config.json'), read(dir, 'config.json').subarray(0, 30)), refresh: true, file: 'config.json', says: /cannot read model file/ },
  { name: 'corrupt JSON (vocab.json)', apply: (dir) => writeFileSync(join(dir, 'vocab.json'), '{"words": ['), refresh: true, file: 'vocab.json', says: /cannot read model file/ },
  { name: 'corrupt JSON (schema.json)', apply: (dir) => writeFileSync(join(dir, 'schema.json'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), refresh: true, file: 'schema.json', says: /cannot read model file|UTF-8/ },
  { name: 'checksum mismatch (schema edited)', apply: json('schema.json', (o) => o.entityTypes.push('X')), refresh: false, file: 'schema.json', says: /checksum mismatch/ },
  { name: 'checksum file garbled', apply: (dir) => writeFileSync(join(dir, 'checksum'), 'not a checksum line\n'), refresh: false, file: 'checksum', says: /malformed line/ },
  { name: 'checksum file empty', apply: (dir) => writeFileSync(join(dir, 'checksum'), ''), refresh: false, file: 'checksum', says: /no checksum for/ },
];

const dirs = new Map<Fault, string>();
let results: Map<string, { outcome: string; message: string }>;
let crash = '';

before(() => {
  FAULTS.forEach((f, i) => {
    const dir = join(root, `fault-${i}`);
    saveModelDir(dir, model, SCHEMA);
    f.apply(dir);
    if (f.refresh) refreshChecksums(dir);
    dirs.set(f, dir);
  });
  const intact = join(root, 'intact');
  saveModelDir(intact, model, SCHEMA);
  const args = ['--import', 'tsx', join(import.meta.dirname, 'load-model-child.ts'), intact, ...dirs.values()];
  let out: string;
  try {
    out = execFileSync(process.execPath, args, { ...CHILD_LIMIT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { signal?: string; status?: number; stdout?: string; stderr?: string };
    crash = `the loader process died (signal ${err.signal}, exit ${err.status}): ${err.stderr?.slice(-2000)}`;
    out = err.stdout ?? '';
  }
  results = new Map(out.trim().split('\n').filter(Boolean).map((l) => {
    const r = JSON.parse(l) as { dir: string; outcome: string; message: string };
    return [r.dir, r];
  }));
  assert.equal(results.get(intact)?.outcome, 'loaded', 'the undamaged copy must load');
});

for (const f of FAULTS)
  test(`model file fault: ${f.name} → one-line UserError naming ${f.file}`, () => {
    const dir = dirs.get(f)!;
    const r = results.get(dir);
    assert.ok(r, crash || 'no result for this directory');
    assert.equal(r.outcome, 'user-error', r.message);
    assert.ok(!r.message.includes('\n'), r.message);
    assert.ok(r.message.startsWith(join(dir, f.file)), `names ${f.file}: ${r.message}`);
    assert.match(r.message, f.says);
  });
