/**
 * Model directory format, version 1. A directory holding exactly:
 *
 *   config.json          {"format": "entrel-model", "version": 1, "model": ModelConfig, "meta": {...}}
 *                        (`meta`: free-form JSON about how the model was made — training config, scores)
 *   schema.json          the LabelSchema {"entityTypes": [...], "relationTypes": [{"name", "symmetric"}]}
 *   vocab.json           model/vocab.ts VocabJson (words, chars, tags, relation labels, tag scheme)
 *   weights.safetensors  every trainable parameter under its stable name (JointModel.parameters()),
 *                        float32, little-endian (https://github.com/huggingface/safetensors)
 *   checksum             one line per file above: `<sha256 hex>  <file name>` (sha256sum format)
 *
 * `saveModelDir` writes into a temporary sibling directory and renames it into place (atomic on one file
 * system), refusing to replace a directory that holds other files; `writeModelFiles` writes into an existing empty directory (for callers with their own atomic
 * directory writer). `loadModelDir` validates everything and throws a UserError naming the bad file:
 * missing file, unknown format or version, checksum mismatch, invalid config/schema/vocabulary,
 * vocabulary not matching the schema, missing/extra/wrong-shape weights, NaN or infinite weights;
 * `readModelDir` does the same without libtorch, short of building the model.
 *
 * A model directory may come from a stranger, and a checksum is integrity, not authenticity: each file is
 * read once, only if it is a regular file of a bounded size (bounded-read.ts), and the weights file's
 * names and shapes are compared with those the config and vocabulary imply (weight-shapes.ts) before
 * anything is built, so no config can make building the model take more memory than its weights file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeDirAtomicSync } from '../data/atomic.js';
import { makeDirs } from '../data/dirs.js';
import type { LabelSchema } from '../data/corpus.js';
import { quote, UserError } from '../errors.js';
import { loadSafetensors, noGrad, readSafetensorsHeader, saveSafetensors, tidy, type Tensor } from '../tensor/index.js';
import type { SafetensorsHeader } from '../tensor/safetensors.js';
import { MAX_JSON_BYTES, MAX_WEIGHTS_BYTES, readBoundedFile } from './bounded-read.js';
import { validateModelConfig } from './config.js';
import { JointModel } from './joint.js';
import { withoutInit } from './layers/module.js';
import type { ModelConfig } from './types.js';
import { ENTREL_VERSION } from './version.js';
import { entityTypesLimit, Vocabulary } from './vocab.js';
import { expectedWeightShapes } from './weight-shapes.js';

export const MODEL_FORMAT = 'entrel-model';
export const MODEL_FORMAT_VERSION = 1;
export const MODEL_FILES = ['config.json', 'schema.json', 'vocab.json', 'weights.safetensors'] as const;

export interface LoadedModel {
  model: JointModel;
  schema: LabelSchema;
  config: ModelConfig;
  meta: Record<string, unknown>;
}

/** Writes the model files into `dir` (created if needed; should be empty); `meta.entrelVersion` says which entrel wrote them. */
export function writeModelFiles(dir: string, model: JointModel, schema: LabelSchema, meta: Record<string, unknown> = {}): void {
  if (!model.vocab.matchesSchema(schema)) throw new Error('writeModelFiles: the schema does not match the model vocabulary');
  refuseNonFinite(model, dir);
  makeDirs(dir);
  const json = (v: unknown) => JSON.stringify(v, null, 1) + '\n';
  const config = { format: MODEL_FORMAT, version: MODEL_FORMAT_VERSION, model: model.config, meta: { entrelVersion: ENTREL_VERSION, ...meta } };
  writeFileSync(join(dir, 'config.json'), json(config));
  writeFileSync(join(dir, 'schema.json'), json(schema));
  writeFileSync(join(dir, 'vocab.json'), JSON.stringify(model.vocab.toJSON()) + '\n');
  const weights: Record<string, Tensor> = {};
  noGrad(() => {
    for (const [name, t] of model.parameters()) weights[name] = t.detach().to('float32').contiguous();
  });
  saveSafetensors(join(dir, 'weights.safetensors'), weights, { format: MODEL_FORMAT, version: String(MODEL_FORMAT_VERSION) });
  writeChecksum(dir);
}

/**
 * A model whose weights hold NaN or ±∞ (a diverged run) is not written: it would predict nothing, and
 * loading refuses it. A UserError naming `dir`, the directory it was to be written to, and the tensor.
 */
