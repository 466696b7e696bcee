/**
 * Joint decoding of entity types, on trained models (no retraining), dev only. The model decodes as a
 * pipeline: the best tag sequence E* = argmax log P(E | s), then each pair's best label given E*. This
 * tries the joint maximum over a candidate set instead,
 *
 *   argmax_E  log P(E | s) + λ · Σ_(e1,e2) max_l log P_rel(l | s, e1, e2; E)
 *
 * where the candidates are E* and every E* with ONE entity given another type (same span), and the
 * relation model reads each candidate's own tags. λ = 0 is the pipeline. errors.ts counts what this can
 * reach: mistyped entities that are arguments of predicted relations.
 *
 *   npx tsx experiments/nn/joint-decoding.ts [RUN …]     (default: runs/config-crf-d04-seed-{1,2,3})
 *
 * Writes joint-decoding.md beside this file: dev entity and strict relation F1 per run and λ.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../../src/eval/index.js';
import { buildBatch } from '../../src/model/encode.js';
import { loadGlove } from '../../src/model/glove.js';
import { loadModelDir } from '../../src/model/io.js';
import type { JointModel } from '../../src/model/joint.js';
import { candidatePairs, slicePairs, type CandidateRow } from '../../src/model/pairs.js';
import type { SentencePrediction } from '../../src/model/types.js';
import { NONE } from '../../src/model/vocab.js';
import { inferenceMode, setNumThreads, tidy } from '../../src/tensor/index.js';
import { writeFileAtomic } from '../../src/data/atomic.js';
import { loadConfig } from '../../src/train/config.js';
import { mergeSchemas } from '../../src/data/corpus.js';
import { encodeAll, loadSplit, readingOptions } from '../../src/train/data.js';
import { predictedDocuments } from '../../src/train/predictions.js';
import { scriptArgs } from '../../scripts/args.js';

const here = dirname(fileURLToPath(import.meta.url));
const { positionals: args } = scriptArgs('npx tsx experiments/nn/joint-decoding.ts [RUN …]', {}, true);
const runs = args.length ? args : [1, 2, 3].map((s) => `config-crf-d04-seed-${s}`);
const LAMBDAS = [0, 0.5, 1, 2, 5, 20];
const BATCH = 16;
const config = loadConfig(join(here, '..', '..', 'configs', 'conll04.json'));
setNumThreads(1);
const glove = loadGlove();
const dev = await loadSplit(config.data.dev, readingOptions(config, 'dev'));

/** Each candidate's log P(E | s) and Σ over its pairs of max_l log P_rel, with the labels that attain it. */
interface Scored {
  logPE: number;
  logPR: number;
  prediction: SentencePrediction;
}

/** Tag id with the same position (B, I, L, U) and another type: retype[tag][type] (undefined for O). */
function retypeTable(model: JointModel): { types: string[]; retype: (tag: number, type: string) => number | undefined } {
  const names = model.vocab.tags.items;
  const types = [...new Set(names.filter((t) => t.includes('-')).map((t) => t.slice(2)))];
  return { types, retype: (tag, type) => (names[tag].includes('-') ? model.vocab.tags.get(`${names[tag][0]}-${type}`) : undefined) };
}

/** Every sentence's candidates, scored, for one batch of encoded sentences. */
function scoreBatch(model: JointModel, { types, retype }: ReturnType<typeof retypeTable>, batch: ReturnType<typeof buildBatch>): Scored[][] {
  return inferenceMode(() =>
    tidy(() => {
      const enc = model.encode(batch);
      const best = model.predict(batch); // the pipeline: its tags are E*
      const rows: CandidateRow[] = [];
      const ofSentence: number[][] = [];
      best.forEach((p, b) => {
        const base = Int32Array.from(p.tags, (t) => model.vocab.tags.get(t)!);
        ofSentence.push([rows.length]);
        rows.push({ sent: b, tags: base });
        for (const e of p.entities)
          for (const type of types) {
            if (type === e.type) continue;
            const tags = base.slice();
            for (let i = e.start; i < e.end; i++) tags[i] = retype(base[i], type)!;
            ofSentence[b].push(rows.length);
            rows.push({ sent: b, tags });
          }
      });
      const logPE = model.tagPathLogProbs(enc.emissions, batch.lengths, rows).toFloat64Array();
      const { pairs, entities } = candidatePairs(rows, model.vocab);
      const logPR = new Float64Array(rows.length);
      const preds: SentencePrediction[] = rows.map((r, g) => ({
        tags: Array.from(r.tags, (t) => model.vocab.tags.items[t]),
        entities: entities[g].map((e) => ({ start: e.start, end: e.end, type: e.type, score: 1 })),
        relations: [],
      }));
      // pairs are listed row by row: pair p belongs to row rowOf[p]
      const rowOf = new Int32Array(pairs.count);
      let p0 = 0;
      entities.forEach((ents, g) => {
        const n = (ents.length * (ents.length - 1)) / 2;
        rowOf.fill(g, p0, p0 + n);
        p0 += n;
      });
      const L = model.numLabels;
      for (let from = 0; from < pairs.count; from += 4096) {
        const part = slicePairs(pairs, from, Math.min(pairs.count, from + 4096));
        const logq = tidy(() => model.relationLogits(enc.h, batch.lengths, part).logSoftmax(1).toFloat64Array());
        for (let q = 0; q < part.count; q++) {
          let lab = 0;
          for (let l = 1; l < L; l++) if (logq[q * L + l] > logq[q * L + lab]) lab = l;
          const p = from + q;
          const g = rowOf[p];
          logPR[g] += logq[q * L + lab];
          if (lab === NONE) continue;
          const info = model.vocab.relationInfo[lab];
          const [l, r] = [pairs.ent1[p], pairs.ent2[p]];
          preds[g].relations.push({ head: info.forward ? l : r, tail: info.forward ? r : l, type: info.type, score: Math.exp(logq[q * L + lab]) });
        }
      }
      return ofSentence.map((gs) => gs.map((g) => ({ logPE: logPE[g], logPR: logPR[g], prediction: preds[g] })));
    }),
  );
}

