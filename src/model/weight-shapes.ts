/**
 * The parameters a JointModel of a config and vocabulary has, by name and shape, worked out without
 * building it (no libtorch, no memory): a model directory's weights file is compared with them before the
 * model is built (io.ts), so a config.json asking for a model far larger than its weights (thousands of
 * layers or convolutions, each small) is refused instead of exhausting memory while the model is built.
 * It mirrors the constructors in joint.ts, relation-head.ts and layers/; test/model/weight-shapes.test.ts holds the two
 * together for every kind of setting.
 */
import { CASE_CLASSES } from './casing.js';
import type { ModelConfig } from './types.js';
import type { Vocabulary } from './vocab.js';

/** Each parameter's shape by its weights-file name, in the order JointModel.parameters() lists them. */
export function expectedWeightShapes(config: ModelConfig, vocab: Vocabulary): Map<string, number[]> {
  const c = config;
  const out = new Map<string, number[]>();
  const words = vocab.words.size;
  const tags = vocab.tags.size;
  const H = c.lstmHidden;
  const linear = (name: string, inputs: number, outputs: number) => {
    out.set(`${name}.weight`, [outputs, inputs]);
    out.set(`${name}.bias`, [outputs]);
  };
  const cnn = (name: string, inputs: number, widths: readonly number[], filters: number) => {
    for (const w of widths) {
      out.set(`${name}.k${w}.weight`, [filters, inputs, w]);
      out.set(`${name}.k${w}.bias`, [filters]);
    }
    return widths.length * filters;
  };
  out.set('word.weight', [words, c.wordDim]);
  if (c.staticWords) out.set('word_static.weight', [words, c.wordDim]);
  out.set('char.emb.weight', [vocab.chars.size, c.charDim]);
  const charOut = cnn('char.cnn', c.charDim, c.charWidths, c.charFilters);
  if (c.caseDim > 0) out.set('case.weight', [CASE_CLASSES, c.caseDim]);
  const lstmIn = c.wordDim * (c.staticWords ? 2 : 1) + charOut + c.caseDim;
  for (let l = 0; l < c.lstmLayers; l++)
    for (const sfx of ['', '_reverse']) {
      out.set(`lstm.weight_ih_l${l}${sfx}`, [4 * H, l === 0 ? lstmIn : 2 * H]);
      out.set(`lstm.weight_hh_l${l}${sfx}`, [4 * H, H]);
      out.set(`lstm.bias_ih_l${l}${sfx}`, [4 * H]);
      out.set(`lstm.bias_hh_l${l}${sfx}`, [4 * H]);
    }
  linear('tagger', 2 * H, tags);
  if (c.tagger === 'crf') {
    out.set('crf.transitions', [tags, tags]);
    out.set('crf.start', [tags]);
    out.set('crf.end', [tags]);
  }
  const zDim = 2 * H + tags;
  let relOut = 0;
  for (const name of ['rel_mid', 'rel_e1', 'rel_e2']) relOut = cnn(name, zDim, c.relWidths, c.relFilters);
  linear('rel_hidden', 3 * relOut + c.maxDistance + 4 * H, c.mlpHidden);
  linear('rel_out', c.mlpHidden, vocab.relations.size);
  if (c.lmHidden > 0)
    for (const name of ['lm_fwd', 'lm_bwd']) {
      linear(`${name}.hidden`, H, c.lmHidden);
      linear(`${name}.out`, c.lmHidden, words);
    }
  return out;
}
