/**
 * The training configuration: one validated object with the paper's values as defaults (reference spec
 * §2.1, §3.1), read from a JSON file and adjusted with `--set key=value`.
 *
 * Paths in the file (`data.*`, `init`, `embeddings`) are relative to the directory of the config file; paths given
 * with `--set` are relative to the current directory (where the user typed them). Every validation
 * error is one line naming the file and the field; unknown keys are rejected with a suggestion.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { FORMATS } from '../data/formats/index.js';
import { parseJsonFile } from '../data/io.js';
import { quote, UserError } from '../errors.js';
import { CRF_DECODER, DEFAULT_MODEL_CONFIG as M } from '../model/config.js';
import { locateModel } from '../model/model-ref.js';
import type { ModelConfig } from '../model/types.js';
import { MAX_THREADS } from '../tensor/index.js';

const POS_INT = 'expected a positive integer';
const NONNEG_INT = 'expected a non-negative integer';
const POS_NUM = 'expected a positive number';
const NONNEG_NUM = 'expected a number ≥ 0';
const PROB = 'expected a number in [0, 1)';
const FACTOR = 'expected a number in (0, 1]';
const BOOL = 'expected true or false';
const THREADS = `expected an integer from 1 to ${MAX_THREADS}`;
/** libtorch threads of a run whose config does not say (loadConfig: fewer on a machine with fewer cores). */
const DEFAULT_THREADS = 2;
const PATH = 'expected a file path (string)';
const TRAIN_FILES = 'expected a file path or a non-empty list of file paths';

const posInt = () => z.number({ error: POS_INT }).int({ error: POS_INT }).positive({ error: POS_INT });
const nonNegInt = () => z.number({ error: NONNEG_INT }).int({ error: NONNEG_INT }).nonnegative({ error: NONNEG_INT });
const posNum = () => z.number({ error: POS_NUM }).positive({ error: POS_NUM });
const nonNegNum = () => z.number({ error: NONNEG_NUM }).nonnegative({ error: NONNEG_NUM });
const prob = () => z.number({ error: PROB }).min(0, { error: PROB }).lt(1, { error: PROB });
const bool = () => z.boolean({ error: BOOL });
const path = () => z.string({ error: PATH }).min(1, { error: PATH });
const WIDTHS = 'expected a non-empty array of positive integers';
const widths = () => z.array(posInt(), { error: WIDTHS }).min(1, { error: WIDTHS });
/** A block of settings given as something else (`--set data=3`): zod's own words name its types. */
const BLOCK = { error: (issue: { code?: string }) => (issue.code === 'invalid_type' ? 'expected an object of settings' : undefined) };

