/**
 * Several models extracting as one (not in the paper): every model extracts the text, and the majority
 * vote of their results is the answer (ensemble-vote.ts, over data/majority-vote.ts as `entrel vote`).
 * Models trained with different seeds make different mistakes: three NN models' vote gained 2.7–3.1
 * strict relation F1 over their mean on CoNLL04 test (README, Evaluation). The models must share their
 * labels and tokenizer, and be calibrated alike (all or none: `entrel calibrate`); each costs its own
 * prediction, so three models take about three times as long.
 *
 *   const ex = await EnsembleExtractor.load(['runs/s1/best', 'runs/s2/best', 'runs/s3/best']);
 *   const doc = await ex.extract('John Smith works for IBM in Boston.');
 */
import { createHash } from 'node:crypto';
import type { LabelSchema } from '../data/corpus.js';
import { repeatedDirectory } from '../data/dirs.js';
import { resolveMinVotes } from '../data/majority-vote.js';
import { checkOptions, described, UserError } from '../errors.js';
import { modelRefArg, resolveModelRef, warnOfCopies, type ModelRef } from '../model/model-ref.js';
import { callSignal } from './call-signal.js';
import { readSingleInput } from './given-entities.js';
import { voteExtractions } from './ensemble-vote.js';
import { Extractor, type ExtractorOptions } from './extractor.js';
import { checkExtractControl, resolveExtractOptions } from './options.js';
import type { ExtractControl, ExtractedDocument, ExtractInput, ExtractOptions, ExtractorLike, ModelInfo, TextInput } from './types.js';
import { resolveWorkers } from './workers.js';

export interface EnsembleOptions extends ExtractorOptions {
  /**
   * Models that must extract an item for the ensemble to keep it (default: more than half of them).
   * `workers` is divided among the models: each gets an equal share, at least 1 when any (so three
   * models with `workers: 2` run three threads).
   */
  minVotes?: number;
  /**
   * Receives what loading allows but the caller should know: two directories with the same weights (a
   * copy), whose model the vote counts twice. Default: `process.emitWarning`.
   */
  onWarning?: (message: string) => void;
}

const ENSEMBLE_OPTIONS = ['batchSize', 'threads', 'workers', 'minVotes', 'onWarning'];

const sameLabels = (a: LabelSchema, b: LabelSchema) =>
  [...a.entityTypes].sort().join('\n') === [...b.entityTypes].sort().join('\n') &&
  a.relationTypes.map((r) => `${r.name}:${r.symmetric}`).sort().join('\n') === b.relationTypes.map((r) => `${r.name}:${r.symmetric}`).sort().join('\n');

export class EnsembleExtractor implements ExtractorLike {
  readonly schema: LabelSchema;
  private readonly symmetric: ReadonlySet<string>;

  private constructor(
    readonly members: readonly Extractor[],
    readonly minVotes: number,
  ) {
    this.schema = members[0].schema;
    this.symmetric = new Set(this.schema.relationTypes.filter((r) => r.symmetric).map((r) => r.name));
  }

  /** Loads every model directory (at least two); models with other labels or another tokenizer are refused, naming the directory. */
  static async load(refs: readonly ModelRef[], opts: EnsembleOptions = {}): Promise<EnsembleExtractor> {
    if (!Array.isArray(refs)) throw new UserError(`must be a list of model directories or package names, got ${described(refs)}`, { field: 'modelDirs' });
    const modelDirs = refs.map((r, i) => {
      const ref = modelRefArg(r, `modelDirs[${i}]`);
      if (ref === undefined) throw new UserError(`must be a model directory or package name, got ${described(r)}`, { field: `modelDirs[${i}]` });
      return ref;
    });
    if (modelDirs.length < 2) throw new UserError(`an ensemble needs at least two model directories, got ${modelDirs.length}`, { field: 'modelDirs' });
    checkOptions(opts, 'options', ENSEMBLE_OPTIONS);
    // Package names as their model directories, so that a package and its directory are seen as one model
    // (errors name each model as the caller did).
    const dirs = modelDirs.map((m) => resolveModelRef(m));
    const twice = repeatedDirectory(dirs);
    if (twice) throw new UserError(`is the same model directory as modelDirs[${twice[0]}] (${modelDirs[twice[0]]}): that model's votes would count twice`, { field: `modelDirs[${twice[1]}]` });
    const { minVotes: m, onWarning, ...rest } = opts ?? {};
    if (onWarning !== undefined && typeof onWarning !== 'function') throw new UserError(`must be a function, got ${described(onWarning)}`, { field: 'onWarning' });
    const n = modelDirs.length;
    const minVotes = resolveMinVotes(m, n, 'models');
    const workers = resolveWorkers(rest.workers);
    const share = workers === 0 ? 0 : Math.max(1, Math.floor(workers / n));
    const members: Extractor[] = [];
    try {
      for (const dir of dirs) members.push(await Extractor.load(dir, { ...rest, workers: share }));
      const [first, firstDir] = [members[0], modelDirs[0]];
      members.forEach((x, i) => {
        const [a, b] = [first.info(), x.info()];
        if (a.tokenizer !== b.tokenizer)
          throw new UserError(`tokenizes as ${b.tokenizer}, ${firstDir} as ${a.tokenizer}: an ensemble's models must read text alike`, { file: modelDirs[i] });
        if (!sameLabels(first.schema, x.schema))
          throw new UserError(`has other labels than ${firstDir} (entity types ${x.schema.entityTypes.join(', ')}; relation types ${x.schema.relationTypes.map((r) => r.name).join(', ')}): an ensemble's models must share them`, { file: modelDirs[i] });
        // The mean of calibrated and raw probabilities means neither.
        if (x.calibrated !== first.calibrated)
          throw new UserError(`${x.calibrated ? 'is' : 'is not'} calibrated and ${firstDir} ${first.calibrated ? 'is' : 'is not'}: calibrate every model of an ensemble (entrel calibrate), or none`, { file: modelDirs[i] });
      });
    } catch (e) {
      await Promise.all(members.map((x) => x.close()));
      throw e;
    }
    warnOfCopies(modelDirs, dirs, onWarning);
    return new EnsembleExtractor(members, minVotes);
  }

