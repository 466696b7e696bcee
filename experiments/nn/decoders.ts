/**
 * The same trained models read with both tag decoders (no retraining): the per-token argmax with the
 * lenient chunker (the paper) and the best valid chunking (Viterbi, src/data/viterbi.ts).
 *
 *   npx tsx experiments/nn/decoders.ts [RUN …]     (default: the paper-tagger seeds, runs/seed-{1,2,3})
 *
 * Writes decoders.md beside this file: dev and test entity F1 and strict relation F1 per run and decoder.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../../src/eval/index.js';
import { loadGlove } from '../../src/model/glove.js';
import { loadModelDir } from '../../src/model/io.js';
import { predictEncoded } from '../../src/model/predict.js';
import type { ModelConfig } from '../../src/model/types.js';
import { setNumThreads } from '../../src/tensor/index.js';
import { writeFileAtomic } from '../../src/data/atomic.js';
import { loadConfig } from '../../src/train/config.js';
import { mergeSchemas } from '../../src/data/corpus.js';
import { encodeAll, loadSplit, readingOptions } from '../../src/train/data.js';
import { predictedDocuments } from '../../src/train/predictions.js';
import { scriptArgs } from '../../scripts/args.js';

const here = dirname(fileURLToPath(import.meta.url));
const { positionals } = scriptArgs('npx tsx experiments/nn/decoders.ts [RUN …]', {}, true);
const runs = positionals.length ? positionals : ['seed-1', 'seed-2', 'seed-3'];
const config = loadConfig(join(here, '..', '..', 'configs', 'conll04.json'));
setNumThreads(1);
const glove = loadGlove();
const files: ['dev' | 'test', string][] = [['dev', config.data.dev], ['test', config.data.test!]];
const splits = await Promise.all(files.map(([part, f]) => loadSplit(f, readingOptions(config, part))));
const out = ['# Tag decoders on the same models', '', '`npx tsx experiments/nn/decoders.ts ' + runs.join(' ') + '`', ''];
out.push('| run | split | argmax: ent F1 | argmax: rel F1 | Viterbi: ent F1 | Viterbi: rel F1 |', '|---|---|---|---|---|---|');
for (const run of runs) {
  const { model, schema } = loadModelDir(join(here, 'runs', run, 'best'));
  model.glove = glove;
  files.forEach(([name], k) => {
    const split = splits[k];
    const encoded = encodeAll(split.sentences, model.vocab, { gold: false, glove });
    const cells = (['argmax', 'viterbi'] as ModelConfig['decoder'][]).flatMap((decoder) => {
      (model.config as ModelConfig).decoder = decoder;
      const preds = predictEncoded(model, encoded, { batchSize: 100 });
      const r = evaluate(split.documents, predictedDocuments(split.documents, preds), { schema: mergeSchemas(schema, split.schema) });
      return [r.entities.micro.f1, r.relations.strict.micro.f1].map((f) => (100 * f).toFixed(1));
    });
    out.push(`| ${run} | ${name} | ${cells.join(' | ')} |`);
  });
}
writeFileAtomic(join(here, 'decoders.md'), out.join('\n') + '\n');
process.stdout.write(out.join('\n') + '\n');
