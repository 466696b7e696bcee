/**
 * Ensembles from raw text: each model alone and the models as an `EnsembleExtractor`, on CoNLL04's
 * sentences detokenized into the text a user would have (bench/detokenize.ts, as bench/raw-text.ts does),
 * scored by character spans (entities: span and type; relations: both arguments, type, direction), with
 * the time each takes.
 *
 *   npm run bench:ensemble -- --model A --model B --model C [--split test|dev] [--min-votes K] [--workers N] [--json]
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Diagnostics } from '../src/data/diagnostics.js';
import { loadCorpus } from '../src/data/formats/index.js';
import { scores, type Counts } from '../src/eval/index.js';
import { EnsembleExtractor, Extractor, type ExtractedDocument, type ExtractorLike } from '../src/index.js';
import { MAX_WORKERS } from '../src/extract/workers.js';
import { detokenize } from './detokenize.js';
import { checkedArgs, choiceArg, integerArg, usageText } from '../scripts/args.js';

const options = {
  model: { type: 'string', multiple: true },
  split: { type: 'string', default: 'test' },
  'min-votes': { type: 'string' },
  workers: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;
const usage = usageText('npm run bench:ensemble -- --model A --model B --model C [--split test|dev] [--min-votes K] [--workers N] [--json]', options, {
  model: { value: 'DIR', text: 'a model of the ensemble; give at least two' },
  split: { value: 'SPLIT', text: 'the CoNLL04 split: test or dev' },
  'min-votes': { value: 'K', text: 'votes an item needs, from 1 to the number of models', default: 'a majority' },
  workers: { value: 'N', text: `model worker threads, from 0 to ${MAX_WORKERS}`, default: "the library's" },
  json: { text: 'print the rows as JSON' },
});
const args = checkedArgs(usage, options, ({ values }) => {
  const models = values.model ?? [];
  if (models.length < 2) throw new Error(`--model: give at least two models (--model A --model B …), got ${models.length}`);
  return {
    models,
    split: choiceArg(values.split, '--split', ['test', 'dev']),
    minVotes: values['min-votes'] === undefined ? undefined : integerArg(values['min-votes'], '--min-votes', 1, models.length),
    workers: values.workers === undefined ? undefined : integerArg(values.workers, '--workers', 0, MAX_WORKERS),
    json: values.json,
  };
});
const { models, workers, minVotes } = args;
const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dataFile = join(repo, '..', 'shared', 'data', 'conll04', 'spert', `conll04_${args.split}.json`);

const corpus = await loadCorpus(dataFile, { diagnostics: new Diagnostics() });
/** Per sentence: its raw text and its gold items as character-span keys. */
const items = corpus.documents.map((doc) => {
  const s = doc.sentences[0];
  const { text, spans } = detokenize(s.tokens.map((t) => t.text));
  const span = (id: string) => {
    const e = s.entities.find((x) => x.id === id)!;
    return `${spans[e.start][0]}:${spans[e.end - 1][1]}:${e.type}`;
  };
  return { text, entities: new Set(s.entities.map((e) => span(e.id))), relations: new Set(s.relations.map((r) => `${span(r.head)}>${span(r.tail)}:${r.type}`)) };
});
const texts = items.map((x) => x.text);

function score(docs: ExtractedDocument[]) {
  const ent: Counts = { tp: 0, fp: 0, fn: 0 };
  const rel: Counts = { tp: 0, fp: 0, fn: 0 };
  const add = (c: Counts, gold: Set<string>, pred: Set<string>) => {
    for (const k of pred) c[gold.has(k) ? 'tp' : 'fp']++;
    for (const k of gold) if (!pred.has(k)) c.fn++;
  };
  docs.forEach((d, i) => {
    const key = new Map(d.entities.map((e) => [e.id, `${e.start}:${e.end}:${e.type}`]));
    add(ent, items[i].entities, new Set(key.values()));
    add(rel, items[i].relations, new Set(d.relations.map((r) => `${key.get(r.head)}>${key.get(r.tail)}:${r.type}`)));
  });
  return { entities: scores(ent), relations: scores(rel) };
}

async function run(name: string, ex: ExtractorLike & { close(): Promise<void>; warmUp(): Promise<void> }) {
  await ex.warmUp();
  const t0 = performance.now();
  const docs = await ex.extract(texts);
  const seconds = (performance.now() - t0) / 1000;
  await ex.close();
  return { name, seconds, ...score(docs) };
}

const rows = [];
for (const dir of models) rows.push(await run(dir, await Extractor.load(dir, { workers })));
rows.push(await run(`ensemble of ${models.length}`, await EnsembleExtractor.load(models, { workers, minVotes })));

const pct = (x: number) => (100 * x).toFixed(2);
if (args.json) process.stdout.write(JSON.stringify({ bench: 'ensemble', split: args.split, sentences: texts.length, rows }, null, 2) + '\n');
else {
  console.log(`CoNLL04 ${args.split} as raw text (${texts.length} sentences), scored by character spans`);
  console.log('| model | entity F1 (P / R) | strict relation F1 (P / R) | seconds |');
  console.log('|---|---|---|---|');
  for (const r of rows)
    console.log(`| ${r.name} | ${pct(r.entities.f1)} (${pct(r.entities.p)} / ${pct(r.entities.r)}) | ${pct(r.relations.f1)} (${pct(r.relations.p)} / ${pct(r.relations.r)}) | ${r.seconds.toFixed(2)} |`);
}
