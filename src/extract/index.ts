/** Raw text → entities and relations: the Extractor, its result types, and brat export of its output. */
export { Extractor, DEFAULT_MODEL_DIR, type ExtractorOptions } from './extractor.js';
export { EnsembleExtractor, type EnsembleOptions } from './ensemble.js';
export { toBratAnn } from './brat.js';
export type * from './types.js';
