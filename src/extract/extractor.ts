/**
 * The library face of entrel: raw text in, entities and relations out.
 *
 *   const ex = await Extractor.load();              // the bundled CoNLL04 model (models/conll04/)
 *   const doc = await ex.extract('John Smith works for IBM in Boston.');
 *   const docs = await ex.extract([textA, textB], { relationThreshold: 0.5 });
 *
 * Texts are split into sentences and tokens (src/text), the sentences of all texts are sorted by length
 * and run through the model `batchSize` at a time (little padding, one relation pass per batch;
 * batches.ts), and the predictions are mapped back to character offsets (UTF-16 code units, as
 * JavaScript strings index). Sentences are capped at 100 tokens by the splitter, so a long text or one
 * without punctuation costs time linear in its length.
 *
 * Where the model runs: on up to `workers` worker threads (pool/), each with the model and 1 libtorch
 * thread, once an input has POOL_MIN_SENTENCES sentences (then for every call, until `close()`); small
 * inputs before that run on the calling thread, giving the event loop a turn between batches. The
 * results are the same either way, bit for bit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelSchema } from '../data/corpus.js';
import { checkOptions, described, envCount, UserError } from '../errors.js';
import { buildBatch, encodeSentence, type Batch } from '../model/encode.js';
import { modelWordVectors, recordedWordVectors, wordVectorsFile } from '../model/word-vectors.js';
import { loadModelDir } from '../model/io.js';
import { mapScores, readScoreMaps, type ScoreMaps } from '../model/score-map.js';
import type { JointModel } from '../model/joint.js';
import { modelHandle, modelOf, type ModelHandle } from '../model/model-handle.js';
import type { SentencePrediction } from '../model/types.js';
import { getNumThreads, MAX_THREADS, setNumThreads } from '../tensor/index.js';
import { tokenizedSentencesInSlices, type TokenizedSentence } from '../text/index.js';
import { DEFAULT_BATCH_SIZE, planBatches } from './batches.js';
import { buildDocument } from './document.js';
import { alignGivenEntities, readExtractInput, readSingleInput, type PlacedEntity, type ReadInput } from './given-entities.js';
import { checkExtractControl, resolveExtractOptions } from './options.js';
import { callSignal } from './call-signal.js';
import { modelDirOrDefault, modelInfo } from './model-info.js';
import { modelRefArg, type ModelRef } from '../model/model-ref.js';
import { closedError, WorkerPool } from './pool/pool.js';
import { runBatches } from './run-batches.js';
import type { ExtractControl, ExtractInput, ExtractOptions, ExtractedDocument, ExtractorLike, GivenEntity, ModelInfo } from './types.js';
import { POOL_MIN_SENTENCES, resolveWorkers } from './workers.js';

export { DEFAULT_MODEL_DIR } from './model-info.js';

export interface ExtractorOptions {
  /** Sentences per model call (default DEFAULT_BATCH_SIZE, 128; batches.ts). */
  batchSize?: number;
  /**
   * libtorch intra-op threads for this thread and for each worker (default 1, or `ENTREL_THREADS` when
   * set). Inference ops are small, and on a busy machine libtorch's spinning workers made extraction
   * 5–10× slower with 2 threads than with 1 (bench/extract.ts, README Results); `workers` is the way to
   * use more cores.
   */
  threads?: number;
  /**
   * Most worker threads running the model (default `ENTREL_WORKERS`, else min(2, available cores); 0 =
   * always this thread). They start with the first input of at least 128 sentences (or `warmUp()`).
   * Needs a model directory: an Extractor made by `fromModel` runs on this thread.
   */
  workers?: number;
}

/**
 * The workers of an Extractor dropped without close(): ended once it is collected. Nothing else would
 * end them (their threads and listeners keep the pool alive), so a long-running process that drops
 * Extractors would keep a thread and a model copy for each.
 */
const POOLS_OF_DROPPED = new FinalizationRegistry<WorkerPool>((pool) => void pool.close());

/** The option names `load` and `fromModel` take. */
const EXTRACTOR_OPTIONS = ['batchSize', 'threads', 'workers'];

export class Extractor implements ExtractorLike {
  readonly schema: LabelSchema;
  private readonly batchSize: number;
  private readonly threads: number;
  private readonly workers: number;
  /** Calibrated scores (`entrel calibrate`, model/score-map.ts), when the model has them. */
  private readonly scoreMaps?: ScoreMaps;
  /** Whether words outside the training vocabulary should be looked up in its word vectors (GloVe or its own; loaded on first use). */
  private gloveWanted: boolean;
  private pool?: WorkerPool;
  private closed = false;
  /** Aborted by `close()`: calls in flight stop at their next batch. */
  private readonly lifetime = new AbortController();