function refuseNonFinite(model: JointModel, dir: string): void {
  const name = nonFiniteParameter(model.parameters());
  if (name !== undefined) throw new UserError(`the model's tensor ${quote(name, 200)} holds NaN or infinite values (training diverged): it is not written`, { file: dir });
}

/** The name of the first parameter holding a NaN or an infinity, if any (the training loop asks too). */
export function nonFiniteParameter(params: Iterable<[string, Tensor]>): string | undefined {
  return noGrad(() =>
    tidy(() => {
      // 0 · x sums to NaN exactly when some x is NaN or ±∞.
      for (const [name, t] of params) if (Number.isNaN(t.mul(0).sum().item())) return name;
      return undefined;
    }),
  );
}

/** The `checksum` file of the model files in `dir` (after writing them, or changing config.json's meta). */
export function writeChecksum(dir: string): void {
  writeFileSync(join(dir, 'checksum'), checksumText(dir, MODEL_FILES));
}

/** A `checksum` file's text for `files` in `dir`: `<sha256 hex>  <name>` a line (sha256sum's format; checkpoints use it too). */
export function checksumText(dir: string, files: readonly string[]): string {
  return files.map((f) => `${sha256(join(dir, f))}  ${f}\n`).join('');
}

/**
 * Atomically (re)places `dir` with a complete model directory (data/atomic.ts). A directory holding
 * anything but model files (the user's, or a training run's logs) is refused, not replaced. `what` names
 * the model in errors (`calibrated model`).
 */
export function saveModelDir(dir: string, model: JointModel, schema: LabelSchema, meta: Record<string, unknown> = {}, what = 'model'): void {
  refuseNonModelDirectory(dir, what);
  refuseNonFinite(model, dir);
  writeDirAtomicSync(dir, `the ${what}`, (tmp) => writeModelFiles(tmp, model, schema, meta));
}

/**
 * A model write replaces its directory whole: a directory holding anything but the model files (a
 * README, a test report, a run's log, the user's files) is refused with a UserError; an earlier model is
 * fine. `what` names the model in the message ("calibrated model").
 */
export function refuseNonModelDirectory(dir: string, what: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // absent; a file in the way is the writer's error
  }
  const ours = new Set<string>([...MODEL_FILES, 'checksum']);
  const other = names.filter((n) => !ours.has(n));
  if (other.length)
    throw new UserError(`holds ${quote(other[0])}${other.length > 1 ? ` and ${other.length - 1} more` : ''}, which is not a model file: the ${what} replaces the whole directory, so choose a new or empty one`, { file: dir });
}

/**
 * The sha256 of a file of a model directory, or of a `kind` of file that is checked the same way (a
 * checkpoint file): a regular file of at most MAX_WEIGHTS_BYTES, else a UserError naming it.
 */
export function sha256(path: string, kind = 'model file'): string {
  return digest(readBoundedFile(path, kind, MAX_WEIGHTS_BYTES));
}

const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The digests a `checksum` file lists (sha256sum's format, `checksumText`), by file name; a malformed line
 * is refused, naming it. `kind` names what the file is of in errors, as `sha256`'s.
 */
export function readChecksums(path: string, kind = 'model file'): Map<string, string> {
  const listed = new Map<string, string>();
  readBoundedFile(path, kind, MAX_JSON_BYTES).toString('utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const m = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    if (!m) throw new UserError(`malformed line ${JSON.stringify(line)} (expected "<sha256 hex>  <file name>")`, { file: path, line: i + 1 });
    listed.set(m[2], m[1]);
  });
  return listed;
}

/** A JSON model file's content (`bytes`, read from `path`). */
function parseJson(bytes: Buffer, path: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new UserError(`cannot read model file: ${(e as Error).message}`, { file: path });
  }
}

/** A model directory's files, read and validated, without its weights. */
interface ModelDirContents {
  schema: LabelSchema;
  config: ModelConfig;
  meta: Record<string, unknown>;
  vocab: Vocabulary;
}

/**
 * Checks a model directory as `loadModelDir` does (files present, checksums, config, schema, vocabulary,
 * the weights' names, shapes and values) and returns everything but the weights: no libtorch needed.
 */
export function readModelDir(dir: string): ModelDirContents {
  const { weights: _, ...contents } = modelErrors(() => readModelFiles(dir));
  return contents;
}

