export { canonicalRelation, compactSentence } from './compact.js';
export type { CompactSentence, Label, RelTuple, SpanTuple } from './compact.js';
export { ENTITY_ERROR_CATEGORIES, ErrorAnalyzer, NONE, RELATION_ERROR_CATEGORIES } from './errors.js';
export type {
  ConfusionMatrix,
  EntityErrorCategory,
  ErrorBreakdown,
  ErrorInstance,
  ErrorReport,
  FpFn,
  RelationErrorCategory,
  RelationRef,
  SentenceLocation,
  SpanRef,
} from './errors.js';
export { formatErrors } from './errors-table.js';
export { comparablePair, evaluate, evaluateWithErrors, pairDocuments } from './evaluate.js';
export type { EvaluateOptions } from './evaluate.js';
export { scores, TypeCounter } from './metrics.js';
export type { Counts, CriterionScores, PRF, TypeScores } from './metrics.js';
export { paperCompatGold } from './paper-compat.js';
export { Scorer } from './scorer.js';
export type { EvalReport, ScorerOptions } from './scorer.js';
export { deltaE, deltaER, deltaR, sentenceF1, setF1 } from './sentence-f1.js';
export type { SentenceF1 } from './sentence-f1.js';
export { compareCounts, compareSystems, confidenceIntervals, MEASURES, RESAMPLE_UNITS, unitCounts } from './significance.js';
export type {
  CompareSystemsOptions,
  Difference,
  Interval,
  Measure,
  ResampleOptions,
  ResampleSettings,
  ResampleUnit,
  ScoreIntervals,
  SystemComparison,
  SystemsComparison,
  UnitCounts,
} from './significance.js';
export { formatComparison, formatIntervals } from './significance-table.js';
export { formatReport } from './table.js';
export { resolveMinVotes, vote } from './vote.js';
export type { VoteCounts, VoteOptions } from './vote.js';
export { DEFAULT_THRESHOLDS, formatThresholds, thresholdSweep } from './thresholds.js';
export type { ThresholdRow } from './thresholds.js';
export type { ItemScores, PredictionScores } from './item-scores.js';
export { calibration, formatCalibration, scoredItems } from './calibration.js';
export type { Calibration, CalibrationBin, CalibrationReport } from './calibration.js';
