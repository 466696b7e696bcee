/**
 * Extraction quality from raw text, against the same model on the corpus's gold tokens:
 *   npm run bench:raw-text [-- --split test|dev|train] [-- --json] [-- --model DIR] [-- --top 15] [-- --examples 5]
 *                          [-- --verbose]
 *
 * CoNLL04 (the SpERT copy, /work/shared/data/conll04/spert) has tokens, not text, and one sentence per
 * record (no multi-sentence documents). Each gold sentence is turned back into the raw text a user
 * would have (bench/detokenize.ts: PTB spacing, CoNLL04's split quotes `` ` ` ``/`' '` → `"`, `-LRB-`-style
 * brackets → their characters, AP's `-LCB-` → ½, `4 : 45` → `4:45`, `1 , 200` → `1,200`, `O 'Brien` →
 * `O'Brien`), keeping every gold token's character span. Then:
 * (a) tokenizer agreement: the share of gold tokens (a `` ` ` `` pair counts as the one token `"`) whose
 *     exact span entrel's tokenizer reproduces, and of gold entities whose two boundaries are entrel
 *     token boundaries (the others no prediction can match); sentence splitting: gold sentences entrel
 *     splits when given one at a time, and, with the whole split joined by spaces into one text, gold
 *     boundaries it misses (merges) and breaks it adds (splits);
 * (b) entity F1 and strict relation F1 of the model on the raw texts (`Extractor.extract`, every option
 *     at its default, as users call it), predictions matched to gold by character span and type,
 *     relations by both argument spans and types, relation type and direction (symmetric types either
 *     way, as src/eval does), next to the same model on the gold tokens (what `entrel evaluate --model
 *     DIR --data FILE` reports; checked here to give the same numbers through the character-span
 *     scorer). Also: with "lenient gold" (CoNLL04 sometimes glues a sentence's final period to its last
 *     word, `Texas.`, entity included; there the gold span is taken without that period); the whole split
 *     given as one text (the splitter decides what the model sees together); and the model called directly
 *     on the texts tokenized with the other tokenizer style than the model's (`ptb` for the bundled
 *     model, whose `tokenizer` is `conll04`);
 * (c) the most frequent tokenization disagreements (aligned regions where the two tokenizations differ,
 *     grouped by token shape: `Xx.` → `Xx .`), with counts, the gold entities they cut, and examples;
 *     and where the entity F1 gap comes from (entities the gold-token run finds and the raw-text run
 *     misses, and the reverse, by whether their sentence was tokenized as in the corpus).
 * No worker threads, 1 libtorch thread (run with ENTREL_THREADS=1 on a shared machine). Ends with one
 * JSON line (`--json`: only that, indented).
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Document, LabelSchema } from '../src/data/corpus.js';
import { canonicalRelation, type CompactSentence, type RelTuple, type SpanTuple } from '../src/eval/compact.js';
import { Extractor, Scorer, evaluate, tokenizedSentences } from '../src/index.js';
import { DEFAULT_MODEL_DIR } from '../src/extract/extractor.js';
import { loadModelDir } from '../src/model/io.js';
import { predictEncoded } from '../src/model/predict.js';
import { modelWordVectors } from '../src/model/word-vectors.js';
import type { SentenceOptions } from '../src/text/index.js';
import { encodeAll } from '../src/train/data.js';
import { predictFile } from '../src/train/evaluate.js';
import { detokenize, type Detokenized } from './detokenize.js';
import { checkedArgs, choiceArg, integerArg, usageText } from '../scripts/args.js';

const options = {
  split: { type: 'string', default: 'test' },
  json: { type: 'boolean', default: false },
  model: { type: 'string' },
  top: { type: 'string', default: '15' },
  verbose: { type: 'boolean', default: false },
  examples: { type: 'string', default: '5' },
} as const;
const usage = usageText('npm run bench:raw-text [-- --split test|dev|train] [-- --json] [-- --model DIR] [-- --top 15] [-- --examples 5] [-- --verbose]', options, {
  split: { value: 'SPLIT', text: 'the CoNLL04 split: test, dev or train' },
  json: { text: 'print only the JSON result, indented' },
  model: { value: 'DIR', text: 'the model', default: 'the bundled models/conll04' },
  top: { value: 'N', text: 'tokenization disagreements listed, at least 0' },
  verbose: { text: 'list every entity of the F1 gap' },
  examples: { value: 'N', text: 'examples per kind of splitting error, at least 0' },
});
const { top, examples: nExamples, ...args } = checkedArgs(usage, options, ({ values }) => ({
  ...values,
  split: choiceArg(values.split, '--split', ['test', 'dev', 'train']),
  top: integerArg(values.top, '--top', 0),
  examples: integerArg(values.examples, '--examples', 0),
}));
const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dataFile = join(repo, '..', 'shared', 'data', 'conll04', 'spert', `conll04_${args.split}.json`);
const modelDir = args.model ?? DEFAULT_MODEL_DIR;
// The model tokenizes raw text in its training corpus's style (`model.tokenizer`), as the Extractor does.
const { model, meta } = loadModelDir(modelDir);
const modelStyle = model.config.tokenizer;
const otherStyle = modelStyle === 'ptb' ? 'conll04' : 'ptb';
const log = (s: string) => {
  if (!args.json) console.log(s);
};

/** Token shape for grouping disagreements: letter case runs → X/x, digit runs → d, the rest kept. */
const shape = (s: string) =>
  s.replace(/\p{Lu}+/gu, 'X').replace(/\p{Ll}+/gu, 'x').replace(/\p{N}+/gu, 'd').replace(/(?:Xx)+/g, 'Xx').replace(/(?:xX)+x?/g, 'xX');