  /** Worker threads the models may run, all together. */
  get maxWorkers(): number {
    return this.members.reduce((a, x) => a + x.maxWorkers, 0);
  }

  /** Calls that can usefully run at once: the least of the models' (each call runs on all of them). */
  get parallelism(): number {
    return Math.min(...this.members.map((x) => x.parallelism));
  }

  extract(input: ExtractInput, options?: ExtractOptions, control?: ExtractControl): Promise<ExtractedDocument>;
  extract(inputs: readonly ExtractInput[], options?: ExtractOptions, control?: ExtractControl): Promise<ExtractedDocument[]>;
  extract(input: ExtractInput | readonly ExtractInput[], options?: ExtractOptions, control?: ExtractControl): Promise<ExtractedDocument | ExtractedDocument[]>;
  async extract(input: ExtractInput | readonly ExtractInput[], options?: ExtractOptions, control?: ExtractControl): Promise<ExtractedDocument | ExtractedDocument[]> {
    // The threshold applies to the ensemble's scores, not to each model's.
    const { relationThreshold } = resolveExtractOptions(options, this.schema);
    const { signal } = checkExtractControl(control);
    const each = { ...options, relationThreshold: 0 };
    // A single input checked here, so that its errors name `entities[…]`, not the members' `texts[0]…`.
    if (!Array.isArray(input)) readSingleInput(input, this.schema);
    const texts: readonly ExtractInput[] = Array.isArray(input) ? input : [input as ExtractInput];
    // A model that fails stops the others: the call rejects, so their work would be thrown away.
    const failed = new AbortController();
    const call = callSignal([signal, failed.signal]);
    let results: ExtractedDocument[][];
    try {
      results = await Promise.all(
        this.members.map((x) =>
          x.extract(texts, each, { signal: call.signal }).catch((e: unknown) => {
            failed.abort(e);
            throw e;
          }),
        ),
      );
    } finally {
      call.unlink();
    }
    const settings = { minVotes: this.minVotes, relationThreshold, symmetric: this.symmetric };
    // Inputs are checked by the models by now: an object input is a {text, entities?}.
    const given = (i: number) => typeof texts[i] === 'object' && (texts[i] as TextInput).entities !== undefined;
    const docs = results[0].map((_, i) => voteExtractions(results.map((r) => r[i]), { ...settings, givenEntities: given(i) }));
    return Array.isArray(input) ? docs : docs[0];
  }

  /** The models' labels and tokenizer, a name listing them, and a checksum of theirs. */
  info(): ModelInfo {
    const infos = this.members.map((x) => x.info());
    const checksums = infos.map((i) => i.checksum ?? '');
    return {
      ...infos[0],
      name: `ensemble of ${infos.length} (${infos.map((i) => i.name).join(', ')}; at least ${this.minVotes} votes)`,
      metrics: undefined,
      trainedOn: undefined,
      checksum: createHash('sha256').update(checksums.join('\n')).digest('hex'),
      members: infos.map(({ name, version, checksum }) => ({ name, version, checksum })),
    };
  }

  async warmUp(): Promise<void> {
    await Promise.all(this.members.map((x) => x.warmUp()));
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((x) => x.close()));
  }
}

