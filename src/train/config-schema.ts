/**
 * The training configuration's schema: every key, its rule and its default (the paper's values, reference
 * spec §2.1, §3.1), and the list of keys configs/README.md shows. Reading a config file and `--set` are
 * config.ts's; the `model` block is the model's own schema (model/config.ts), so that what training
 * accepts, a model directory accepts.
 */
import { z } from 'zod';
import { FORMATS } from '../data/formats/index.js';
import { modelBlock } from '../model/config.js';
import { BLOCK, bool, nonNegInt, nonNegNum, posInt, posNum, prob } from '../model/setting-values.js';
import { MAX_THREADS } from '../tensor/index.js';

const FACTOR = 'expected a number in (0, 1]';
const THREADS = `expected an integer from 1 to ${MAX_THREADS}`;
/** libtorch threads of a run whose config does not say (loadConfig: fewer on a machine with fewer cores). */
export const DEFAULT_THREADS = 2;
/** libtorch threads per core beyond which a run crawls and is refused (loop.ts checkThreads; config.ts for a config file's count). */
export const THREADS_PER_CORE = 4;
/** Training sentences are cut to this many tokens unless `maxTrainLength` says otherwise (reference spec §1.2: max_sent_len 200). */
export const DEFAULT_MAX_TRAIN_LENGTH = 200;
const TRAIN_LENGTH = 'expected an integer from 20 to 2000';
const PATH = 'expected a file path (string)';
const TRAIN_FILES = 'expected a file path or a non-empty list of file paths';

const path = () => z.string({ error: PATH }).min(1, { error: PATH });
const NYT_ONLY = 'selects part of an NYT CoType file (the paper\'s seeded dev carve-out), so it needs data.format "nyt"';
const nytSplit = () => z.enum(['dev', 'test', 'all'], { error: 'expected "dev", "test" or "all"' });

const DataSchema = z.strictObject({
  /** One file, or several read as one training set (the bundled model trains on train + dev). */
  train: z.union([path(), z.array(path()).min(1, { error: TRAIN_FILES })], { error: TRAIN_FILES }),
  dev: path(),
  test: path().optional(),
  /**
   * A SpERT-style types file (`--types` of the reading commands) read with every data file: the label
   * schema (types no file has still count in the macro mean) and which relation types are symmetric.
   * Absent: what each file carries (a types file beside a SpERT file, brat's annotation.conf).
   */
  types: path().optional(),
  /** A format name of src/data; absent = detected from the file. */
  format: z.enum(FORMATS as [string, ...string[]], { error: `expected one of ${FORMATS.join(', ')}` }).optional(),
  /** How brat files' text is cut into sentences and tokens (src/data/formats/brat.ts); the model's tokenizer cuts `text`. */
  bratLayout: z.enum(['auto', 'lines', 'text'], { error: 'expected "auto", "lines" or "text"' }).optional(),
  /** The files are ACE05, read as the paper read it (`--ace05`; src/data/formats/ace05.ts): LSTM-ER's brat output, DyGIE or unified. */
  ace05: bool().optional(),
  /**
   * The part of an NYT CoType file `dev` and `test` hold (`--split`): the paper selects on a seeded 10 % of
   * CoType's test file ("dev") and tests on the rest ("test"); absent = the whole file.
   */
  devSplit: nytSplit().optional(),
  testSplit: nytSplit().optional(),
}, BLOCK)
  .refine((d) => d.format === 'nyt' || d.devSplit === undefined, { error: NYT_ONLY, path: ['devSplit'] })
  .refine((d) => d.format === 'nyt' || d.testSplit === undefined, { error: NYT_ONLY, path: ['testSplit'] });

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
const FOOTNOTE_12 = { withGamma: { alpha: 1, K: 2 }, withoutGamma: { alpha: 1e-4, K: 3 } } as const;

/** Minimum risk training (issue 5); α, μ and K default to footnote 12's (MrtSchema). */
const MrtObject = z
  .strictObject({
    /** Δ_E, Δ_R, Δ_E+R, or 'none' (the Γ-only system of Table 2). */
    delta: z.enum(['E', 'R', 'E+R', 'none'], { error: 'expected "E", "R", "E+R" or "none"' }).default('E+R'),
    /** The learned loss Γ(ŷ) = 1 − Q(ŷ) and its hinge (Eq. 4–5). */
    gamma: bool().default(true),
    /** α of Eq. 6; absent: footnote 12's for `gamma` (MrtSchema). */
    alpha: posNum().default(FOOTNOTE_12.withGamma.alpha),
    /** μ of Eq. 6: the entity model's weight in Q. */
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
}, MrtObject) as unknown as z.ZodType<z.output<typeof MrtObject>, z.input<typeof MrtObject>>; // its input is the block's (TrainConfigInput), not unknown

export const TrainConfigSchema = z.strictObject({
  data: DataSchema,
  model: modelBlock(),
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
   * How the training tags hold entities that overlap or nest (one chunk per token): "keep-longest" keeps
   * the longest of each overlapping group and counts the others (train/losses.ts); "overwrite" writes the
   * entities in the data's order, a later one over an earlier, as the authors' loader does (reference spec
   * §1.1; in `New York Times` with `New York` listed after it, the tags are B-GPE E-GPE E-ORG).
   */
  overlappingEntities: z.enum(['keep-longest', 'overwrite'], { error: 'expected "keep-longest" or "overwrite"' }).default('keep-longest'),
  /**
   * Training sentences longer than this are cut to their first this many tokens, the entities and
   * relations past the cut counted (`sentence-truncated-for-training`, train/losses.ts); prediction and
   * evaluation never cut. At most 2,000: the relation candidates of a sentence grow with its square.
   */
  maxTrainLength: z.number({ error: TRAIN_LENGTH }).int({ error: TRAIN_LENGTH }).min(20, { error: TRAIN_LENGTH }).max(2000, { error: TRAIN_LENGTH }).default(DEFAULT_MAX_TRAIN_LENGTH),
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
/**
 * A training config as written: what a config file's JSON holds, or an object given to `parseConfig` or
 * `trainNN`. Only `data.train` and `data.dev` are required; every other key has its default
 * (configs/README.md lists them).
 */
export type TrainConfigInput = z.input<typeof TrainConfigSchema>;
export type MrtConfig = TrainConfig['mrt'];

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

/** The keys of the block at `path` (`['model']`), for an unknown key's message. */
export function knownKeys(path: string[]): string[] {
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
