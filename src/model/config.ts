/**
 * Model hyper-parameters: defaults are the paper's / authors' values (reference spec §2.1), and the one
 * schema that checks them, for a training config's `model` block (train/config-schema.ts) and for a
 * model directory's config.json (`validateModelConfig`): what training accepts, loading accepts.
 */
import { z } from 'zod';
import { fieldPath, valueAt } from '../data/validate.js';
import { isObject, quote, UserError } from '../errors.js';
import { BLOCK, bool, nonNegInt, posInt, prob } from './setting-values.js';
import type { ModelConfig } from './types.js';

export const DEFAULT_MODEL_CONFIG: Readonly<ModelConfig> = Object.freeze({
  wordDim: 100,
  charDim: 50,
  charWidths: [2, 3],
  charFilters: 25,
  lstmHidden: 64,
  // One BiLSTM layer (the paper); more are stacked with dropout between them.
  lstmLayers: 1,
  relWidths: [2, 3],
  relFilters: 25,
  mlpHidden: 128,
  dropout: 0.5,
  // The authors use max_sent_len (≤ 200, spec §1.2); the one-hot has this many buckets, the last shared.
  maxDistance: 200,
  // The paper's right context (the brief's default); false = the authors' code (left context twice).
  fixRightContext: true,
  tagScheme: 'BILOU',
  decoder: 'argmax',
  tagger: 'softmax',
  caseDim: 0,
  wordDropout: 0,
  lockedDropout: false,
  charFeatureDropout: false,
  lmHidden: 0,
  staticWords: false,
  tokenizer: 'ptb',
});

/**
 * Settings added after format version 1 was fixed: a model directory without them gets these values —
 * how such a model behaved before the setting existed, which is not tied to today's defaults.
 */
const LATER_SETTINGS = { decoder: 'argmax', tagger: 'softmax', caseDim: 0, wordDropout: 0, lstmLayers: 1, lockedDropout: false, charFeatureDropout: false, lmHidden: 0, staticWords: false, tokenizer: 'ptb' } as const;

/** γ of the language-model objective (`lmHidden` > 0): Rei (2017)'s 0.1. */
export const DEFAULT_LM_WEIGHT = 0.1;

/** A CRF has no per-token argmax to read: its best sequence is the Viterbi one. */
const CRF_DECODER = 'must be "viterbi" with tagger "crf" (a CRF decodes whole sequences)';

/**
 * Upper bounds of the model's sizes: far above any model worth training (the paper's: 1 layer, widths
 * 2–3, dimensions ≤ 128, distance 200), and low enough that a config.json from a stranger cannot make
 * building the model take more memory than its weights file holds (io.ts compares the weights file with
 * the sizes the config implies before anything is built). Training's `model` block is this schema, so
 * every model training writes, loading reads.
 */
export const MODEL_LIMITS = Object.freeze({ layers: 16, widths: 16, width: 64, dim: 65_536, distance: 100_000 });

// Distinct: each width is one convolution, named by its width in the weights file (layers/conv.ts).
const WIDTHS = 'expected a non-empty array of distinct positive integers';
const widths = () =>
  z
    .array(posInt().max(MODEL_LIMITS.width, { error: `expected a window width of at most ${MODEL_LIMITS.width}` }), { error: WIDTHS })
    .min(1, { error: WIDTHS })
    .max(MODEL_LIMITS.widths, { error: `expected at most ${MODEL_LIMITS.widths} widths` })
    .refine((v) => new Set(v).size === v.length, { error: (issue) => `${WIDTHS}, got ${quote(issue.input)}` });
/** A size of a layer: a positive (`nonNegInt`: or 0, none) integer up to MODEL_LIMITS.dim. */
const DIM = `expected at most ${MODEL_LIMITS.dim}`;
const dim = () => posInt().max(MODEL_LIMITS.dim, { error: DIM });
const optionalDim = () => nonNegInt().max(MODEL_LIMITS.dim, { error: DIM });
// One bucket would hold every distance: the distance feature would say nothing.
const DISTANCE = 'expected an integer ≥ 2';

