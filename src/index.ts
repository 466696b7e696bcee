/**
 * The `entrel` package: `import { Extractor } from 'entrel'`.
 *
 * - Extraction: `Extractor` (load a model — the bundled CoNLL04 one by default — and extract entities and
 *   relations from raw text), its result types, brat export, streaming over many texts.
 * - Data: read, write and convert annotated corpora (`loadCorpus`, `readCorpus`, `writeCorpus`, `FORMATS`)
 *   and the corpus types; raw text to sentences and tokens (`textToDocument`, `tokenize`, `splitSentences`).
 * - Evaluation: `evaluate` and `Scorer` (strict / boundaries / NYT, micro and macro), `formatReport`;
 *   the error breakdown (`evaluateWithErrors`, `ErrorAnalyzer`, `formatErrors`); bootstrap confidence
 *   intervals and paired significance tests (`confidenceIntervals`, `compareSystems`); majority voting
 *   over systems' predictions (`vote`).
 * - Models and training: `loadModelDir`, `saveModelDir` (the model as an opaque `ModelHandle`), `loadConfig` (a config file) or `parseConfig`
 *   (a config object, `TrainConfigInput`), `trainNN`, `evaluateModel`, `predictToFile`; a model as an npm
 *   package (`packageModel`) and a model named by directory or installed package (`resolveModelRef`).
 * - Service and view: `buildServer`, `startServer`, `renderHtml`, `renderDocumentSvg`; predictions drawn
 *   against gold (`compareCorpora`, then `renderComparisonHtml`: what `entrel view --gold` writes).
 * Character offsets everywhere are UTF-16 code units (JavaScript string indices).
 * The native libtorch binding loads at the first tensor operation (loading or training a model), so the
 * data, evaluation and rendering functions work where libtorch is not installed.
 */
export * from './extract/index.js';
export { extractStream, type StreamText, type StreamedDocument, type StreamOptions } from './extract/stream.js';
export { UserError, isUserError, type ErrorLocation, type UserErrorCode } from './errors.js';

export type { Corpus, Document, Entity, LabelSchema, Relation, RelationType, Sentence, Token } from './data/corpus.js';
export { FORMATS, WRITABLE_FORMATS, detectFormat, loadCorpus, readCorpus, writeCorpus } from './data/formats/index.js';
export type { CorpusOptions, LoadedCorpus, ReadOptions } from './data/formats/index.js';
export type { Source } from './data/write.js';
export { Diagnostics } from './data/diagnostics.js';
export type { WarningSummary } from './data/diagnostics.js';
export { checkRelabelOptions, parseRenameSpec, relabelCorpus, type RelabelCounts, type RelabelOptions, type RelabelResult, type RenameCount } from './data/relabel.js';
export { computeStats, type CorpusStats, type LengthSummary } from './data/stats.js';
export { splitSentences, tokenize, tokenizedSentences } from './text/index.js';
export { textToDocument } from './data/text-document.js';
export type { NewlineMode, SentenceOptions, TokenizeOptions, TokenizedSentence, TokenizerStyle } from './text/index.js';

export { Scorer, evaluate, formatReport } from './eval/index.js';
export type { Counts, CriterionScores, EvalReport, EvaluateOptions, PRF, ScorerOptions, TypeScores } from './eval/index.js';
export { ErrorAnalyzer, evaluateWithErrors, formatErrors } from './eval/index.js';
export type { ConfusionMatrix, ErrorBreakdown, ErrorInstance, ErrorReport, RelationRef, SpanRef } from './eval/index.js';
export type { SentenceLocation } from './eval/errors.js';
export type { EntityErrorCategory, RelationErrorCategory } from './eval/errors-categories.js';
export type { FpFn } from './eval/errors-tally.js';
export { compareSystems, confidenceIntervals, formatComparison, formatIntervals, vote } from './eval/index.js';
export type { CompareSystemsOptions, Difference, Interval, ResampleOptions, ResampleUnit, ScoreIntervals, SystemComparison, SystemsComparison, VoteCounts, VoteOptions } from './eval/index.js';
export type { ResampleSettings } from './eval/significance.js';

export { loadModelDir, saveModelDir, type LoadedModel } from './model/public-io.js';
export type { ModelHandle } from './model/model-handle.js';
export { resolveModelRef, type ModelRef } from './model/model-ref.js';
export { packageModel, type PackageOptions, type PackageResult } from './extract/model-package.js';
export type { ModelConfig, PredictedEntity, PredictedRelation, SentencePrediction } from './model/types.js';
export { evaluateModel, loadConfig, predictToFile, trainNN } from './train/index.js';
export type { DataOptions, TrainConfig, TrainOptions, TrainResult } from './train/index.js';
export type { ModelDirs, PredictProgress } from './train/evaluate.js';
export type { EpochRecord } from './train/log.js';
export type { ChosenAt } from './train/loop.js';
export type { DevScores } from './train/select.js';
export type { OnWarning } from './train/warnings.js';
export { parseConfig } from './train/config.js';
export type { TrainConfigInput } from './train/config-schema.js';

export { buildServer, startServer, defaultServerOptions, replaceApiKeys, type ServerOptions, type ListenOptions, type RunningServer } from './server/index.js';
export type { ResolvedServerOptions } from './server/options.js';
export type { ErrorBody, ErrorCode, ExtractBody, ExtractReply } from './server/index.js';
export { renderDocumentSvg, renderHtml, renderHtmlReport, type HtmlOptions, type SvgOptions } from './web/index.js';
export type { LayoutOptions } from './web/layout.js';
export { comparisonCounts, renderComparisonHtml } from './web/index.js';
export type { ComparedDocument, ComparedEntity, ComparedRelation, ComparisonHtmlOptions, ComparisonScores, ItemStatus, StatusCounts } from './web/index.js';
export type { MicroScores } from './web/compare.js';
export { compareCorpora, compareDocument, type Comparison, type CompareOptions } from './web/compare-corpora.js';