// Defaults: the model's own (model/config.ts), so a model built without a config file and one trained
// from a config that leaves a setting out agree.
const ModelSchema = z.strictObject({
  wordDim: posInt().default(M.wordDim),
  charDim: posInt().default(M.charDim),
  charWidths: widths().default(() => [...M.charWidths]),
  charFilters: posInt().default(M.charFilters),
  lstmHidden: posInt().default(M.lstmHidden),
  /** Stacked BiLSTM layers (the paper: 1), with `dropout` between them. */
  lstmLayers: posInt().default(M.lstmLayers),
  relWidths: widths().default(() => [...M.relWidths]),
  relFilters: posInt().default(M.relFilters),
  mlpHidden: posInt().default(M.mlpHidden),
  dropout: prob().default(M.dropout),
  /** Distance one-hot size (spec §1.2: max_sent_len = 200). */
  maxDistance: posInt().default(M.maxDistance),
  /** true = the paper's right context; false = the authors' code (spec §7.1.1). */
  fixRightContext: bool().default(M.fixRightContext),
  tagScheme: z.enum(['BILOU', 'BIEOU'], { error: 'expected "BILOU" or "BIEOU"' }).default(M.tagScheme),
  /** 'argmax' + the lenient chunker (the paper) or 'viterbi': the best valid chunking (data/viterbi.ts). */
  decoder: z.enum(['argmax', 'viterbi'], { error: 'expected "argmax" or "viterbi"' }).default(M.decoder),
  /** The output layer: 'softmax' per token (the paper's Eq. 1) or a linear-chain 'crf' (model/layers/crf.ts). */
  tagger: z.enum(['softmax', 'crf'], { error: 'expected "softmax" or "crf"' }).default(M.tagger),
  /** Casing embedding size appended to x (0 = none, the paper; model/casing.ts). */
  caseDim: nonNegInt().default(M.caseDim),
  /** Probability of replacing a training word by UNK (0 = never, the paper). */
  wordDropout: prob().default(M.wordDropout),
  /** One dropout mask per sentence for x and h, shared across its tokens (false = per token, the paper). */
  lockedDropout: bool().default(M.lockedDropout),
  /** A second dropout on the char CNN's features, as the authors' code (spec §2.2); false = once, with x. */
  charFeatureDropout: bool().default(M.charFeatureDropout),
  /** Hidden size of the language-model heads trained alongside (Rei 2017; 0 = none, the paper). */
  lmHidden: nonNegInt().default(M.lmHidden),
  /** A frozen copy of the initial word vectors concatenated to the fine-tuned ones (false = one channel, the paper). */
  staticWords: bool().default(M.staticWords),
  /** How `extract` tokenizes raw text for the model: its training corpus's conventions ('ptb' or 'conll04'). */
  tokenizer: z.enum(['ptb', 'conll04'], { error: 'expected "ptb" or "conll04"' }).default(M.tokenizer),
}, BLOCK).refine((m) => m.tagger !== 'crf' || m.decoder === 'viterbi', { error: CRF_DECODER, path: ['decoder'] });

const DataSchema = z.strictObject({
  /** One file, or several read as one training set (the bundled model trains on train + dev). */
  train: z.union([path(), z.array(path()).min(1, { error: TRAIN_FILES })], { error: TRAIN_FILES }),
  dev: path(),
  test: path().optional(),
  /** A format name of src/data; absent = detected from the file. */
  format: z.enum(FORMATS as [string, ...string[]], { error: `expected one of ${FORMATS.join(', ')}` }).optional(),
  /** How brat files' text is cut into sentences and tokens (src/data/formats/brat.ts); the model's tokenizer cuts `text`. */
  bratLayout: z.enum(['auto', 'lines', 'text'], { error: 'expected "auto", "lines" or "text"' }).optional(),
  /** brat files are LSTM-ER's ACE05 output, read as the paper read them (`--ace05`; src/data/formats/brat.ts). */
  ace05: bool().optional(),
}, BLOCK);

const AdadeltaSchema = z.strictObject({
  lr: posNum().default(1.0),
  rho: prob().default(0.9),
  eps: posNum().default(1e-6),
}, BLOCK);

const AdamSchema = z.strictObject({
  lr: posNum().default(1e-3),
  beta1: prob().default(0.9),
  beta2: prob().default(0.999),
  eps: posNum().default(1e-8),
}, BLOCK);

/** Footnote 12's settings of a system with Γ, and of one without (Table 2's Δ rows). */
export const FOOTNOTE_12 = { withGamma: { alpha: 1, K: 2 }, withoutGamma: { alpha: 1e-4, K: 3 } } as const;

