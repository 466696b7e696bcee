/** The tests' model settings: the defaults with some changed, checked as a model directory's are. */
import { DEFAULT_MODEL_CONFIG, validateModelConfig } from '../../src/model/config.js';
import type { ModelConfig } from '../../src/model/types.js';

export function defaultModelConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return validateModelConfig({ ...structuredClone(DEFAULT_MODEL_CONFIG), ...overrides });
}