const margins = [
  '',
  'Per retyped candidate against E*: the change in log P(E | s) (median, 90th percentile, largest) and in the relation term Σ max_l log P_rel.',
  '',
  '| run | candidates | Δ log P(E) median | 90 % | max | Δ relation term median | 90 % | max |',
  '|---|---|---|---|---|---|---|---|',
];
const out = [
  '# Joint decoding of entity types (dev)',
  '',
  '`npx tsx experiments/nn/joint-decoding.ts ' + runs.join(' ') + '`',
  '',
  '| run | ' + LAMBDAS.map((l) => `λ = ${l}: ent / rel F1`).join(' | ') + ' | sentences retyped at λ = 1 |',
  '|---|' + LAMBDAS.map(() => '---|').join('') + '---|',
];
for (const run of runs) {
  const { model, schema } = loadModelDir(join(here, 'runs', run, 'best'));
  model.glove = glove;
  model.eval();
  const encoded = encodeAll(dev.sentences, model.vocab, { gold: false, glove });
  const retyping = retypeTable(model);
  const scored: Scored[][] = [];
  for (let i = 0; i < encoded.length; i += BATCH) scored.push(...scoreBatch(model, retyping, buildBatch(encoded.slice(i, i + BATCH), model.vocab.words.size, glove)));
  // What a retyping costs in log P(E | s) and gains in the relation term, against E*.
  const dE: number[] = [];
  const dR: number[] = [];
  for (const c of scored) for (const x of c.slice(1)) (dE.push(x.logPE - c[0].logPE), dR.push(x.logPR - c[0].logPR));
  const q = (v: number[], f: number) => [...v].sort((a, b) => a - b)[Math.floor(f * (v.length - 1))].toFixed(2);
  margins.push(`| ${run} | ${dE.length} | ${[0.5, 0.9, 1].map((f) => q(dE, f)).join(' | ')} | ${[0.5, 0.9, 1].map((f) => q(dR, f)).join(' | ')} |`);
  const cells: string[] = [];
  let retyped = 0;
  for (const lambda of LAMBDAS) {
    const chosen = scored.map((cands) => cands.reduce((a, c) => (c.logPE + lambda * c.logPR > a.logPE + lambda * a.logPR ? c : a)));
    // λ = 0 must keep the pipeline's E* (candidate 0, Viterbi's argmax of log P(E | s)): a check of the scoring above.
    if (lambda === 0 && chosen.some((c, i) => c !== scored[i][0])) throw new Error(`${run}: λ = 0 does not reproduce the pipeline's entities`);
    if (lambda === 1) retyped = chosen.filter((c, i) => c !== scored[i][0]).length;
    const r = evaluate(dev.documents, predictedDocuments(dev.documents, chosen.map((c) => c.prediction)), { schema: mergeSchemas(schema, dev.schema) });
    cells.push(`${(100 * r.entities.micro.f1).toFixed(1)} / ${(100 * r.relations.strict.micro.f1).toFixed(1)}`);
  }
  out.push(`| ${run} | ${cells.join(' | ')} | ${retyped} |`);
  process.stderr.write(out.at(-1) + '\n');
}
out.push(...margins);
writeFileAtomic(join(here, 'joint-decoding.md'), out.join('\n') + '\n');
process.stdout.write(out.join('\n') + '\n');