/** Minimum risk training (issue 5); α, μ and K default to footnote 12's (MrtSchema). */
const MrtObject = z
  .strictObject({
    /** Δ_E, Δ_R, Δ_E+R, or 'none' (the Γ-only system of Table 2). */
    delta: z.enum(['E', 'R', 'E+R', 'none'], { error: 'expected "E", "R", "E+R" or "none"' }).default('E+R'),
    /** The learned loss Γ(ŷ) = 1 − Q(ŷ) and its hinge (Eq. 4–5). */
    gamma: bool().default(true),
    /** α of Eq. 6; absent: footnote 12's for `gamma` (MrtSchema). */
    alpha: posNum().default(FOOTNOTE_12.withGamma.alpha),
    mu: z.number({ error: 'expected a number in [0, 1]' }).min(0, { error: 'expected a number in [0, 1]' }).max(1, { error: 'expected a number in [0, 1]' }).default(1),
    /** Samples added to the gold output (the paper's K; with paperCompat, |Y′| = K as in the authors' code). */
    K: posInt().default(FOOTNOTE_12.withGamma.K),
    /** false = "only sampling entities": relation labels are the argmax, not drawn (Table 2, lower half). */
    sampleRelations: bool().default(true),
    /** ε of footnote 5: a tag is drawn uniformly with this probability, else from P_ent. */
    epsilon: prob().default(0.1),
    /**
     * "tokens": each tag drawn on its own (Algorithm 1, the paper); "chunkings": the same ε-mixture
     * conditioned on a valid BILOU sequence; "kbest": no draws, the K most probable valid chunkings
     * other than gold (src/train/mrt/sampling.ts). The last two are not in the paper.
     */
    sampler: z.enum(['tokens', 'chunkings', 'kbest'], { error: 'expected "tokens", "chunkings" or "kbest"' }).default('tokens'),
    /**
     * What Algorithm 1 draws from: "train", the detached P_ent of the batch's one train-mode pass (dropout
     * on; no extra pass), or "eval", a separate eval-mode pass without gradient, as the authors' code
     * (spec §3.3.3, §7.1.9).
     */
    proposal: z.enum(['train', 'eval'], { error: 'expected "train" or "eval"' }).default('train'),
    /** The authors' code instead of the paper's equations (spec §3.3, §7.1.2–4). */
    paperCompat: bool().default(false),
    /**
     * λ of L̃ + λ·L_mrt: L_mrt's share of the gradient. 1 = the paper (§3.4); with footnote 12's α = 1 the
     * risk is ~0.02 per sentence, so a larger λ is the way to make it count without sharpening Q further.
     */
    weight: posNum().default(1),
  }, BLOCK)
  .refine((m) => m.gamma || m.delta !== 'none', { error: 'nothing to minimise: delta "none" needs gamma true', path: ['delta'] })
  .refine((m) => !m.paperCompat || m.K >= 2, { error: 'with paperCompat K counts the gold output, so it must be at least 2', path: ['K'] });

/**
 * The `mrt` block. Footnote 12 gives two sets of settings: with Γ α = 1, μ = 1, K = 2; without Γ α = 1e-4,
 * μ = 1, K = 3. An α or K not given is the one for the block's `gamma`, so `--set gamma=false` runs
 * Table 2's Δ systems as the paper did.
 */
const MrtSchema = z.preprocess((v) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const m = v as Record<string, unknown>;
  if (m.gamma !== false) return m;
  const { alpha, K } = FOOTNOTE_12.withoutGamma;
  return { alpha, K, ...m };
}, MrtObject);

