/** Training, evaluation and prediction entry points (what the CLI and the experiments call). */
export { checkDataFiles, keysFromSet, loadConfig, parseConfig, modelConfig, refuseMrtSettings } from './config.js';
export { TrainConfigSchema } from './config-schema.js';
export type { TrainConfig, MrtConfig } from './config-schema.js';
export { trainNN, continueNN, buildNNSetup, nnTask, devScores, initFromModelDir } from './nn.js';
export type { NNSetup } from './nn.js';
export { runTraining } from './loop.js';
export { trainMRT, mrtTask } from './mrt/task.js';
export type { TrainTask, BatchLoss, DevScores, TrainOptions, TrainResult } from './loop.js';
export { evaluateModel, predictToFile, predictFile } from './evaluate.js';
export type { DataOptions } from './evaluate.js';
export { Adadelta, Adam, createOptimizer } from './optim.js';
export type { Optimizer, OptimizerState } from './optim.js';
export { TrainRng } from './rng.js';
export type { EpochRecord } from './log.js';
