/**
 * Inference with GOLD tags feeding the candidate pairs (the PyTorch reference's `--infer-tags gold`):
 * a workload that does not depend on the weights, so two implementations are compared at equal pair
 * counts. Same steps as JointModel.predict (encode, candidate pairs, relation scores, argmax) with the
 * argmax tags replaced by the gold ones.
 */
import { buildBatch } from '../../src/model/encode.js';
import type { JointModel } from '../../src/model/joint.js';
import { candidatePairs, type CandidateRow } from '../../src/model/pairs.js';
import type { EncodedSentence } from '../../src/model/types.js';
import { noGrad, tidy } from '../../src/tensor/index.js';

/** One pass over `sentences` (which carry gold tags); returns the candidate pairs scored. */
export function goldTagInference(model: JointModel, sentences: EncodedSentence[], batchSize: number): number {
  model.eval();
  let pairs = 0;
  for (let i = 0; i < sentences.length; i += batchSize) {
    const batch = buildBatch(sentences.slice(i, i + batchSize), model.vocab.words.size);
    noGrad(() =>
      tidy(() => {
        const { h, emissions } = model.encode(batch);
        emissions.argmax(2).toInt32Array(); // the tag decision predict() makes, then discarded
        const rows: CandidateRow[] = batch.sentences.map((s, b) => ({ sent: b, tags: s.tags! }));
        const p = candidatePairs(rows, model.vocab).pairs;
        pairs += p.count;
        if (p.count) model.relationLogits(h, batch.lengths, p).argmax(1).toInt32Array();
      }),
    );
  }
  return pairs;
}