export const TrainConfigSchema = z.strictObject({
  data: DataSchema,
  model: ModelSchema.default(ModelSchema.parse({})),
  /** Initialise word embeddings from GloVe 6B 100d (or from `embeddings`); false: random, and no extended vocabulary. */
  glove: bool().default(true),
  /**
   * The user's own word vectors instead of GloVe: a file as GloVe, word2vec (text or binary) or fastText
   * `.vec` write it (src/model/word-vectors.ts). Its dimension must be model.wordDim.
   */
  embeddings: path().optional(),
  /**
   * Keep the word embeddings fixed (the paper fine-tunes them). Words outside the training vocabulary
   * get their untouched GloVe vectors at inference; frozen rows keep the training words in that space.
   */
  freezeWords: bool().default(false),
  epochs: posInt().default(100),
  /**
   * The dev score that selects `best/` and drives early stopping: "relation" = strict micro relation F1
   * (the paper); "entity+relation" = the mean of that and entity micro F1. Entity F1 keeps rising for
   * 10–20 epochs after relation F1 levels off, and "relation" stops those runs before it gets there.
   */
  select: z.enum(['relation', 'entity+relation'], { error: 'expected "relation" or "entity+relation"' }).default('relation'),
  /**
   * Stop after this many epochs without a better dev score (`select`; counted only once it is above 0);
   * 0 = never stop early.
   */
  patience: nonNegInt().default(20),
  /**
   * Also score dev every this many training sentences within an epoch, keeping best/ when it improves
   * (the authors' code validates every 200, reference spec §3.1); 0 = only at each epoch's end. Training
   * is the same either way: only which model best/ holds can change.
   */
  validateEvery: nonNegInt().default(0),
  seed: nonNegInt().default(1),
  optimizer: z.enum(['adadelta', 'adam'], { error: 'expected "adadelta" or "adam"' }).default('adadelta'),
  adadelta: AdadeltaSchema.default(AdadeltaSchema.parse({})),
  adam: AdamSchema.default(AdamSchema.parse({})),
  batchSize: posInt().default(100),
  /**
   * Decay of an exponential moving average of the weights (src/train/average.ts): dev is scored and
   * best/ written with the averaged weights. 0 = off (the paper).
   */
  ema: prob().default(0),
  /**
   * Multiply the learning rate by this after `lrPatience` epochs without a better dev score
   * (src/train/schedule.ts). 1 = a constant rate (the paper).
   */
  lrDecay: z.number({ error: FACTOR }).gt(0, { error: FACTOR }).max(1, { error: FACTOR }).default(1),
  lrPatience: posInt().default(5),
  /** ρ of the time schedule lr / (1 + ρ·epoch) (Ma & Hovy 2016: 0.05; src/train/schedule.ts). 0 = off (the paper). */
  lrTimeDecay: nonNegNum().default(0),
  /** Total gradient L2-norm clip (spec §3.1). */
  clip: posNum().default(1.0),
  /** λ of L̃ = λ·L_ent + L_rel: the tagger's share of the shared encoder's gradient (1 = the paper). */
  entityWeight: posNum().default(1),
  /**
   * The gold relations' argument pairs are relation candidates in training even where the tagger missed
   * an argument (the authors' code, spec §7.1.7); false = only pairs of the entities decoded from the
   * scheduled-sampling tags (the paper's Ê, §3.2).
   */
  addGoldPairs: bool().default(true),
  /**
   * L̃ averaged over the batch's tokens and candidate pairs (`batch`, the authors' code), or over each
   * sentence's own (the paper's 1/|s| and 1/|Ê|(|Ê|−1)) and then over sentences (`sentence`; reference
   * spec, known difference 5).
   */
  lossNormalization: z.enum(['batch', 'sentence'], { error: 'expected "batch" or "sentence"' }).default('batch'),
  /**
   * γ of the language-model objective added to L̃; absent = DEFAULT_LM_WEIGHT (Rei 2017: 0.1). Only
   * `model.lmHidden` > 0 has the heads it weighs, so a set value without them is refused (nn.ts).
   */
  lmWeight: nonNegNum().optional(),
  /** Scheduled sampling constant k: p_gold = k / (k + exp(epoch / k)) (spec §2.8). */
  scheduleK: posNum().default(1),
  /** libtorch intra-op threads (loadConfig: absent = ENTREL_THREADS, else 2, or the machine's cores if fewer). */
  threads: z.number({ error: THREADS }).int({ error: THREADS }).min(1, { error: THREADS }).max(MAX_THREADS, { error: THREADS }).default(DEFAULT_THREADS),
  /** Pretrained NN model directory MRT starts from (issue 5). */
  init: path().optional(),
  mrt: MrtSchema.default(MrtSchema.parse({})),
}, BLOCK);

export type TrainConfig = z.infer<typeof TrainConfigSchema>;
export type MrtConfig = TrainConfig['mrt'];

