/** The package's `loadModelDir` and `saveModelDir`: io.ts's, with the model as an opaque ModelHandle. */
import type { LabelSchema } from '../data/corpus.js';
import * as io from './io.js';
import { modelHandle, modelOf, type ModelHandle } from './model-handle.js';
import type { ModelConfig } from './types.js';

export interface LoadedModel {
  model: ModelHandle;
  schema: LabelSchema;
  config: ModelConfig;
  meta: Record<string, unknown>;
}

/** Loads and checks a model directory (written by `entrel train` or `saveModelDir`); a UserError names a missing or corrupt file. */
export function loadModelDir(dir: string): LoadedModel {
  const loaded = io.loadModelDir(dir);
  return { ...loaded, model: modelHandle(loaded.model) };
}

/** Atomically (re)places `dir` with a model directory; a directory holding other files is refused (a UserError). */
export function saveModelDir(dir: string, model: ModelHandle, schema: LabelSchema, meta: Record<string, unknown> = {}): void {
  io.saveModelDir(dir, modelOf(model), schema, meta);
}
