/** Training, evaluation and prediction entry points (what the CLI's train command and the package take). */
export { checkDataFiles, keysFromSet, loadConfig, refuseMrtSettings } from './config.js';
export type { TrainConfig } from './config-schema.js';
export { trainNN, continueNN } from './nn.js';
export { trainMRT } from './mrt/task.js';
export type { TrainOptions, TrainResult } from './loop.js';
export { evaluateModel, predictToFile } from './evaluate.js';
export type { DataOptions } from './evaluate.js';
