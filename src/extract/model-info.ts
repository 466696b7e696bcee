/**
 * Which model directory is meant (the bundled one unless named) and what a model says about itself
 * (`Extractor.info()`, `GET /v1/model`, `entrel info`). Nothing here loads libtorch.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { LabelSchema } from '../data/corpus.js';
import { UserError } from '../errors.js';
import { BUNDLED_MODEL_DIR as DEFAULT_MODEL_DIR, modelRefArg, resolveModelRef } from '../model/model-ref.js';
import type { ModelConfig } from '../model/types.js';
import { recordedMetrics } from './model-metrics.js';
import type { ModelInfo } from './types.js';

export { BUNDLED_MODEL_DIR as DEFAULT_MODEL_DIR } from '../model/model-ref.js';

/**
 * The absolute model directory: `modelDir` (a directory, or an installed model package's name:
 * model/model-ref.ts), or the bundled model, which must be there.
 */
export function modelDirOrDefault(modelDir: string | undefined): string {
  // A file:// URL string (`--model file:///…`) as its path.
  if (modelDir !== undefined) return resolveModelRef(modelRefArg(modelDir, 'model') ?? modelDir);
  if (!existsSync(DEFAULT_MODEL_DIR))
    throw new UserError('the bundled default model is missing (run `npm run train:default`, or name a model directory)', { file: DEFAULT_MODEL_DIR }, 'ENTREL_MODEL_NOT_FOUND');
  return DEFAULT_MODEL_DIR;
}

interface ModelInfoSource {
  meta: Record<string, unknown>;
  schema: LabelSchema;
  config: ModelConfig;
  /** The model directory, or a name for a model in memory. */
  source: string;
  /** The text of the directory's checksum file; none for a model in memory. */
  checksumFile?: string;
}

/** A run's kept models are all called best/, final/ or last/: their run directory tells them apart. */
const RUN_MODEL_DIRS = new Set(['best', 'final', 'last']);

/** The name of a model that records none: its directory's, with the run's for `my-run/best`. */
function unnamed(source: string): string {
  const base = basename(source);
  return RUN_MODEL_DIRS.has(base) ? `${basename(dirname(source))}/${base}` : base;
}

export function modelInfo({ meta: m, schema, config, source, checksumFile }: ModelInfoSource): ModelInfo {
  return {
    name: typeof m.name === 'string' ? m.name : unnamed(source),
    version: typeof m.version === 'string' ? m.version : '0',
    entityTypes: [...schema.entityTypes],
    relationTypes: schema.relationTypes.map((r) => ({ ...r })),
    tokenizer: config.tokenizer,
    metrics: recordedMetrics(m.metrics),
    trainedOn: typeof m.trainedOn === 'string' ? m.trainedOn : undefined,
    ...(checksumFile !== undefined && { checksum: createHash('sha256').update(checksumFile).digest('hex') }),
  };
}
