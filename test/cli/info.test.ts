/**
 * `entrel info`: the model card of the bundled model and of a tiny saved model, read without libtorch,
 * and a one-line error naming the file (and field) for every broken directory.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatModelCard } from '../../src/cli/model-card-text.js';
import { readModelCard, type ModelCard } from '../../src/extract/model-card.js';
import { DEFAULT_MODEL_DIR, Extractor } from '../../src/extract/index.js';
import { MODEL_FILES, saveModelDir } from '../../src/model/io.js';
import { SCHEMA } from '../model/fixtures.js';
import { SMALL_DIMS, tinyJointModel } from '../model/tiny-joint.js';
import { entrel } from './in-process.js';
import { tempDir } from '../temp-dir.js';
import { CHILD_LIMIT } from '../child-limit.js';

const root = join(import.meta.dirname, '..', '..');
const tmp = tempDir('entrel-info-');

/** `entrel ...args` from src in a child process whose native binding cannot load: info must not need it. */
function entrelWithoutLibtorch(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const code = "import { run } from './src/cli/main.ts'; process.exitCode = await run(['node', 'entrel', ...process.argv.slice(1)]);";
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, ...args], {
    ...CHILD_LIMIT,
    cwd: root,
    env: { ...process.env, ENTREL_NATIVE_PATH: join(tmp, 'no-such-binding.node') },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The tensors of a safetensors file, parsed here by hand: name → shape. */
function safetensorsShapes(file: string): Map<string, number[]> {
  const buf = readFileSync(file);
  const header = JSON.parse(buf.subarray(8, 8 + Number(buf.readBigUInt64LE(0))).toString('utf8'));
  delete header.__metadata__;
  return new Map(Object.entries(header).map(([name, t]) => [name, (t as { shape: number[] }).shape]));
}

const elements = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const bundled = (f: string) => join(DEFAULT_MODEL_DIR, f);

describe('entrel info on the bundled model', () => {
  it('--json: labels, tokenizer, parameters and shapes from the safetensors header, metrics, checksum, size — without libtorch', async () => {
    const r = entrelWithoutLibtorch('info', '--json');
    assert.equal(r.status, 0, r.stderr);
    const card = JSON.parse(r.stdout) as ModelCard;
    const config = JSON.parse(readFileSync(bundled('config.json'), 'utf8'));
    assert.equal(card.name, 'entrel-conll04');
    assert.equal(card.format, 'entrel-model');
    assert.equal(card.formatVersion, 1);
    assert.deepEqual(card.entityTypes, ['Loc', 'Org', 'Other', 'Peop']);
    assert.deepEqual(card.relationTypes.map((t) => t.name).sort(), ['Kill', 'Live_In', 'Located_In', 'OrgBased_In', 'Work_For']);
    assert.ok(card.relationTypes.every((t) => t.symmetric === false), 'card.relationTypes.every((t) => t.symmetric === false)');
    assert.equal(card.tokenizer, 'conll04');
    assert.deepEqual(card.model, { ...card.model, ...config.model }, 'the settings of config.json (and the defaults of later ones)');
    assert.equal(card.glove, true);
    assert.deepEqual(card.metrics, config.meta.metrics);
    assert.match(card.trainedOn ?? '', /CoNLL04 train \+ dev/);

    const shapes = safetensorsShapes(bundled('weights.safetensors'));
    assert.equal(card.parameters, [...shapes.values()].reduce((n, s) => n + elements(s), 0));
    assert.deepEqual(new Map(card.tensors.map((t) => [t.name, t.shape])), shapes);
    const vocab = JSON.parse(readFileSync(bundled('vocab.json'), 'utf8'));
    assert.deepEqual([card.vocabulary.words, card.vocabulary.chars], [vocab.words.length, vocab.chars.length]);
    assert.equal(card.checksum, sha256(readFileSync(bundled('checksum'), 'utf8')));
    const files = readdirSync(DEFAULT_MODEL_DIR);
    assert.equal(card.sizeBytes, files.reduce((n, f) => n + statSync(bundled(f)).size, 0));
  });

  it("keeps Extractor.info()'s fields, names and values (GET /v1/model)", async () => {
    const ex = await Extractor.load(undefined, { workers: 0 });
    try {
      const card = readModelCard();
      for (const [key, value] of Object.entries(ex.info())) assert.deepEqual(card[key as keyof ModelCard], value, key);
    } finally {
      await ex.close();
    }
  });

  it('has --help', () => {
    const r = entrelWithoutLibtorch('info', '--help');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: entrel info \[options\]/);
    assert.match(r.stdout, /--model <dir\|package>/);
  });

  it('prints a readable card', () => {
    const r = entrelWithoutLibtorch('info');
    assert.equal(r.status, 0, r.stderr);
    const card = readModelCard();
    const line = (key: string) => r.stdout.split('\n').find((l) => l.startsWith(key + ' '))?.slice(key.length).trim();
    assert.equal(line('model'), `entrel-conll04 ${card.version} (entrel-model format 1)`);
    assert.equal(line('entities'), 'Loc, Org, Other, Peop');
    assert.equal(line('relations'), 'OrgBased_In, Work_For, Located_In, Live_In, Kill (all directed)');
    assert.equal(line('tokenizer'), 'conll04');
    assert.equal(line('tagger'), 'crf, viterbi decoding, BILOU tags');
    assert.match(line('encoder') ?? '', /^words 100d, characters 50d .*casing 10d → BiLSTM 128 per direction, 1 layer$/);
    assert.equal(line('parameters'), `${card.parameters.toLocaleString('en-US')} in ${card.tensors.length} float32 tensors (shapes: --json)`);
    assert.equal(line('vocabulary'), `${card.vocabulary.words.toLocaleString('en-US')} words, ${card.vocabulary.chars} characters`);
    assert.equal(line('word vectors'), 'GloVe 6B 100d');
    assert.equal(line('checksum'), `${card.checksum} (every model file verified)`);
    const test = (card.metrics as { test: Record<string, number> }).test;
    assert.match(line('metrics') ?? '', new RegExp(`^test: entityF1 ${test.entityF1}, relationStrictF1 ${test.relationStrictF1}, `));
    assert.match(r.stdout, /^\s+word\s+707,500$/m, 'parameters per module');
  });
});

