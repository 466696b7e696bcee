/**
 * Library extraction speed with the bundled model (models/conll04):
 *   npm run bench:extract [-- --seconds 10] [-- --workers 0,1,2] [-- --concurrent 1] [-- --rounds 1]
 *                         [-- --batch-size N] [-- --model DIR]
 *
 * - load: importing the package (libtorch's shared libraries included), `Extractor.load()` (model files
 *   read, checksums verified, weights copied), and the GloVe table the first extraction loads (used for
 *   words outside the training vocabulary), each timed on its own, in this fresh process; then, per
 *   worker count, starting the worker threads (`warmUp()`: each loads the model).
 * - throughput, per worker count (0 = everything on this thread, 1 intra-op thread; N = N worker threads
 *   with 1 intra-op thread each): the 288 CoNLL04 test sentences, given as 288 raw texts (their tokens
 *   joined by spaces) to one `extract` call per pass (sentence splitting, tokenizing, encoding,
 *   length-bucketed batches, the model, offsets), repeated for `--seconds`; sentences/s counts the
 *   sentences the splitter found, per wall-clock second and per CPU-second of this process (all its
 *   threads). `--concurrent C` keeps C such calls in flight (as `extractStream` keeps 2 and a server
 *   its concurrent requests), so the workers have work while this thread splits the next call's texts;
 *   a list measures each. `--rounds R` measures every setting R times, alternating, `--seconds` each.
 *   The 1-minute load average is read before and after each measurement: on a shared machine the
 *   wall-clock figures are what this process got.
 * Ends with one JSON line.
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkedArgs, integerArg, integerListArg, numberArg, usageError, usageText } from '../scripts/args.js';

const options = {
  seconds: { type: 'string', default: '10' },
  workers: { type: 'string', default: '0,1,2' },
  rounds: { type: 'string', default: '1' },
  concurrent: { type: 'string', default: '1' },
  'batch-size': { type: 'string' }, // default: the library's
  model: { type: 'string' },
} as const;
const usage = usageText('npm run bench:extract [-- --seconds 10] [-- --workers 0,1,2] [-- --concurrent 1] [-- --rounds 1] [-- --batch-size N] [-- --model DIR]', options, {
  seconds: { value: 'S', text: 'seconds per measurement, at least 0; each does 3 passes at least' },
  workers: { value: 'W,…', text: 'worker thread counts, each at least 0; 0 = everything on this thread' },
  rounds: { value: 'R', text: 'times every setting is measured, at least 1' },
  concurrent: { value: 'C,…', text: 'extract calls kept in flight, each at least 1' },
  'batch-size': { value: 'N', text: 'sentences per batch, at least 1', default: "the library's" },
  model: { value: 'DIR', text: 'the model', default: 'the bundled models/conll04' },
});
// Read before the package is imported (its import is timed); the workers' upper bound is checked after.
const args = checkedArgs(usage, options, ({ values }) => ({
  seconds: numberArg(values.seconds, '--seconds', { min: 0 }),
  workers: integerListArg(values.workers, '--workers', 0),
  rounds: integerArg(values.rounds, '--rounds', 1),
  concurrent: integerListArg(values.concurrent, '--concurrent', 1),
  batchSize: values['batch-size'] === undefined ? undefined : integerArg(values['batch-size'], '--batch-size', 1),
  model: values.model,
}));
const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const testFile = join(repo, '..', 'shared', 'data', 'conll04', 'unified_two_are_better', 'test.CoNLL04.json');
const ms = (t0: number) => Math.round(performance.now() - t0);
const load1 = () => Math.round(loadavg()[0] * 100) / 100;

let t0 = performance.now();
const { Extractor, loadCorpus, tokenizedSentences } = await import('../src/index.js');
const { DEFAULT_BATCH_SIZE } = await import('../src/extract/batches.js');
const importMs = ms(t0);
const { MAX_WORKERS } = await import('../src/extract/workers.js');
const tooMany = args.workers.find((w) => w > MAX_WORKERS);
if (tooMany !== undefined) usageError(usage, `--workers: expected whole numbers from 0 to ${MAX_WORKERS}, got "${tooMany}"`);

const batchSize = args.batchSize ?? DEFAULT_BATCH_SIZE;
t0 = performance.now();
const first = await Extractor.load(args.model, { batchSize, workers: 0 });
const loadMs = ms(t0);

t0 = performance.now();
await first.extract('warm');
const firstExtractMs = ms(t0); // the GloVe table is loaded here

const corpus = await loadCorpus(testFile, { format: 'unified' });
const texts = corpus.documents.flatMap((d) => d.sentences.map((s) => s.tokens.map((t) => t.text).join(' ')));
const sentences = texts.reduce((n, t) => n + tokenizedSentences(t).length, 0);

t0 = performance.now();
for (const t of texts) tokenizedSentences(t);
const splitMs = performance.now() - t0;
console.error(`load: import ${importMs} ms, Extractor.load ${loadMs} ms, first extract (GloVe table) ${firstExtractMs} ms; splitting alone ${Math.round((sentences * 1000) / splitMs)} sentences/s`);

const workerCounts = args.workers;
const extractors = new Map<number, typeof first>();
const startMs = new Map<number, number>();
for (const w of workerCounts) {
  const ex = w === 0 ? first : await Extractor.load(args.model, { batchSize, workers: w });
  t0 = performance.now();
  await ex.warmUp(); // GloVe table (shared with `first` through the cache) and the worker threads
  startMs.set(w, ms(t0));
  await ex.extract(texts); // warm-up pass
  extractors.set(w, ex);
}

interface Row {
  workers: number;
  concurrent: number;
  sentencesPerSec: number;
  sentencesPerCpuSec: number;
  passes: number;
  seconds: number;
  cpuSeconds: number;
  load1Before: number;
  load1After: number;
  entities: number;
  relations: number;
}
const rows: Row[] = [];
const budget = args.seconds * 1000;
const settings = workerCounts.flatMap((w) => args.concurrent.map((c) => [w, c] as const));
for (let round = 0; round < args.rounds; round++) {
  for (const [w, concurrent] of settings) {
    const ex = extractors.get(w)!;
    const load1Before = load1();
    let passes = 0;
    let entities = 0;
    let relations = 0;
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    const loop = async () => {
      while (performance.now() - t0 < budget || passes < 3) {
        const docs = await ex.extract(texts);
        entities = docs.reduce((n, d) => n + d.entities.length, 0);
        relations = docs.reduce((n, d) => n + d.relations.length, 0);
        passes++;
      }
    };
    await Promise.all(Array.from({ length: concurrent }, loop));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const row: Row = {
      workers: w,
      concurrent,
      sentencesPerSec: Math.round((passes * sentences) / seconds),
      // Per CPU-second: what this process got done with the CPU it was given, free of the other
      // processes that share the machine.
      sentencesPerCpuSec: Math.round((passes * sentences) / cpuSeconds),
      passes,
      seconds: Math.round(seconds * 10) / 10,
      cpuSeconds: Math.round(cpuSeconds * 10) / 10,
      load1Before,
      load1After: load1(),
      entities,
      relations,
    };
    rows.push(row);
    console.error(
      `workers ${w}, ${concurrent} call(s) in flight: ${row.sentencesPerSec} sentences/s, ${row.sentencesPerCpuSec} per CPU-second ` +
        `(${passes} passes of ${texts.length} texts / ${sentences} sentences in ${row.seconds} s, ${row.cpuSeconds} CPU-s; ` +
        `load ${row.load1Before} → ${row.load1After}; ${entities} entities, ${relations} relations per pass)`,
    );
  }
}
for (const ex of extractors.values()) await ex.close();

console.log(
  JSON.stringify({
    bench: 'extract', model: first.info().name, batchSize, importMs, loadMs, firstExtractMs,
    workerStartMs: Object.fromEntries(startMs), sentences, results: rows,
  }),
);