/** Whatever is wrong inside a model directory that is there, the model is what is broken (UserError codes). */
function modelErrors<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof UserError && e.code === 'ENTREL_INVALID_INPUT') e.code = 'ENTREL_MODEL_CORRUPT';
    throw e;
  }
}

/** The checked contents, and the bytes of weights.safetensors (read once: what was checked is what is loaded). */
function readModelFiles(dir: string): ModelDirContents & { weights: Buffer } {
  if (!existsSync(dir)) throw new UserError('model directory not found', { file: dir }, 'ENTREL_MODEL_NOT_FOUND');
  if (!statSync(dir).isDirectory()) {
    const hint = [...MODEL_FILES, 'checksum'].includes(basename(dir)) ? `: the model directory is ${dirname(dir)}` : ' (the directory holding config.json, weights.safetensors, …)';
    throw new UserError(`is a file, not a model directory${hint}`, { file: dir }, 'ENTREL_MODEL_NOT_FOUND');
  }
  for (const f of [...MODEL_FILES, 'checksum']) {
    if (existsSync(join(dir, f))) continue;
    // A training run's directory holds its model in best/: the likely slip.
    const hint = existsSync(join(dir, 'best', f)) ? `; ${dir} is a training run: its model is ${join(dir, 'best')}` : ' (not a complete model directory?)';
    // Without its config, the directory is no model at all (a mistyped path): not found rather than corrupt.
    throw new UserError(`missing model file${hint}`, { file: join(dir, f) }, f === 'config.json' ? 'ENTREL_MODEL_NOT_FOUND' : 'ENTREL_MODEL_CORRUPT');
  }

  // Checksums first: a corrupt file is reported as such, not as whatever parse error it causes.
  const sumPath = join(dir, 'checksum');
  const listed = readChecksums(sumPath);
  const bytes = new Map<string, Buffer>();
  for (const f of MODEL_FILES) {
    const want = listed.get(f);
    if (!want) throw new UserError(`no checksum for ${f}`, { file: sumPath });
    const b = readBoundedFile(join(dir, f), 'model file', f === 'weights.safetensors' ? MAX_WEIGHTS_BYTES : MAX_JSON_BYTES);
    if (digest(b) !== want)
      throw new UserError('checksum mismatch: the file was modified or corrupted after the model was saved', { file: join(dir, f) });
    bytes.set(f, b);
  }
  const json = (f: string) => parseJson(bytes.get(f)!, join(dir, f));

  const cfgPath = join(dir, 'config.json');
  const cfg = json('config.json') as Record<string, unknown> | null;
  if (!cfg || typeof cfg !== 'object' || cfg.format !== MODEL_FORMAT)
    throw new UserError(`not an entrel model config (format ${JSON.stringify(cfg?.format)})`, { file: cfgPath, field: 'format' });
  if (cfg.version !== MODEL_FORMAT_VERSION)
    throw new UserError(`unsupported model format version ${JSON.stringify(cfg.version)} (this build reads ${MODEL_FORMAT_VERSION})`, {
      file: cfgPath,
      field: 'version',
    });
  const config = validateModelConfig(cfg.model, cfgPath);
  const meta = (cfg.meta && typeof cfg.meta === 'object' ? cfg.meta : {}) as Record<string, unknown>;

  const schemaPath = join(dir, 'schema.json');
  const schema = validateSchema(json('schema.json'), schemaPath);
  const vocabPath = join(dir, 'vocab.json');
  const vocab = Vocabulary.fromJSON(json('vocab.json'), vocabPath);
  if (vocab.tagScheme !== config.tagScheme)
    throw new UserError(`tag scheme ${vocab.tagScheme} differs from config.json's ${config.tagScheme}`, { file: vocabPath });
  if (!vocab.matchesSchema(schema))
    throw new UserError('tags/relation labels do not match schema.json', { file: vocabPath });

  const wPath = join(dir, 'weights.safetensors');
  const weights = bytes.get('weights.safetensors')!;
  checkWeights(readSafetensorsHeader(wPath, weights), expectedWeightShapes(config, vocab), weights, wPath);
  return { schema, config, meta, vocab, weights };
}

/**
 * The weights file against the parameters the config and vocabulary imply (names, shapes, float32),
 * then every value: NaN or ±∞ anywhere would make the model's output silently empty (a diverged run, or
 * a tampered file). Refuses the first tensor that is wrong, naming it.
 */