/** Top-level `--set` names that mean a key of the `mrt` block (issue 5's interface). */
const SHORTCUTS: Record<string, string> = {
  delta: 'mrt.delta',
  gamma: 'mrt.gamma',
  alpha: 'mrt.alpha',
  mu: 'mrt.mu',
  K: 'mrt.K',
  sampleRelations: 'mrt.sampleRelations',
  paperCompat: 'mrt.paperCompat',
};

/**
 * The `key=value` overrides of a script's argv, as `entrel train` takes them: every word after a `--set`
 * up to the next option, so `--set a=1 b=2` and `--set a=1 --set b=2` are the same.
 */
export function setOverrides(argv: string[]): string[] {
  const sets: string[] = [];
  let inSet = false;
  for (const a of argv) {
    if (a.startsWith('--')) inSet = a === '--set';
    else if (inSet) sets.push(a);
  }
  return sets;
}

/** Reads, overrides and validates a config; relative data paths become absolute. */
export function loadConfig(file: string, overrides: string[] = []): TrainConfig {
  const obj = readConfigObject(file);
  resolvePaths(obj, dirname(file));
  const fromSet = applyOverrides(obj, overrides, file);
  // Set neither in the file nor with --set: the count every other command takes (ENTREL_THREADS, else
  // 2), so that `ENTREL_THREADS=1 entrel train …` trains on one thread as the README says; on a machine of
  // one core, 1 (checkThreads would warn of a count nobody chose).
  const env = process.env.ENTREL_THREADS?.trim();
  const fromEnv = obj.threads === undefined && !!env;
  if (fromEnv) obj.threads = /^\d+$/.test(env) ? Number(env) : env;
  else if (obj.threads === undefined) obj.threads = Math.min(DEFAULT_THREADS, availableParallelism());
  resolvePaths(obj, process.cwd());
  return parseConfig(obj, file, fromSet, fromEnv ? new Set(['threads']) : undefined);
}

/** The config file's JSON object, as written (no --set, no defaults). */
function readConfigObject(file: string): Record<string, unknown> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read config: ${code === 'ENOENT' ? 'no such file' : code ?? String(e)}`, { file });
  }
  let text: string;
  try {
    // Strictly: a lenient decode would turn a bad byte in a path into U+FFFD and a confusing "not found".
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError('not valid UTF-8 text', { file });
  }
  const raw = parseJsonFile(text, file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UserError('expected a JSON object at the top level', { file });
  return raw as Record<string, unknown>;
}

/**
 * The `--set key=value` items that set a key of the `mrt` block (`mrt.K`, or its shortcut `K`): only
 * minimum risk training reads them, so a run of the local loss must not take them without a word.
 */
function mrtOnlySets(sets: readonly string[]): string[] {
  return sets.filter((s) => {
    const key = s.split('=')[0].trim();
    return key === 'mrt' || key.startsWith('mrt.') || Object.hasOwn(SHORTCUTS, key);
  });
}

/**
 * Refuses the MRT settings a run of the local loss would ignore without a word: `--set` items of the
 * `mrt` block (mrtOnlySets), and the config `file`'s own `mrt` block. `because` ends the message "only
 * minimum risk training …" (what reads them, and why this run does not).
 */
export function refuseMrtSettings(file: string, sets: readonly string[], because: string): void {
  const [set] = mrtOnlySets(sets);
  if (set !== undefined) throw new UserError(`${set}: only minimum risk training ${because}`, { field: '--set' });
  if (Object.hasOwn(readConfigObject(file), 'mrt')) throw new UserError(`only minimum risk training ${because}`, { file, field: 'mrt' });
}

/** The config keys `--set key=value …` gives, each named by that flag (for checkDataFiles' messages). */
export function keysFromSet(sets: readonly string[]): Map<string, string> {
  return new Map(sets.map((s): [string, string] => [s.split('=')[0].trim(), '--set']));
}

/**
 * Refuses data paths that name nothing, naming the key and the config file: reading them later would
 * name only the resolved path, and only after loading everything before it. `given` names the flag a key
 * came from (`--set`, `--init`), for the message to say so: the config file does not hold that value.
 */
export function checkDataFiles(config: TrainConfig, source: string, given: ReadonlyMap<string, string> = new Map()): void {
  const refuse = (message: string, field: string) => {
    const flag = given.get(field) ?? given.get(field.replace(/\[\d+\]$/, ''));
    throw new UserError(`${message}${flag ? ` (from ${flag})` : ''}`, { file: source, field });
  };
  if (config.embeddings !== undefined && !existsSync(config.embeddings)) refuse(`no such file: ${config.embeddings}`, 'embeddings');
  if (config.embeddings !== undefined && !statSync(config.embeddings).isFile()) refuse(`is not a file: ${config.embeddings} (expected a word-vectors file)`, 'embeddings');
  if (config.init !== undefined && !existsSync(config.init)) refuse(`no such model directory: ${config.init} (a model package's name works once the package is installed)`, 'init');
  const format = config.data.format;
  for (const key of ['train', 'dev', 'test'] as const) {
    const [field, value] = [`data.${key}`, config.data[key]];
    for (const [i, path] of [value ?? []].flat().entries()) {
      const at = Array.isArray(value) ? `${field}[${i}]` : field;
      if (!existsSync(path)) refuse(`no such file or directory: ${path}`, at);
      // A directory is a brat project; another format's reader would name the path only, not the key.
      if (format !== undefined && format !== 'brat' && statSync(path).isDirectory()) refuse(`is a directory: ${path} (data.format ${format} reads a file; a directory is read as a brat project)`, at);
    }
  }
}