// A tiny model saved with the meta `entrel train` records (no name, version or metrics).
const { model, vocab } = tinyJointModel({ torchSeed: 4, train: [10, 2], config: { ...SMALL_DIMS, caseDim: 3 } });
const tinyDir = join(tmp, 'tiny');
saveModelDir(tinyDir, model, SCHEMA, { glove: false, trainConfig: { data: { train: 'train.jsonl', dev: 'dev.jsonl' } } });

describe('entrel info on a tiny saved model', () => {
  it('counts its parameters, names its labels and says what was not recorded', () => {
    const card = readModelCard(tinyDir);
    const params = [...model.parameters()];
    assert.equal(card.parameters, params.reduce((n, [, p]) => n + elements(p.shape), 0));
    assert.deepEqual(new Map(card.tensors.map((t) => [t.name, t.shape])), new Map(params.map(([name, p]) => [name, p.shape])));
    assert.deepEqual(card.vocabulary, { words: vocab.words.size, chars: vocab.chars.size, tags: vocab.tags.size, relationLabels: vocab.relations.size });
    assert.equal(card.name, 'tiny');
    // A run's model directory is named with its run: best/ alone says nothing.
    const runDir = join(tmp, 'my-run');
    cpSync(tinyDir, join(runDir, 'best'), { recursive: true });
    assert.equal(readModelCard(join(runDir, 'best')).name, 'my-run/best');
    assert.equal(card.version, '0');
    assert.equal(card.tokenizer, 'ptb');
    assert.equal(card.glove, false);
    assert.equal(card.writtenBy, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    assert.deepEqual(card.trainData, ['train.jsonl']);
    assert.equal(card.metrics, undefined);
    const text = formatModelCard(card);
    assert.match(text, /^relations +Work_For, Located_In, Kin \(symmetric\)$/m);
    assert.match(text, new RegExp(`^model +tiny \\(entrel-model format 1, written by entrel ${card.writtenBy}\\)$`, 'm'));
    assert.match(text, /^word vectors +none \(random initialisation\)$/m);
    assert.match(text, /^trained on +train\.jsonl$/m);
    assert.match(text, /^metrics +not recorded$/m);
    assert.match(text, /casing 3d → BiLSTM 8 per direction/);
  });
});

describe('entrel info on a broken model directory: one line naming the file (and field), exit 1', () => {
  let n = 0;
  /** A copy of the tiny model, edited; `refresh` recomputes the checksums so the fault reaches the parsers. */
  function broken(edit: (dir: string) => void, refresh = true): string {
    const dir = join(tmp, `broken-${n++}`);
    cpSync(tinyDir, dir, { recursive: true });
    edit(dir);
    if (refresh) writeFileSync(join(dir, 'checksum'), MODEL_FILES.map((f) => `${sha256(readFileSync(join(dir, f)))}  ${f}\n`).join(''));
    return dir;
  }
  const editJson = (file: string, f: (o: any) => void) => (dir: string) => {
    const o = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    f(o);
    writeFileSync(join(dir, file), JSON.stringify(o));
  };
  const empty = () => {
    const dir = join(tmp, `empty-${n++}`);
    mkdirSync(dir);
    return dir;
  };
  const run = () => {
    const dir = join(tmp, `run-${n++}`);
    cpSync(tinyDir, join(dir, 'best'), { recursive: true });
    return dir;
  };
  const weights = (edit: (w: Buffer) => Buffer) => (dir: string) =>
    writeFileSync(join(dir, 'weights.safetensors'), edit(readFileSync(join(dir, 'weights.safetensors'))));
  /** Name, the directory, and the file the line must start with and what it must say after it. */
  const cases: [string, () => string, (dir: string) => [string, RegExp]][] = [
    ['missing directory', () => join(tmp, 'nowhere'), (d) => [d, /^model directory not found$/]],
    ['not a model directory', empty, (d) => [join(d, 'config.json'), /^missing model file \(not a complete model directory\?\)$/]],
    ['a training run, whose model is in best/', run, (d) => [join(d, 'config.json'), /^missing model file; .* is a training run: its model is .*best$/]],
    ['corrupt config.json', () => broken((d) => writeFileSync(join(d, 'config.json'), '{"format": "entrel-')), (d) => [join(d, 'config.json'), /^cannot read model file/]],
    ['a bad setting in config.json', () => broken(editJson('config.json', (o) => (o.model.tagger = 'hmm'))), (d) => [join(d, 'config.json'), /^tagger: must be "softmax" or "crf", got "hmm"$/]],
    ['corrupt vocab.json', () => broken(editJson('vocab.json', (o) => (o.words = 42))), (d) => [join(d, 'vocab.json'), /^words: must be an array of strings$/]],
    [
      'corrupt weights header',
      () => broken(weights((w) => Buffer.concat([w.subarray(0, 8), Buffer.from(']'), w.subarray(9)]))),
      (d) => [join(d, 'weights.safetensors'), /^not a valid safetensors file \(header is not valid JSON/],
    ],
    [
      'truncated weights',
      () => broken(weights((w) => w.subarray(0, 40))),
      (d) => [join(d, 'weights.safetensors'), /^not a valid safetensors file \(header length \d+ exceeds the file size 40/],
    ],
    ['checksum mismatch', () => broken(editJson('schema.json', (o) => o.entityTypes.push('X')), false), (d) => [join(d, 'schema.json'), /^checksum mismatch/]],
  ];
  for (const [name, make, says] of cases)
    it(name, async () => {
      const dir = make();
      const [file, message] = says(dir);
      const r = await entrel('info', '--model', dir);
      assert.equal(r.code, 1, r.err);
      assert.equal(r.err.split('\n').filter(Boolean).length, 1, r.err);
      assert.ok(r.err.startsWith(`entrel: ${file}: `), r.err);
      assert.match(r.err.slice(`entrel: ${file}: `.length).trimEnd(), message);
    });
});