function checkWeights({ entries, dataStart }: SafetensorsHeader, expected: Map<string, number[]>, bytes: Buffer, wPath: string): void {
  const fail = (message: string) => new UserError(message, { file: wPath });
  const byName = new Map(entries.map((e) => [e.name, e]));
  for (const { name } of entries) if (!expected.has(name)) throw fail(`unexpected weight ${quote(name, 200)}`);
  for (const [name, shape] of expected) {
    const e = byName.get(name);
    if (!e) throw fail(`missing weight "${name}"`);
    if (e.shape.join(',') !== shape.join(',')) throw fail(`weight "${name}" has shape [${e.shape}], the config and vocabulary need [${shape}]`);
    if (e.dtype !== 'float32') throw fail(`weight "${name}" is ${e.dtype}, not float32`);
  }
  for (const name of expected.keys()) {
    const { begin, end } = byName.get(name)!;
    if (!allFinite(bytes, dataStart + begin, dataStart + end)) throw fail(`tensor "${name}" holds NaN or infinite values (a diverged or tampered model)`);
  }
}

/** Whether the little-endian float32 values in bytes [start, end) are all finite (none has an all-ones exponent). */
function allFinite(bytes: Buffer, start: number, end: number): boolean {
  const at = bytes.byteOffset + start;
  // A header whose length is no multiple of 4 leaves the data unaligned: a copy is.
  const words = at % 4 === 0 ? new Uint32Array(bytes.buffer, at, (end - start) / 4) : new Uint32Array(Uint8Array.from(bytes.subarray(start, end)).buffer);
  for (let i = 0; i < words.length; i++) if ((words[i] & 0x7f800000) === 0x7f800000) return false;
  return true;
}

/** Loads and validates a model directory. */
export function loadModelDir(dir: string): LoadedModel {
  const { schema, config, meta, vocab, weights } = modelErrors(() => readModelFiles(dir));
  // Sizes and values checked already (readModelFiles): building the model takes what the file holds.
  const model = withoutInit(() => new JointModel(config, vocab)); // weights come from the file
  const wPath = join(dir, 'weights.safetensors');
  const { tensors } = modelErrors(() => loadSafetensors(wPath, weights));
  const params = model.parameters();
  modelErrors(() => copyWeights(tensors, params, wPath));
  model.eval();
  return { model, schema, config, meta };
}

/** The file's tensors into the model's parameters, each checked by name and shape. */
function copyWeights(tensors: Record<string, Tensor>, params: Map<string, Tensor>, wPath: string): void {
  for (const name of Object.keys(tensors))
    if (!params.has(name)) throw new UserError(`unexpected weight "${name}"`, { file: wPath });
  noGrad(() => {
    for (const [name, p] of params) {
      const t = tensors[name];
      if (!t) throw new UserError(`missing weight "${name}"`, { file: wPath });
      if (t.shape.join(',') !== p.shape.join(','))
        throw new UserError(`weight "${name}" has shape [${t.shape}], the config and vocabulary need [${p.shape}]`, { file: wPath });
      p.copy_(t);
      t.dispose();
    }
  });
}

function validateSchema(obj: unknown, file: string): LabelSchema {
  const fail = (msg: string, field?: string): never => {
    throw new UserError(msg, { file, field });
  };
  if (!obj || typeof obj !== 'object') fail('not a JSON object');
  const o = obj as Record<string, unknown>;
  if (!Array.isArray(o.entityTypes) || o.entityTypes.some((t) => typeof t !== 'string' || !t))
    fail('must be a list of non-empty strings', 'entityTypes');
  const tooMany = entityTypesLimit((o.entityTypes as string[]).length);
  if (tooMany) fail(tooMany, 'entityTypes');
  if (!Array.isArray(o.relationTypes)) return fail('must be a list', 'relationTypes');
  const rels = (o.relationTypes as unknown[]).map((r, i) => {
    const x = r as Record<string, unknown>;
    if (!x || typeof x.name !== 'string' || !x.name || typeof x.symmetric !== 'boolean')
      fail('must be {"name": string, "symmetric": boolean}', `relationTypes[${i}]`);
    return { name: x.name as string, symmetric: x.symmetric as boolean };
  });
  return { entityTypes: [...(o.entityTypes as string[])], relationTypes: rels };
}