/** Validates an already-built object (`source` names it in errors). */
export function parseConfig(obj: unknown, source: string, fromSet: Set<string> = new Set(), fromEnv: Set<string> = new Set()): TrainConfig {
  // Not `reportInput`: zod serialises the issues it builds, and a value nested 100,000 deep overflows the
  // stack there. The offending value is looked up by the issue's path instead.
  const r = TrainConfigSchema.safeParse(obj);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = dotted(issue.path) || undefined;
  let msg: string;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const known = knownKeys(issue.path.map(String));
    const near = suggest(key, known);
    const where = issue.path.length ? `${dotted(issue.path)}.${key}` : key;
    // The message stays one short line: a long list (the 20-odd model settings) is cut, configs/README.md has them all.
    const shown = known.length <= 12 ? known.join(', ') : `${known.slice(0, 10).join(', ')}, … (${known.length} in all: configs/README.md)`;
    const hint = near ? `did you mean "${near}"?` : `known keys: ${shown}`;
    throw new UserError(`unknown key (${hint})`, { file: source, field: where });
  } else if (issue.code === 'custom') {
    msg = issue.message;
  } else {
    const input = valueAt(obj, issue.path);
    msg = input === undefined ? `missing (required)${MISSING_HINT[dotted(issue.path)] ?? ''}` : `${issue.message}, got ${quote(input)}`;
  }
  if (field !== undefined && fromSet.has(field)) msg += ' (from --set)';
  if (field !== undefined && fromEnv.has(field)) msg += ' (from ENTREL_THREADS)';
  throw new UserError(msg, { file: source, field });
}

/** What to do about a missing key, where it is not obvious. */
const MISSING_HINT: Record<string, string> = {
  'data.dev': ': the dev file chooses the model; to carve one out of your data: entrel split FILE --out DIR',
};

/** The value at a zod issue's path in the raw config (undefined when absent). */
function valueAt(obj: unknown, path: PropertyKey[]): unknown {
  let node = obj;
  for (const p of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, p)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[p];
  }
  return node;
}

