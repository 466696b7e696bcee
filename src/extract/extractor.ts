/**
 * The library face of entrel: raw text in, entities and relations out.
 *
 *   const ex = await Extractor.load();              // the bundled CoNLL04 model (models/conll04/)
 *   const doc = await ex.extract('John Smith works for IBM in Boston.');
 *   const docs = await ex.extract([textA, textB], { relationThreshold: 0.5 });
 *
 * Texts are split into sentences and tokens (src/text), every sentence of every text is encoded, the
 * sentences are sorted by length and run through the model `batchSize` at a time (little padding, one
 * relation pass per batch), and the predictions are mapped back to character offsets (UTF-16 code units,
 * as JavaScript strings index). Sentences are capped at 100 tokens by the splitter, so a long text or one
 * without punctuation costs time linear in its length. Between batches the event loop gets a turn, so a
 * server stays responsive while a large text is processed.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabelSchema } from '../data/corpus.js';
import { UserError } from '../errors.js';
import { encodeSentence } from '../model/encode.js';
import { loadGlove } from '../model/glove.js';
import { loadModelDir } from '../model/io.js';
import type { JointModel } from '../model/joint.js';
import { predictEncoded } from '../model/predict.js';
import type { EncodedSentence, SentencePrediction } from '../model/types.js';
import { setNumThreads } from '../tensor/index.js';
import { tokenizedSentences, type TokenizedSentence } from '../text/index.js';
import { buildDocument } from './document.js';
import { resolveExtractOptions } from './options.js';
import type { ExtractOptions, ExtractedDocument, ExtractorLike, ModelInfo } from './types.js';

/** The bundled model, found relative to this file (src/extract/ or dist/extract/), not the cwd. */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../../models/conll04', import.meta.url));

/** Most tokens in one model call (see `predict`). */
const MAX_BATCH_TOKENS = 4096;

export interface ExtractorOptions {
  /** Sentences per model call (default 32: measured fastest on CoNLL04 among 8–256, bench/extract.ts). */
  batchSize?: number;
  /**
   * libtorch intra-op threads for the process (default 1, or `ENTREL_THREADS` when set). Inference ops
   * are small, and on a busy machine libtorch's spinning workers made extraction 5–10× slower with 2
   * threads than with 1 (bench/extract.ts, README Results); the server batches requests instead.
   */
  threads?: number;
}

export class Extractor implements ExtractorLike {
  readonly schema: LabelSchema;
  private readonly batchSize: number;
  /** Whether words outside the training vocabulary should be looked up in GloVe (loaded on first use). */
  private gloveWanted: boolean;

  private constructor(
    readonly model: JointModel,
    schema: LabelSchema,
    private readonly meta: Record<string, unknown>,
    private readonly source: string,
    opts: ExtractorOptions,
  ) {
    this.schema = schema;
    const b = opts.batchSize ?? 32;
    if (!(Number.isInteger(b) && b > 0)) throw new UserError(`batchSize must be a positive integer, got ${JSON.stringify(b)}`);
    this.batchSize = b;
    const t = opts.threads;
    if (t !== undefined && !(Number.isInteger(t) && t > 0)) throw new UserError(`threads must be a positive integer, got ${JSON.stringify(t)}`);
    const threads = t ?? (process.env.ENTREL_THREADS ? undefined : 1);
    if (threads !== undefined) setNumThreads(threads);
    this.gloveWanted = meta.glove !== false && !model.glove;
    model.eval();
  }

  /**
   * Loads a model directory (written by `entrel train` or `saveModelDir`); without one, the bundled
   * default model. A missing or corrupt directory is a UserError naming the file.
   */
  static async load(modelDir?: string, opts: ExtractorOptions = {}): Promise<Extractor> {
    const dir = resolve(modelDir ?? DEFAULT_MODEL_DIR);
    if (modelDir === undefined && !existsSync(dir))
      throw new UserError('the bundled default model is missing (run `npm run train:default`, or name a model directory)', { file: dir });
    const { model, schema, meta } = loadModelDir(dir);
    return new Extractor(model, schema, meta, dir, opts);
  }

  /** Wraps a model already in memory (e.g. just trained); `meta` as a model directory's config.json has it. */
  static fromModel(model: JointModel, schema: LabelSchema, meta: Record<string, unknown> = {}, opts: ExtractorOptions = {}): Extractor {
    return new Extractor(model, schema, meta, 'memory', opts);
  }

  extract(text: string, options?: ExtractOptions): Promise<ExtractedDocument>;
  extract(texts: readonly string[], options?: ExtractOptions): Promise<ExtractedDocument[]>;
  async extract(input: string | readonly string[], options?: ExtractOptions): Promise<ExtractedDocument | ExtractedDocument[]> {
    if (typeof input === 'string') return (await this.extractMany([input], options))[0];
    if (!Array.isArray(input)) throw new UserError(`extract expects a string or an array of strings, got ${typeof input}`);
    input.forEach((t, i) => {
      if (typeof t !== 'string') throw new UserError(`must be a string, got ${t === null ? 'null' : typeof t}`, { field: `texts[${i}]` });
    });
    return this.extractMany(input, options);
  }

  info(): ModelInfo {
    const m = this.meta;
    return {
      name: typeof m.name === 'string' ? m.name : basename(this.source),
      version: typeof m.version === 'string' ? m.version : '0',
      entityTypes: [...this.schema.entityTypes],
      relationTypes: this.schema.relationTypes.map((r) => ({ ...r })),
      metrics: m.metrics,
      trainedOn: typeof m.trainedOn === 'string' ? m.trainedOn : undefined,
    };
  }

  private async extractMany(texts: readonly string[], options?: ExtractOptions): Promise<ExtractedDocument[]> {
    const resolved = resolveExtractOptions(options, this.schema);
    const split = texts.map((t) => tokenizedSentences(t));
    const preds = await this.predict(split.flat());
    let k = 0;
    return texts.map((t, i) => buildDocument(t, split[i], preds.slice(k, (k += split[i].length)), this.schema, resolved));
  }

  /** Predictions in input order; sentences bucketed by length across all texts. */
  private async predict(sentences: TokenizedSentence[]): Promise<SentencePrediction[]> {
    if (sentences.length === 0) return [];
    if (this.gloveWanted) {
      this.model.glove = loadGlove();
      this.gloveWanted = false;
    }
    const { vocab, glove } = this.model;
    const encoded = sentences.map((s) => encodeSentence({ tokens: s.tokens, entities: [], relations: [] }, vocab, { gold: false, glove }));
    const order = encoded.map((_, i) => i).sort((a, b) => encoded[a].words.length - encoded[b].words.length);
    const out: SentencePrediction[] = new Array(encoded.length);
    for (let k = 0; k < order.length; ) {
      if (k > 0) await new Promise<void>((r) => setImmediate(r));
      // At most batchSize sentences and MAX_BATCH_TOKENS tokens: long sentences (100-token chunks of
      // unpunctuated text) make smaller batches, so the event loop is never held for long.
      let end = k + 1;
      let tokens = encoded[order[k]].words.length;
      while (end < order.length && end - k < this.batchSize && tokens + encoded[order[end]].words.length <= MAX_BATCH_TOKENS)
        tokens += encoded[order[end++]].words.length;
      const idx = order.slice(k, end);
      const chunk: EncodedSentence[] = idx.map((i) => encoded[i]);
      predictEncoded(this.model, chunk, { batchSize: chunk.length }).forEach((p, j) => (out[idx[j]] = p));
      k = end;
    }
    return out;
  }
}
