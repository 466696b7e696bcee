/**
 * Model hyper-parameters: defaults are the paper's / authors' values (reference spec §2.1), validation
 * for configs read from disk (model directories, user config files).
 */
import { UserError } from '../errors.js';
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
export const CRF_DECODER = 'must be "viterbi" with tagger "crf" (a CRF decodes whole sequences)';

export function defaultModelConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return validateModelConfig({ ...DEFAULT_MODEL_CONFIG, charWidths: [2, 3], relWidths: [2, 3], ...overrides });
}

/** Checks every field; throws a UserError naming `file` and the field. */
export function validateModelConfig(obj: unknown, file?: string): ModelConfig {
  const fail = (field: string, msg: string): never => {
    throw new UserError(msg, { file, field });
  };
  if (obj === null || typeof obj !== 'object') return fail('model', 'must be an object');
  const o: Record<string, unknown> = { ...LATER_SETTINGS, ...(obj as Record<string, unknown>) };
  const int = (k: keyof ModelConfig, min: number) => {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(k, `must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const widths = (k: keyof ModelConfig) => {
    const v = o[k];
    if (!Array.isArray(v) || v.length === 0 || v.some((x) => !Number.isInteger(x) || x < 1) || new Set(v).size !== v.length)
      fail(k, 'must be a non-empty list of distinct positive integers');
    return [...(v as number[])];
  };
  const dropout = o.dropout;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) fail('dropout', 'must be a number in [0, 1)');
  for (const k of ['fixRightContext', 'lockedDropout', 'charFeatureDropout', 'staticWords'] as const) if (typeof o[k] !== 'boolean') fail(k, 'must be true or false');
  if (o.tagScheme !== 'BILOU' && o.tagScheme !== 'BIEOU') fail('tagScheme', 'must be "BILOU" or "BIEOU"');
  if (o.decoder !== 'argmax' && o.decoder !== 'viterbi') fail('decoder', 'must be "argmax" or "viterbi"');
  if (o.tagger !== 'softmax' && o.tagger !== 'crf') fail('tagger', 'must be "softmax" or "crf"');
  if (o.tagger === 'crf' && o.decoder !== 'viterbi') fail('decoder', CRF_DECODER);
  if (o.tokenizer !== 'ptb' && o.tokenizer !== 'conll04') fail('tokenizer', 'must be "ptb" or "conll04"');
  const wordDropout = o.wordDropout;
  if (typeof wordDropout !== 'number' || !(wordDropout >= 0 && wordDropout < 1)) fail('wordDropout', 'must be a number in [0, 1)');
  const known = new Set(Object.keys(DEFAULT_MODEL_CONFIG));
  for (const k of Object.keys(o)) if (!known.has(k)) fail(k, 'unknown model setting');
  return {
    wordDim: int('wordDim', 1),
    charDim: int('charDim', 1),
    charWidths: widths('charWidths'),
    charFilters: int('charFilters', 1),
    lstmHidden: int('lstmHidden', 1),
    lstmLayers: int('lstmLayers', 1),
    relWidths: widths('relWidths'),
    relFilters: int('relFilters', 1),
    mlpHidden: int('mlpHidden', 1),
    dropout: dropout as number,
    maxDistance: int('maxDistance', 2),
    fixRightContext: o.fixRightContext as boolean,
    tagScheme: o.tagScheme as ModelConfig['tagScheme'],
    decoder: o.decoder as ModelConfig['decoder'],
    tagger: o.tagger as ModelConfig['tagger'],
    caseDim: int('caseDim', 0),
    wordDropout: wordDropout as number,
    lockedDropout: o.lockedDropout as boolean,
    charFeatureDropout: o.charFeatureDropout as boolean,
    lmHidden: int('lmHidden', 0),
    staticWords: o.staticWords as boolean,
    tokenizer: o.tokenizer as ModelConfig['tokenizer'],
  };
}