  private constructor(
    private readonly joint: JointModel,
    schema: LabelSchema,
    private readonly meta: Record<string, unknown>,
    private readonly source: string,
    opts: ExtractorOptions,
    /** The model directory's checksum file, so that workers load the very same model; none for `fromModel`. */
    private readonly checksum?: string,
  ) {
    this.schema = schema;
    checkOptions(opts, 'options', EXTRACTOR_OPTIONS);
    opts ??= {};
    const b = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!(Number.isInteger(b) && b > 0)) throw new UserError(`must be a positive integer, got ${described(b)}`, { field: 'batchSize' });
    this.batchSize = b;
    const t = opts.threads;
    // Bounded as ENTREL_THREADS is: libtorch takes any count (10⁵ hung the process; 2³² + 1 wrapped to 1).
    if (t !== undefined && !(Number.isInteger(t) && t > 0 && t <= MAX_THREADS))
      throw new UserError(`must be an integer from 1 to ${MAX_THREADS}, got ${described(t)}`, { field: 'threads' });
    this.threads = t ?? envCount('ENTREL_THREADS', 1, MAX_THREADS) ?? 1;
    this.workers = checksum === undefined ? 0 : resolveWorkers(opts.workers);
    this.gloveWanted = meta.glove !== false && !joint.glove;
    const where = source === 'memory' ? 'meta' : join(source, 'config.json');
    // The model's own word vectors must be on this machine: said at load, not at the first extract.
    const own = this.gloveWanted ? recordedWordVectors(meta, where) : undefined;
    if (own) wordVectorsFile(own, this.modelName);
    this.scoreMaps = readScoreMaps(meta, where);
    joint.eval();
  }

  /**
   * Loads a model directory (written by `entrel train` or `saveModelDir`); without one, the bundled
   * default model. A missing or corrupt directory is a UserError naming the file.
   */
  static async load(modelDir?: ModelRef, opts: ExtractorOptions = {}): Promise<Extractor> {
    const ref = modelRefArg(modelDir, 'modelDir');
    checkOptions(opts, 'options', EXTRACTOR_OPTIONS);
    const dir = modelDirOrDefault(ref);
    const { model, schema, meta } = loadModelDir(dir);
    return new Extractor(model, schema, meta, dir, opts, readFileSync(join(dir, 'checksum'), 'utf8'));
  }

  /** Wraps a model already in memory (`loadModelDir`'s, or another Extractor's); `meta` as a model directory's config.json has it. Runs on this thread. */
  static fromModel(model: ModelHandle, schema: LabelSchema, meta: Record<string, unknown> = {}, opts: ExtractorOptions = {}): Extractor {
    const joint = modelOf(model);
    checkOptions(meta, 'meta');
    // Checked though unused (no directory for workers to load), so that a bad value is not silently taken.
    if (opts?.workers !== undefined) resolveWorkers(opts.workers);
    return new Extractor(joint, schema, meta ?? {}, 'memory', opts);
  }

  /** The model it runs, for `Extractor.fromModel` and `saveModelDir`. */
  get model(): ModelHandle {
    return modelHandle(this.joint);
  }

  /** Whether its scores are calibrated (`entrel calibrate`), not the model's own probabilities. */
  get calibrated(): boolean {
    return this.scoreMaps !== undefined;
  }

  /** Worker threads this Extractor may run (0: everything on the calling thread). */
  get maxWorkers(): number {
    return this.workers;
  }

  /** Extract calls that can usefully run at once: the worker threads (1 without them). */
  get parallelism(): number {
    return Math.max(1, this.workers);
  }

  extract(input: ExtractInput, options?: ExtractOptions, control?: ExtractControl): Promise<ExtractedDocument>;
  extract(inputs: readonly ExtractInput[], options?: ExtractOptions, control?: ExtractControl): Promise<ExtractedDocument[]>;
  extract(input: ExtractInput | readonly ExtractInput[], options?: ExtractOptions, control?: ExtractControl): Promise<ExtractedDocument | ExtractedDocument[]>;
  async extract(input: ExtractInput | readonly ExtractInput[], options?: ExtractOptions, control?: ExtractControl): Promise<ExtractedDocument | ExtractedDocument[]> {
    control = checkExtractControl(control);
    if (!Array.isArray(input)) return (await this.extractMany([readSingleInput(input, this.schema)], options, control))[0];
    // By index, not forEach: a hole in a sparse array ([, 'text']) is a missing text, not one to skip.
    const inputs: ReadInput[] = [];
    for (let i = 0; i < input.length; i++) inputs.push(readExtractInput(input[i], this.schema, `texts[${i}]`));
    return this.extractMany(inputs, options, control);
  }

  info(): ModelInfo {
    return modelInfo({ meta: this.meta, schema: this.schema, config: this.joint.config, source: this.source, checksumFile: this.checksum });
  }

  /** Loads the GloVe table and starts the worker threads now rather than at the first large input. */
  async warmUp(): Promise<void> {
    this.assertOpen();
    this.loadGloveIfWanted();
    if (this.workers === 0) return;
    await this.ensurePool().ready;
  }

  /** Ends the worker threads (calls in flight reject with a UserError); the Extractor cannot extract afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    this.lifetime.abort(closedError());
    const pool = this.pool;
    this.pool = undefined;
    POOLS_OF_DROPPED.unregister(this);
    await pool?.close();
  }

  private assertOpen(): void {
    if (this.closed) throw closedError();
  }

  private async extractMany(inputs: readonly ReadInput[], options: ExtractOptions | undefined, control: ExtractControl): Promise<ExtractedDocument[]> {
    this.assertOpen();
    const resolved = resolveExtractOptions(options, this.schema);
    const call = callSignal([control.signal, this.lifetime.signal]);
    try {
      // Tokenized as the model's training corpus was (its `tokenizer` setting), then fitted to given entities;
      // in time slices, so that a server's event loop is not held for the seconds a long text can take (and
      // a call that times out or is abandoned stops here too).
      const texts: { text: string; sentences: TokenizedSentence[]; entities?: PlacedEntity[][]; given?: GivenEntity[] }[] = [];
      for (const { text, entities, field } of inputs) {
        const sentences = await tokenizedSentencesInSlices(text, { style: this.joint.config.tokenizer, newlines: resolved.newlines }, { signal: call.signal });
        texts.push(entities ? { text, ...alignGivenEntities(text, sentences, entities, field), given: entities } : { text, sentences });
      }
      call.signal.throwIfAborted();
      const placed = texts.flatMap((t) => t.entities ?? t.sentences.map(() => undefined));
      const predicted = await this.predict(texts.flatMap((t) => t.sentences), placed, call.signal);
      const preds = this.scoreMaps ? mapScores(predicted, this.scoreMaps, (i) => placed[i] !== undefined) : predicted;
      let k = 0;
      return texts.map((t) => {
        const own = preds.slice(k, (k += t.sentences.length));
        return buildDocument(t.text, t.sentences, own, this.schema, resolved, t.given && { entities: t.given, placed: t.entities! });
      });
    } finally {
      call.unlink();
    }
  }

  /**
   * Predictions in input order; sentences bucketed by length across all texts. A sentence with `placed`
   * entities (given ones) keeps exactly those: the model classifies the relations between them.
   */
  private async predict(sentences: TokenizedSentence[], placed: readonly (PlacedEntity[] | undefined)[], signal?: AbortSignal): Promise<SentencePrediction[]> {
    const out: SentencePrediction[] = sentences.map(() => ({ tags: [], entities: [], relations: [] }));
    const real = sentences.map((s, i) => (s.tokens.length > 0 ? i : -1)).filter((i) => i >= 0);
    if (real.length === 0) return out;
    this.loadGloveIfWanted();
    const { vocab, glove } = this.joint;
    const V = vocab.words.size;
    const plan = planBatches(real.map((i) => sentences[i].tokens.length), this.batchSize).map((b) => b.map((j) => real[j]));
    const encode = (i: number) => {
      const given = placed[i];
      const entities = (given ?? []).map((e) => ({ id: String(e.index), type: e.type, start: e.start, end: e.end }));
      return encodeSentence({ tokens: sentences[i].tokens, entities, relations: [] }, vocab, given ? { given: true, glove } : { gold: false, glove });
    };
    const build = (idx: number[]) => buildBatch(idx.map(encode), V, glove);
    const pool = this.workers > 0 && (this.pool || real.length >= POOL_MIN_SENTENCES) ? this.ensurePool() : undefined;
    await runBatches(plan, build, out, { local: (batch) => this.predictHere(batch), pool, signal });
    return out;
  }

  /**
   * One batch on the calling thread, with this Extractor's thread count: libtorch's is the process's,
   * which another Extractor or a training run may have set, and gets its own count back after.
   */
  private predictHere(batch: Batch): SentencePrediction[] {
    const before = getNumThreads();
    if (before === this.threads) return this.joint.predict(batch);
    setNumThreads(this.threads);
    try {
      return this.joint.predict(batch);
    } finally {
      setNumThreads(before);
    }
  }

  /** The worker pool, started (or restarted, when it failed or every worker died) as needed. */
  private ensurePool(): WorkerPool {
    const current = this.pool;
    if (current && !current.error && current.alive > 0) return current;
    void current?.close();
    this.pool = new WorkerPool({ modelDir: this.source, checksum: this.checksum!, threads: this.threads }, this.workers);
    POOLS_OF_DROPPED.unregister(this);
    POOLS_OF_DROPPED.register(this, this.pool, this);
    return this.pool;
  }

  /** The model as errors name it: its directory. */
  private get modelName(): string {
    return this.source === 'memory' ? 'the model in memory' : this.source;
  }

  private loadGloveIfWanted(): void {
    if (this.gloveWanted) {
      this.joint.glove = modelWordVectors(this.meta, this.joint.config.wordDim, this.modelName);
      this.gloveWanted = false;
    }
  }
}