/** Every model setting, required; a training config's `model` block fills in the defaults (modelBlock). */
const ModelConfigSchema = z
  .strictObject({
    wordDim: dim(),
    charDim: dim(),
    charWidths: widths(),
    charFilters: dim(),
    lstmHidden: dim(),
    /** Stacked BiLSTM layers (the paper: 1), with `dropout` between them. */
    lstmLayers: posInt().max(MODEL_LIMITS.layers, { error: `expected at most ${MODEL_LIMITS.layers} layers` }),
    relWidths: widths(),
    relFilters: dim(),
    mlpHidden: dim(),
    dropout: prob(),
    /** Distance one-hot size (spec §1.2: max_sent_len = 200). */
    maxDistance: z.number({ error: DISTANCE }).int({ error: DISTANCE }).min(2, { error: DISTANCE }).max(MODEL_LIMITS.distance, { error: `expected at most ${MODEL_LIMITS.distance}` }),
    /** true = the paper's right context; false = the authors' code (spec §7.1.1). */
    fixRightContext: bool(),
    tagScheme: z.enum(['BILOU', 'BIEOU'], { error: 'expected "BILOU" or "BIEOU"' }),
    /** 'argmax' + the lenient chunker (the paper) or 'viterbi': the best valid chunking (data/viterbi.ts). */
    decoder: z.enum(['argmax', 'viterbi'], { error: 'expected "argmax" or "viterbi"' }),
    /** The output layer: 'softmax' per token (the paper's Eq. 1) or a linear-chain 'crf' (model/layers/crf.ts). */
    tagger: z.enum(['softmax', 'crf'], { error: 'expected "softmax" or "crf"' }),
    /** Casing embedding size appended to x (0 = none, the paper; model/casing.ts). */
    caseDim: optionalDim(),
    /** Probability of replacing a training word by UNK (0 = never, the paper). */
    wordDropout: prob(),
    /** One dropout mask per sentence for x and h, shared across its tokens (false = per token, the paper). */
    lockedDropout: bool(),
    /** A second dropout on the char CNN's features, as the authors' code (spec §2.2); false = once, with x. */
    charFeatureDropout: bool(),
    /** Hidden size of the language-model heads trained alongside (Rei 2017; 0 = none, the paper). */
    lmHidden: optionalDim(),
    /** A frozen copy of the initial word vectors concatenated to the fine-tuned ones (false = one channel, the paper). */
    staticWords: bool(),
    /** How `extract` tokenizes raw text for the model: its training corpus's conventions ('ptb' or 'conll04'). */
    tokenizer: z.enum(['ptb', 'conll04'], { error: 'expected "ptb" or "conll04"' }),
  }, BLOCK)
  .refine((m) => m.tagger !== 'crf' || m.decoder === 'viterbi', { error: CRF_DECODER, path: ['decoder'] });

/** The defaults as a fresh object (its arrays the caller's own). */
const defaults = (): ModelConfig => structuredClone(DEFAULT_MODEL_CONFIG);

/**
 * A training config's `model` block: a setting it leaves out is the model's default, so a model built
 * without a config file and one trained from a config that leaves a setting out agree.
 */
export const modelBlock = () =>
  // A preprocess takes `unknown`, which would make the block's input type (TrainConfigInput's `model`) unknown:
  // cast it to the settings it fills in, so a caller's misspelt or mistyped setting is a compile error.
  (z.preprocess((v) => (isObject(v) ? { ...defaults(), ...v } : v), ModelConfigSchema) as unknown as z.ZodType<z.output<typeof ModelConfigSchema>, Partial<z.input<typeof ModelConfigSchema>>>).default(defaults);

/**
 * Checks every field of a model directory's settings (one without a setting added later gets
 * LATER_SETTINGS'); throws a UserError naming `file` and the field.
 */
export function validateModelConfig(obj: unknown, file?: string): ModelConfig {
  if (!isObject(obj)) throw new UserError('must be an object', { file, field: 'model' });
  const o = { ...LATER_SETTINGS, ...obj };
  const r = ModelConfigSchema.safeParse(o);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue.code === 'unrecognized_keys') throw new UserError('unknown model setting', { file, field: issue.keys[0] });
  const field = fieldPath(issue.path);
  const value = valueAt(o, issue.path);
  const message = issue.code === 'custom' ? issue.message : value === undefined ? 'missing (required)' : `${issue.message}, got ${quote(value)}`;
  // "must be …", as the model directory's other checks say it (a training config's say "expected …").
  throw new UserError(message.replace(/^expected /, 'must be '), { file, field });
}
