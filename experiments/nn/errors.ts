/**
 * Where trained models' entity and relation errors fall, on dev (the split the models were chosen on;
 * test stays for scoring).
 *
 *   npx tsx experiments/nn/errors.ts [RUN …]     (default: configs/conll04.json's seeds, runs/config-crf-d04-seed-{1,2,3})
 *
 * Entities: each gold entity is found (same span and type), mistyped (same span, another type), cut
 * differently (a predicted entity overlaps it: a boundary error), or missed; a predicted entity that
 * overlaps no gold one is spurious. Relations: how many predicted relations join argument types no
 * training relation of that label joins (what type constraints à la Roth & Yih 2004 could repair), and
 * how many mistyped entities are arguments of predicted relations (what joint type decoding could reach).
 * Annotation: per type, training entities with a comma inside ("Kinderhook , N.Y.") against pairs of
 * entities of that type split at a single comma ("Vienna" , "Austria"): the same text, annotated both ways.
 * Writes errors.md beside this file.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sentence } from '../../src/data/corpus.js';
import { loadGlove } from '../../src/model/glove.js';
import { loadModelDir } from '../../src/model/io.js';
import { predictEncoded } from '../../src/model/predict.js';
import { setNumThreads } from '../../src/tensor/index.js';
import { writeFileAtomic } from '../../src/data/atomic.js';
import { loadConfig } from '../../src/train/config.js';
import { encodeAll, loadSplit, readingOptions } from '../../src/train/data.js';
import { scriptArgs } from '../../scripts/args.js';

const here = dirname(fileURLToPath(import.meta.url));
const { positionals: args } = scriptArgs('npx tsx experiments/nn/errors.ts [RUN …]', {}, true);
const runs = args.length ? args : [1, 2, 3].map((s) => `config-crf-d04-seed-${s}`);
const config = loadConfig(join(here, '..', '..', 'configs', 'conll04.json'));
setNumThreads(1);
const glove = loadGlove();
const [train, dev] = await Promise.all([loadSplit(config.data.train, readingOptions(config)), loadSplit(config.data.dev, readingOptions(config, 'dev'))]);

/** label → the "headType>tailType" pairs its training relations join. */
function signatures(sentences: Sentence[]): Map<string, Set<string>> {
  const sig = new Map<string, Set<string>>();
  for (const s of sentences) {
    const type = new Map(s.entities.map((e) => [e.id, e.type]));
    for (const r of s.relations) {
      if (!sig.has(r.type)) sig.set(r.type, new Set());
      sig.get(r.type)!.add(`${type.get(r.head)}>${type.get(r.tail)}`);
    }
  }
  return sig;
}
const sig = signatures(train.sentences);
const goldEntities = dev.sentences.reduce((n, s) => n + s.entities.length, 0);

interface TokenSpan {
  start: number;
  end: number;
}
const overlaps = (a: TokenSpan, b: TokenSpan) => a.start < b.end && b.start < a.end;
/** A comma strictly inside the span ("Kinderhook , N.Y."). */
const innerComma = (s: Sentence, e: TokenSpan) => s.tokens.slice(e.start + 1, e.end - 1).some((t) => t.text === ',');

/** type → [entities with an inner comma, same-type pairs split at one comma]. */
function commaAnnotation(sentences: Sentence[]): Map<string, [number, number]> {
  const count = new Map<string, [number, number]>();
  const of = (t: string) => count.get(t) ?? count.set(t, [0, 0]).get(t)!;
  for (const s of sentences) {
    for (const e of s.entities) if (innerComma(s, e)) of(e.type)[0]++;
    for (const a of s.entities)
      for (const b of s.entities) if (a.type === b.type && b.start === a.end + 1 && s.tokens[a.end].text === ',') of(a.type)[1]++;
  }
  return count;
}
const commas = [...commaAnnotation(train.sentences)].filter(([, [inner, split]]) => inner + split > 0);

const out = [
  '# Where the errors are (dev)',
  '',
  '`npx tsx experiments/nn/errors.ts ' + runs.join(' ') + '`',
  '',
  `Dev: ${dev.sentences.length} sentences, ${goldEntities} gold entities. Relation type signatures from train: ` +
    [...sig].map(([l, s]) => `${l} (${[...s].join(', ')})`).join('; ') + '.',
  '',
  'Commas in training entities, per type (inside one entity / between two of that type): ' +
    commas.map(([t, [inner, split]]) => `${t} ${inner} / ${split}`).join(', ') + '.',
  '',
  '| run | found | mistyped | boundary (at an inner comma) | missed | spurious | predicted relations | off-signature | of them correct | mistyped entities in predicted relations |',
  '|---|---|---|---|---|---|---|---|---|---|',
];
for (const run of runs) {
  const { model } = loadModelDir(join(here, 'runs', run, 'best'));
  model.glove = glove;
  const preds = predictEncoded(model, encodeAll(dev.sentences, model.vocab, { gold: false, glove }), { batchSize: 100 });
  const n = { found: 0, mistyped: 0, boundary: 0, commaBoundary: 0, missed: 0, spurious: 0, rels: 0, offSig: 0, offSigCorrect: 0, mistypedInRel: 0 };
  dev.sentences.forEach((g, i) => {
    const p = preds[i];
    const mistypedPred = new Set<number>();
    for (const ge of g.entities) {
      const same = p.entities.findIndex((pe) => pe.start === ge.start && pe.end === ge.end);
      if (same >= 0 && p.entities[same].type === ge.type) n.found++;
      else if (same >= 0) (n.mistyped++, mistypedPred.add(same));
      else if (p.entities.some((pe) => overlaps(pe, ge))) {
        n.boundary++;
        // the gold entity or a prediction cut across it has a comma inside: the inconsistent annotation above
        if (innerComma(g, ge) || p.entities.some((pe) => overlaps(pe, ge) && innerComma(g, pe))) n.commaBoundary++;
      }
      else n.missed++;
    }
    n.spurious += p.entities.filter((pe) => !g.entities.some((ge) => overlaps(pe, ge))).length;
    const goldRel = new Set(g.relations.map((r) => {
      const [h, t] = [r.head, r.tail].map((id) => g.entities.find((e) => e.id === id)!);
      return `${h.start},${h.end},${t.start},${t.end},${r.type}`;
    }));
    const inRel = new Set<number>();
    for (const r of p.relations) {
      const [h, t] = [p.entities[r.head], p.entities[r.tail]];
      n.rels++;
      inRel.add(r.head).add(r.tail);
      if (!sig.get(r.type)?.has(`${h.type}>${t.type}`)) {
        n.offSig++;
        if (goldRel.has(`${h.start},${h.end},${t.start},${t.end},${r.type}`)) n.offSigCorrect++;
      }
    }
    n.mistypedInRel += [...mistypedPred].filter((k) => inRel.has(k)).length;
  });
  out.push(`| ${run} | ${n.found} | ${n.mistyped} | ${n.boundary} (${n.commaBoundary}) | ${n.missed} | ${n.spurious} | ${n.rels} | ${n.offSig} | ${n.offSigCorrect} | ${n.mistypedInRel} |`);
}
writeFileAtomic(join(here, 'errors.md'), out.join('\n') + '\n');
process.stdout.write(out.join('\n') + '\n');