// --------------------------------------------------------------------------------------------- data

const gold = await predictFile(modelDir, dataFile, { batchSize: 128 }); // also the gold-token predictions
const { split, predicted } = gold;
const schema: LabelSchema = split.schema;
const symmetric = new Set(schema.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
// The number `entrel evaluate --model DIR --data FILE` prints.
const goldTokenReport = evaluate(split.documents, predicted, { schema });

interface Item {
  doc: Document;
  detok: Detokenized;
  /** Gold entities and relations as character-span tuples; lenient: glued final periods dropped. */
  gold: CompactSentence;
  lenient: CompactSentence;
  /** The gold-token run's predictions as character-span tuples. */
  goldTokenPred: CompactSentence;
}

/** Tokens ending in `.` that CoNLL04 also writes before a lowercase word, digit or comma: abbreviations. */
const abbreviations = new Set<string>();
for (const d of split.documents)
  for (const s of d.sentences)
    s.tokens.forEach((t, i) => {
      const next = s.tokens[i + 1]?.text;
      if (t.text.length > 1 && t.text.endsWith('.') && next && /^(?:\p{Ll}|\p{N}|,)/u.test(next)) abbreviations.add(t.text);
    });
const CLOSERS = new Set(["'", '"', ')', '`']);

function compact(s: Document['sentences'][0], spans: [number, number][], trimEnd?: (tokenEnd: number, end: number) => number): CompactSentence {
  const span = (e: { start: number; end: number }): [number, number] => {
    const a = spans[e.start][0];
    const b = spans[e.end - 1][1];
    return [a, trimEnd ? trimEnd(e.end, b) : b];
  };
  const byId = new Map(s.entities.map((e) => [e.id, e]));
  const entities = s.entities.map((e): SpanTuple => [...span(e), e.type]);
  const relations = s.relations.map((r): RelTuple => {
    const [h, t] = [byId.get(r.head)!, byId.get(r.tail)!];
    return canonicalRelation([...span(h), h.type, ...span(t), t.type, r.type], symmetric.has(r.type));
  });
  return { entities, relations };
}

const items: Item[] = split.documents.map((doc, di) => {
  if (doc.sentences.length !== 1) throw new Error(`document ${doc.id}: ${doc.sentences.length} sentences (expected CoNLL04's one)`);
  const s = doc.sentences[0];
  const toks = s.tokens.map((t) => t.text);
  const detok = detokenize(toks);
  // A period glued to the sentence's last word (only closing quotes after it), not an abbreviation's.
  const glued = (tokenEnd: number, end: number) => {
    const last = toks[tokenEnd - 1];
    const atEnd = toks.slice(tokenEnd).every((x) => CLOSERS.has(x) || x === '.');
    const isAbbrev = abbreviations.has(last) || /^(?:\p{L}\.)+$/u.test(last);
    return atEnd && last.length > 1 && last.endsWith('.') && !isAbbrev ? end - 1 : end;
  };
  return {
    doc,
    detok,
    gold: compact(s, detok.spans),
    lenient: compact(s, detok.spans, glued),
    goldTokenPred: compact(predicted[di].sentences[0], detok.spans),
  };
});
const texts = items.map((x) => x.detok.text);

// ------------------------------------------------------------------------------- (a) tokenizer, splitter

let units = 0;
let unitsSame = 0;
let goldTokens = 0;
let goldTokensSame = 0;
let entities = 0;
let entitiesOnBoundaries = 0;
let sentencesSame = 0;
let splitSentences = 0;
const splitExamples: string[] = [];
interface Category { count: number; entitiesCut: number; examples: Set<string> }
const categories = new Map<string, Category>();
/** Per item: whether entrel tokenized it exactly as the corpus. */
const sameTokens: boolean[] = [];

for (const it of items) {
  const text = it.detok.text;
  const sents = tokenizedSentences(text, { style: modelStyle });
  if (sents.length > 1) {
    splitSentences++;
    if (splitExamples.length < nExamples) splitExamples.push(sents.map((x) => text.slice(x.start, x.end)).join(' ‖ '));
  }
  const toks = sents.flatMap((x) => x.tokens);
  const starts = new Set(toks.map((t) => t.start));
  const ends = new Set(toks.map((t) => t.end));
  const spans = new Set(toks.map((t) => `${t.start}:${t.end}`));
  let same = true;
  for (const u of it.detok.units) {
    units++;
    goldTokens += u.to - u.from;
    if (spans.has(`${u.start}:${u.end}`)) {
      unitsSame++;
      goldTokensSame += u.to - u.from;
    } else same = false;
  }
  sameTokens.push(same && toks.length === it.detok.units.length);
  if (sameTokens[sameTokens.length - 1]) sentencesSame++;
  const cut = (a: number, b: number) => it.gold.entities.filter(([s, e]) => (s >= a && s < b && !starts.has(s)) || (e > a && e <= b && !ends.has(e))).length;
  for (const [s, e] of it.gold.entities) {
    entities++;
    if (starts.has(s) && ends.has(e)) entitiesOnBoundaries++;
  }
  // Aligned regions: both tokenizations cover exactly the non-whitespace characters.
  const gu = it.detok.units;
  for (let i = 0, j = 0; i < gu.length && j < toks.length; i++, j++) {
    const [i0, j0] = [i, j];
    if (gu[i].start !== toks[j].start) throw new Error(`misaligned at ${gu[i].start} / ${toks[j].start} in ${JSON.stringify(text)}`);
    while (gu[i].end !== toks[j].end) {
      if (gu[i].end < toks[j].end) i++;
      else j++;
    }
    if (i === i0 && j === j0) continue;
    const g = gu.slice(i0, i + 1).map((u) => text.slice(u.start, u.end));
    const e = toks.slice(j0, j + 1).map((t) => t.text);
    const key = `${g.map(shape).join(' ')} → ${e.map(shape).join(' ')}`;
    const c = categories.get(key) ?? { count: 0, entitiesCut: 0, examples: new Set<string>() };
    c.count++;
    c.entitiesCut += cut(gu[i0].start, gu[i].end);
    if (c.examples.size < 3) c.examples.add(`${g.join(' ')} → ${e.join(' ')}`);
    categories.set(key, c);
  }
}

// The whole split as one text (sentences joined by a space): which gold boundaries the splitter keeps.
const joined = texts.join(' ');
const goldBoundaries: number[] = [];
for (let k = 0, at = 0; k < texts.length; k++) {
  if (k > 0) goldBoundaries.push(at);
  at += texts[k].length + 1;
}
const entrelStarts = new Set(tokenizedSentences(joined, { style: modelStyle }).map((x) => x.start));
const gbSet = new Set(goldBoundaries);
const TERMINATED = /[.!?]["')\]]*$/u;
let mergedAfterTerminator = 0;
let mergedUnterminated = 0;
const mergeExamples: string[] = [];
for (const [k, b] of goldBoundaries.entries()) {
  if (entrelStarts.has(b)) continue;
  if (TERMINATED.test(texts[k])) {
    mergedAfterTerminator++;
    if (mergeExamples.length < nExamples) mergeExamples.push(`…${texts[k].slice(-40)} ‖ ${texts[k + 1].slice(0, 30)}…`);
  } else mergedUnterminated++;
}
const extraBreaks = [...entrelStarts].filter((x) => x > 0 && !gbSet.has(x));
const extraExamples = extraBreaks.slice(0, nExamples).map((x) => `…${joined.slice(Math.max(0, x - 40), x)}‖${joined.slice(x, x + 30)}…`);

// ------------------------------------------------------------------------------------- (b) extraction

const ex = await Extractor.load(modelDir, { workers: 0, threads: 1 });
const t0 = performance.now();
const docs = await ex.extract(texts);
const rawMs = performance.now() - t0;
// The whole split as one text: sentence splitting decides what the model sees together.
const joinedDoc = await ex.extract(joined);
await ex.close();

const rawPred: CompactSentence[] = docs.map((d) => {
  const byId = new Map(d.entities.map((e) => [e.id, e]));
  return {
    entities: d.entities.map((e): SpanTuple => [e.start, e.end, e.type]),
    relations: d.relations.map((r): RelTuple => {
      const [h, t] = [byId.get(r.head)!, byId.get(r.tail)!];
      return canonicalRelation([h.start, h.end, h.type, t.start, t.end, t.type, r.type], symmetric.has(r.type));
    }),
  };
});

/**
 * The model on the raw texts split and tokenized with `opts`, called directly: what another tokenizer
 * style would give. With the model's own style (as the Extractor tokenizes) it must reproduce the
 * Extractor's predictions.
 */
const direct = (() => {
  // Through the model's own word vectors, as the Extractor reads unseen words.
  const glove = modelWordVectors(meta, model.config.wordDim, modelDir);
  model.glove = glove;
  return (opts: SentenceOptions): CompactSentence[] =>
    texts.map((text) => {
      const sents = tokenizedSentences(text, opts);
      const preds = predictEncoded(model, encodeAll(sents.map((x) => ({ tokens: x.tokens, entities: [], relations: [] })), model.vocab, { gold: false, glove }), { batchSize: 128 });
      const out: { entities: SpanTuple[]; relations: RelTuple[] } = { entities: [], relations: [] };
      sents.forEach((x, si) => {
        const ents = preds[si].entities.map((e): SpanTuple => [x.tokens[e.start].start, x.tokens[e.end - 1].end, e.type]);
        out.entities.push(...ents);
        for (const r of preds[si].relations) {
          const [h, t] = [ents[r.head], ents[r.tail]];
          out.relations.push(canonicalRelation([h[0], h[1], h[2], t[0], t[1], t[2], r.type], symmetric.has(r.type)));
        }
      });
      return out;
    });
})();
const directDefault = direct({ style: modelStyle });
const sameAsExtractor = directDefault.every((d, k) => JSON.stringify(d.entities) === JSON.stringify(rawPred[k].entities));
const directOther = direct({ style: otherStyle });

function score(goldOf: (it: Item) => CompactSentence, pred: (it: Item, k: number) => CompactSentence) {
  const sc = new Scorer(schema);
  items.forEach((it, k) => sc.addCompact(goldOf(it), pred(it, k)));
  const r = sc.report();
  const f = (x: { micro: { p: number; r: number; f1: number } }) => ({ p: round(x.micro.p), r: round(x.micro.r), f1: round(x.micro.f1) });
  return { entities: f(r.entities), relationsStrict: f(r.relations.strict), relationsBoundaries: f(r.relations.boundaries) };
}
const round = (x: number) => Math.round(x * 10000) / 100;

const goldTokenScores = score((it) => it.gold, (it) => it.goldTokenPred);
const evalScores = {
  entities: round(goldTokenReport.entities.micro.f1),
  relationsStrict: round(goldTokenReport.relations.strict.micro.f1),
};
if (goldTokenScores.entities.f1 !== evalScores.entities || goldTokenScores.relationsStrict.f1 !== evalScores.relationsStrict)
  throw new Error(`character-span scorer ${JSON.stringify(goldTokenScores)} disagrees with evaluate ${JSON.stringify(evalScores)}`);
const rawScores = score((it) => it.gold, (_, k) => rawPred[k]);
const rawLenient = score((it) => it.lenient, (_, k) => rawPred[k]);
// Joined: every gold sentence against the predictions inside its extent (a relation across two gold
// sentences, possible when the splitter merges them, counts as a false positive of the first).
const joinedPred: CompactSentence[] = (() => {
  const offsets = goldBoundaries.length ? [0, ...goldBoundaries] : [0];
  const byId = new Map(joinedDoc.entities.map((e) => [e.id, e]));
  const at = (x: number) => {
    let k = 0;
    while (k + 1 < offsets.length && offsets[k + 1] <= x) k++;
    return k;
  };
  const out = texts.map(() => ({ entities: [] as SpanTuple[], relations: [] as RelTuple[] }));
  for (const e of joinedDoc.entities) {
    const k = at(e.start);
    out[k].entities.push([e.start - offsets[k], e.end - offsets[k], e.type]);
  }
  for (const r of joinedDoc.relations) {
    const [h, t] = [byId.get(r.head)!, byId.get(r.tail)!];
    const k = at(Math.min(h.start, t.start));
    const o = offsets[k];
    out[k].relations.push(canonicalRelation([h.start - o, h.end - o, h.type, t.start - o, t.end - o, t.type, r.type], symmetric.has(r.type)));
  }
  return out;
})();
const joinedScores = score((it) => it.gold, (_, k) => joinedPred[k]);
const otherScores = score((it) => it.gold, (_, k) => directOther[k]);
const otherLenient = score((it) => it.lenient, (_, k) => directOther[k]);
const goldTokenLenient = score((it) => it.lenient, (it) => it.goldTokenPred);
const gluedEntities = items.reduce((n, it) => n + it.gold.entities.filter((e, k) => e[1] !== it.lenient.entities[k][1]).length, 0);

// Where the entity gap comes from: correct entities of one run the other lacks.
const key = (e: SpanTuple) => `${e[0]}:${e[1]}:${e[2]}`;
const verbose: string[] = [];
const gap = { lostSameTokens: 0, lostOtherTokens: 0, gainedSameTokens: 0, gainedOtherTokens: 0 };
items.forEach((it, k) => {
  const g = new Set(it.gold.entities.map(key));
  const a = new Set(it.goldTokenPred.entities.map(key).filter((x) => g.has(x)));
  const b = new Set(rawPred[k].entities.map(key).filter((x) => g.has(x)));
  const same = sameTokens[k];
  const show = (x: string, what: string) => {
    if (!args.verbose) return;
    const [s0, e0, type] = x.split(':');
    const t = it.detok.text;
    const got = rawPred[k].entities.filter((p) => p[0] < +e0 && p[1] > +s0).map((p) => `${t.slice(p[0], p[1])}/${p[2]}`);
    verbose.push(`  ${what} ${JSON.stringify(t.slice(+s0, +e0))}/${type}${same ? '' : ' (tokens differ)'}; raw text has: ${got.join(', ') || '-'} | …${t.slice(Math.max(0, +s0 - 30), +e0 + 15)}…`);
  };
  for (const x of a) if (!b.has(x)) (gap[same ? 'lostSameTokens' : 'lostOtherTokens']++, show(x, 'lost'));
  for (const x of b) if (!a.has(x)) (gap[same ? 'gainedSameTokens' : 'gainedOtherTokens']++, show(x, 'gained'));
});

// ------------------------------------------------------------------------------------------- report

const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
const ranked = [...categories.entries()].sort((a, b) => b[1].count - a[1].count || b[1].entitiesCut - a[1].entitiesCut);
log(`CoNLL04 ${args.split} (${items.length} sentences), model ${modelDir}`);
log('');
log('(a) tokenizer agreement on the detokenized sentences');
log(`  gold tokens reproduced exactly: ${goldTokensSame} / ${goldTokens} (${pct(goldTokensSame, goldTokens)}); as units (a quote pair = 1): ${unitsSame} / ${units}`);
log(`  sentences tokenized exactly as gold: ${sentencesSame} / ${items.length} (${pct(sentencesSame, items.length)})`);
log(`  gold entities on entrel token boundaries: ${entitiesOnBoundaries} / ${entities} (${pct(entitiesOnBoundaries, entities)})`);
log(`  sentence splitting, one gold sentence per text: ${splitSentences} of ${items.length} split by entrel`);
for (const x of splitExamples) log(`    ${x}`);
log(`  whole split as one text: ${goldBoundaries.length} gold boundaries; entrel misses ${mergedAfterTerminator + mergedUnterminated} ` +
  `(${mergedAfterTerminator} after . ! ?, ${mergedUnterminated} after a sentence without one: headlines), adds ${extraBreaks.length}`);
for (const x of mergeExamples) log(`    merged: ${x}`);
for (const x of extraExamples) log(`    added:  ${x}`);
log('');
log('(b) extraction, micro P / R / F1');
const line = (name: string, s: ReturnType<typeof score>) =>
  log(`  ${name.padEnd(44)} entities ${s.entities.p.toFixed(2)} / ${s.entities.r.toFixed(2)} / ${s.entities.f1.toFixed(2)}   relations (strict) ${s.relationsStrict.p.toFixed(2)} / ${s.relationsStrict.r.toFixed(2)} / ${s.relationsStrict.f1.toFixed(2)}`);
line('gold tokens (= entrel evaluate)', goldTokenScores);
line('raw text (Extractor.extract)', rawScores);
log(`  gap (raw − gold tokens): entity F1 ${(rawScores.entities.f1 - goldTokenScores.entities.f1).toFixed(2)}, strict relation F1 ${(rawScores.relationsStrict.f1 - goldTokenScores.relationsStrict.f1).toFixed(2)}`);
line('raw text, whole split as one text', joinedScores);
line('gold tokens, lenient gold', goldTokenLenient);
line('raw text, lenient gold', rawLenient);
line(`raw text, style ${otherStyle} (not the model's ${modelStyle})`, otherScores);
line(`raw text, style ${otherStyle}, lenient gold`, otherLenient);
log(`  (the model called directly with its own style ${sameAsExtractor ? 'gives' : 'does NOT give'} the Extractor's entities)`);
log(`  lenient gold: ${gluedEntities} gold entities lose a period glued to a sentence's last word (Texas. → Texas)`);
log(`  correct entities the raw-text run lacks: ${gap.lostSameTokens + gap.lostOtherTokens} (${gap.lostOtherTokens} in sentences tokenized differently); ` +
  `it has and the gold-token run lacks: ${gap.gainedSameTokens + gap.gainedOtherTokens} (${gap.gainedOtherTokens})`);
for (const v of verbose) log(v);
log(`  (raw-text extraction of ${texts.length} texts: ${Math.round(rawMs)} ms)`);
log('');
log(`(c) tokenization disagreements (gold → entrel, by shape), top ${top} of ${ranked.length}`);
for (const [k, c] of ranked.slice(0, top))
  log(`  ${String(c.count).padStart(4)}  ${k.padEnd(28)} cuts ${c.entitiesCut} gold entit${c.entitiesCut === 1 ? 'y' : 'ies'}   e.g. ${[...c.examples].join(' | ')}`);

const result = {
  bench: 'raw-text', split: args.split, sentences: items.length, model: modelDir,
  tokenizer: { goldTokens, goldTokensSame, units, unitsSame, sentencesSame, entities, entitiesOnBoundaries },
  splitter: { splitOneAtATime: splitSentences, joined: { boundaries: goldBoundaries.length, mergedAfterTerminator, mergedUnterminated, extraBreaks: extraBreaks.length } },
  goldTokens: goldTokenScores, rawText: rawScores, goldTokensLenient: goldTokenLenient, rawTextLenient: rawLenient,
  rawTextJoined: joinedScores, modelTokenizer: modelStyle, rawTextOtherStyle: { style: otherStyle, ...otherScores }, rawTextOtherStyleLenient: otherLenient, directSameAsExtractor: sameAsExtractor, gluedEntities, gap,
  disagreements: ranked.slice(0, top).map(([k, c]) => ({ shape: k, count: c.count, entitiesCut: c.entitiesCut, examples: [...c.examples] })),
};
console.log(args.json ? JSON.stringify(result, null, 2) : JSON.stringify(result));