/** `model.charWidths[1]` from ['model', 'charWidths', 1]. */
function dotted(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${String(p)}` : String(p))).join('');
}

/** Applies `key=value` items in place; returns the dotted keys they set. */
function applyOverrides(obj: Record<string, unknown>, overrides: string[], file: string): Set<string> {
  const set = new Set<string>();
  for (const item of overrides) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`--set expects key=value, got ${JSON.stringify(item)}`, { file });
    const rawKey = item.slice(0, eq).trim();
    const key = Object.hasOwn(SHORTCUTS, rawKey) ? SHORTCUTS[rawKey] : rawKey; // not an inherited `constructor`
    const parts = key.split('.');
    // Keys are identifiers; this also keeps `__proto__` and friends from reaching Object.prototype.
    if (!parts.every((p) => /^[A-Za-z][A-Za-z0-9]*$/.test(p)))
      throw new UserError(`--set ${JSON.stringify(rawKey)}: not a key (expected dotted names like model.dropout)`, { file });
    let node = obj;
    for (const p of parts.slice(0, -1)) {
      const next = node[p];
      if (next === undefined) node[p] = {};
      else if (typeof next !== 'object' || next === null || Array.isArray(next))
        throw new UserError(`--set ${rawKey}: "${p}" is not an object`, { file });
      node = node[p] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = parseValue(item.slice(eq + 1));
    set.add(key);
  }
  return set;
}

/** JSON when it parses (numbers, booleans, arrays), the plain string otherwise. */
function parseValue(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

const PATH_KEYS: [string | null, string][] = [
  ['data', 'train'],
  ['data', 'dev'],
  ['data', 'test'],
  [null, 'init'],
  [null, 'embeddings'],
];

/** Makes every still-relative path absolute against `base` (idempotent). */
function resolvePaths(obj: Record<string, unknown>, base: string): void {
  for (const [block, key] of PATH_KEYS) {
    const node = (block === null ? obj : obj[block]) as Record<string, unknown> | undefined;
    if (!node || typeof node !== 'object') continue;
    const abs = (v: unknown) => (typeof v === 'string' && v !== '' && !isAbsolute(v) ? resolve(base, v) : v);
    const v = node[key];
    // `init` may name a model package, by its directory or, installed, by its name (model/model-ref.ts).
    const model = key === 'init' && typeof v === 'string' && v !== '' ? locateModel(v, base) : undefined;
    if (model !== undefined) node[key] = model;
    else if (v !== undefined) node[key] = Array.isArray(v) ? v.map(abs) : abs(v);
  }
}

/**
 * Every config key as a dotted path with its default (undefined: required or optional without one), in
 * schema order: what configs/README.md lists (scripts/config-keys.ts writes it, a test keeps it in step).
 */
export function configKeys(): { key: string; default: unknown }[] {
  const defaults = TrainConfigSchema.parse({ data: { train: 'TRAIN', dev: 'DEV' } }) as Record<string, unknown>;
  const out: { key: string; default: unknown }[] = [];
  const walk = (schema: z.ZodType, prefix: string, values: unknown) => {
    const shape = (unwrap(schema) as z.ZodObject).shape as Record<string, z.ZodType>;
    for (const [k, sub] of Object.entries(shape)) {
      const key = prefix ? `${prefix}.${k}` : k;
      const value = (values as Record<string, unknown> | undefined)?.[k];
      if (unwrap(sub) instanceof z.ZodObject) walk(sub, key, value);
      else out.push({ key, default: key === 'data.train' || key === 'data.dev' ? undefined : value });
    }
  };
  walk(TrainConfigSchema, '', defaults);
  return out;
}

function knownKeys(path: string[]): string[] {
  let s: z.ZodType = TrainConfigSchema;
  for (const p of path) {
    s = unwrap(s);
    s = (s as z.ZodObject).shape[p];
  }
  return Object.keys((unwrap(s) as z.ZodObject).shape);
}

function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.out as z.ZodType; // z.preprocess: the schema it feeds
    else return s;
  }
}

/** The known key closest in edit distance, if it is close enough to be a plausible typo. */
function suggest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The model part of the config, as the JointModel takes it. */
export function modelConfig(c: TrainConfig): ModelConfig {
  return { ...c.model };
}
