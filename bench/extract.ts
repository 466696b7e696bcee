/**
 * Library extraction speed with the bundled model (models/conll04):
 *   npm run bench:extract [-- --seconds 10] [-- --batch-size 32] [-- --model DIR]     (ENTREL_THREADS=1|2)
 *
 * - load: importing the package (libtorch's shared libraries included), `Extractor.load()` (model files
 *   read, checksums verified, weights copied), and the GloVe table the first extraction loads (used for
 *   words outside the training vocabulary), each timed on its own, in this fresh process.
 * - throughput: the 288 CoNLL04 test sentences, given as 288 raw texts (their tokens joined by spaces)
 *   to one `extract` call per pass (sentence splitting, tokenizing, encoding, length-bucketed batches,
 *   the model, offsets), repeated for `--seconds`; sentences/s counts the sentences the splitter found,
 *   per wall-clock second and per CPU-second of this process.
 * Ends with one JSON line.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    'batch-size': { type: 'string', default: '32' },
    model: { type: 'string' },
  },
});
const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const testFile = join(repo, '..', 'shared', 'data', 'conll04', 'unified_two_are_better', 'test.CoNLL04.json');
const ms = (t0: number) => Math.round(performance.now() - t0);

let t0 = performance.now();
const { Extractor, loadCorpus, tokenizedSentences } = await import('../src/index.js');
const importMs = ms(t0);
const { getNumThreads } = await import('../src/tensor/index.js');

t0 = performance.now();
const extractor = await Extractor.load(args.model, { batchSize: Number(args['batch-size']) });
const loadMs = ms(t0);

t0 = performance.now();
await extractor.extract('warm');
const firstExtractMs = ms(t0); // the GloVe table is loaded here

const corpus = await loadCorpus(testFile, { format: 'unified' });
const texts = corpus.documents.flatMap((d) => d.sentences.map((s) => s.tokens.map((t) => t.text).join(' ')));
const sentences = texts.reduce((n, t) => n + tokenizedSentences(t).length, 0);

t0 = performance.now();
for (const t of texts) tokenizedSentences(t);
const splitMs = performance.now() - t0;

await extractor.extract(texts); // warm-up pass
let passes = 0;
let entities = 0;
let relations = 0;
const budget = Number(args.seconds) * 1000;
const cpu0 = process.cpuUsage();
t0 = performance.now();
while (performance.now() - t0 < budget || passes < 3) {
  const docs = await extractor.extract(texts);
  entities = docs.reduce((n, d) => n + d.entities.length, 0);
  relations = docs.reduce((n, d) => n + d.relations.length, 0);
  passes++;
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const sentencesPerSec = Math.round((passes * sentences) / seconds);
// Per CPU-second: what this process got done with the CPU it was given, free of the other processes
// that share the machine (with 1 intra-op thread it is the wall-clock figure of an otherwise idle core).
const sentencesPerCpuSec = Math.round((passes * sentences) / cpuSeconds);

console.error(`load: import ${importMs} ms, Extractor.load ${loadMs} ms, first extract (GloVe table) ${firstExtractMs} ms`);
console.error(
  `throughput: ${sentencesPerSec} sentences/s, ${sentencesPerCpuSec} per CPU-second (${texts.length} texts, ${sentences} sentences, ${passes} passes in ${seconds.toFixed(1)} s; ` +
    `${entities} entities, ${relations} relations per pass; splitting alone ${Math.round((sentences * 1000) / splitMs)} sentences/s)`,
);
console.log(
  JSON.stringify({
    bench: 'extract', model: extractor.info().name, batchSize: Number(args['batch-size']), importMs, loadMs, firstExtractMs,
    threads: getNumThreads(), sentences, passes, seconds: Math.round(seconds * 10) / 10, cpuSeconds: Math.round(cpuSeconds * 10) / 10,
    sentencesPerSec, sentencesPerCpuSec, entities, relations,
  }),
);
